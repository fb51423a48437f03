package sqlite

import (
	"fmt"
	"time"

	"casreset/api"
	"casreset/service"
)

func (t *tx) InsertCaptcha(c service.Captcha) error {
	if _, err := t.exec(`INSERT INTO captchas (id, digits, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		c.ID, c.Digits, dbTime(c.CreatedAt), dbTime(c.ExpiresAt)); err != nil {
		return fmt.Errorf("sqlite: insert captcha: %w", err)
	}
	return nil
}

func (t *tx) Captcha(id string) (service.Captcha, error) {
	var c service.Captcha
	err := t.queryRow(`SELECT id, digits, created_at, expires_at FROM captchas WHERE id = ?`, id).
		Scan(&c.ID, &c.Digits, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt})
	if err != nil {
		return service.Captcha{}, notFound("read captcha", err)
	}
	return c, nil
}

func (t *tx) DeleteCaptcha(id string) (bool, error) {
	res, err := t.exec(`DELETE FROM captchas WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("sqlite: delete captcha: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: delete captcha: %w", err)
	}
	return n > 0, nil
}

func (t *tx) InsertFlow(f service.Flow) error {
	if _, err := t.exec(`INSERT INTO flows (id, staff_number, step, client_addr, created_at, expires_at,
			channel, code_hmac, code_expires_at, code_sent_at, sends, wrong_codes, message_id, language)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.StaffNumber, string(f.Step), f.ClientAddr, dbTime(f.CreatedAt), dbTime(f.ExpiresAt),
		string(f.Channel), f.CodeHMAC, dbTime(f.CodeExpiresAt), dbTime(f.CodeSentAt),
		f.Sends, f.WrongCodes, f.MessageID, f.Language); err != nil {
		return fmt.Errorf("sqlite: insert flow: %w", err)
	}
	return nil
}

// Flow needs no explicit lock: an Update holds the database's write lock
// from its first statement.
func (t *tx) Flow(id string) (service.Flow, error) {
	var f service.Flow
	err := t.queryRow(`SELECT id, staff_number, step, client_addr, created_at, expires_at,
			channel, code_hmac, code_expires_at, code_sent_at, sends, wrong_codes, message_id, language
		FROM flows WHERE id = ?`, id).
		Scan(&f.ID, &f.StaffNumber, &f.Step, &f.ClientAddr, timeCol{&f.CreatedAt}, timeCol{&f.ExpiresAt},
			&f.Channel, &f.CodeHMAC, timeCol{&f.CodeExpiresAt}, timeCol{&f.CodeSentAt},
			&f.Sends, &f.WrongCodes, &f.MessageID, &f.Language)
	if err != nil {
		return service.Flow{}, notFound("read flow", err)
	}
	return f, nil
}

func (t *tx) UpdateFlow(f service.Flow) error {
	res, err := t.exec(`UPDATE flows SET staff_number = ?, step = ?, client_addr = ?, created_at = ?,
			expires_at = ?, channel = ?, code_hmac = ?, code_expires_at = ?, code_sent_at = ?,
			sends = ?, wrong_codes = ?, message_id = ?, language = ?
		WHERE id = ?`,
		f.StaffNumber, string(f.Step), f.ClientAddr, dbTime(f.CreatedAt),
		dbTime(f.ExpiresAt), string(f.Channel), f.CodeHMAC, dbTime(f.CodeExpiresAt), dbTime(f.CodeSentAt),
		f.Sends, f.WrongCodes, f.MessageID, f.Language, f.ID)
	return mustAffect("update flow", res, err)
}

func (t *tx) EndFlows(staffNumber string, now time.Time) (int64, error) {
	res, err := t.exec(`UPDATE flows SET expires_at = ? WHERE staff_number = ? AND expires_at > ? AND step <> ?`,
		dbTime(now), staffNumber, dbTime(now), string(api.StepChanged))
	return affected("end flows", res, err)
}

func (t *tx) CountHits(key string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest time.Time
	err := t.queryRow(`SELECT count(*), min(at) FROM hits WHERE key = ? AND at >= ?`, key, since.UnixMicro()).
		Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlite: count hits: %w", err)
	}
	return n, oldest, nil
}

func (t *tx) DeleteHits(key string) (int64, error) {
	res, err := t.exec(`DELETE FROM hits WHERE key = ?`, key)
	return affected("delete hits", res, err)
}

func (t *tx) AddHit(key string, at time.Time) error {
	if _, err := t.exec(`INSERT INTO hits (key, at) VALUES (?, ?)`, key, dbTime(at)); err != nil {
		return fmt.Errorf("sqlite: add hit: %w", err)
	}
	return nil
}
