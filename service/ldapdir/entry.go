package ldapdir

import (
	"fmt"
	"strings"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// attributes are the ones a search asks for.
func (d *Directory) attributes() []string {
	attrs := []string{d.cfg.StaffAttr, d.cfg.NameAttr, d.cfg.MobileAttr, d.cfg.MailAttr}
	if d.cfg.EndDateAttr != "" {
		attrs = append(attrs, d.cfg.EndDateAttr)
	}
	return withoutDuplicates(append(attrs, d.stateAttributes()...))
}

// account maps an entry to an Account. Contact details the directory holds
// in a form that cannot be understood are left out (and logged), so that
// the person can still use the other channel; an end date that cannot be
// understood is an error, since eligibility cannot be decided without it.
func (d *Directory) account(e *ldap.Entry) (service.Account, error) {
	a := service.Account{
		StaffNumber: strings.TrimSpace(e.GetEqualFoldAttributeValue(d.cfg.StaffAttr)),
		Name:        strings.TrimSpace(e.GetEqualFoldAttributeValue(d.cfg.NameAttr)),
	}
	if mobiles := e.GetEqualFoldAttributeValues(d.cfg.MobileAttr); len(mobiles) > 0 {
		a.Mobile = firstMobile(mobiles)
		if a.Mobile == "" {
			d.cfg.Logger.Warn("ldap entry has no usable mobile number", "staff_number", a.StaffNumber, "attr", d.cfg.MobileAttr)
		}
	}
	if mail := strings.TrimSpace(e.GetEqualFoldAttributeValue(d.cfg.MailAttr)); mail != "" {
		email, err := service.NormalizeEmail(mail)
		if err != nil {
			d.cfg.Logger.Warn("ldap entry has no usable e-mail address", "staff_number", a.StaffNumber, "attr", d.cfg.MailAttr)
		} else {
			a.Email = email
		}
	}
	if d.cfg.EndDateAttr != "" {
		if raw := strings.TrimSpace(e.GetEqualFoldAttributeValue(d.cfg.EndDateAttr)); raw != "" {
			end, err := contractEnd(raw, d.cfg.Location)
			if err != nil {
				return service.Account{}, local(fmt.Errorf("ldapdir: %s of %s: %w", d.cfg.EndDateAttr, e.DN, err))
			}
			a.ContractEnd = end
		}
	}
	if err := d.readState(e, &a); err != nil {
		return service.Account{}, err
	}
	return a, nil
}

// firstMobile is the first value that normalises to E.164, or "".
func firstMobile(values []string) string {
	for _, v := range values {
		if m, err := service.NormalizeMobile(v); err == nil && m != "" {
			return m
		}
	}
	return ""
}

// contractEnd turns an end-date value into the organisation's calendar date
// YYYY-MM-DD. It takes a date as written (YYYY-MM-DD, or YYYYMMDD) or an
// LDAP generalizedTime, an instant, whose date is the one in loc:
// 20240831160000Z is 2024-09-01 in Hong Kong.
//
// Active Directory's accountExpires is a FILETIME instead (100-ns intervals
// since 1601, in decimal): the instant the account stops working, which AD's
// tools set to midnight after the last day. The last day is the one before
// that instant; 0 and the largest value mean "never".
func contractEnd(value string, loc *time.Location) (string, error) {
	if isFileTime(value) {
		return fileTimeEnd(value, loc)
	}
	for _, layout := range []string{time.DateOnly, "20060102"} {
		if t, err := time.Parse(layout, value); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	t, err := ber.ParseGeneralizedTime([]byte(value))
	if err != nil {
		return "", fmt.Errorf("%q is neither YYYY-MM-DD nor a generalizedTime", value)
	}
	return t.In(loc).Format(time.DateOnly), nil
}

// isFileTime tells a FILETIME (digits only; 0 for "never") from YYYYMMDD,
// the only other form that is all digits.
func isFileTime(value string) bool {
	if value == "" || len(value) == len("20060102") {
		return false
	}
	for _, r := range value {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fileTimeEnd reads an accountExpires value as the last day of the contract.
func fileTimeEnd(value string, loc *time.Location) (string, error) {
	expires, err := fileTime(value)
	if err != nil || expires.IsZero() {
		return "", err
	}
	return expires.Add(-time.Nanosecond).In(loc).Format(time.DateOnly), nil
}

// mobileFilter finds entries whose mobile attribute may hold e164 in a
// format people write (mobileForms), or any value ending in the last eight
// digits. Callers keep only the entries whose stored number normalises to
// e164.
//
// OpenLDAP's mobile attribute matches with telephoneNumberMatch, which
// ignores spaces and dashes, so every spacing is found there. Directories
// that compare mobile as plain text (Active Directory) find only the
// formats listed in mobileForms; a number stored as, say, "9 1 2 3 4 5 6 7"
// is found there only by its staff number, not by its contact.
func mobileFilter(attr, e164 string) string {
	var f strings.Builder
	f.WriteString("(|")
	for _, v := range mobileForms(e164) {
		fmt.Fprintf(&f, "(%s=%s)", attr, ldap.EscapeFilter(v))
	}
	tail := strings.TrimPrefix(e164, "+")
	if len(tail) > 8 {
		tail = tail[len(tail)-8:]
	}
	fmt.Fprintf(&f, "(%s=*%s)", attr, ldap.EscapeFilter(tail))
	f.WriteString(")")
	return f.String()
}

// mobileForms are the ways people store e164: the exact E.164 form, with
// 00, and for Hong Kong numbers without the plus, the national number
// alone and grouped by spaces or dashes, with the country code written in
// the usual ways. Each normalises to e164 (service.NormalizeMobile).
func mobileForms(e164 string) []string {
	digits := strings.TrimPrefix(e164, "+")
	forms := []string{e164, "00" + digits}
	if national, ok := strings.CutPrefix(digits, "852"); ok && len(national) == 8 {
		a, b := national[:4], national[4:]
		forms = append(forms,
			digits, // other countries' numbers without the plus read as national ones
			national,
			a+" "+b,
			a+"-"+b,
			"+852 "+national,
			"+852 "+a+" "+b,
			"+852-"+a+"-"+b,
			"+852 "+a+"-"+b,
			"852 "+a+" "+b,
			"(852) "+a+" "+b,
			"(852) "+a+"-"+b,
			"(+852) "+a+" "+b,
		)
	}
	return forms
}
