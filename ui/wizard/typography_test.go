package wizard

import (
	"testing"
	"time"

	"casreset/api"
)

// TestChineseCountsAndTimesInTheChineseStyle: step 3's countdown reads
// "9分59秒" in Chinese, not "9:59", and the header counts the steps in
// words as the step titles do (第三步（共四步）beside 第三步：…).
func TestChineseCountsAndTimesInTheChineseStyle(t *testing.T) {
	e := newEnv(t)
	s3 := e.toStep3(acctBoth.StaffNumber, api.ChannelSMS)
	e.tick(time.Second)
	tests := []struct{ lang, stepOf, countdown, late string }{
		{langEnglish, "Step 3 of 4", "The code expires in 9:59.", "The code expires in 0:01."},
		{langChinese, "第三步（共四步）", "驗證碼將於9分59秒後過期。", "驗證碼將於1秒後過期。"},
		{"zh-Hans", "第三步（共四步）", "", ""},
	}
	for _, tt := range tests {
		e.chooseLanguage(tt.lang)
		if got := e.c.steps.stepOf.Text; got != tt.stepOf {
			t.Errorf("%s: the header counts %q, want %q", tt.lang, got, tt.stepOf)
		}
		if tt.countdown != "" && s3.countdown.Text != tt.countdown {
			t.Errorf("%s: countdown %q, want %q", tt.lang, s3.countdown.Text, tt.countdown)
		}
	}
	e.chooseLanguage(langChinese)
	e.tick(9*time.Minute + 58*time.Second)
	if want := tests[1].late; s3.countdown.Text != want {
		t.Errorf("a second left: %q, want %q", s3.countdown.Text, want)
	}
}
