package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"casreset/api"
	"casreset/service"
)

func audit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	var filter service.AuditFilter
	var asJSON bool
	var staffCase api.StaffNumberCase
	c := newCommand("audit", "resetd audit --data DIR [--staff N] [--ref R]",
		"Prints audit events, newest first: all of them, or those of one staff number\n"+
			"or one reference (the id error screens show).",
		stderr)
	sf.define(c)
	c.fs.StringVar(&filter.StaffNumber, "staff", "", "only the events of this staff `number` (read as step 1 reads it)")
	defineStaffNumberCase(c, &staffCase)
	c.fs.StringVar(&filter.Reference, "ref", "", "only the events of this `reference`")
	c.fs.IntVar(&filter.Limit, "limit", 1000, "at most `N` events")
	c.fs.BoolVar(&asJSON, "json", false, "one JSON object per line instead of a table")
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() > 0 {
		return usageError{fmt.Errorf("audit takes no arguments, got %q", c.fs.Args())}
	}
	if filter.Limit < 1 {
		return usageError{errors.New("--limit must be positive")}
	}
	if filter.StaffNumber != "" {
		staff, err := staffNumberArg("--staff", filter.StaffNumber, staffCase)
		if err != nil {
			return err
		}
		filter.StaffNumber = staff
	}
	store, err := sf.open(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	var events []service.AuditEvent
	err = store.View(ctx, func(tx service.Tx) error {
		var err error
		events, err = tx.Audit(filter)
		return err
	})
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		for _, e := range events {
			if err := enc.Encode(auditJSON(e)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(events) == 0 {
		fmt.Fprintln(stdout, "no audit events match")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TIME (UTC)\tEVENT\tSTAFF\tCLIENT\tREFERENCE\tDETAIL\tUSER AGENT")
	for _, e := range events {
		l := auditJSON(e)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Time.Format(time.RFC3339), l.Event,
			dash(l.StaffNumber), dash(l.ClientAddr), dash(l.Reference), dash(l.Detail), dash(l.UserAgent))
	}
	return w.Flush()
}

type auditLine struct {
	Time        time.Time `json:"time"`
	Event       string    `json:"event"`
	StaffNumber string    `json:"staff_number,omitempty"`
	ClientAddr  string    `json:"client_addr,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// auditJSON is e as printed, in the table or as JSON. Every text is
// escaped for display: part of it comes from clients (the User-Agent), and
// a control, format or bidirectional character could otherwise reorder or
// hide what an operator reads in a terminal.
func auditJSON(e service.AuditEvent) auditLine {
	esc := service.EscapeForDisplay
	return auditLine{e.Time.UTC(), esc(e.Event), esc(e.StaffNumber), esc(e.ClientAddr), esc(e.UserAgent), esc(e.Reference), esc(e.Detail)}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
