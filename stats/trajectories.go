package stats

import (
	"context"
	"time"
)

// TrajectoryRow is one row of the table the centres publish (seed 003):
// dossiers in the integration trajectory at an instant.
//
// Article 60 workers are salaried by the centre, so they are not leefloon
// dossiers; people in the post-Article-60 follow-up are not either (the
// contract opened their right to unemployment benefits). Both are counted
// apart, as are dossiers still in intake, so the columns add up to every
// open dossier.
type TrajectoryRow struct {
	// Month is YYYY-MM on a monthly row, empty for a single date.
	Month string    `json:"month,omitempty"`
	AsOf  time.Time `json:"as_of"`
	// Partial is set when the instant is still to come: counted as of now.
	Partial          bool    `json:"partial"`
	LeefloonDossiers int     `json:"leefloon_dossiers"`
	InTrajectory     int     `json:"in_trajectory"`
	InTrajectoryPct  Percent `json:"in_trajectory_pct"`
	Exempt           int     `json:"exempt"`
	Facilitator      int     `json:"facilitator"`
	Literacy         int     `json:"literacy"`
	Studies          int     `json:"studies"`
	Work             int     `json:"work"`
	Article60        int     `json:"article60"`
	SPIDossiers      int     `json:"spi_dossiers"`
	SPIPct           Percent `json:"spi_pct"`
	Intake           int     `json:"intake"`
	PostArticle60    int     `json:"post_article60"`
}

// Instant is a moment a table row describes.
type Instant struct {
	Month string // YYYY-MM, or empty
	At    time.Time
}

// MonthEnds returns the last instant of each month from first to last
// (inclusive) in loc.
func MonthEnds(first, last time.Time, loc *time.Location) []Instant {
	var out []Instant
	m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, loc)
	for end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, loc); !m.After(end); m = m.AddDate(0, 1, 0) {
		out = append(out, Instant{Month: m.Format("2006-01"), At: m.AddDate(0, 1, 0).Add(-time.Microsecond)})
	}
	return out
}

// Trajectories computes the table at each instant (ascending); an instant
// still to come is counted as of now.
func (r Reports) Trajectories(ctx context.Context, centre string, instants []Instant, now time.Time) ([]TrajectoryRow, error) {
	at := make([]time.Time, len(instants))
	rows := make([]TrajectoryRow, len(instants))
	for i, in := range instants {
		at[i] = in.At
		rows[i] = TrajectoryRow{Month: in.Month, AsOf: in.At}
		if in.At.After(now) {
			at[i], rows[i].AsOf, rows[i].Partial = now, now, true
		}
	}
	counts, err := r.phaseCounts(ctx, centre, at)
	if err != nil {
		return nil, err
	}
	for i, c := range counts {
		row := &rows[i]
		row.Exempt, row.Facilitator, row.Literacy = c["exempt"], c["facilitator"], c["literacy"]
		row.Studies, row.Work, row.Article60 = c["studies"], c["work"], c["article60"]
		row.Intake, row.PostArticle60 = c["intake"], c["post_article60"]
		activation := row.Facilitator + row.Literacy + row.Studies + row.Work
		row.InTrajectory = row.Exempt + activation
		row.LeefloonDossiers = row.Intake + row.InTrajectory
		row.SPIDossiers = activation + row.Article60
		row.InTrajectoryPct = Share(row.InTrajectory, row.LeefloonDossiers)
		row.SPIPct = Share(row.SPIDossiers, row.LeefloonDossiers)
	}
	return rows, nil
}
