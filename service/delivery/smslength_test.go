package delivery

import (
	"strings"
	"testing"
)

func TestSMSSegments(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want int
	}{
		{"empty", "", 1},
		{"160 GSM characters", strings.Repeat("a", 160), 1},
		{"161 GSM characters", strings.Repeat("a", 161), 2},
		{"306 GSM characters", strings.Repeat("a", 306), 2},
		{"307 GSM characters", strings.Repeat("a", 307), 3},
		{"80 extension characters are 160 septets", strings.Repeat("{", 80), 1},
		{"81 extension characters", strings.Repeat("€", 81), 2},
		{"GSM accents", "Ñoño à Zürich £5 ¥3 @home §1 ¿qué?", 1},
		{"70 Chinese characters", strings.Repeat("密", 70), 1},
		{"71 Chinese characters", strings.Repeat("密", 71), 2},
		{"134 Chinese characters", strings.Repeat("密", 134), 2},
		{"one Chinese character makes it UCS-2", strings.Repeat("a", 70) + "密", 2},
		{"a curly quote makes it UCS-2", strings.Repeat("a", 69) + "’", 1},
		{"an emoji is two UTF-16 units", strings.Repeat("密", 69) + "🙂", 2},
	}
	for _, tt := range tests {
		if got := SMSSegments(tt.s); got != tt.want {
			t.Errorf("%s: SMSSegments = %d, want %d", tt.name, got, tt.want)
		}
	}
}
