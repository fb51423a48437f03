package ui

import (
	"testing"

	"casreset/ui/validate"
)

func TestQuietWhenEmptyChecksOnlyWhatWasTyped(t *testing.T) {
	v := QuietWhenEmpty(validate.Code)
	if err := v(""); err != nil {
		t.Errorf("an empty field is shown as wrong: %v", err)
	}
	if err := v("12"); err == nil {
		t.Error("a short code is shown as right")
	}
	if err := v("123456"); err != nil {
		t.Errorf("a whole code is shown as wrong: %v", err)
	}
}
