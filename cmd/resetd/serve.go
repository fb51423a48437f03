package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"casreset/assets"
	"casreset/service/delivery"
	"casreset/service/server"
	"casreset/service/tlsgen"
)

// Secrets and switches read only from the environment.
const (
	envSMTPPassword      = "RESETD_SMTP_PASSWORD"
	envLDAPBindPassword  = "RESETD_LDAP_BIND_PASSWORD"
	envTestCaptchaAnswer = "RESETD_TEST_CAPTCHA_ANSWER"
)

// serveFlags are the flags of `resetd serve` that do not map one to one
// onto server.Config.
type serveFlags struct {
	proxies       []string
	smsHeaders    []string
	smsHeaderFile string
	codeKeyFile   string
	timeZone      string
	logFormat     string
	logLevel      string
	argonMemory   int
	argonTime     int
	argonThread   int
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := server.DefaultConfig()
	var sf serveFlags
	c := newCommand("serve", "resetd serve --addr 127.0.0.1:8443 --data DIR [flags]",
		"Runs the reset service over HTTPS. Without --tls-cert/--tls-key, a CA and a server\n"+
			"certificate are generated into --data once and reused; clients trust DIR/ca.pem.",
		stderr)
	c.env = []envOnly{
		{envSMTPPassword, "the SMTP password (with --smtp-user)"},
		{envLDAPBindPassword, "the LDAP bind password (with --ldap-bind-dn)"},
		{envSMSHeaders, "headers sent to the SMS gateway, \"Name: value\" one a line, e.g. its credentials"},
		{envTestCaptchaAnswer, "digits accepted for every CAPTCHA, for automated end-to-end tests only;\n" +
			"        refused unless --addr is a loopback address, and a warning is logged"},
	}
	defineServeFlags(c, &cfg, &sf)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() > 0 {
		return usageError{fmt.Errorf("serve takes no arguments, got %q", c.fs.Args())}
	}
	log, err := newLogger(stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		return usageError{err}
	}
	if err := applyServeFlags(&cfg, sf, getenv); err != nil {
		return usageError{err}
	}
	cfg.Log = log
	if cfg.Service.CodeKey == nil {
		log.Info("the validation codes' HMAC key is kept in the database; --code-key-file keeps it apart")
	}

	r, err := server.Start(ctx, cfg)
	if err != nil {
		return err
	}
	trust := "the CA of --tls-cert"
	if r.CAPEM != nil {
		trust = filepath.Join(cfg.DataDir, tlsgen.CAFile)
	}
	fmt.Fprintf(stdout, "%s listening on %s (clients trust %s)\n", versionString(), r.URL, trust)
	if r.MetricsURL != "" {
		fmt.Fprintf(stdout, "metrics at %s\n", r.MetricsURL)
	}
	return r.Wait()
}

func defineServeFlags(c *command, cfg *server.Config, sf *serveFlags) {
	fs := c.fs
	svc := &cfg.Service

	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "`host:port` to listen on")
	fs.StringVar(&cfg.DataDir, "data", "", "`directory` of the SQLite database and the generated certificates")
	fs.StringVar(&cfg.DB, "db", "", "PostgreSQL `URL` (postgres://…) instead of SQLite in --data")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM `file` of the server certificate chain (with --tls-key)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM `file` of the server certificate's private key")
	fs.StringVar(&cfg.TLSMin, "tls-min", cfg.TLSMin, "oldest TLS `version` accepted: 1.3, or 1.2 (ECDHE AEAD suites only)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "`host:port` of the plain-HTTP listener of GET /metrics (Prometheus), apart from the API's; \"off\" for none")
	fs.Var(&listValue{&sf.proxies, ","}, "trusted-proxy", "`address or CIDR` of a reverse proxy whose X-Forwarded-For is believed (repeatable; comma-separated in the environment)")

	fs.StringVar(&cfg.Outbox, "outbox", "", "`directory` where messages are written as JSON files instead of sent (demos and tests; includes the code)")
	fs.StringVar(&cfg.SMTP.Addr, "smtp-addr", "", "mail server `host:port` for e-mail")
	fs.StringVar(&cfg.SMTP.From, "smtp-from", "", "sender `address` of e-mail, e.g. \"IT Help <no-reply@example.edu.hk>\"")
	fs.StringVar(&cfg.SMTP.TLS, "smtp-tls", delivery.SMTPTLSStartTLS, "SMTP TLS `mode`: none, starttls or implicit")
	fs.StringVar(&cfg.SMTP.User, "smtp-user", "", "SMTP `user` name (password from "+envSMTPPassword+")")
	fs.StringVar(&cfg.SMTP.CAFile, "smtp-ca", "", "PEM `file` of the CA of the mail server's certificate (default: system roots)")
	fs.DurationVar(&cfg.SMTP.Timeout, "smtp-timeout", 30*time.Second, "bound on each SMTP `connection`")
	fs.StringVar(&cfg.SMS.URL, "sms-webhook", "", "`URL` of the SMS gateway; it receives {\"to\":\"+852…\",\"message\":\"…\"}")
	fs.Var(&listValue{&sf.smsHeaders, "\n"}, "sms-header", "`\"Name: value\"` header sent to the SMS gateway (repeatable; one per line in the environment); not for credentials, which a process listing would show: see --sms-header-file and "+envSMSHeaders)
	fs.StringVar(&sf.smsHeaderFile, "sms-header-file", "", "`file` of headers sent to the SMS gateway, \"Name: value\" one a line (# comments), e.g. its credentials; readable by its owner only")
	fs.StringVar(&cfg.SMS.BodyTemplate, "sms-body-template", "", "Go `template` of the gateway's request body (sees .To, .ToDigits, .Message)")
	fs.StringVar(&cfg.SMS.CAFile, "sms-ca", "", "PEM `file` of the CA of the gateway's certificate (default: system roots)")
	fs.DurationVar(&cfg.SMS.Timeout, "sms-timeout", 15*time.Second, "bound on each SMS gateway `request`")

	fs.StringVar(&cfg.LDAP.URL, "ldap-url", "", "ldap:// or ldaps:// `URL`: accounts and passwords in LDAP / Active Directory instead of the database")
	fs.StringVar(&cfg.LDAP.BindDN, "ldap-bind-dn", "", "`DN` to bind as (password from "+envLDAPBindPassword+")")
	fs.StringVar(&cfg.LDAP.BaseDN, "ldap-base-dn", "", "`DN` under which accounts are searched")
	fs.BoolVar(&cfg.LDAP.StartTLS, "ldap-starttls", false, "upgrade an ldap:// connection with StartTLS before binding")
	fs.StringVar(&cfg.LDAP.CAFile, "ldap-ca", "", "PEM `file` of the CA of the directory's certificate (default: system roots)")
	fs.BoolVar(&cfg.LDAP.AD, "ldap-ad", false, "the directory is Active Directory (passwords written to unicodePwd; account state, accountExpires and the password policy read from it)")
	fs.StringVar(&cfg.LDAP.StaffAttr, "ldap-staff-attr", "employeeNumber", "`attribute` of the staff / teacher number")
	fs.StringVar(&cfg.LDAP.MobileAttr, "ldap-mobile-attr", "mobile", "`attribute` of the mobile number")
	fs.StringVar(&cfg.LDAP.MailAttr, "ldap-mail-attr", "mail", "`attribute` of the e-mail address")
	fs.StringVar(&cfg.LDAP.NameAttr, "ldap-name-attr", "cn", "`attribute` of the person's name")
	fs.StringVar(&cfg.LDAP.EndDateAttr, "ldap-end-date-attr", "", "`attribute` of the contract end date, e.g. an HR attribute: YYYY-MM-DD or generalizedTime (none by default; under --ldap-ad, accountExpires is read anyway as the end of logins)")
	fs.DurationVar(&cfg.LDAP.Timeout, "ldap-timeout", 5*time.Second, "bound on each directory `operation`")
	defineHelpdeskAuthFlags(fs, cfg)

	fs.Var(namesValue{&cfg.Org.Name, &cfg.Org.Names}, "org-name", namesUsage("the organisation's `name` as messages show it (required)"))
	fs.Var(namesValue{&cfg.Org.SMSName, &cfg.Org.SMSNames}, "org-sms-name", namesUsage("a short `name` for SMS, when --org-name is long"))
	fs.StringVar(&cfg.Org.HelpEmail, "help-email", "", "IT Help's e-mail `address` (this or --help-phone is required)")
	fs.StringVar(&cfg.Org.HelpPhone, "help-phone", "", "IT Help's phone `number`")
	fs.StringVar(&cfg.Org.HelpHours, "help-hours", "", "IT Help's opening `hours`, e.g. \"Mon-Fri 09:00-18:00\"")
	fs.Var(namesValue{&cfg.Org.Copyright, &cfg.Org.Copyrights}, "copyright", "copyright `line` of e-mail footers; repeat as LANGUAGE=LINE for its line in one language ("+strings.Join(assets.Tags(), ", ")+"; one per line in the environment)")
	fs.StringVar(&cfg.Org.SMSLang, "sms-lang", assets.Default().Tag, "`language` of messages whose reader's language is not known (a request without one): "+strings.Join(assets.Tags(), ", ")+"; SMS go out in it, e-mails carry it first, then one language of each other base (English, Chinese)")
	fs.StringVar(&sf.timeZone, "time-zone", "Asia/Hong_Kong", "the organisation's time `zone`, for eligibility and the times in messages")

	fs.IntVar(&svc.Policy.MinLength, "password-min-length", svc.Policy.MinLength, "shortest new password, in `characters`")
	fs.IntVar(&svc.Policy.MaxLength, "password-max-length", svc.Policy.MaxLength, "longest new password, in `characters`")
	fs.IntVar(&svc.Policy.History, "password-history", svc.Policy.History, "a new password must differ from the last `N`")
	fs.StringVar(&svc.Policy.ForbiddenChars, "password-forbidden-chars", svc.Policy.ForbiddenChars, "`characters` a password may not contain")
	fs.BoolVar(&svc.Policy.RejectCommon, "password-reject-common", svc.Policy.RejectCommon, "reject the most common passwords")
	fs.BoolVar(&svc.Policy.RejectIdentity, "password-reject-identity", svc.Policy.RejectIdentity, "reject passwords containing the staff number or name")
	fs.IntVar(&svc.Policy.AdviceMinLength, "password-advice-length", svc.Policy.AdviceMinLength, "advised (not enforced) `length`")

	fs.DurationVar(&svc.CaptchaTTL, "captcha-ttl", svc.CaptchaTTL, "CAPTCHA `lifetime`")
	fs.DurationVar(&svc.CodeTTL, "code-ttl", svc.CodeTTL, "validation code `lifetime`")
	fs.StringVar(&sf.codeKeyFile, "code-key-file", "", "`file` of the validation codes' HMAC key, kept out of the database: 32+ random bytes in base64 (openssl rand -base64 32), readable by its owner only, the same for every instance; never created by resetd (default: a key generated once in the database)")
	fs.IntVar(&svc.MaxWrongCodes, "max-wrong-codes", svc.MaxWrongCodes, "wrong codes per flow before it ends (`N`)")
	fs.IntVar(&svc.WrongCodesAccount, "wrong-codes-per-account", svc.WrongCodesAccount, "wrong codes per account, all flows together, per --wrong-code-window (`N`); then its flows end and no code is sent until the oldest leaves the window")
	fs.DurationVar(&svc.WrongCodeWindow, "wrong-code-window", svc.WrongCodeWindow, "`window` of --wrong-codes-per-account")
	fs.DurationVar(&svc.ResendCooldown, "resend-cooldown", svc.ResendCooldown, "`wait` between two codes of one flow")
	fs.IntVar(&svc.MaxSendsFlow, "max-sends-flow", svc.MaxSendsFlow, "codes per flow (`N`)")
	fs.IntVar(&svc.MaxSendsDay, "max-sends-account", svc.MaxSendsDay, "codes per account per --send-window (`N`)")
	fs.DurationVar(&svc.SendWindow, "send-window", svc.SendWindow, "`window` of --max-sends-account")
	fs.DurationVar(&svc.FlowTTL, "flow-ttl", svc.FlowTTL, "lifetime of a whole reset `flow`")
	fs.IntVar(&svc.MaxPasswordAttempts, "max-password-attempts", svc.MaxPasswordAttempts, "new passwords tried per flow, whatever their outcome, before it ends (`N`)")
	fs.IntVar(&svc.StartsPerAddr, "starts-per-addr", svc.StartsPerAddr, "flow starts with a right CAPTCHA per client address per --start-window (`N`)")
	fs.DurationVar(&svc.StartWindow, "start-window", svc.StartWindow, "`window` of --starts-per-addr")
	fs.IntVar(&svc.CaptchasPerAddr, "captchas-per-addr", svc.CaptchasPerAddr, "CAPTCHAs created per client address per --captcha-window (`N`)")
	fs.DurationVar(&svc.CaptchaWindow, "captcha-window", svc.CaptchaWindow, "`window` of --captchas-per-addr")
	fs.IntVar(&svc.WrongCaptchasPerAddr, "wrong-captchas-per-addr", svc.WrongCaptchasPerAddr, "wrong CAPTCHA answers per client address per --wrong-captcha-window (`N`); then every answer from it is refused")
	fs.DurationVar(&svc.WrongCaptchaWindow, "wrong-captcha-window", svc.WrongCaptchaWindow, "`window` of --wrong-captchas-per-addr")
	fs.IntVar(&svc.LimitPrefixIPv4, "limit-prefix-ipv4", svc.LimitPrefixIPv4, "per-address limits count an IPv4 client by its first `bits` (32: the address)")
	fs.IntVar(&svc.LimitPrefixIPv6, "limit-prefix-ipv6", svc.LimitPrefixIPv6, "per-address limits count an IPv6 client by its first `bits` (64: its subnet)")
	fs.IntVar(&svc.RemindersPerAddr, "reminders-per-addr", svc.RemindersPerAddr, "staff-number reminders with a right CAPTCHA per client address per --reminder-window (`N`)")
	fs.IntVar(&svc.RemindersContact, "reminders-per-contact", svc.RemindersContact, "staff-number reminders per contact per --reminder-window (`N`)")
	fs.DurationVar(&svc.ReminderWindow, "reminder-window", svc.ReminderWindow, "`window` of the reminder limits")
	defineStaffNumberCase(c, &svc.StaffNumberCase)
	fs.IntVar(&svc.EligibilityMonths, "eligibility-months", svc.EligibilityMonths, "`months` after the contract end date during which resets are allowed")
	fs.IntVar(&sf.argonMemory, "argon2-memory", int(svc.PasswordHash.MemoryKiB), "Argon2id memory in `KiB`")
	fs.IntVar(&sf.argonTime, "argon2-time", int(svc.PasswordHash.Time), "Argon2id `passes`")
	fs.IntVar(&sf.argonThread, "argon2-threads", int(svc.PasswordHash.Threads), "Argon2id `threads`")
	fs.IntVar(&svc.MaxConcurrentHashes, "max-concurrent-hashes", svc.MaxConcurrentHashes, "Argon2id hashes computed at once (`N`); bounds memory")

	fs.DurationVar(&cfg.PurgeInterval, "purge-interval", cfg.PurgeInterval, "how `often` expired CAPTCHAs, flows and counters are deleted")
	fs.DurationVar(&cfg.KeepMessages, "keep-messages", cfg.KeepMessages, "how `long` sent or failed messages stay in the database")
	fs.DurationVar(&cfg.KeepAudit, "keep-audit", cfg.KeepAudit, "how `long` audit events are kept")

	fs.DurationVar(&cfg.ReadHeaderTimeout, "read-header-timeout", cfg.ReadHeaderTimeout, "`time` to read a request's headers")
	fs.DurationVar(&cfg.ReadTimeout, "read-timeout", cfg.ReadTimeout, "`time` to read a whole request")
	fs.DurationVar(&cfg.WriteTimeout, "write-timeout", cfg.WriteTimeout, "`time` to answer a request")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", cfg.IdleTimeout, "how `long` an idle keep-alive connection stays open")
	fs.IntVar(&cfg.MaxHeaderBytes, "max-header-bytes", cfg.MaxHeaderBytes, "largest request header `size`")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "`time` in-flight requests get to finish on SIGTERM")

	fs.StringVar(&sf.logFormat, "log-format", "text", "log `format`: text or json")
	fs.StringVar(&sf.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
}

// applyServeFlags turns the flags that need parsing into cfg, and reads
// the secrets and the test switch from the environment.
func applyServeFlags(cfg *server.Config, sf serveFlags, getenv func(string) string) error {
	var errs []error
	loc, err := time.LoadLocation(sf.timeZone)
	if err != nil {
		errs = append(errs, fmt.Errorf("--time-zone %q: %w", sf.timeZone, err))
	} else {
		cfg.Service.Location, cfg.Org.Location, cfg.LDAP.Location = loc, loc, loc
	}
	for _, p := range sf.proxies {
		for _, item := range strings.Split(p, ",") {
			prefix, err := parsePrefix(strings.TrimSpace(item))
			if err != nil {
				errs = append(errs, fmt.Errorf("--trusted-proxy %q: %w", item, err))
				continue
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
		}
	}
	if cfg.SMS.Headers, err = smsHeaders(sf.smsHeaders, sf.smsHeaderFile, getenv); err != nil {
		errs = append(errs, err)
	}
	if sf.codeKeyFile != "" {
		if cfg.Service.CodeKey, err = readCodeKey(sf.codeKeyFile); err != nil {
			errs = append(errs, err)
		}
	}
	if sf.argonMemory < 1 || sf.argonMemory > math.MaxUint32 || sf.argonTime < 1 || sf.argonTime > math.MaxUint32 || sf.argonThread < 1 || sf.argonThread > math.MaxUint8 {
		errs = append(errs, errors.New("--argon2-memory, --argon2-time and --argon2-threads must be positive (threads at most 255)"))
	} else {
		cfg.Service.PasswordHash.MemoryKiB = uint32(sf.argonMemory)
		cfg.Service.PasswordHash.Time = uint32(sf.argonTime)
		cfg.Service.PasswordHash.Threads = uint8(sf.argonThread)
	}
	cfg.SMTP.Password = getenv(envSMTPPassword)
	cfg.LDAP.BindPassword = getenv(envLDAPBindPassword)
	cfg.Service.TestCaptchaAnswer = getenv(envTestCaptchaAnswer)
	return errors.Join(errs...)
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: text or json", format)
}
