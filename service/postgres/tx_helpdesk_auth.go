package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/service"
)

// InsertOperator refuses a taken name with service.ErrOperatorExists.
func (t *tx) InsertOperator(o service.OperatorAccount) error {
	tag, err := t.exec(`INSERT INTO operators (name, staff_number, password_hash, totp_secret, totp_last_step, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`,
		o.Name, o.StaffNumber, o.PasswordHash, o.TOTPSecret, o.TOTPLastStep, dbTime(o.CreatedAt), dbTime(o.UpdatedAt))
	if err != nil {
		return dbError("insert operator", err)
	}
	if tag.RowsAffected() == 0 {
		return service.ErrOperatorExists
	}
	return nil
}

const operatorColumns = `name, staff_number, password_hash, totp_secret, totp_last_step, created_at, updated_at`

func scanOperator(row pgx.Row) (service.OperatorAccount, error) {
	var o service.OperatorAccount
	err := row.Scan(&o.Name, &o.StaffNumber, &o.PasswordHash, &o.TOTPSecret, &o.TOTPLastStep, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt})
	return o, err
}

func (t *tx) Operator(name string) (service.OperatorAccount, error) {
	o, err := scanOperator(t.queryRow(`SELECT `+operatorColumns+` FROM operators WHERE name = $1`, name))
	if err != nil {
		return service.OperatorAccount{}, notFound("read operator", err)
	}
	return o, nil
}

func (t *tx) Operators() ([]service.OperatorAccount, error) {
	return t.operators(`SELECT ` + operatorColumns + ` FROM operators ORDER BY name COLLATE "C"`)
}

func (t *tx) OperatorsWithStaffNumber(staffNumber string) ([]service.OperatorAccount, error) {
	if staffNumber == "" {
		return nil, nil
	}
	return t.operators(`SELECT `+operatorColumns+` FROM operators WHERE staff_number = $1 ORDER BY name COLLATE "C"`, staffNumber)
}

func (t *tx) operators(query string, args ...any) ([]service.OperatorAccount, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, dbError("list operators", err)
	}
	defer rows.Close()
	var out []service.OperatorAccount
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, dbError("list operators", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("list operators", err)
	}
	return out, nil
}

func (t *tx) SetOperatorTOTP(name string, sealedSecret []byte, at time.Time) error {
	tag, err := t.exec(`UPDATE operators SET totp_secret = $1, totp_last_step = 0, updated_at = $2 WHERE name = $3`,
		sealedSecret, dbTime(at), name)
	return mustAffect("set operator TOTP", tag, err)
}

// UseOperatorTOTPStep is one conditional update: of two transactions with
// one step, the second waits for the first's row lock, then finds the
// condition false.
func (t *tx) UseOperatorTOTPStep(name string, step int64, at time.Time) (bool, error) {
	tag, err := t.exec(`UPDATE operators SET totp_last_step = $1, updated_at = $2 WHERE name = $3 AND totp_last_step < $1`,
		step, dbTime(at), name)
	if err != nil {
		return false, dbError("use operator TOTP step", err)
	}
	return tag.RowsAffected() > 0, nil
}

func (t *tx) DeleteOperator(name string) error {
	tag, err := t.exec(`DELETE FROM operators WHERE name = $1`, name)
	return mustAffect("delete operator", tag, err)
}

func (t *tx) InsertOperatorSession(s service.OperatorSession) error {
	if _, err := t.exec(`INSERT INTO operator_sessions (id, operator, kind, staff_number, client_addr, created_at, last_used_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.ID, s.Operator, string(s.Kind), s.StaffNumber, s.ClientAddr,
		dbTime(s.CreatedAt), dbTime(s.LastUsedAt), dbTime(s.ExpiresAt)); err != nil {
		return dbError("insert operator session", err)
	}
	return nil
}

// OperatorSession locks the session's row in an Update, so that a
// sign-out and a use of the session take turns.
func (t *tx) OperatorSession(id string) (service.OperatorSession, error) {
	var s service.OperatorSession
	err := t.queryRow(`SELECT id, operator, kind, staff_number, client_addr, created_at, last_used_at, expires_at
		FROM operator_sessions WHERE id = $1`+t.forUpdate(), id).
		Scan(&s.ID, &s.Operator, &s.Kind, &s.StaffNumber, &s.ClientAddr,
			timeCol{&s.CreatedAt}, timeCol{&s.LastUsedAt}, timeCol{&s.ExpiresAt})
	if err != nil {
		return service.OperatorSession{}, notFound("read operator session", err)
	}
	return s, nil
}

func (t *tx) TouchOperatorSession(id string, usedAt, expiresAt time.Time) error {
	tag, err := t.exec(`UPDATE operator_sessions SET last_used_at = $1, expires_at = $2 WHERE id = $3`,
		dbTime(usedAt), dbTime(expiresAt), id)
	return mustAffect("touch operator session", tag, err)
}

func (t *tx) DeleteOperatorSession(id string) (bool, error) {
	tag, err := t.exec(`DELETE FROM operator_sessions WHERE id = $1`, id)
	if err != nil {
		return false, dbError("delete operator session", err)
	}
	return tag.RowsAffected() > 0, nil
}

func (t *tx) DeleteOperatorSessions(name string) (int64, error) {
	tag, err := t.exec(`DELETE FROM operator_sessions WHERE operator = $1`, name)
	if err != nil {
		return 0, dbError("delete operator sessions", err)
	}
	return tag.RowsAffected(), nil
}

func (t *tx) PurgeOperatorSessions(now time.Time) (int64, error) {
	tag, err := t.exec(`DELETE FROM operator_sessions WHERE expires_at < $1`, now)
	if err != nil {
		return 0, dbError("purge operator sessions", err)
	}
	return tag.RowsAffected(), nil
}
