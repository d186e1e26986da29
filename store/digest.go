package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
)

// Centre is an OCMW / CPAS, a tenant of the installation.
type Centre struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	Language string `json:"language"`
	TimeZone string `json:"-"`
	ReplyTo  string `json:"-"`
}

// centreTimeZone is centre c's time zone: its policy's, the one every
// deadline and page reads; the column's (Europe/Brussels, the policy's
// default) only for a centre that never saved a policy.
const centreTimeZone = `COALESCE((SELECT cp.doc->>'time_zone' FROM centre_policies cp WHERE cp.centre_id = c.id ORDER BY cp.version DESC LIMIT 1), c.time_zone)`

// Centre reads one centre.
func (s *Store) Centre(ctx context.Context, id string) (Centre, error) {
	c := Centre{ID: id}
	err := s.db.QueryRow(ctx, `SELECT c.name, c.region, c.language, `+centreTimeZone+`, COALESCE(c.reply_to, '') FROM centres c WHERE c.id = $1`, id).
		Scan(&c.Name, &c.Region, &c.Language, &c.TimeZone, &c.ReplyTo)
	return c, classify("centre "+id, err)
}

// CentreIDs lists every centre of the installation.
func (s *Store) CentreIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM centres ORDER BY id`)
	if err != nil {
		return nil, classify("centres", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, classify("centres", err)
}

// StaffMember is a staff user as a message addresses them.
type StaffMember struct {
	ID, Email, Name, Language string
}

// ActiveStaff lists a centre's active users of one role.
func (s *Store) ActiveStaff(ctx context.Context, centreID string, role domain.Role) ([]StaffMember, error) {
	rows, err := s.db.Query(ctx, `SELECT id::text, email, display_name, language FROM staff_users WHERE centre_id = $1 AND role = $2 AND active ORDER BY id`, centreID, string(role))
	if err != nil {
		return nil, classify("staff", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StaffMember, error) {
		var m StaffMember
		err := row.Scan(&m.ID, &m.Email, &m.Name, &m.Language)
		return m, err
	})
	return out, classify("staff", err)
}

// OpenDeadline is one open deadline of an open trajectory.
type OpenDeadline struct {
	CounsellorID, Counsellor, Participant, Kind string
	Due                                         time.Time
	Passed                                      bool
}

// OpenDeadlines reads the open deadlines of a centre's open trajectories
// that fall before until or have passed, ordered by counsellor, then due
// date.
func (s *Store) OpenDeadlines(ctx context.Context, centreID string, until time.Time) ([]OpenDeadline, error) {
	rows, err := s.db.Query(ctx, `
		SELECT t.counsellor_id::text, s.display_name, p.given_name || ' ' || p.family_name,
		       d->>'kind', (d->>'due')::timestamptz, COALESCE((d->>'passed')::boolean, false)
		FROM trajectories t
		JOIN participants p ON p.id = t.participant_id
		JOIN staff_users s ON s.id = t.counsellor_id
		CROSS JOIN LATERAL jsonb_array_elements(
			CASE jsonb_typeof(t.state->'deadlines') WHEN 'array' THEN t.state->'deadlines' ELSE '[]'::jsonb END) d
		WHERE t.centre_id = $1 AND t.phase <> 'closed'
		  AND ((d->>'due')::timestamptz < $2 OR COALESCE((d->>'passed')::boolean, false))
		ORDER BY s.display_name, t.counsellor_id, (d->>'due')::timestamptz, p.family_name`, centreID, until)
	if err != nil {
		return nil, classify("open deadlines of "+centreID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OpenDeadline, error) {
		var d OpenDeadline
		err := row.Scan(&d.CounsellorID, &d.Counsellor, &d.Participant, &d.Kind, &d.Due, &d.Passed)
		return d, err
	})
	return out, classify("open deadlines of "+centreID, err)
}

// HostDue is one open deadline a host acts on or must know of, of one of
// its workers of any centre.
type HostDue struct {
	HostID, Participant, Centre, Kind string
	Due                               time.Time
	Passed                            bool
}

// HostDues reads, per host, the open deadlines of its running contracts
// that concern it (the contract's end, its checks, the trainings still to
// follow) and fall before until or have passed, by host, then due date.
func (s *Store) HostDues(ctx context.Context, until time.Time) ([]HostDue, error) {
	rows, err := s.db.Query(ctx, `
		SELECT t.contract_host_id, p.given_name || ' ' || p.family_name, c.name,
		       d->>'kind', (d->>'due')::timestamptz, COALESCE((d->>'passed')::boolean, false)
		FROM trajectories t
		JOIN participants p ON p.id = t.participant_id
		JOIN centres c ON c.id = t.centre_id
		CROSS JOIN LATERAL jsonb_array_elements(
			CASE jsonb_typeof(t.state->'deadlines') WHEN 'array' THEN t.state->'deadlines' ELSE '[]'::jsonb END) d
		WHERE t.phase = 'article60' AND t.contract_host_id IS NOT NULL
		  AND d->>'kind' IN ('a60_contract_end', 'a60_host_check', 'a60_training')
		  AND ((d->>'due')::timestamptz < $1 OR COALESCE((d->>'passed')::boolean, false))
		ORDER BY t.contract_host_id, (d->>'due')::timestamptz, p.family_name, p.id`, until)
	if err != nil {
		return nil, classify("host deadlines", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (HostDue, error) {
		var d HostDue
		err := row.Scan(&d.HostID, &d.Participant, &d.Centre, &d.Kind, &d.Due, &d.Passed)
		return d, err
	})
	return out, classify("host deadlines", err)
}
