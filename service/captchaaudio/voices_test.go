package captchaaudio

import (
	"bufio"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"casreset/internal/pcm"
)

// TestRecordingsAreCommittedAndDecodable checks the committed output of
// internal/genvoices: every language has at least three voices of ten
// digits, each a short, audible 8 kHz recording, all listed in the
// manifest, and the whole small enough to embed.
func TestRecordingsAreCommittedAndDecodable(t *testing.T) {
	langs, err := Languages()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(langs, []string{"en", "yue", "zh"}) {
		t.Errorf("languages %v, want en, yue, zh", langs)
	}
	lib, err := library()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range langs {
		if len(lib[lang]) < 3 {
			t.Errorf("%s: %d voices, want at least 3", lang, len(lib[lang]))
		}
		for _, v := range lib[lang] {
			for d, s := range v.digits {
				seconds := float64(len(s)) / Rate
				if seconds < 0.2 || seconds > 1.2 || rms(s) < 0.05 {
					t.Errorf("%s digit %d: %.2f s, RMS %.3f", v.name, d, seconds, rms(s))
				}
			}
		}
	}

	manifest, err := fs.ReadFile(voiceFiles, "voices/manifest.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(manifest)))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			file, _, _ := strings.Cut(line, "\t")
			listed["voices/"+file] = true
		}
	}
	files, _ := fs.Glob(voiceFiles, "voices/*/*.wav")
	total := 0
	for _, f := range files {
		if !listed[f] {
			t.Errorf("%s is not in the manifest", f)
		}
		delete(listed, f)
		info, err := fs.Stat(voiceFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		total += int(info.Size())
	}
	for f := range listed {
		t.Errorf("the manifest lists %s, which is missing", f)
	}
	if total > 2<<20 {
		t.Errorf("recordings take %d bytes, want at most 2 MiB", total)
	}
}

func TestLoadVoicesRefusesAnIncompleteVoice(t *testing.T) {
	wav := pcm.Encode16(pcm.Sound{Rate: Rate, Samples: make([]float32, 800)})
	fsys := fstest.MapFS{}
	for d := range 9 { // no 9
		fsys["voices/en/m1-"+string(rune('0'+d))+".wav"] = &fstest.MapFile{Data: wav}
	}
	if _, err := loadVoices(fsys); err == nil || !strings.Contains(err.Error(), "no digit 9") {
		t.Errorf("loadVoices = %v, want a missing digit 9", err)
	}
	fsys["voices/en/m1-9.wav"] = &fstest.MapFile{Data: pcm.Encode16(pcm.Sound{Rate: 16000, Samples: make([]float32, 800)})}
	if _, err := loadVoices(fsys); err == nil || !strings.Contains(err.Error(), "want 8000 Hz") {
		t.Errorf("loadVoices = %v, want the wrong rate refused", err)
	}
}
