package delivery

import (
	"fmt"
	"time"
)

var weekdaysZH = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// zoneLabels names the time zone of t in English and Chinese: "Hong Kong
// time" where that is what it is, otherwise the zone's abbreviation.
func zoneLabels(t time.Time) (en, zh string) {
	abbr := t.Format("MST")
	if t.Location().String() == "Asia/Hong_Kong" || abbr == "HKT" {
		return "Hong Kong time", "香港時間"
	}
	return abbr, abbr
}

// longEN reads "15:42 on Friday 14 March 2025 (Hong Kong time)".
func longEN(t time.Time) string {
	en, _ := zoneLabels(t)
	return t.Format("15:04 on Monday 2 January 2006") + " (" + en + ")"
}

// longZH reads "2025年3月14日（星期五）15:42（香港時間）".
func longZH(t time.Time) string {
	_, zh := zoneLabels(t)
	return fmt.Sprintf("%d年%d月%d日（星期%s）%s（%s）",
		t.Year(), int(t.Month()), t.Day(), weekdaysZH[t.Weekday()], t.Format("15:04"), zh)
}

// smsClockEN reads "15:42 HKT".
func smsClockEN(t time.Time) string { return t.Format("15:04 MST") }

// smsDateEN reads "14 Mar 15:42 HKT".
func smsDateEN(t time.Time) string { return t.Format("2 Jan 15:04 MST") }

// smsClockZH reads "15:42": a Chinese SMS has no room for the zone, and its
// readers are in it.
func smsClockZH(t time.Time) string { return t.Format("15:04") }

// smsDateZH reads "3月14日15:42".
func smsDateZH(t time.Time) string {
	return fmt.Sprintf("%d月%d日%s", int(t.Month()), t.Day(), t.Format("15:04"))
}
