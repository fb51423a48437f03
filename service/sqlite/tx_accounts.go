package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"casreset/service"
)

// tx is one transaction; it implements service.Tx. Its methods use the
// context the transaction was begun with.
type tx struct {
	ctx context.Context
	tx  *sql.Tx
}

var _ service.Tx = (*tx)(nil)

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, query, args...)
}

const accountColumns = `staff_number, name, mobile, email, contract_end, password_changed_at`

func scanAccount(row interface{ Scan(...any) error }) (service.Account, error) {
	var a service.Account
	err := row.Scan(&a.StaffNumber, &a.Name, &a.Mobile, &a.Email, &a.ContractEnd, timeCol{&a.PasswordChangedAt})
	return a, err
}

func (t *tx) Account(staffNumber string) (service.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE staff_number = ?`, staffNumber))
	if err != nil {
		return service.Account{}, notFound("read account", err)
	}
	return a, nil
}

func (t *tx) AccountsByEmail(email string) ([]service.Account, error) {
	if email == "" {
		return nil, nil
	}
	// The email_key <> '' term lets SQLite use the partial index.
	return t.accounts("accounts by email",
		`SELECT `+accountColumns+` FROM accounts WHERE email_key = ? AND email_key <> '' ORDER BY staff_number`,
		service.EmailKey(email))
}

func (t *tx) AccountsByMobile(e164 string) ([]service.Account, error) {
	if e164 == "" {
		return nil, nil
	}
	return t.accounts("accounts by mobile",
		`SELECT `+accountColumns+` FROM accounts WHERE mobile = ? AND mobile <> '' ORDER BY staff_number`,
		e164)
}

func (t *tx) accounts(op, query string, args ...any) ([]service.Account, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	defer rows.Close()
	var list []service.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return list, nil
}

// UpsertAccount ignores a.PasswordChangedAt: only SetAccountPassword sets it.
func (t *tx) UpsertAccount(a service.Account) error {
	_, err := t.exec(`INSERT INTO accounts (staff_number, name, mobile, email, email_key, contract_end)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (staff_number) DO UPDATE SET
			name = excluded.name,
			mobile = excluded.mobile,
			email = excluded.email,
			email_key = excluded.email_key,
			contract_end = excluded.contract_end`,
		a.StaffNumber, a.Name, a.Mobile, a.Email, service.EmailKey(a.Email), a.ContractEnd)
	if err != nil {
		return fmt.Errorf("sqlite: upsert account: %w", err)
	}
	return nil
}

func (t *tx) SetAccountPassword(staffNumber, hash string, at time.Time) error {
	res, err := t.exec(`UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE staff_number = ?`,
		hash, dbTime(at), staffNumber)
	return mustAffect("set account password", res, err)
}

func (t *tx) PasswordHistory(staffNumber string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := t.query(`SELECT hash FROM password_history WHERE staff_number = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, staffNumber, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: password history: %w", err)
	}
	defer rows.Close()
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("sqlite: password history: %w", err)
		}
		hashes = append(hashes, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: password history: %w", err)
	}
	return hashes, nil
}

// AddPasswordHistory with keep <= 0 keeps no history for the account.
func (t *tx) AddPasswordHistory(staffNumber, hash string, at time.Time, keep int) error {
	if _, err := t.exec(`INSERT INTO password_history (staff_number, hash, created_at) VALUES (?, ?, ?)`,
		staffNumber, hash, dbTime(at)); err != nil {
		return fmt.Errorf("sqlite: add password history: %w", err)
	}
	if _, err := t.exec(`DELETE FROM password_history WHERE staff_number = ? AND id NOT IN (
			SELECT id FROM password_history WHERE staff_number = ?
			ORDER BY created_at DESC, id DESC LIMIT ?)`,
		staffNumber, staffNumber, max(keep, 0)); err != nil {
		return fmt.Errorf("sqlite: trim password history: %w", err)
	}
	return nil
}
