package api

import "testing"

func TestChannels(t *testing.T) {
	chs := Channels()
	if len(chs) != 2 || chs[0] != ChannelSMS || chs[1] != ChannelEmail {
		t.Errorf("Channels() = %v, want SMS then e-mail", chs)
	}
	for _, ch := range chs {
		if !ch.Valid() {
			t.Errorf("%s is not valid", ch)
		}
	}
	if Channel("voice").Valid() || Channel("").Valid() {
		t.Error("a channel outside the contract is valid")
	}
}
