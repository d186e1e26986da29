package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutcomePending counts ended contracts whose trajectory has not closed yet
// (still in the post-Article-60 follow-up).
const OutcomePending = "pending"

// OutcomeRow counts Article 60 contracts over a period, as a host
// organisation reports them (seed 001): the people supported, the contracts
// that ended, and how each ended trajectory closed.
type OutcomeRow struct {
	// Group is total, host, function or gender; Key names the host (its
	// ID), the function code or the gender (f, m, x, unknown).
	Group string `json:"group"`
	Key   string `json:"key,omitempty"`
	// Name is the host organisation's name on a host row.
	Name      string         `json:"name,omitempty"`
	Supported int            `json:"supported"`
	Ended     int            `json:"ended"`
	Outcomes  map[string]int `json:"outcomes"`
	// HiredShare is hired_by_host over ended contracts.
	HiredShare Percent `json:"hired_by_host_pct"`
}

// contract is one Article 60 period from the timeline.
type contract struct {
	participant, host, function, gender string
	ended                               bool
	outcome                             string
}

// Outcomes counts the Article 60 contracts running at some time in
// [from, to): in total, per host organisation, per function and per gender.
// A person is supported once however many contracts they had; each ended
// contract counts, with the first outcome recorded after it.
func (r Reports) Outcomes(ctx context.Context, centre string, from, to time.Time) ([]OutcomeRow, error) {
	rows, err := r.query(ctx, `
		WITH iv AS (`+phaseIntervals+`)
		SELECT iv.participant_id::text, COALESCE(e.data->>'host_id', ''), COALESCE(e.data->>'function', ''),
		       COALESCE(p.gender, 'unknown'), iv.until IS NOT NULL AND iv.until >= $3,
		       CASE WHEN iv.until >= $3 THEN COALESCE((
		           SELECT c.data->>'outcome' FROM timeline_events c
		           WHERE c.participant_id = iv.participant_id AND c.kind = 'phase_changed' AND c.phase_to = 'closed'
		             AND c.occurred_at >= iv.until
		           ORDER BY c.occurred_at, c.seq, c.id LIMIT 1), '`+OutcomePending+`') ELSE '' END
		FROM iv
		JOIN timeline_events e ON e.id = iv.id
		JOIN participants p ON p.id = iv.participant_id
		WHERE iv.phase = 'article60' AND (iv.until IS NULL OR iv.until >= $3)`,
		centre, to.Add(-time.Microsecond), from)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	contracts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (contract, error) {
		var c contract
		err := row.Scan(&c.participant, &c.host, &c.function, &c.gender, &c.ended, &c.outcome)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	names, err := r.hostNames(ctx, centre)
	if err != nil {
		return nil, err
	}

	type key struct{ group, key string }
	groups := map[key]*OutcomeRow{}
	people := map[key]map[string]bool{}
	group := func(k key) *OutcomeRow {
		if groups[k] == nil {
			groups[k] = &OutcomeRow{Group: k.group, Key: k.key, Outcomes: map[string]int{}}
			if k.group == "host" {
				groups[k].Name = names[k.key]
			}
			people[k] = map[string]bool{}
		}
		return groups[k]
	}
	group(key{"total", ""}) // even when nothing ran
	for _, c := range contracts {
		for _, k := range []key{{"total", ""}, {"host", c.host}, {"function", c.function}, {"gender", c.gender}} {
			row := group(k)
			if !people[k][c.participant] {
				people[k][c.participant] = true
				row.Supported++
			}
			if c.ended {
				row.Ended++
				row.Outcomes[c.outcome]++
			}
		}
	}
	out := make([]OutcomeRow, 0, len(groups))
	for _, row := range groups {
		row.HiredShare = Share(row.Outcomes["hired_by_host"], row.Ended)
		out = append(out, *row)
	}
	sortGroups(out, []string{"total", "host", "function", "gender"}, func(r OutcomeRow) [3]string { return [3]string{r.Group, r.Name, r.Key} })
	return out, nil
}

// hostNames maps the host organisations the centre ever had an agreement
// with, archived ones included, to their names.
func (r Reports) hostNames(ctx context.Context, centre string) (map[string]string, error) {
	rows, err := r.query(ctx, `SELECT DISTINCT h.id::text, h.name FROM hosts h JOIN host_agreements a ON a.host_id = h.id WHERE a.centre_id = $1`, centre)
	if err != nil {
		return nil, fmt.Errorf("host names: %w", err)
	}
	names := map[string]string{}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		names[id] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("host names: %w", err)
	}
	return names, nil
}
