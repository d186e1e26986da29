package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
)

// Workload is one counsellor's caseload now: open dossiers, the deadlines
// they own that fall due before the week ends, and those already overdue.
type Workload struct {
	CounsellorID string `json:"counsellor_id"`
	Name         string `json:"name"`
	Caseload     int    `json:"caseload"`
	DueThisWeek  int    `json:"due_this_week"`
	Overdue      int    `json:"overdue"`
}

// Workloads lists every active counsellor of the centre, busiest first.
// weekEnd is the end of the current week in the centre's time zone.
func (r Reports) Workloads(ctx context.Context, centre string, now, weekEnd time.Time) ([]Workload, error) {
	rows, err := r.query(ctx, `
		SELECT u.id::text, u.display_name, count(t.participant_id)::int,
		       COALESCE(sum(d.due_this_week), 0)::int, COALESCE(sum(d.overdue), 0)::int
		FROM staff_users u
		LEFT JOIN trajectories t ON t.counsellor_id = u.id AND t.centre_id = u.centre_id AND t.phase <> 'closed'
		LEFT JOIN LATERAL (
			SELECT count(*) FILTER (WHERE due >= $2 AND due < $3) AS due_this_week,
			       count(*) FILTER (WHERE due < $2) AS overdue
			FROM (SELECT (dl->>'due')::timestamptz AS due
			      -- a trajectory without deadlines keeps them as null
			      FROM jsonb_array_elements(CASE jsonb_typeof(t.state->'deadlines') WHEN 'array' THEN t.state->'deadlines' ELSE '[]'::jsonb END) dl
			      WHERE dl->>'actor' = $4) owned
		) d ON true
		WHERE u.centre_id = $1 AND u.role = $5 AND u.active
		GROUP BY u.id, u.display_name
		ORDER BY 3 DESC, 2, 1`, centre, now, weekEnd, string(domain.ActorCounsellor), string(domain.RoleCounsellor))
	if err != nil {
		return nil, fmt.Errorf("workloads: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Workload, error) {
		var w Workload
		err := row.Scan(&w.CounsellorID, &w.Name, &w.Caseload, &w.DueThisWeek, &w.Overdue)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("workloads: %w", err)
	}
	return out, nil
}

// Sanctions counts the BCSD's work over a period.
type Sanctions struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Opened int       `json:"opened"`
	// HearingsHeld and HearingsMissed count hearings recorded in the
	// period; missed means the person did not come.
	HearingsHeld   int            `json:"hearings_held"`
	HearingsMissed int            `json:"hearings_missed"`
	Decisions      map[string]int `json:"decisions"`
	// AverageDaysToDecision runs from the counsellor's report to the
	// decision, over the decisions taken in the period; nil without any.
	AverageDaysToDecision *float64 `json:"average_days_to_decision"`
}

// SanctionsBetween counts procedures opened, hearings and decisions in
// [from, to), from the procedures' timeline events.
func (r Reports) SanctionsBetween(ctx context.Context, centre string, from, to time.Time) (Sanctions, error) {
	s := Sanctions{From: from, To: to, Decisions: map[string]int{}}
	rows, err := r.query(ctx, `
		SELECT e.kind, COALESCE(e.data->>'decision', ''),
		       CASE WHEN e.kind = 'sanction_decided' THEN extract(epoch FROM e.occurred_at - (
		           SELECT min(rep.occurred_at) FROM timeline_events rep
		           WHERE rep.participant_id = e.participant_id AND rep.kind = 'sanction_reported'
		             AND rep.data->>'procedure_id' = e.data->>'procedure_id')) / 86400 END
		FROM timeline_events e
		WHERE e.centre_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
		  AND e.kind IN ('sanction_reported', 'hearing_held', 'hearing_missed', 'sanction_decided')
		  AND e.data ? 'stage' -- the procedure's own events, not the trajectory's echo of them`,
		centre, from, to)
	if err != nil {
		return s, fmt.Errorf("sanctions: %w", err)
	}
	var kind, decision string
	var days *float64
	var total float64
	var decided int
	_, err = pgx.ForEachRow(rows, []any{&kind, &decision, &days}, func() error {
		switch kind {
		case "sanction_reported":
			s.Opened++
		case "hearing_held":
			s.HearingsHeld++
		case "hearing_missed":
			s.HearingsMissed++
		case "sanction_decided":
			s.Decisions[decision]++
			if days != nil {
				total += *days
				decided++
			}
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("sanctions: %w", err)
	}
	if decided > 0 {
		avg := float64(int64(total/float64(decided)*10+0.5)) / 10
		s.AverageDaysToDecision = &avg
	}
	return s, nil
}
