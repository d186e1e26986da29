package stats

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/store"
)

// Placement is one host organisation's Article 60 positions at an instant.
type Placement struct {
	HostID    string              `json:"host_id"`
	Name      string              `json:"name"`
	Positions int                 `json:"positions"`
	Occupied  int                 `json:"occupied"`
	Open      int                 `json:"open"`
	Functions []FunctionPlacement `json:"functions"`
	// SocialEconomy: the host belongs to the social economy sector.
	SocialEconomy bool `json:"social_economy"`
	// AllCentres counts the host's running Article 60 contracts of every
	// centre it works with: what its staff's share is made of.
	AllCentres int `json:"occupied_all_centres"`
	// Staff is the site's whole staff, Article 60 workers included; nil
	// while the host has not reported it, and then no share is computed.
	Staff *int `json:"staff"`
	// Article60Share is the Article 60 workers of every centre over staff,
	// against the centre's ceiling; AboveCeiling flags a site over it.
	Article60Share *Percent `json:"article60_share_pct"`
	CeilingPct     Percent  `json:"ceiling_pct"`
	AboveCeiling   bool     `json:"above_ceiling"`
}

// FunctionPlacement is one function's positions at a host. Open is never
// negative; Occupied above Positions means the host took more people than
// agreed.
type FunctionPlacement struct {
	Function  string `json:"function"`
	Positions int    `json:"positions"`
	Occupied  int    `json:"occupied"`
	Open      int    `json:"open"`
}

// Placements counts, per host organisation and function, the positions the
// centre agreed with the host and the Article 60 contracts running at the
// instant. Positions are the current agreement; occupancy is derived from
// the timeline, so it can be asked for any past instant.
func (r Reports) Placements(ctx context.Context, centre string, at time.Time, ceiling Percent) ([]Placement, error) {
	rows, err := r.query(ctx, `
		WITH iv AS (`+phaseIntervals+`),
		occupied AS (
			SELECT e.data->>'host_id' AS host_id, e.data->>'function' AS function, count(*)::int AS n
			FROM iv JOIN timeline_events e ON e.id = iv.id
			WHERE iv.phase = 'article60' AND iv.until IS NULL
			GROUP BY 1, 2
		),
		agreed AS (
			SELECT a.host_id::text AS host_id, hp.function, hp.positions
			FROM (`+store.AgreementsSQL+`) a JOIN hosts h ON h.id = a.host_id
			JOIN host_agreement_positions hp ON hp.agreement_id = a.id
			WHERE h.archived_at IS NULL
		)
		SELECT COALESCE(a.host_id, o.host_id, ''), COALESCE(a.function, o.function, ''),
		       COALESCE(a.positions, 0), COALESCE(o.n, 0)
		FROM agreed a FULL JOIN occupied o ON o.host_id = a.host_id AND o.function = a.function`,
		centre, at)
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	hosts := map[string]*Placement{}
	var host, function string
	var positions, occupied int
	_, err = pgx.ForEachRow(rows, []any{&host, &function, &positions, &occupied}, func() error {
		p := hosts[host]
		if p == nil {
			p = &Placement{HostID: host, CeilingPct: ceiling, Functions: []FunctionPlacement{}}
			hosts[host] = p
		}
		p.Functions = append(p.Functions, FunctionPlacement{Function: function, Positions: positions, Occupied: occupied, Open: max(positions-occupied, 0)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	// A host's staff is its sites' together; unknown while any site's is.
	sites, err := r.query(ctx, `
		SELECT h.id::text, h.name, h.social_economy, CASE WHEN count(s.id) = count(s.staff) THEN sum(s.staff)::int END
		FROM (`+store.AgreementsSQL+`) a JOIN hosts h ON h.id = a.host_id LEFT JOIN host_sites s ON s.host_id = h.id
		WHERE h.archived_at IS NULL GROUP BY h.id`, centre)
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	var name string
	var social bool
	var staff *int
	_, err = pgx.ForEachRow(sites, []any{&host, &name, &social, &staff}, func() error {
		p := hosts[host]
		if p == nil { // a host with no positions agreed yet
			p = &Placement{HostID: host, CeilingPct: ceiling, Functions: []FunctionPlacement{}}
			hosts[host] = p
		}
		p.Name, p.Staff, p.SocialEconomy = name, staff, social
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	// The share counts every centre's workers at the host: the ceiling is
	// the host's, whoever placed them.
	all, err := r.query(ctx, hostsRunningSQL, centre, at)
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	var n int
	_, err = pgx.ForEachRow(all, []any{&host, &n}, func() error {
		if p := hosts[host]; p != nil {
			p.AllCentres = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("placements: %w", err)
	}
	names, err := r.hostNames(ctx, centre)
	if err != nil {
		return nil, err
	}
	out := make([]Placement, 0, len(hosts))
	for _, p := range hosts {
		if p.Name == "" {
			p.Name = names[p.HostID] // archived, or recorded without a host
		}
		sort.Slice(p.Functions, func(i, j int) bool { return p.Functions[i].Function < p.Functions[j].Function })
		for _, f := range p.Functions {
			p.Positions += f.Positions
			p.Occupied += f.Occupied
			p.Open += f.Open
		}
		if p.Staff != nil && *p.Staff > 0 {
			share := Share(max(p.AllCentres, p.Occupied), *p.Staff)
			p.Article60Share = &share
			p.AboveCeiling = share > ceiling
		}
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].HostID < out[j].HostID
	})
	return out, nil
}

// hostsRunningSQL counts, per host centre $1 has an agreement with, the
// Article 60 contracts of every centre running there at instant $2, from
// the timeline: the participants once placed at those hosts (an index on
// the placements), then their phase intervals.
const hostsRunningSQL = `
	WITH hosts_of AS (SELECT DISTINCT a.host_id::text AS host_id FROM (` + store.AgreementsSQL + `) a),
	placed AS (
	    SELECT DISTINCT participant_id FROM timeline_events
	    WHERE kind = 'phase_changed' AND phase_to = 'article60' AND data->>'host_id' IN (SELECT host_id FROM hosts_of) AND occurred_at <= $2
	), iv AS (
	    SELECT e.id, COALESCE(e.phase_to, 'intake') AS phase,
	           lead(e.occurred_at) OVER (PARTITION BY e.participant_id ORDER BY e.occurred_at, e.seq, e.id) AS until
	    FROM timeline_events e JOIN placed USING (participant_id)
	    WHERE e.kind IN ('trajectory_started', 'phase_changed') AND e.occurred_at <= $2
	)
	SELECT e.data->>'host_id', count(*)::int
	FROM iv JOIN timeline_events e ON e.id = iv.id
	WHERE iv.phase = 'article60' AND iv.until IS NULL AND e.data->>'host_id' IN (SELECT host_id FROM hosts_of)
	GROUP BY 1`

// PlacementTotals are the centre's positions and contracts together, and
// the part of them at hosts in the social economy (seed 003: "350
// positions, 121 of them in the social economy").
type PlacementTotals struct {
	Positions  int `json:"positions"`
	Occupied   int `json:"occupied"`
	Open       int `json:"open"`
	AllCentres int `json:"occupied_all_centres"`
	// SocialEconomy counts the same at hosts of the social economy.
	SocialEconomy struct {
		Positions int `json:"positions"`
		Occupied  int `json:"occupied"`
		Open      int `json:"open"`
	} `json:"social_economy"`
}

// Totals adds up the hosts' positions and contracts.
func Totals(hosts []Placement) PlacementTotals {
	var t PlacementTotals
	for _, h := range hosts {
		t.Positions += h.Positions
		t.Occupied += h.Occupied
		t.Open += h.Open
		t.AllCentres += h.AllCentres
		if h.SocialEconomy {
			t.SocialEconomy.Positions += h.Positions
			t.SocialEconomy.Occupied += h.Occupied
			t.SocialEconomy.Open += h.Open
		}
	}
	return t
}
