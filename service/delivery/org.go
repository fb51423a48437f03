package delivery

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"casreset/assets"
)

// Org is the organisation as every message presents it: its name and how to
// reach IT Help. Location is the time zone in which times are shown
// (Asia/Hong_Kong when nil); SMSLang, a tag of the language table (its
// default language when empty), is the language of messages to a person
// whose own is not known: SMS go out in it, e-mails carry it first.
type Org struct {
	// Name is the organisation's name in every language that has none in
	// Names, which holds it by language tag.
	Name  string
	Names map[string]string
	// SMSName, when set, stands for Name in SMS, where a long name is left
	// out rather than cut (e.g. "PolyU SPEED" for "The Hong Kong
	// Polytechnic University School of Professional Education and
	// Executive Development"); SMSNames are the same per language.
	SMSName   string
	SMSNames  map[string]string
	HelpEmail string
	HelpPhone string
	HelpHours string
	// Copyright is the e-mails' copyright line in every language that has
	// none in Copyrights, which holds it by language tag.
	Copyright  string
	Copyrights map[string]string
	Location   *time.Location
	SMSLang    string
}

// Validate reports a configuration that would produce messages without a
// way to reach IT Help, or in an unknown language. Servers call it at start.
func (o Org) Validate() error {
	var errs []error
	if o.defaultName() == "" {
		errs = append(errs, errors.New("organisation name is empty"))
	}
	if o.HelpEmail == "" && o.HelpPhone == "" {
		errs = append(errs, errors.New("IT Help needs an e-mail address or a phone number"))
	}
	if _, ok := assets.Lookup(o.SMSLang); o.SMSLang != "" && !ok {
		errs = append(errs, fmt.Errorf("SMS language %q is not one of %s", o.SMSLang, strings.Join(assets.Tags(), ", ")))
	}
	for what, names := range map[string]map[string]string{"organisation name": o.Names, "SMS name": o.SMSNames, "copyright line": o.Copyrights} {
		for _, tag := range slices.Sorted(maps.Keys(names)) {
			if _, ok := assets.Lookup(tag); !ok {
				errs = append(errs, fmt.Errorf("%s in %q: not one of the languages %s", what, tag, strings.Join(assets.Tags(), ", ")))
			}
		}
	}
	if _, err := loadTemplates(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// withDefaults fills in the time zone and the SMS language, and writes
// the SMS language's tag as the table does.
func (o Org) withDefaults() Org {
	if o.Location == nil {
		o.Location = hongKong()
	}
	l, ok := assets.Lookup(o.SMSLang)
	if !ok {
		l = assets.Default()
	}
	o.SMSLang = l.Tag
	return o
}

// defaultName is the name of languages without their own: Name, else the
// name in the default language.
func (o Org) defaultName() string { return cmp.Or(o.Name, o.Names[assets.Default().Tag]) }

// nameIn is the organisation's name in the language tag.
func (o Org) nameIn(tag string) string { return assets.NameIn(o.Names, tag, o.defaultName()) }

// smsNameIn is the name an SMS in the language tag starts with: its SMS
// name, else its name, else the SMS name or name of every language.
func (o Org) smsNameIn(tag string) string {
	return assets.NameIn(o.SMSNames, tag, assets.NameIn(o.Names, tag, cmp.Or(o.SMSName, o.defaultName())))
}

// copyrightIn is the e-mails' copyright line in the language tag: its own,
// else Copyright, else the default language's; empty when none is set.
func (o Org) copyrightIn(tag string) string {
	return assets.NameIn(o.Copyrights, tag, cmp.Or(o.Copyright, o.Copyrights[assets.Default().Tag]))
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
