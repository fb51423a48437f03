// Package accounts reads the account lists IT imports into the service's
// database (resetd accounts import). Parsing is all or nothing: a file with
// any bad row yields no accounts and a report of every bad row, so that a
// half-imported list never reaches the database.
package accounts

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"casreset/api"
	"casreset/service"
)

// Columns are the header of an import file. The order of the columns in a
// file does not matter; each must be present once.
var Columns = []string{"staff_number", "name", "mobile", "email", "contract_end_date"}

// Limits that keep a damaged or hostile file from exhausting memory.
const (
	MaxRows        = 200_000
	MaxFieldLength = 256
	// maxReported bounds the report of a file that is wrong throughout
	// (say, the wrong file), where every row would be listed.
	maxReported = 1000
)

// RowError says why one line of the file cannot be imported.
type RowError struct {
	Line   int // 1 is the header
	Reason string
}

func (e RowError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ImportError lists every bad line of a file; nothing of the file may be
// imported.
type ImportError struct {
	Rows []RowError
	// Truncated is set when there were more bad lines than Rows holds.
	Truncated bool
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad line(s), nothing imported:", len(e.Rows))
	for _, r := range e.Rows {
		b.WriteString("\n  ")
		b.WriteString(r.String())
	}
	if e.Truncated {
		b.WriteString("\n  … and more; fix these first")
	}
	return b.String()
}

// ParseCSV reads an import file: a header of Columns, then one account per
// line. Staff numbers are normalised as the service normalises what people
// type (api.ParseStaffNumber, under staffCase), so that every imported
// account can be reached at step 1. Mobile numbers are normalised to E.164
// (+852 when no country code is given) and e-mail addresses to lower case;
// contract_end_date is
// YYYY-MM-DD or empty. A UTF-8 byte order mark (as spreadsheet programs
// write) is ignored. Any bad line makes the result nil and the error an
// *ImportError naming every bad line and why.
func ParseCSV(r io.Reader, staffCase api.StaffNumberCase) ([]service.Account, error) {
	rep := &report{}
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // counted here, to report the line and go on
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Rows: []RowError{{1, "the file is empty; the first line must be the header " + strings.Join(Columns, ",")}}}
	}
	if err != nil {
		return nil, &ImportError{Rows: []RowError{{lineOf(err, 1), describeCSVError(err)}}}
	}
	index, reason := columnIndex(header)
	if reason != "" {
		return nil, &ImportError{Rows: []RowError{{1, reason}}}
	}

	var out []service.Account
	firstLine := map[string]int{} // staff number → line it first appeared on
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote leaves the reader unsure where rows begin:
			// stop here rather than report nonsense for the rest.
			rep.add(lineOf(err, 0), describeCSVError(err))
			break
		}
		line, _ := cr.FieldPos(0)
		if len(out)+len(rep.rows) >= MaxRows {
			rep.add(line, fmt.Sprintf("the file has more than %d accounts; split it", MaxRows))
			break
		}
		if len(rec) != len(Columns) {
			rep.add(line, fmt.Sprintf("%d fields, want %d (%s)", len(rec), len(Columns), strings.Join(Columns, ",")))
			continue
		}
		a, reasons := parseRow(rec, index, staffCase)
		if a.StaffNumber != "" {
			if first, dup := firstLine[a.StaffNumber]; dup {
				reasons = append(reasons, fmt.Sprintf("staff number %s is also on line %d", a.StaffNumber, first))
			} else {
				firstLine[a.StaffNumber] = line
			}
		}
		if len(reasons) > 0 {
			rep.add(line, strings.Join(reasons, "; "))
			continue
		}
		out = append(out, a)
	}
	if len(rep.rows) > 0 {
		return nil, rep.err()
	}
	return out, nil
}

// parseRow checks and normalises one record, returning every problem.
func parseRow(rec []string, index map[string]int, staffCase api.StaffNumberCase) (service.Account, []string) {
	var reasons []string
	field := func(name string) string {
		v := strings.TrimSpace(rec[index[name]])
		switch {
		case !utf8.ValidString(v):
			reasons = append(reasons, name+" is not valid UTF-8 (save the file as CSV UTF-8)")
			return ""
		case len(v) > MaxFieldLength:
			reasons = append(reasons, fmt.Sprintf("%s is longer than %d characters", name, MaxFieldLength))
			return ""
		}
		return v
	}
	var a service.Account
	if staff := field("staff_number"); staff == "" {
		reasons = append(reasons, "missing staff number")
	} else if n, err := api.ParseStaffNumber(staff, staffCase); err != nil {
		reasons = append(reasons, fmt.Sprintf("staff number %q: only letters, digits, - _ . and at most %d characters", staff, api.StaffNumberMaxLength))
	} else {
		a.StaffNumber = n
	}
	a.Name = field("name")
	if a.Name == "" {
		reasons = append(reasons, "missing name")
	}
	if m := field("mobile"); m != "" {
		e164, err := service.NormalizeMobile(m)
		if err != nil {
			reasons = append(reasons, fmt.Sprintf("mobile %q is not a mobile number", m))
		}
		a.Mobile = e164
	}
	if e := field("email"); e != "" {
		addr, err := service.NormalizeEmail(e)
		if err != nil {
			reasons = append(reasons, fmt.Sprintf("email %q is not an e-mail address", e))
		}
		a.Email = addr
	}
	if d := field("contract_end_date"); d != "" {
		if _, err := time.Parse(service.DateLayout, d); err != nil {
			reasons = append(reasons, fmt.Sprintf("contract_end_date %q is not a date as YYYY-MM-DD", d))
		}
		a.ContractEnd = d
	}
	return a, reasons
}

// columnIndex maps each column name to its position, or says what is wrong
// with the header.
func columnIndex(header []string) (map[string]int, string) {
	want := "the first line must be the header " + strings.Join(Columns, ",")
	index := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns, name) {
			return nil, fmt.Sprintf("unknown column %q; %s", clip(h), want)
		}
		if _, dup := index[name]; dup {
			return nil, fmt.Sprintf("column %q appears twice; %s", name, want)
		}
		index[name] = i
	}
	for _, c := range Columns {
		if _, ok := index[c]; !ok {
			return nil, fmt.Sprintf("column %q is missing; %s", c, want)
		}
	}
	return index, ""
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

type report struct {
	rows      []RowError
	truncated bool
}

func (r *report) add(line int, reason string) {
	if len(r.rows) >= maxReported {
		r.truncated = true
		return
	}
	r.rows = append(r.rows, RowError{line, reason})
}

func (r *report) err() *ImportError { return &ImportError{Rows: r.rows, Truncated: r.truncated} }

func lineOf(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return fallback
}

func describeCSVError(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return "the file cannot be read: " + err.Error()
}

// skipBOM drops a leading UTF-8 byte order mark, which spreadsheet
// programs write at the start of "CSV UTF-8" files.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, err := br.Peek(len(bom)); err == nil && bytes.Equal(head, bom) {
		br.Discard(len(bom))
	}
	return br
}

var bom = []byte{0xEF, 0xBB, 0xBF}
