package stats

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/export"
)

// HostRow counts a host organisation's Article 60 contracts over a period
// as the host reports them (seed 001: 114 people supported, 68 contracts
// ended, 25 of them hired), across every centre it works with.
type HostRow struct {
	// Group is total, centre or function; Key names the centre (its ID) or
	// the function code, Name the centre.
	Group     string `json:"group"`
	Key       string `json:"key,omitempty"`
	Name      string `json:"name,omitempty"`
	Supported int    `json:"supported"`
	Ended     int    `json:"ended"`
	// Hired counts the ended contracts after which the host hired the
	// worker: the host recorded the hiring, or the centre closed the
	// trajectory with hired_by_host.
	Hired      int     `json:"hired"`
	HiredShare Percent `json:"hired_pct"`
}

// hostContracts lists each Article 60 period at the host running at some
// time in [$3, $2], from the timeline of every centre: the participants
// once placed there first (an index on the placements), then their phase
// intervals.
const hostContracts = `
	WITH placed AS (
	    SELECT DISTINCT participant_id FROM timeline_events
	    WHERE kind = 'phase_changed' AND phase_to = 'article60' AND data->>'host_id' = $1 AND occurred_at <= $2
	), iv AS (
	    SELECT e.id, e.participant_id, e.centre_id, COALESCE(e.phase_to, 'intake') AS phase, e.occurred_at AS since,
	           lead(e.occurred_at) OVER (PARTITION BY e.participant_id ORDER BY e.occurred_at, e.seq, e.id) AS until
	    FROM timeline_events e JOIN placed USING (participant_id)
	    WHERE e.kind IN ('trajectory_started', 'phase_changed') AND e.occurred_at <= $2
	)
	SELECT iv.participant_id::text, iv.centre_id, c.name, COALESCE(e.data->>'function', ''), iv.until IS NOT NULL AND iv.until >= $3,
	       COALESCE(iv.until >= $3 AND (
	           EXISTS (SELECT 1 FROM timeline_events h WHERE h.participant_id = iv.participant_id AND h.kind = 'hiring_recorded'
	                   AND h.data->>'host_id' = $1 AND h.occurred_at >= iv.since)
	           OR (SELECT x.data->>'outcome' FROM timeline_events x
	               WHERE x.participant_id = iv.participant_id AND x.kind = 'phase_changed' AND x.phase_to = 'closed' AND x.occurred_at >= iv.until
	               ORDER BY x.occurred_at, x.seq, x.id LIMIT 1) = 'hired_by_host'), false)
	FROM iv
	JOIN timeline_events e ON e.id = iv.id
	JOIN centres c ON c.id = iv.centre_id
	WHERE iv.phase = 'article60' AND e.data->>'host_id' = $1 AND (iv.until IS NULL OR iv.until >= $3)`

// HostOutcomes counts the host's Article 60 contracts running at some time
// in [from, to): in total, per centre and per function. A person is
// supported once however many contracts they had; each ended contract
// counts, hired or not.
func (r Reports) HostOutcomes(ctx context.Context, hostID string, from, to time.Time) ([]HostRow, error) {
	rows, err := r.query(ctx, hostContracts, hostID, to.Add(-time.Microsecond), from)
	if err != nil {
		return nil, fmt.Errorf("host outcomes: %w", err)
	}
	type contract struct {
		participant, centre, centreName, function string
		ended, hired                              bool
	}
	contracts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (contract, error) {
		var c contract
		err := row.Scan(&c.participant, &c.centre, &c.centreName, &c.function, &c.ended, &c.hired)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("host outcomes: %w", err)
	}
	type key struct{ group, key string }
	groups := map[key]*HostRow{}
	people := map[key]map[string]bool{}
	group := func(k key, name string) *HostRow {
		if groups[k] == nil {
			groups[k] = &HostRow{Group: k.group, Key: k.key, Name: name}
			people[k] = map[string]bool{}
		}
		return groups[k]
	}
	group(key{"total", ""}, "") // even when nothing ran
	for _, c := range contracts {
		for _, k := range []struct {
			key
			name string
		}{{key{"total", ""}, ""}, {key{"centre", c.centre}, c.centreName}, {key{"function", c.function}, ""}} {
			row := group(k.key, k.name)
			if !people[k.key][c.participant] {
				people[k.key][c.participant] = true
				row.Supported++
			}
			if c.ended {
				row.Ended++
			}
			if c.hired {
				row.Hired++
			}
		}
	}
	out := make([]HostRow, 0, len(groups))
	for _, row := range groups {
		row.HiredShare = Share(row.Hired, row.Ended)
		out = append(out, *row)
	}
	sortGroups(out, []string{"total", "centre", "function"}, func(r HostRow) [3]string { return [3]string{r.Group, r.Name, r.Key} })
	return out, nil
}

// HostTable is the host's report as a table.
func HostTable(rows []HostRow) Table {
	return Table{Name: "host-report",
		Header: []string{"group", "key", "name", "supported", "ended", "hired", "hired_pct"},
		Rows: func(mark byte) [][]string {
			out := make([][]string, len(rows))
			for i, x := range rows {
				out[i] = []string{x.Group, x.Key, export.Inert(x.Name), itoa(x.Supported), itoa(x.Ended), itoa(x.Hired), x.HiredShare.Format(mark)}
			}
			return out
		},
	}
}

// sortGroups orders a report's rows by group (in the order given), then
// name, then key; at says where a row stands.
func sortGroups[T any](rows []T, groups []string, at func(T) [3]string) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := at(rows[i]), at(rows[j])
		if a[0] != b[0] {
			return slices.Index(groups, a[0]) < slices.Index(groups, b[0])
		}
		if a[1] != b[1] {
			return a[1] < b[1]
		}
		return a[2] < b[2]
	})
}
