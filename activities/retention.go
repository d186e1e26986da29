package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Retention reduces closed dossiers past their centre's retention period to
// anonymous statistics rows.
type Retention struct {
	DB *pgxpool.Pool
}

// PurgeReport counts what a run removed; it names no one.
type PurgeReport struct {
	Anonymised      map[string]int `json:"anonymised"` // by centre
	IdempotencyKeys int64          `json:"idempotency_keys"`
}

// Purge anonymises, per centre, the participants whose trajectory has been
// closed for longer than the centre's retention period: names, national
// number, e-mail, free text (amendments, non-cooperation descriptions) and
// their mail log go; the birth date keeps its year; gender, phases and the
// timeline (IDs only) stay for the statistics. It also forgets stored
// Idempotency-Key answers older than a day, which can hold personal data.
func (a *Retention) Purge(ctx context.Context, asOf time.Time) (PurgeReport, error) {
	report := PurgeReport{Anonymised: map[string]int{}}
	rows, err := a.DB.Query(ctx, `SELECT id FROM centres ORDER BY id`)
	if err != nil {
		return report, err
	}
	centres, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return report, err
	}
	policies := &Policies{DB: a.DB}
	for _, centre := range centres {
		p, err := policies.LoadPolicy(ctx, centre)
		if err != nil {
			return report, err
		}
		cutoff := p.Retention.ClosedDossiers.Before(asOf)
		var n int
		err = pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `
				SELECT p.id::text FROM participants p JOIN trajectories t ON t.participant_id = p.id
				WHERE p.centre_id = $1 AND p.anonymised_at IS NULL AND t.phase = 'closed' AND t.phase_since < $2
				FOR UPDATE OF p`, centre, cutoff)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			for _, q := range []string{
				`DELETE FROM gpmi_amendments WHERE participant_id = ANY($1::uuid[])`,
				`DELETE FROM noncooperation_reports WHERE participant_id = ANY($1::uuid[])`,
				`DELETE FROM outbox WHERE participant_id = ANY($1::uuid[])`,
				`UPDATE participants SET given_name = '', family_name = '', national_number = NULL, email = NULL,
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
		if err != nil {
			return report, fmt.Errorf("retention of %s: %w", centre, err)
		}
		if n > 0 {
			report.Anonymised[centre] = n
		}
	}
	tag, err := a.DB.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, asOf.Add(-24*time.Hour))
	if err != nil {
		return report, err
	}
	report.IdempotencyKeys = tag.RowsAffected()
	return report, nil
}
