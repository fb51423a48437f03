package postgres

import (
	"time"

	"casreset/api"
	"casreset/service"
)

func (t *tx) InsertCaptcha(c service.Captcha) error {
	if _, err := t.exec(`INSERT INTO captchas (id, digits, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		c.ID, c.Digits, dbTime(c.CreatedAt), dbTime(c.ExpiresAt)); err != nil {
		return dbError("insert captcha", err)
	}
	return nil
}

func (t *tx) Captcha(id string) (service.Captcha, error) {
	var c service.Captcha
	err := t.queryRow(`SELECT id, digits, created_at, expires_at FROM captchas WHERE id = $1`, id).
		Scan(&c.ID, &c.Digits, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt})
	if err != nil {
		return service.Captcha{}, notFound("read captcha", err)
	}
	return c, nil
}

// DeleteCaptcha of two concurrent transactions: the second waits for the
// first's row lock and, once the first commits, finds nothing to delete.
func (t *tx) DeleteCaptcha(id string) (bool, error) {
	tag, err := t.exec(`DELETE FROM captchas WHERE id = $1`, id)
	if err != nil {
		return false, dbError("delete captcha", err)
	}
	return tag.RowsAffected() > 0, nil
}

func (t *tx) InsertFlow(f service.Flow) error {
	if _, err := t.exec(`INSERT INTO flows (id, staff_number, step, client_addr, created_at, expires_at,
			channel, code_hmac, code_expires_at, code_sent_at, sends, wrong_codes, message_id, language)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		f.ID, f.StaffNumber, string(f.Step), f.ClientAddr, dbTime(f.CreatedAt), dbTime(f.ExpiresAt),
		string(f.Channel), f.CodeHMAC, dbTime(f.CodeExpiresAt), dbTime(f.CodeSentAt),
		f.Sends, f.WrongCodes, f.MessageID, f.Language); err != nil {
		return dbError("insert flow", err)
	}
	return nil
}

// Flow locks the flow's row in an Update: a concurrent Update of the same
// flow, in this instance or another, waits here until this one commits and
// then reads what it wrote.
func (t *tx) Flow(id string) (service.Flow, error) {
	var f service.Flow
	err := t.queryRow(`SELECT id, staff_number, step, client_addr, created_at, expires_at,
			channel, code_hmac, code_expires_at, code_sent_at, sends, wrong_codes, message_id, language
		FROM flows WHERE id = $1`+t.forUpdate(), id).
		Scan(&f.ID, &f.StaffNumber, &f.Step, &f.ClientAddr, timeCol{&f.CreatedAt}, timeCol{&f.ExpiresAt},
			&f.Channel, &f.CodeHMAC, timeCol{&f.CodeExpiresAt}, timeCol{&f.CodeSentAt},
			&f.Sends, &f.WrongCodes, &f.MessageID, &f.Language)
	if err != nil {
		return service.Flow{}, notFound("read flow", err)
	}
	return f, nil
}

func (t *tx) UpdateFlow(f service.Flow) error {
	tag, err := t.exec(`UPDATE flows SET staff_number = $1, step = $2, client_addr = $3, created_at = $4,
			expires_at = $5, channel = $6, code_hmac = $7, code_expires_at = $8, code_sent_at = $9,
			sends = $10, wrong_codes = $11, message_id = $12, language = $13
		WHERE id = $14`,
		f.StaffNumber, string(f.Step), f.ClientAddr, dbTime(f.CreatedAt),
		dbTime(f.ExpiresAt), string(f.Channel), f.CodeHMAC, dbTime(f.CodeExpiresAt), dbTime(f.CodeSentAt),
		f.Sends, f.WrongCodes, f.MessageID, f.Language, f.ID)
	return mustAffect("update flow", tag, err)
}

func (t *tx) EndFlows(staffNumber string, now time.Time) (int64, error) {
	tag, err := t.exec(`UPDATE flows SET expires_at = $1 WHERE staff_number = $2 AND expires_at > $1 AND step <> $3`,
		dbTime(now), staffNumber, string(api.StepChanged))
	if err != nil {
		return 0, dbError("end flows", err)
	}
	return tag.RowsAffected(), nil
}

// CountHits in an Update first takes the key's advisory lock, held until
// commit, so that a count and the AddHit after it are one step for every
// instance: a limit of N lets exactly N through. The lock is taken by its
// own statement so that the count's snapshot comes after the wait.
func (t *tx) CountHits(key string, since time.Time) (int, time.Time, error) {
	if t.update {
		if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, hitsLock(key)); err != nil {
			return 0, time.Time{}, dbError("lock hits", err)
		}
	}
	var n int
	var oldest time.Time
	err := t.queryRow(`SELECT count(*), min(at) FROM hits WHERE key = $1 AND at >= $2`, key, since).
		Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, time.Time{}, dbError("count hits", err)
	}
	return n, oldest, nil
}

// DeleteHits takes the key's advisory lock first, as CountHits does, so
// that it waits for a count and its AddHit in flight.
func (t *tx) DeleteHits(key string) (int64, error) {
	if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, hitsLock(key)); err != nil {
		return 0, dbError("lock hits", err)
	}
	tag, err := t.exec(`DELETE FROM hits WHERE key = $1`, key)
	if err != nil {
		return 0, dbError("delete hits", err)
	}
	return tag.RowsAffected(), nil
}

func (t *tx) AddHit(key string, at time.Time) error {
	if _, err := t.exec(`INSERT INTO hits (key, at) VALUES ($1, $2)`, key, dbTime(at)); err != nil {
		return dbError("add hit", err)
	}
	return nil
}
