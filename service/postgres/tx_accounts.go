package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"casreset/service"
)

// tx is one transaction; it implements service.Tx. Its methods use the
// context the transaction was begun with. update is true in Update
// transactions, where reads lock what they read.
type tx struct {
	ctx    context.Context
	tx     pgx.Tx
	update bool
}

var _ service.Tx = (*tx)(nil)

func (t *tx) exec(query string, args ...any) (pgconn.CommandTag, error) {
	return t.tx.Exec(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) pgx.Row {
	return t.tx.QueryRow(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (pgx.Rows, error) {
	return t.tx.Query(t.ctx, query, args...)
}

// forUpdate is the locking clause of a read: rows read in an Update stay
// locked until it commits, so that a concurrent Update in another instance
// reads them only after this one's changes.
func (t *tx) forUpdate() string {
	if t.update {
		return " FOR UPDATE"
	}
	return ""
}

const accountColumns = `staff_number, name, mobile, email, contract_end, password_changed_at`

func scanAccount(row pgx.Row) (service.Account, error) {
	var a service.Account
	err := row.Scan(&a.StaffNumber, &a.Name, &a.Mobile, &a.Email, &a.ContractEnd, timeCol{&a.PasswordChangedAt})
	return a, err
}

// Account locks the account's row in an Update.
func (t *tx) Account(staffNumber string) (service.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE staff_number = $1`+t.forUpdate(), staffNumber))
	if err != nil {
		return service.Account{}, notFound("read account", err)
	}
	return a, nil
}

func (t *tx) AccountsByEmail(email string) ([]service.Account, error) {
	if email == "" {
		return nil, nil
	}
	// The email_key <> '' term lets PostgreSQL use the partial index.
	return t.accounts("accounts by email",
		`SELECT `+accountColumns+` FROM accounts WHERE email_key = $1 AND email_key <> '' ORDER BY staff_number`,
		service.EmailKey(email))
}

func (t *tx) AccountsByMobile(e164 string) ([]service.Account, error) {
	if e164 == "" {
		return nil, nil
	}
	return t.accounts("accounts by mobile",
		`SELECT `+accountColumns+` FROM accounts WHERE mobile = $1 AND mobile <> '' ORDER BY staff_number`,
		e164)
}

func (t *tx) accounts(op, query string, args ...any) ([]service.Account, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, dbError(op, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (service.Account, error) { return scanAccount(row) })
	if err != nil {
		return nil, dbError(op, err)
	}
	return list, nil
}

// UpsertAccount ignores a.PasswordChangedAt: only SetAccountPassword sets it.
func (t *tx) UpsertAccount(a service.Account) error {
	_, err := t.exec(`INSERT INTO accounts (staff_number, name, mobile, email, email_key, contract_end)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (staff_number) DO UPDATE SET
			name = excluded.name,
			mobile = excluded.mobile,
			email = excluded.email,
			email_key = excluded.email_key,
			contract_end = excluded.contract_end`,
		a.StaffNumber, a.Name, a.Mobile, a.Email, service.EmailKey(a.Email), a.ContractEnd)
	if err != nil {
		return dbError("upsert account", err)
	}
	return nil
}

func (t *tx) SetAccountPassword(staffNumber, hash string, at time.Time) error {
	tag, err := t.exec(`UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE staff_number = $3`,
		hash, dbTime(at), staffNumber)
	return mustAffect("set account password", tag, err)
}

func (t *tx) PasswordHistory(staffNumber string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := t.query(`SELECT hash FROM password_history WHERE staff_number = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, staffNumber, n)
	if err != nil {
		return nil, dbError("password history", err)
	}
	hashes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, dbError("password history", err)
	}
	return hashes, nil
}

// AddPasswordHistory with keep <= 0 keeps no history for the account.
func (t *tx) AddPasswordHistory(staffNumber, hash string, at time.Time, keep int) error {
	if _, err := t.exec(`INSERT INTO password_history (staff_number, hash, created_at) VALUES ($1, $2, $3)`,
		staffNumber, hash, dbTime(at)); err != nil {
		return dbError("add password history", err)
	}
	if _, err := t.exec(`DELETE FROM password_history WHERE staff_number = $1 AND id NOT IN (
			SELECT id FROM password_history WHERE staff_number = $1
			ORDER BY created_at DESC, id DESC LIMIT $2)`,
		staffNumber, max(keep, 0)); err != nil {
		return dbError("trim password history", err)
	}
	return nil
}
