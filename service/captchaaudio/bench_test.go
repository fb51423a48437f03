package captchaaudio

import "testing"

// BenchmarkSpeak renders one challenge of six digits, as GET
// /v1/captchas/{id}/audio.wav does; bytes/op is not the WAV's size, which
// it reports as wav-bytes.
func BenchmarkSpeak(b *testing.B) {
	for _, lang := range []string{"en", "zh", "yue"} {
		b.Run(lang, func(b *testing.B) {
			var size int
			for b.Loop() {
				wav, err := Speak(lang, []byte{3, 1, 4, 1, 5, 9}, freshSeed())
				if err != nil {
					b.Fatal(err)
				}
				size = len(wav)
			}
			b.ReportMetric(float64(size), "wav-bytes")
		})
	}
}
