package postgres_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"casreset/api"
	"casreset/client"
	"casreset/internal/testkit/pgtest"
	"casreset/service"
	"casreset/service/httpapi"
	"casreset/service/postgres"
	"casreset/service/tlsgen"
)

// A cluster is several resetd instances on one database, as behind a load
// balancer: each has its own connection pool, service and HTTPS listener,
// and they share nothing but the database, the TLS certificate and (so that
// the tests can move time) the clock.
type cluster struct {
	t     *testing.T
	clock *service.ManualClock
	// db is the tests' own view of the database, for what a user would read
	// on a phone or in a mailbox: CAPTCHA digits and validation codes.
	db    *postgres.DB
	nodes []*node
}

type node struct {
	url   string
	api   *client.Client
	https *http.Client // for the probes, which the API client has no call for
}

// staff is the account every cluster test resets.
var staff = service.Account{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"}

// clusterConfig is the default configuration with a cheap Argon2id: these
// tests are about instances agreeing, not about the hash's cost.
func clusterConfig() service.Config {
	cfg := service.DefaultConfig()
	cfg.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
	return cfg
}

func newCluster(tb testing.TB, url string, instances int, cfg service.Config) *cluster {
	tb.Helper()
	t, _ := tb.(*testing.T)
	c := &cluster{t: t, clock: service.NewManualClock(time.Now().UTC()), db: open(tb, url)}
	bundle, err := tlsgen.InMemory([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	for range instances {
		svc, err := service.New(cfg, open(tb, url), nil, c.clock, nil)
		if err != nil {
			tb.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(httpapi.New(svc, httpapi.Options{}))
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{bundle.Certificate}, MinVersion: tls.VersionTLS13}
		srv.StartTLS()
		tb.Cleanup(srv.Close)
		cl, err := client.New(client.Config{BaseURL: srv.URL, CAPEM: bundle.CAPEM})
		if err != nil {
			tb.Fatal(err)
		}
		https := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: bundle.CertPool(), MinVersion: tls.VersionTLS13}}}
		tb.Cleanup(https.CloseIdleConnections)
		c.nodes = append(c.nodes, &node{url: srv.URL, api: cl, https: https})
	}
	err = c.db.Update(context.Background(), func(tx service.Tx) error { return tx.UpsertAccount(staff) })
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// node returns the instance that serves the i-th request: the load
// balancer sends each request to the next instance.
func (c *cluster) node(i int) *client.Client { return c.nodes[i%len(c.nodes)].api }

// captcha creates a CAPTCHA on node i and reads its answer as the user
// would read the image.
func (c *cluster) captcha(tb testing.TB, i int) (id, answer string) {
	tb.Helper()
	cp, err := c.node(i).NewCaptcha(context.Background())
	if err != nil {
		tb.Fatalf("NewCaptcha on instance %d: %v", i%len(c.nodes), err)
	}
	err = c.db.View(context.Background(), func(tx service.Tx) error {
		stored, err := tx.Captcha(cp.CaptchaID)
		for _, d := range stored.Digits {
			answer += string(rune('0' + d))
		}
		return err
	})
	if err != nil {
		tb.Fatalf("read the CAPTCHA: %v", err)
	}
	return cp.CaptchaID, answer
}

// start begins a flow: the CAPTCHA from node i, the start on node i+1.
func (c *cluster) start(tb testing.TB, i int) string {
	tb.Helper()
	id, answer := c.captcha(tb, i)
	res, err := c.node(i+1).Start(context.Background(), api.StartRequest{StaffNumber: staff.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
	if err != nil {
		tb.Fatalf("Start on instance %d: %v", (i+1)%len(c.nodes), err)
	}
	return res.ResetToken
}

// code is the latest validation code of the flow of token, as the user
// reads it in the SMS.
func (c *cluster) code(tb testing.TB, token string) string {
	tb.Helper()
	sum := sha256.Sum256([]byte(token))
	var code string
	err := c.db.View(context.Background(), func(tx service.Tx) error {
		f, err := tx.Flow(hex.EncodeToString(sum[:]))
		if err != nil {
			return err
		}
		m, err := tx.Message(f.MessageID)
		code = m.Params["code"]
		return err
	})
	if err != nil || code == "" {
		tb.Fatalf("read the validation code: %q, %v", code, err)
	}
	return code
}

// verified walks a new flow to verified, hopping between the instances.
func (c *cluster) verified(tb testing.TB) string {
	tb.Helper()
	token := c.start(tb, 0)
	if _, err := c.node(0).SendCode(context.Background(), token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		tb.Fatalf("SendCode: %v", err)
	}
	if _, err := c.node(1).Verify(context.Background(), token, c.code(tb, token)); err != nil {
		tb.Fatalf("Verify: %v", err)
	}
	return token
}

// ready asks node i's /readyz and returns the status.
func (c *cluster) ready(tb testing.TB, i int) int {
	tb.Helper()
	n := c.nodes[i%len(c.nodes)]
	res, err := n.https.Get(n.url + "/readyz")
	if err != nil {
		tb.Fatalf("GET /readyz: %v", err)
	}
	res.Body.Close()
	return res.StatusCode
}

// apiCode is the contract's error code of err ("" for nil).
func apiCode(err error) api.Code {
	var ae *api.Error
	if err != nil && !errors.As(err, &ae) {
		return "not an *api.Error: " + api.Code(err.Error())
	}
	return api.ErrorCode(err)
}

func TestOneFlowHopsBetweenInstancesAtEveryStep(t *testing.T) {
	c := newCluster(t, pgtest.Start(t), 2, clusterConfig())
	ctx := t.Context()

	id, answer := c.captcha(t, 0)
	if _, err := c.node(1).CaptchaImage(ctx, id); err != nil {
		t.Fatalf("the image of a CAPTCHA made by instance 0, from instance 1: %v", err)
	}
	start, err := c.node(0).Start(ctx, api.StartRequest{StaffNumber: staff.StaffNumber, CaptchaID: id, CaptchaAnswer: answer})
	if err != nil {
		t.Fatalf("Start on instance 0: %v", err)
	}
	token := start.ResetToken

	if _, err := c.node(1).SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatalf("SendCode on instance 1: %v", err)
	}
	flow, err := c.node(0).Flow(ctx, token)
	if err != nil || flow.Step != api.StepCodeSent {
		t.Fatalf("Flow on instance 0: step %q, %v; want code_sent", flow.Step, err)
	}
	if _, err := c.node(1).Verify(ctx, token, c.code(t, token)); err != nil {
		t.Fatalf("Verify on instance 1: %v", err)
	}
	flow, err = c.node(0).Flow(ctx, token)
	if err != nil || flow.Step != api.StepVerified {
		t.Fatalf("Flow on instance 0: step %q, %v; want verified", flow.Step, err)
	}
	if _, err := c.node(1).SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Harbour-view-2025"}); err != nil {
		t.Fatalf("SetPassword on instance 1: %v", err)
	}
	if _, err := c.node(0).Flow(ctx, token); apiCode(err) != api.CodeTokenInvalid {
		t.Errorf("Flow on instance 0 after the change: %v, want token_invalid (spent)", err)
	}

	var changed service.Account
	err = c.db.View(ctx, func(tx service.Tx) (err error) { changed, err = tx.Account(staff.StaffNumber); return err })
	if err != nil || changed.PasswordChangedAt.IsZero() {
		t.Errorf("the account after the flow: %+v, %v; want a password change time", changed, err)
	}
}

func TestResendCooldownHoldsAcrossInstances(t *testing.T) {
	c := newCluster(t, pgtest.Start(t), 2, clusterConfig())
	ctx := t.Context()
	token := c.start(t, 0)
	if _, err := c.node(0).SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatalf("first SendCode on instance 0: %v", err)
	}

	c.clock.Advance(59 * time.Second)
	_, err := c.node(1).SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeRateLimited || ae.RetryAfter != 1 {
		t.Fatalf("reload on instance 1 after 59 s: %v, want rate_limited with retry_after 1", err)
	}

	c.clock.Advance(time.Second)
	if _, err := c.node(1).SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Errorf("reload on instance 1 after the 60 s cool-down: %v", err)
	}
}

func TestSimultaneousRightCodesVerifyOnceAcrossInstances(t *testing.T) {
	c := newCluster(t, pgtest.Start(t), 2, clusterConfig())
	token := c.start(t, 0)
	if _, err := c.node(1).SendCode(t.Context(), token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	code := c.code(t, token)

	const n = 10
	errs := make([]error, n)
	together(t, n, func(i int) error {
		_, errs[i] = c.node(i).Verify(t.Context(), token, code)
		return nil
	})
	successes := 0
	for i, err := range errs {
		switch apiCode(err) {
		case "":
			successes++
		case api.CodeWrongStep:
		default:
			t.Errorf("verify %d: %v, want success or wrong_step (verified already)", i, err)
		}
	}
	if successes != 1 {
		t.Errorf("%d of %d simultaneous verifies of the right code succeeded, want 1", successes, n)
	}
}

func TestSimultaneousPasswordChangesSucceedOnceAcrossInstances(t *testing.T) {
	c := newCluster(t, pgtest.Start(t), 2, clusterConfig())
	token := c.verified(t)
	passwords := []string{"Harbour-view-2025", "Lantau-peak-934", "Star-ferry-5521", "Tram-ding-ding-77", "Dim-sum-lunch-12", "Victoria-park-8"}

	errs := make([]error, len(passwords))
	together(t, len(passwords), func(i int) error {
		_, errs[i] = c.node(i).SetPassword(t.Context(), token, api.PasswordRequest{NewPassword: passwords[i]})
		return nil
	})
	successes := 0
	for i, err := range errs {
		switch apiCode(err) {
		case "":
			successes++
		case api.CodeTokenInvalid:
		default:
			t.Errorf("change %d: %v, want success or token_invalid (spent or being spent)", i, err)
		}
	}
	if successes != 1 {
		t.Errorf("%d of %d simultaneous password changes succeeded, want 1", successes, len(passwords))
	}
	var history []string
	err := c.db.View(t.Context(), func(tx service.Tx) (err error) {
		history, err = tx.PasswordHistory(staff.StaffNumber, 10)
		return err
	})
	if err != nil || len(history) != 1 {
		t.Errorf("password history after the race: %d entries, %v; want 1", len(history), err)
	}
}

func TestDatabaseOutageMidFlowIsUnavailableAndTheFlowContinues(t *testing.T) {
	srv := pgtest.NewServer(t)
	c := newCluster(t, srv.CreateDatabase(t), 2, clusterConfig())
	ctx := t.Context()
	token := c.start(t, 0)
	if _, err := c.node(1).SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	code := c.code(t, token)
	for i := range c.nodes {
		if status := c.ready(t, i); status != http.StatusOK {
			t.Fatalf("instance %d: /readyz %d before the outage", i, status)
		}
	}

	srv.Stop(t)

	for i := range c.nodes {
		if status := c.ready(t, i); status != http.StatusServiceUnavailable {
			t.Errorf("instance %d: /readyz %d with the database down, want 503", i, status)
		}
		_, err := c.node(i).Verify(ctx, token, code)
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != api.CodeUnavailable || ae.Status != http.StatusServiceUnavailable {
			t.Errorf("instance %d: Verify with the database down: %v, want 503 unavailable", i, err)
		}
	}

	srv.Start(t)

	for i := range c.nodes {
		if status := c.ready(t, i); status != http.StatusOK {
			t.Errorf("instance %d: /readyz %d once the database is back, want 200", i, status)
		}
	}
	if _, err := c.node(0).Verify(ctx, token, code); err != nil {
		t.Fatalf("Verify of the same flow once the database is back: %v", err)
	}
	if _, err := c.node(1).SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Harbour-view-2025"}); err != nil {
		t.Fatalf("SetPassword once the database is back: %v", err)
	}
}
