package sqlite

import (
	"fmt"
	"time"

	"casreset/service"
)

// InsertOperator refuses a taken name with service.ErrOperatorExists.
func (t *tx) InsertOperator(o service.OperatorAccount) error {
	res, err := t.exec(`INSERT INTO operators (name, staff_number, password_hash, totp_secret, totp_last_step, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		o.Name, o.StaffNumber, o.PasswordHash, o.TOTPSecret, o.TOTPLastStep, dbTime(o.CreatedAt), dbTime(o.UpdatedAt))
	n, err := affected("insert operator", res, err)
	if err == nil && n == 0 {
		return service.ErrOperatorExists
	}
	return err
}

const operatorColumns = `name, staff_number, password_hash, totp_secret, totp_last_step, created_at, updated_at`

type operatorRow interface{ Scan(dest ...any) error }

func scanOperator(row operatorRow) (service.OperatorAccount, error) {
	var o service.OperatorAccount
	err := row.Scan(&o.Name, &o.StaffNumber, &o.PasswordHash, &o.TOTPSecret, &o.TOTPLastStep, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt})
	return o, err
}

func (t *tx) Operator(name string) (service.OperatorAccount, error) {
	o, err := scanOperator(t.queryRow(`SELECT `+operatorColumns+` FROM operators WHERE name = ?`, name))
	if err != nil {
		return service.OperatorAccount{}, notFound("read operator", err)
	}
	return o, nil
}

func (t *tx) Operators() ([]service.OperatorAccount, error) {
	return t.operators(`SELECT ` + operatorColumns + ` FROM operators ORDER BY name`)
}

func (t *tx) OperatorsWithStaffNumber(staffNumber string) ([]service.OperatorAccount, error) {
	if staffNumber == "" {
		return nil, nil
	}
	return t.operators(`SELECT `+operatorColumns+` FROM operators WHERE staff_number = ? ORDER BY name`, staffNumber)
}

func (t *tx) operators(query string, args ...any) ([]service.OperatorAccount, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list operators: %w", err)
	}
	defer rows.Close()
	var out []service.OperatorAccount
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list operators: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list operators: %w", err)
	}
	return out, nil
}

func (t *tx) SetOperatorTOTP(name string, sealedSecret []byte, at time.Time) error {
	res, err := t.exec(`UPDATE operators SET totp_secret = ?, totp_last_step = 0, updated_at = ? WHERE name = ?`,
		sealedSecret, dbTime(at), name)
	return mustAffect("set operator TOTP", res, err)
}

// UseOperatorTOTPStep is one conditional update, so that of two
// transactions with one step only one changes the row.
func (t *tx) UseOperatorTOTPStep(name string, step int64, at time.Time) (bool, error) {
	res, err := t.exec(`UPDATE operators SET totp_last_step = ?, updated_at = ? WHERE name = ? AND totp_last_step < ?`,
		step, dbTime(at), name, step)
	n, err := affected("use operator TOTP step", res, err)
	return n > 0, err
}

func (t *tx) DeleteOperator(name string) error {
	res, err := t.exec(`DELETE FROM operators WHERE name = ?`, name)
	return mustAffect("delete operator", res, err)
}

func (t *tx) InsertOperatorSession(s service.OperatorSession) error {
	if _, err := t.exec(`INSERT INTO operator_sessions (id, operator, kind, staff_number, client_addr, created_at, last_used_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Operator, string(s.Kind), s.StaffNumber, s.ClientAddr,
		dbTime(s.CreatedAt), dbTime(s.LastUsedAt), dbTime(s.ExpiresAt)); err != nil {
		return fmt.Errorf("sqlite: insert operator session: %w", err)
	}
	return nil
}

func (t *tx) OperatorSession(id string) (service.OperatorSession, error) {
	var s service.OperatorSession
	err := t.queryRow(`SELECT id, operator, kind, staff_number, client_addr, created_at, last_used_at, expires_at
		FROM operator_sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.Operator, &s.Kind, &s.StaffNumber, &s.ClientAddr,
			timeCol{&s.CreatedAt}, timeCol{&s.LastUsedAt}, timeCol{&s.ExpiresAt})
	if err != nil {
		return service.OperatorSession{}, notFound("read operator session", err)
	}
	return s, nil
}

func (t *tx) TouchOperatorSession(id string, usedAt, expiresAt time.Time) error {
	res, err := t.exec(`UPDATE operator_sessions SET last_used_at = ?, expires_at = ? WHERE id = ?`,
		dbTime(usedAt), dbTime(expiresAt), id)
	return mustAffect("touch operator session", res, err)
}

func (t *tx) DeleteOperatorSession(id string) (bool, error) {
	res, err := t.exec(`DELETE FROM operator_sessions WHERE id = ?`, id)
	n, err := affected("delete operator session", res, err)
	return n > 0, err
}

func (t *tx) DeleteOperatorSessions(name string) (int64, error) {
	res, err := t.exec(`DELETE FROM operator_sessions WHERE operator = ?`, name)
	return affected("delete operator sessions", res, err)
}

func (t *tx) PurgeOperatorSessions(now time.Time) (int64, error) {
	res, err := t.exec(`DELETE FROM operator_sessions WHERE expires_at < ?`, now.UnixMicro())
	return affected("purge operator sessions", res, err)
}
