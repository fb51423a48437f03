package main

import (
	"errors"
	"io"
	"maps"
	"strings"
	"testing"

	"casreset/service/server"
)

// parseServe reads serve's flags and environment into a configuration,
// as serve does before starting.
func parseServe(t *testing.T, e env, args ...string) (server.Config, error) {
	t.Helper()
	cfg := server.DefaultConfig()
	var sf serveFlags
	c := newCommand("serve", "", "", io.Discard)
	defineServeFlags(c, &cfg, &sf)
	return cfg, c.parse(args, e.get)
}

func TestOrganisationNamesPerLanguage(t *testing.T) {
	tests := []struct {
		name                string
		env                 env
		args                []string
		wantName, wantSMS   string
		wantNames, wantSMSs map[string]string
	}{
		{name: "one name, as before", args: []string{"--org-name", "Example College", "--org-sms-name", "ExC"},
			wantName: "Example College", wantSMS: "ExC"},
		{name: "one name in the environment, as before", env: env{"RESETD_ORG_NAME": "Example College"},
			wantName: "Example College"},
		{name: "a name per language", args: []string{"--org-name", "Example College", "--org-name", "zh-HK=示例學院", "--org-sms-name", "zh-hk=示例"},
			wantName: "Example College", wantNames: map[string]string{"zh-HK": "示例學院"}, wantSMSs: map[string]string{"zh-HK": "示例"}},
		{name: "a name per language in the environment", env: env{"RESETD_ORG_NAME": "Example College\nzh-HK = 示例學院\n"},
			wantName: "Example College", wantNames: map[string]string{"zh-HK": "示例學院"}},
		{name: "a name with = in it", args: []string{"--org-name", "A=B College"}, wantName: "A=B College"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseServe(t, tt.env, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			o := cfg.Org
			if o.Name != tt.wantName || o.SMSName != tt.wantSMS || !maps.Equal(o.Names, tt.wantNames) || !maps.Equal(o.SMSNames, tt.wantSMSs) {
				t.Errorf("org = %q %q %v %v", o.Name, o.SMSName, o.Names, o.SMSNames)
			}
			o.HelpEmail = "ithelp@example.edu.hk"
			if err := o.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}

	for _, args := range [][]string{{"--org-name", "fr=Collège"}, {"--org-name", "zh-HK="}, {"--org-sms-name", "xx-YY=X"}} {
		_, err := parseServe(t, nil, args...)
		if err == nil {
			t.Errorf("%q accepted", args)
			continue
		}
		if tag, _, _ := strings.Cut(args[1], "="); !strings.Contains(err.Error(), tag) {
			t.Errorf("%q: the error does not name the language: %v", args, err)
		}
	}
	_, err := parseServe(t, env{"RESETD_ORG_NAME": "Example College\nfr=Collège"})
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "RESETD_ORG_NAME") {
		t.Errorf("an unknown language in the environment: %v", err)
	}

	cfg, err := parseServe(t, nil, "--org-name", "en=Example College", "--help-email", "ithelp@example.edu.hk")
	if err != nil || cfg.Org.Validate() != nil {
		t.Errorf("a name in the default language only is not enough: %v, %v", err, cfg.Org.Validate())
	}
	cfg, err = parseServe(t, nil, "--org-name", "zh-HK=示例學院", "--help-email", "ithelp@example.edu.hk")
	if err != nil || cfg.Org.Validate() == nil {
		t.Errorf("no name for the default language is accepted: %v", err)
	}
	if _, err := parseServe(t, nil, "--sms-lang", "fr"); err != nil {
		t.Fatal(err) // checked by Validate at start
	}
	cfg, _ = parseServe(t, nil, "--org-name", "X", "--help-email", "a@b.c", "--sms-lang", "fr")
	if err := cfg.Org.Validate(); err == nil || !strings.Contains(err.Error(), "zh-HK") {
		t.Errorf("an unknown SMS language: %v", err)
	}
}

// TestCopyrightLinesPerLanguage: --copyright is given as the names are,
// one line for every language and one per language.
func TestCopyrightLinesPerLanguage(t *testing.T) {
	tests := []struct {
		name      string
		env       env
		args      []string
		wantLine  string
		wantLines map[string]string
	}{
		{name: "one line, as before", args: []string{"--copyright", "Copyright © 2025 Example College. All rights reserved."},
			wantLine: "Copyright © 2025 Example College. All rights reserved."},
		{name: "a line per language", args: []string{"--copyright", "© 2025 Example College", "--copyright", "zh-HK=版權所有 © 2025 示例學院", "--copyright", "zh-hans = 版权所有 © 2025 示例学院"},
			wantLine: "© 2025 Example College", wantLines: map[string]string{"zh-HK": "版權所有 © 2025 示例學院", "zh-Hans": "版权所有 © 2025 示例学院"}},
		{name: "a line per language in the environment", env: env{"RESETD_COPYRIGHT": "© 2025 Example College\nzh-HK=版權所有 © 2025 示例學院"},
			wantLine: "© 2025 Example College", wantLines: map[string]string{"zh-HK": "版權所有 © 2025 示例學院"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseServe(t, tt.env, append([]string{"--org-name", "Example College", "--help-email", "ithelp@example.edu.hk"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if o := cfg.Org; o.Copyright != tt.wantLine || !maps.Equal(o.Copyrights, tt.wantLines) {
				t.Errorf("copyright = %q %v", o.Copyright, o.Copyrights)
			}
			if err := cfg.Org.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if _, err := parseServe(t, nil, "--copyright", "fr=© Collège"); err == nil || !strings.Contains(err.Error(), "fr") {
		t.Errorf("a copyright line in an unknown language: %v", err)
	}
}
