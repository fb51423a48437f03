package postgres

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/service"
)

// CallerVerification locks the row in an Update, so that of two checks of
// one code only one counts it.
func (t *tx) CallerVerification(operator, staffNumber string) (service.CallerVerification, error) {
	var v service.CallerVerification
	err := t.queryRow(`SELECT operator, staff_number, channel, code_hmac, code_expires_at, code_sent_at,
			wrong_codes, verified_until, expires_at, message_id
		FROM helpdesk_verifications WHERE operator = $1 AND staff_number = $2`+t.forUpdate(), operator, staffNumber).
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
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (operator, staff_number) DO UPDATE SET channel = excluded.channel,
			code_hmac = excluded.code_hmac, code_expires_at = excluded.code_expires_at,
			code_sent_at = excluded.code_sent_at, wrong_codes = excluded.wrong_codes,
			verified_until = excluded.verified_until, expires_at = excluded.expires_at,
			message_id = excluded.message_id`,
		v.Operator, v.StaffNumber, v.Channel, v.CodeHMAC, dbTime(v.CodeExpiresAt), dbTime(v.CodeSentAt),
		v.WrongCodes, dbTime(v.VerifiedUntil), dbTime(v.ExpiresAt), v.MessageID); err != nil {
		return dbError("put caller verification", err)
	}
	return nil
}

// HelpdeskPass locks the row in an Update, so that a pass is used once.
func (t *tx) HelpdeskPass(staffNumber string) (service.HelpdeskPass, error) {
	var p service.HelpdeskPass
	err := t.queryRow(`SELECT staff_number, pass_hmac, operator, reference, created_at, expires_at
		FROM helpdesk_passes WHERE staff_number = $1`+t.forUpdate(), staffNumber).
		Scan(&p.StaffNumber, &p.PassHMAC, &p.Operator, &p.Reference, timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt})
	if err != nil {
		return service.HelpdeskPass{}, notFound("read help-desk pass", err)
	}
	return p, nil
}

func (t *tx) PutHelpdeskPass(p service.HelpdeskPass) error {
	if _, err := t.exec(`INSERT INTO helpdesk_passes (staff_number, pass_hmac, operator, reference, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (staff_number) DO UPDATE SET pass_hmac = excluded.pass_hmac, operator = excluded.operator,
			reference = excluded.reference, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		p.StaffNumber, p.PassHMAC, p.Operator, p.Reference, dbTime(p.CreatedAt), dbTime(p.ExpiresAt)); err != nil {
		return dbError("put help-desk pass", err)
	}
	return nil
}

// DeleteHelpdeskPass of two concurrent transactions: the second waits for
// the first's row lock and, once the first commits, finds nothing.
func (t *tx) DeleteHelpdeskPass(staffNumber string) (bool, error) {
	tag, err := t.exec(`DELETE FROM helpdesk_passes WHERE staff_number = $1`, staffNumber)
	if err != nil {
		return false, dbError("delete help-desk pass", err)
	}
	return tag.RowsAffected() > 0, nil
}

func (t *tx) AccountLanguage(staffNumber string) (string, error) {
	var lang string
	err := t.queryRow(`SELECT language FROM flows WHERE staff_number = $1 AND language <> ''
		ORDER BY created_at DESC, id DESC LIMIT 1`, staffNumber).Scan(&lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", dbError("read account language", err)
	}
	return lang, nil
}

func (t *tx) PurgeHelpdesk(now time.Time) (int64, error) {
	var total int64
	for _, table := range []string{"helpdesk_verifications", "helpdesk_passes"} {
		tag, err := t.exec(`DELETE FROM `+table+` WHERE expires_at < $1`, dbTime(now))
		if err != nil {
			return 0, dbError("purge "+table, err)
		}
		total += tag.RowsAffected()
	}
	return total, nil
}
