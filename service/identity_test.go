package service_test

import (
	"testing"

	"casreset/service"
)

func TestContainsIdentity(t *testing.T) {
	a := service.Account{StaffNumber: "T1234567", Name: "CHAN, Tai-man Peter 陳大文"}
	tests := []struct {
		password string
		want     bool
	}{
		{"Xy9T1234567z", true}, // the staff number
		{"Xy9t1234567z", true}, // in another case
		{"Xy9chanZZ1", true},   // a name part of 4 letters
		{"Xy9CHANzz1", true},   // in another case
		{"mypeterpan1", true},  // a longer part
		{"Taiman2024x", false}, // "tai" and "man" are shorter than 4 letters
		{"Xy91234567z", false}, // part of the staff number only
		{"陳大文Kx7pQ2", false},   // a 3-letter name part
		{"Kx7pQ2mZr9vT", false},
	}
	for _, tt := range tests {
		if got := service.ContainsIdentity(tt.password, a, 4); got != tt.want {
			t.Errorf("ContainsIdentity(%q) = %v, want %v", tt.password, got, tt.want)
		}
	}
	if service.ContainsIdentity("anything1", service.Account{}, 4) {
		t.Error("an empty account matched")
	}
	if !service.ContainsIdentity("Xy9manabc1", a, 3) {
		t.Error("with a minimum of 3 letters, \"man\" should count")
	}
}
