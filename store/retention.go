package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// AnonymiseClosed reduces a centre's participants whose trajectory closed
// before cutoff to anonymous statistics rows, in one transaction: names,
// national number, e-mail, free text (amendments, non-cooperation
// descriptions, notes, extensions' motivations, schools, employers and
// companies, referral contacts), the letters and the mail log go; the birth date keeps its year;
// gender, phases and the timeline (IDs only) stay. It answers how many.
func (s *Store) AnonymiseClosed(ctx context.Context, centreID string, cutoff time.Time) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT p.id::text FROM participants p JOIN trajectories t ON t.participant_id = p.id
			WHERE p.centre_id = $1 AND p.anonymised_at IS NULL AND t.phase = 'closed' AND t.phase_since < $2
			FOR UPDATE OF p`, centreID, cutoff)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(ids) == 0 {
			return err
		}
		for _, q := range []string{
			`DELETE FROM gpmi_amendments WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM noncooperation_reports WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM notes WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM needs_analyses WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM gpmi_agreements WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM evaluation_reports WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM exemptions WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM employment_referrals WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM gpmi_extensions WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM study_programmes WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM student_jobs WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM work_placements WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM letters WHERE participant_id = ANY($1::uuid[])`,
			`DELETE FROM outbox WHERE participant_id = ANY($1::uuid[])`,
			`UPDATE participants SET given_name = '', family_name = '', national_number = NULL, email = NULL, phone = NULL, street = NULL, postcode = NULL, municipality = NULL,
			        birth_date = date_trunc('year', birth_date)::date, anonymised_at = now()
			 WHERE id = ANY($1::uuid[])`,
		} {
			if _, err := tx.Exec(ctx, q, ids); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, classify("retention of "+centreID, err)
}

// ForgetIdempotencyKeys deletes the stored answers of keys created before
// the given time; they can hold personal data.
func (s *Store) ForgetIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
	return tag.RowsAffected(), classify("forget idempotency keys", err)
}
