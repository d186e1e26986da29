package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Attendance statuses: present, absent but counted as worked, or one of
// the absences that do not count (workflows' absence kinds).
var (
	CountingStatuses    = []string{"present", "paid_absence"}
	NonCountingStatuses = []string{"unpaid_sickness", "unjustified", "unpaid_leave", "suspension"}
)

// AttendanceDay is one worker's day.
type AttendanceDay struct {
	Day    time.Time `json:"day"`
	Status string    `json:"status"`
}

// Attendance lists a worker's recorded days in [from, to).
func (s *Store) Attendance(ctx context.Context, participantID string, from, to time.Time) ([]AttendanceDay, error) {
	rows, err := s.db.Query(ctx, `SELECT day, status FROM attendance WHERE participant_id = $1 AND day >= $2 AND day < $3 ORDER BY day`,
		participantID, from, to)
	if err != nil {
		return nil, classify("attendance", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AttendanceDay, error) {
		var d AttendanceDay
		err := row.Scan(&d.Day, &d.Status)
		return d, err
	})
	if out == nil {
		out = []AttendanceDay{}
	}
	return out, classify("attendance", err)
}

// RecordAttendance stores a worker's days as the host recorded them, in
// one transaction.
func (s *Store) RecordAttendance(ctx context.Context, participantID, hostID, by string, days []AttendanceDay) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		for _, d := range days {
			if _, err := tx.Exec(ctx, `
				INSERT INTO attendance (participant_id, day, status, host_id, recorded_by) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (participant_id, day) DO UPDATE SET status = EXCLUDED.status, host_id = EXCLUDED.host_id,
					recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
				participantID, d.Day, d.Status, hostID, by); err != nil {
				return err
			}
		}
		return nil
	})
	return classify("record attendance", err)
}

// SheetRow is one worker's month on the attendance sheet.
type SheetRow struct {
	ParticipantID, GivenName, FamilyName, CentreID, Function string
	// HostID and HostName are the contract's host ("" if none is known).
	HostID, HostName string
	Days             map[string]string // YYYY-MM-DD: status
}

// AttendanceSheet lists the month's attendance of the workers at a host
// (hostID) or of a centre (centreID), of one counsellor's caseload when
// counsellorID is given, each with the days recorded: those with days
// recorded in [from, to) and those whose contract runs and began before to.
func (s *Store) AttendanceSheet(ctx context.Context, hostID, centreID, counsellorID string, from, to time.Time) ([]SheetRow, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.given_name, p.family_name, p.centre_id, COALESCE(t.contract_function, ''),
		       COALESCE(h.id::text, ''), COALESCE(h.name, ''),
		       COALESCE(jsonb_object_agg(to_char(a.day, 'YYYY-MM-DD'), a.status) FILTER (WHERE a.day IS NOT NULL), '{}')
		FROM participants p
		JOIN trajectories t ON t.participant_id = p.id
		LEFT JOIN hosts h ON h.id::text = COALESCE(t.contract_host_id, t.state->'contract'->>'host_id')
		LEFT JOIN attendance a ON a.participant_id = p.id AND a.day >= $3 AND a.day < $4 AND ($1 = '' OR a.host_id::text = $1)
		WHERE ($1 = '' OR t.contract_host_id = $1 OR a.host_id IS NOT NULL) AND ($2 = '' OR p.centre_id = $2)
		  AND (a.day IS NOT NULL OR (t.phase = 'article60' AND COALESCE(((t.state->'contract'->>'start')::timestamptz AT TIME ZONE 'Europe/Brussels')::date < $4, true)))
		  AND ($5 = '' OR t.counsellor_id::text = $5)
		GROUP BY p.id, t.contract_function, h.id
		ORDER BY p.family_name, p.given_name, p.id`, hostID, centreID, from, to, counsellorID)
	if err != nil {
		return nil, classify("attendance sheet", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (SheetRow, error) {
		var r SheetRow
		err := row.Scan(&r.ParticipantID, &r.GivenName, &r.FamilyName, &r.CentreID, &r.Function, &r.HostID, &r.HostName, &r.Days)
		return r, err
	})
	if out == nil {
		out = []SheetRow{}
	}
	return out, classify("attendance sheet", err)
}

// On lays the row over the sheet's days: each day's status (empty: not
// recorded) and the totals of days present, absent but paid (both count)
// and not counting.
func (r SheetRow) On(days []time.Time) (cells []string, present, paid, notCounting int) {
	for _, d := range days {
		st := r.Days[d.Format(time.DateOnly)]
		cells = append(cells, st)
		switch st {
		case "":
		case "present":
			present++
		case "paid_absence":
			paid++
		default:
			notCounting++
		}
	}
	return cells, present, paid, notCounting
}

// AttendanceOf reads the recorded days in [from, to) of each participant
// named: by participant, YYYY-MM-DD to status.
func (s *Store) AttendanceOf(ctx context.Context, participantIDs []string, from, to time.Time) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if len(participantIDs) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT participant_id::text, to_char(day, 'YYYY-MM-DD'), status FROM attendance
		WHERE participant_id::text = ANY($1) AND day >= $2 AND day < $3`, participantIDs, from, to)
	if err != nil {
		return nil, classify("attendance", err)
	}
	var id, day, status string
	_, err = pgx.ForEachRow(rows, []any{&id, &day, &status}, func() error {
		if out[id] == nil {
			out[id] = map[string]string{}
		}
		out[id][day] = status
		return nil
	})
	return out, classify("attendance", err)
}

// AttendanceDeclaration is a host's word that a month of its workers'
// attendance at a centre is complete: who said so and when.
type AttendanceDeclaration struct {
	HostID   string `json:"host_id"`
	HostName string `json:"host_name"`
	CentreID string `json:"centre_id"`
	// Month is its first day; as YYYY-MM in JSON.
	Month          time.Time `json:"-"`
	MonthText      string    `json:"month"`
	DeclaredBy     string    `json:"declared_by"`
	DeclaredByName string    `json:"declared_by_name"`
	DeclaredAt     time.Time `json:"declared_at"`
}

const declarationColumns = `m.host_id::text, h.name, m.centre_id, m.month, m.declared_by::text, COALESCE(u.display_name, ''), m.declared_at`

const declarationFrom = ` FROM attendance_months m JOIN hosts h ON h.id = m.host_id LEFT JOIN staff_users u ON u.id = m.declared_by`

func scanDeclaration(row pgx.CollectableRow) (AttendanceDeclaration, error) {
	var d AttendanceDeclaration
	err := row.Scan(&d.HostID, &d.HostName, &d.CentreID, &d.Month, &d.DeclaredBy, &d.DeclaredByName, &d.DeclaredAt)
	d.MonthText = d.Month.Format("2006-01")
	return d, err
}

// DeclareAttendanceMonth keeps the host's declaration of the month (its
// first day) at the centre, by the user by, and answers it; declared
// already, it answers the first declaration, and created false.
func (s *Store) DeclareAttendanceMonth(ctx context.Context, hostID, centreID string, month time.Time, by string) (AttendanceDeclaration, bool, error) {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO attendance_months (host_id, centre_id, month, declared_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (host_id, centre_id, month) DO NOTHING`, hostID, centreID, month.Format(time.DateOnly), by)
	if err != nil {
		return AttendanceDeclaration{}, false, classify("declare attendance month", err)
	}
	d, err := s.AttendanceDeclaration(ctx, hostID, centreID, month)
	if err == nil && d == nil {
		err = notFound("attendance month")
	}
	if err != nil {
		return AttendanceDeclaration{}, false, err
	}
	return *d, tag.RowsAffected() == 1, nil
}

// AttendanceDeclaration reads the host's declaration of the month at the
// centre; nil when it has not declared it.
func (s *Store) AttendanceDeclaration(ctx context.Context, hostID, centreID string, month time.Time) (*AttendanceDeclaration, error) {
	list, err := s.AttendanceDeclarations(ctx, hostID, centreID, month)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// AttendanceDeclarations lists the month's declarations at the centre, of
// one host or (hostID empty) of every host, by host name.
func (s *Store) AttendanceDeclarations(ctx context.Context, hostID, centreID string, month time.Time) ([]AttendanceDeclaration, error) {
	rows, err := s.db.Query(ctx, `SELECT `+declarationColumns+declarationFrom+`
		WHERE ($1 = '' OR m.host_id::text = $1) AND m.centre_id = $2 AND m.month = $3
		ORDER BY h.name, m.host_id`, hostID, centreID, month.Format(time.DateOnly))
	if err != nil {
		return nil, classify("attendance declarations", err)
	}
	out, err := pgx.CollectRows(rows, scanDeclaration)
	if out == nil {
		out = []AttendanceDeclaration{}
	}
	return out, classify("attendance declarations", err)
}

// DeclaredMonths tells which of the months (first days) the host declared
// at the centre, as YYYY-MM.
func (s *Store) DeclaredMonths(ctx context.Context, hostID, centreID string, months []time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	var days []string
	for _, m := range months {
		days = append(days, m.Format(time.DateOnly))
	}
	rows, err := s.db.Query(ctx, `SELECT to_char(month, 'YYYY-MM') FROM attendance_months
		WHERE host_id::text = $1 AND centre_id = $2 AND month = ANY($3::date[])`, hostID, centreID, days)
	if err != nil {
		return nil, classify("attendance declarations", err)
	}
	var m string
	_, err = pgx.ForEachRow(rows, []any{&m}, func() error {
		out[m] = true
		return nil
	})
	return out, classify("attendance declarations", err)
}
