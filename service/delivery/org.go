package delivery

import (
	"errors"
	"fmt"
	"time"
)

// SMS languages. E-mail always carries both.
const (
	LangEnglish = "en"
	LangChinese = "zh-HK"
)

// Org is the organisation as every message presents it: its name and how to
// reach IT Help. Location is the time zone in which times are shown
// (Asia/Hong_Kong when nil); SMSLang is the one language of an SMS
// (LangEnglish when empty). SMSName, when set, stands for Name in SMS,
// where a long name is left out rather than cut (e.g. "PolyU SPEED" for
// "The Hong Kong Polytechnic University School of Professional Education
// and Executive Development").
type Org struct {
	Name      string
	SMSName   string
	HelpEmail string
	HelpPhone string
	HelpHours string
	Copyright string
	Location  *time.Location
	SMSLang   string
}

// Validate reports a configuration that would produce messages without a
// way to reach IT Help, or in an unknown language. Servers call it at start.
func (o Org) Validate() error {
	var errs []error
	if o.Name == "" {
		errs = append(errs, errors.New("organisation name is empty"))
	}
	if o.HelpEmail == "" && o.HelpPhone == "" {
		errs = append(errs, errors.New("IT Help needs an e-mail address or a phone number"))
	}
	switch o.SMSLang {
	case "", LangEnglish, LangChinese:
	default:
		errs = append(errs, fmt.Errorf("SMS language %q is not %q or %q", o.SMSLang, LangEnglish, LangChinese))
	}
	return errors.Join(errs...)
}

// withDefaults fills in the time zone and the SMS language.
func (o Org) withDefaults() Org {
	if o.Location == nil {
		o.Location = hongKong()
	}
	if o.SMSLang == "" {
		o.SMSLang = LangEnglish
	}
	return o
}

// smsName is the name an SMS starts with.
func (o Org) smsName() string {
	if o.SMSName != "" {
		return o.SMSName
	}
	return o.Name
}

func hongKong() *time.Location {
	loc, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		// Without tzdata; Hong Kong has kept UTC+8 without daylight
		// saving since 1979.
		return time.FixedZone("HKT", 8*3600)
	}
	return loc
}
