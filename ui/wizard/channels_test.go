package wizard

import (
	"context"
	"strings"
	"testing"

	"casreset/api"
)

// newChannelBackend is the real service, its answers to step 1 also
// listing a channel of a newer service that the wizard has no words for.
type newChannelBackend struct{ Backend }

func (b newChannelBackend) Start(ctx context.Context, req api.StartRequest) (api.StartResponse, error) {
	resp, err := b.Backend.Start(ctx, req)
	resp.Channels = append([]api.ChannelInfo{{Channel: "voice", Destination: "9*** **34"}}, resp.Channels...)
	return resp, err
}

// TestStep2OffersOnlyTheChannelsItCanName: a channel that is not e-mail is
// not therefore SMS. A channel the wizard does not know is not offered as
// SMS (or at all), nor does it bring the SIM notice or a switch in step 3.
func TestStep2OffersOnlyTheChannelsItCanName(t *testing.T) {
	e := newEnv(t, withBackend(func(b Backend) Backend { return newChannelBackend{b} }))
	s2 := e.toStep2(acctMail.StaffNumber)
	if len(s2.options) != 1 || s2.channels[0].Channel != api.ChannelEmail {
		t.Fatalf("step 2 offers %+v, want e-mail only", s2.channels)
	}
	if got := s2.options[0].Text(); got != "A validation code will be sent to your email address, l****@example.edu.hk." {
		t.Errorf("option = %q", got)
	}
	if s2.simRow.Visible() {
		t.Error("the SIM notice shows for a channel that is not SMS")
	}
	e.tap(s2.send)
	s3 := screenAs[*step3](e)
	if !strings.Contains(s3.sent.Text, "by email") || s3.switchBtn.Visible() {
		t.Errorf("step 3 says %q, switch shown %v", s3.sent.Text, s3.switchBtn.Visible())
	}
}

func TestChannelKeysNameEachChannel(t *testing.T) {
	for _, ch := range api.Channels() {
		if key := channelKey(ch, "step2.option"); key != "step2.option."+string(ch) {
			t.Errorf("channelKey(%s) = %q", ch, key)
		}
	}
}
