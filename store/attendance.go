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
	Days                                                     map[string]string // YYYY-MM-DD: status
}

// AttendanceSheet lists the month's attendance of the workers at a host
// (hostID) or of a centre (centreID), each with the days recorded.
func (s *Store) AttendanceSheet(ctx context.Context, hostID, centreID string, from, to time.Time) ([]SheetRow, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.given_name, p.family_name, p.centre_id, COALESCE(t.contract_function, ''),
		       COALESCE(jsonb_object_agg(to_char(a.day, 'YYYY-MM-DD'), a.status) FILTER (WHERE a.day IS NOT NULL), '{}')
		FROM participants p
		JOIN trajectories t ON t.participant_id = p.id
		LEFT JOIN attendance a ON a.participant_id = p.id AND a.day >= $3 AND a.day < $4 AND ($1 = '' OR a.host_id::text = $1)
		WHERE ($1 = '' OR t.contract_host_id = $1 OR a.host_id IS NOT NULL) AND ($2 = '' OR p.centre_id = $2)
		  AND (t.phase = 'article60' OR a.day IS NOT NULL)
		GROUP BY p.id, t.contract_function
		ORDER BY p.family_name, p.given_name, p.id`, hostID, centreID, from, to)
	if err != nil {
		return nil, classify("attendance sheet", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (SheetRow, error) {
		var r SheetRow
		err := row.Scan(&r.ParticipantID, &r.GivenName, &r.FamilyName, &r.CentreID, &r.Function, &r.Days)
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
