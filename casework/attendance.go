package casework

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// AttendanceDay is one day a host records: YYYY-MM-DD and a status.
type AttendanceDay struct {
	Day    string `json:"day"`
	Status string `json:"status"`
}

// MaxAttendanceDays bounds one recording: two months of days.
const MaxAttendanceDays = 62

// RecordAttendance keeps a host's days of its worker. The days that do not
// count go to the trajectory first, as absences (one update per kind,
// named after the caller's write, so that a retry applies none twice);
// then the days are stored. A day recorded as not counting cannot be
// turned into another status here: it moved the contract end already.
// Refusals are *store.InvalidError (the fields) and *store.ConflictError,
// or the workflow's own.
func (s *Service) RecordAttendance(ctx context.Context, c Caller, worker store.HostWorker, hostID string, sent []AttendanceDay, loc *time.Location) error {
	var problems []store.FieldProblem
	if len(sent) == 0 || len(sent) > MaxAttendanceDays {
		problems = append(problems, domain.Problem("days", domain.MaxDays, strconv.Itoa(MaxAttendanceDays)))
	}
	statuses := append(slices.Clone(store.CountingStatuses), store.NonCountingStatuses...)
	start := worker.Start.In(loc)
	first := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	var days []store.AttendanceDay
	seen := map[string]bool{}
	for i, d := range sent {
		field := "days[" + strconv.Itoa(i) + "]"
		day, err := time.ParseInLocation(time.DateOnly, d.Day, loc)
		switch {
		case err != nil:
			problems = append(problems, domain.Problem(field+".day", domain.NotDate))
		case day.Before(first) || day.After(time.Now().In(loc)):
			problems = append(problems, domain.Problem(field+".day", domain.OutsideContract))
		case seen[d.Day]:
			problems = append(problems, domain.Problem(field+".day", domain.Twice))
		}
		seen[d.Day] = true
		if !slices.Contains(statuses, d.Status) {
			problems = append(problems, domain.Problem(field+".status", domain.OneOf, "present", "paid_absence", "unpaid_sickness", "unjustified", "unpaid_leave", "suspension"))
		}
		days = append(days, store.AttendanceDay{Day: day, Status: d.Status})
	}
	if len(problems) > 0 {
		return &store.InvalidError{Fields: problems}
	}
	slices.SortFunc(days, func(a, b store.AttendanceDay) int { return a.Day.Compare(b.Day) })
	before, err := s.store.Attendance(ctx, worker.ID, days[0].Day, days[len(days)-1].Day.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	old := map[string]string{}
	for _, d := range before {
		old[d.Day.Format(time.DateOnly)] = d.Status
	}
	added := map[string]int{}
	for _, d := range days {
		date := d.Day.Format(time.DateOnly)
		prev := old[date]
		wasNonCounting, isNonCounting := slices.Contains(store.NonCountingStatuses, prev), slices.Contains(store.NonCountingStatuses, d.Status)
		if wasNonCounting && prev != d.Status {
			return &store.ConflictError{Code: domain.DayLocked, Field: "days", Args: []string{date}}
		}
		if isNonCounting && !wasNonCounting {
			added[d.Status]++
		}
	}
	for _, kind := range store.NonCountingStatuses {
		if added[kind] == 0 {
			continue
		}
		kc := c
		kc.Route += "#" + kind
		kc.RequestID += "#" + kind
		var result any
		if err := s.Act(ctx, kc, worker.ID, 0, workflows.UpdateRecordAbsence, &Absence{Kind: kind, Days: added[kind]}, &result); err != nil {
			return err
		}
	}
	return s.store.RecordAttendance(ctx, worker.ID, hostID, c.UserID, days)
}
