package ui

import "testing"

// TestBreakLinesByTheRulesOfChinese: where each rule moves a break.
func TestBreakLinesByTheRulesOfChinese(t *testing.T) {
	// Every character is one unit wide.
	measure := func(s string) float32 { return float32(len([]rune(s))) }
	tests := []struct {
		text  string
		width float32
		want  string
	}{
		{"一二三四，五六", 4, "一二三\n四，五六"},            // the comma takes the character before it along
		{"一二三「四五」", 4, "一二三\n「四五」"},            // an opening bracket moves down
		{"一二「三四」。五", 5, "一二「三\n四」。五"},          // the closing bracket and the full stop go down with a character
		{"登入HKU SPACE統一", 9, "登入HKU\nSPACE統一"}, // a space in a line of Chinese
		{"最多128個", 4, "最多\n128個"},              // digits stay together
		{"Please enter it", 8, "Please\nenter it"},
		{"，，，，，，", 3, "，，，\n，，，"}, // no allowed break: cut where full
		{"甲乙\n丙丁", 2, "甲乙\n丙丁"},
	}
	for _, tt := range tests {
		if got := breakLines(tt.text, tt.width, measure); got != tt.want {
			t.Errorf("breakLines(%q, %v) =\n%s\nwant\n%s", tt.text, tt.width, got, tt.want)
		}
	}
}
