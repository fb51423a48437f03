package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"casreset/service"
)

// CallerVerification needs no explicit lock: an Update holds the
// database's write lock from its first statement.
func (t *tx) CallerVerification(operator, staffNumber string) (service.CallerVerification, error) {
	var v service.CallerVerification
	err := t.queryRow(`SELECT operator, staff_number, channel, code_hmac, code_expires_at, code_sent_at,
			wrong_codes, verified_until, expires_at, message_id
		FROM helpdesk_verifications WHERE operator = ? AND staff_number = ?`, operator, staffNumber).
		Scan(&v.Operator, &v.StaffNumber, &v.Channel, &v.CodeHMAC, timeCol{&v.CodeExpiresAt}, timeCol{&v.CodeSentAt},
			&v.WrongCodes, timeCol{&v.VerifiedUntil}, timeCol{&v.ExpiresAt}, &v.MessageID)
	if err != nil {
		return service.CallerVerification{}, notFound("read caller verification", err)
	}
	return v, nil
}

func (t *tx) PutCallerVerification(v service.CallerVerification) error {
	if _, err := t.exec(`INSERT INTO helpdesk_verifications (operator, staff_number, channel, code_hmac,
			code_expires_at, code_sent_at, wrong_codes, verified_until, expires_at, message_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (operator, staff_number) DO UPDATE SET channel = excluded.channel,
			code_hmac = excluded.code_hmac, code_expires_at = excluded.code_expires_at,
			code_sent_at = excluded.code_sent_at, wrong_codes = excluded.wrong_codes,
			verified_until = excluded.verified_until, expires_at = excluded.expires_at,
			message_id = excluded.message_id`,
		v.Operator, v.StaffNumber, v.Channel, v.CodeHMAC, dbTime(v.CodeExpiresAt), dbTime(v.CodeSentAt),
		v.WrongCodes, dbTime(v.VerifiedUntil), dbTime(v.ExpiresAt), v.MessageID); err != nil {
		return fmt.Errorf("sqlite: put caller verification: %w", err)
	}
	return nil
}

func (t *tx) HelpdeskPass(staffNumber string) (service.HelpdeskPass, error) {
	var p service.HelpdeskPass
	err := t.queryRow(`SELECT staff_number, pass_hmac, operator, reference, created_at, expires_at
		FROM helpdesk_passes WHERE staff_number = ?`, staffNumber).
		Scan(&p.StaffNumber, &p.PassHMAC, &p.Operator, &p.Reference, timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt})
	if err != nil {
		return service.HelpdeskPass{}, notFound("read help-desk pass", err)
	}
	return p, nil
}

func (t *tx) PutHelpdeskPass(p service.HelpdeskPass) error {
	if _, err := t.exec(`INSERT INTO helpdesk_passes (staff_number, pass_hmac, operator, reference, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (staff_number) DO UPDATE SET pass_hmac = excluded.pass_hmac, operator = excluded.operator,
			reference = excluded.reference, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		p.StaffNumber, p.PassHMAC, p.Operator, p.Reference, dbTime(p.CreatedAt), dbTime(p.ExpiresAt)); err != nil {
		return fmt.Errorf("sqlite: put help-desk pass: %w", err)
	}
	return nil
}

func (t *tx) DeleteHelpdeskPass(staffNumber string) (bool, error) {
	res, err := t.exec(`DELETE FROM helpdesk_passes WHERE staff_number = ?`, staffNumber)
	n, err := affected("delete help-desk pass", res, err)
	return n > 0, err
}

func (t *tx) AccountLanguage(staffNumber string) (string, error) {
	var lang string
	err := t.queryRow(`SELECT language FROM flows WHERE staff_number = ? AND language <> ''
		ORDER BY created_at DESC, id DESC LIMIT 1`, staffNumber).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: read account language: %w", err)
	}
	return lang, nil
}

func (t *tx) PurgeHelpdesk(now time.Time) (int64, error) {
	var total int64
	for _, table := range []string{"helpdesk_verifications", "helpdesk_passes"} {
		res, err := t.exec(`DELETE FROM `+table+` WHERE expires_at < ?`, now.UnixMicro())
		n, err := affected("purge "+table, res, err)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
