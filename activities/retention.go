package activities

import (
	"context"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// Retention reduces closed dossiers past their centre's retention period to
// anonymous statistics rows.
type Retention struct {
	Store *store.Store
}

// PurgeReport counts what a run removed (the workflows' contract).
type PurgeReport = domain.PurgeReport

// Purge anonymises, per centre, the participants whose trajectory has been
// closed for longer than the centre's retention period: names, national
// number, e-mail, free text (amendments, non-cooperation descriptions) and
// their mail log go; the birth date keeps its year; gender, phases and the
// timeline (IDs only) stay for the statistics. It also forgets stored
// Idempotency-Key answers older than a day, which can hold personal data.
func (a *Retention) Purge(ctx context.Context, asOf time.Time) (PurgeReport, error) {
	report := PurgeReport{Anonymised: map[string]int{}}
	centres, err := a.Store.CentreIDs(ctx)
	if err != nil {
		return report, err
	}
	for _, centre := range centres {
		p, err := a.Store.LoadPolicy(ctx, centre)
		if err != nil {
			return report, err
		}
		n, err := a.Store.AnonymiseClosed(ctx, centre, p.Retention.ClosedDossiers.Before(asOf))
		if err != nil {
			return report, err
		}
		if n > 0 {
			report.Anonymised[centre] = n
		}
	}
	report.IdempotencyKeys, err = a.Store.ForgetIdempotencyKeys(ctx, asOf.Add(-24*time.Hour))
	return report, err
}
