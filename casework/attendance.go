package casework

import (
	"context"
	"slices"
	"strconv"
	"strings"
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

// AttendanceStatuses are the statuses of a day, in the order every page,
// legend and export lists them: the two that count as worked, then the
// absences that do not count.
var AttendanceStatuses = append(slices.Clone(store.CountingStatuses), store.NonCountingStatuses...)

// RecordAttendance keeps a host's days of its worker. Each day that does
// not count goes to the trajectory first, as an absence of one day whose
// update is named after the worker's day (Caller.Fact): a retry, a second
// submit of the same form or another tab sending the same day is the same
// update, so the contract end moves once per day. Then the days are
// stored. A day recorded as not counting cannot be turned into another
// status here: it moved the contract end already; nor can a day of a month
// the host declared complete. Refusals are *store.InvalidError (the
// fields) and *store.ConflictError, or the workflow's own.
func (s *Service) RecordAttendance(ctx context.Context, c Caller, worker store.HostWorker, hostID string, sent []AttendanceDay, loc *time.Location) error {
	var problems []store.FieldProblem
	if len(sent) == 0 || len(sent) > MaxAttendanceDays {
		problems = append(problems, domain.Problem("days", domain.MaxDays, strconv.Itoa(MaxAttendanceDays)))
	}
	first, last := contractDays(worker, loc)
	now := time.Now().In(loc)
	var days []store.AttendanceDay
	seen := map[string]bool{}
	for i, d := range sent {
		field := "days[" + strconv.Itoa(i) + "]"
		day, err := time.ParseInLocation(time.DateOnly, d.Day, loc)
		switch {
		case err != nil:
			problems = append(problems, domain.Problem(field+".day", domain.NotDate))
		case day.Before(first) || day.After(now) || (!last.IsZero() && day.After(last)):
			problems = append(problems, domain.Problem(field+".day", domain.OutsideContract))
		case seen[d.Day]:
			problems = append(problems, domain.Problem(field+".day", domain.Twice))
		}
		seen[d.Day] = true
		if !slices.Contains(AttendanceStatuses, d.Status) {
			problems = append(problems, domain.Problem(field+".status", domain.OneOf, AttendanceStatuses...))
		}
		days = append(days, store.AttendanceDay{Day: day, Status: d.Status})
	}
	if len(problems) > 0 {
		return &store.InvalidError{Fields: problems}
	}
	slices.SortFunc(days, func(a, b store.AttendanceDay) int { return a.Day.Compare(b.Day) })
	var months []time.Time
	for _, d := range days {
		if m := firstOfMonth(d.Day); !slices.ContainsFunc(months, m.Equal) {
			months = append(months, m)
		}
	}
	declared, err := s.store.DeclaredMonths(ctx, hostID, worker.CentreID, months)
	if err != nil {
		return err
	}
	for _, m := range months {
		if declared[m.Format("2006-01")] {
			return &store.ConflictError{Code: domain.MonthDeclared, Field: "days", Args: []string{m.Format("2006-01")}}
		}
	}
	before, err := s.store.Attendance(ctx, worker.ID, days[0].Day, days[len(days)-1].Day.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	old := map[string]string{}
	for _, d := range before {
		old[d.Day.Format(time.DateOnly)] = d.Status
	}
	var absent []store.AttendanceDay
	for _, d := range days {
		date := d.Day.Format(time.DateOnly)
		prev := old[date]
		wasNonCounting, isNonCounting := slices.Contains(store.NonCountingStatuses, prev), slices.Contains(store.NonCountingStatuses, d.Status)
		if wasNonCounting && prev != d.Status {
			return &store.ConflictError{Code: domain.DayLocked, Field: "days", Args: []string{date}}
		}
		if isNonCounting && !wasNonCounting {
			absent = append(absent, d)
		}
	}
	var applied []store.AttendanceDay
	for _, d := range absent {
		date := d.Day.Format(time.DateOnly)
		kc := c
		kc.Fact = "absence-day:" + date
		kc.Route += "#" + date
		kc.RequestID += "#" + date
		var result any
		if err := s.Act(ctx, kc, worker.ID, 0, workflows.UpdateRecordAbsence, &Absence{Kind: d.Status, Days: 1}, &result); err != nil {
			// The days the trajectory took are kept, so that they are
			// locked as they count there; the rest waits for a retry.
			if len(applied) > 0 {
				if kept := s.store.RecordAttendance(context.WithoutCancel(ctx), worker.ID, hostID, c.UserID, applied); kept != nil {
					s.logger.WarnContext(ctx, "attendance applied but not kept", "err", kept)
				}
			}
			return err
		}
		applied = append(applied, d)
	}
	return s.store.RecordAttendance(ctx, worker.ID, hostID, c.UserID, days)
}

// contractDays are the first and (once the contract is over) the last day
// a host records of its worker, as midnights in loc; last is zero while
// the contract runs.
func contractDays(w store.HostWorker, loc *time.Location) (first, last time.Time) {
	start := w.Start.In(loc)
	first = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	if w.Ended && !w.End.IsZero() {
		end := w.End.In(loc)
		last = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
	}
	return first, last
}

func firstOfMonth(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
}

// HostMonth is a host's month of attendance at one centre, as its grid
// shows it: the counted days of the working-days rule (the columns), its
// workers placed there during the month (the rows, by family name), each
// day as recorded or still to enter, and the host's declaration.
type HostMonth struct {
	CentreID, CentreName string
	// Month is its first day, midnight in Brussels.
	Month time.Time
	Days  []time.Time
	Rows  []MonthRow
	// ToEnter counts the days that can be entered and are not.
	ToEnter int
	// Over: no counted day of the month is still to come.
	Over        bool
	Declaration *store.AttendanceDeclaration
}

// MonthRow is one worker's month.
type MonthRow struct {
	Worker  store.HostWorker
	Cells   []MonthCell
	ToEnter int
}

// MonthCell is one worker's day: its status as recorded ("" when not);
// Open when it is entered now (in the contract, come); Locked when it was
// recorded as not counting and stays so.
type MonthCell struct {
	Day          time.Time
	Status       string
	Open, Locked bool
}

// Complete tells a month the host may declare: over, every day entered.
func (m HostMonth) Complete() bool { return m.Over && m.ToEnter == 0 }

// ParseMonth reads YYYY-MM as the month's first day in Brussels.
func (s *Service) ParseMonth(v string) (time.Time, bool) {
	m, err := time.ParseInLocation("2006-01", v, s.loc)
	return m, err == nil
}

// HostMonth reads the host's month at the centre (month: its first day).
func (s *Service) HostMonth(ctx context.Context, hostID, centreID string, month time.Time) (HostMonth, error) {
	workers, err := s.store.HostWorkers(ctx, hostID)
	if err != nil {
		return HostMonth{}, err
	}
	return s.hostMonth(ctx, workers, hostID, centreID, month)
}

func (s *Service) hostMonth(ctx context.Context, workers []store.HostWorker, hostID, centreID string, month time.Time) (HostMonth, error) {
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, s.loc)
	next := month.AddDate(0, 1, 0)
	pol, err := s.store.LoadPolicy(ctx, centreID)
	if err != nil {
		return HostMonth{}, err
	}
	hm := HostMonth{CentreID: centreID, Month: month, Days: pol.Article60.CountedDays(month)}
	now := time.Now().In(s.loc)
	hm.Over = len(hm.Days) == 0 || !hm.Days[len(hm.Days)-1].After(now)
	var ids []string
	for _, w := range workers {
		if w.CentreID != centreID {
			continue
		}
		hm.CentreName = w.CentreName
		first, last := contractDays(w, s.loc)
		if !first.Before(next) || (!last.IsZero() && last.Before(month)) {
			continue
		}
		hm.Rows = append(hm.Rows, MonthRow{Worker: w})
		ids = append(ids, w.ID)
	}
	slices.SortStableFunc(hm.Rows, func(a, b MonthRow) int {
		if c := strings.Compare(strings.ToLower(a.Worker.FamilyName), strings.ToLower(b.Worker.FamilyName)); c != 0 {
			return c
		}
		if c := strings.Compare(strings.ToLower(a.Worker.GivenName), strings.ToLower(b.Worker.GivenName)); c != 0 {
			return c
		}
		return strings.Compare(a.Worker.ID, b.Worker.ID)
	})
	recorded, err := s.store.AttendanceOf(ctx, ids, month, next)
	if err != nil {
		return HostMonth{}, err
	}
	for i := range hm.Rows {
		row := &hm.Rows[i]
		first, last := contractDays(row.Worker, s.loc)
		for _, d := range hm.Days {
			st := recorded[row.Worker.ID][d.Format(time.DateOnly)]
			cell := MonthCell{Day: d, Status: st, Locked: slices.Contains(store.NonCountingStatuses, st),
				Open: !d.Before(first) && !d.After(now) && (last.IsZero() || !d.After(last))}
			if cell.Open && st == "" {
				row.ToEnter++
			}
			row.Cells = append(row.Cells, cell)
		}
		hm.ToEnter += row.ToEnter
	}
	if hm.Declaration, err = s.store.AttendanceDeclaration(ctx, hostID, centreID, month); err != nil {
		return HostMonth{}, err
	}
	return hm, nil
}

// HostMonthsToDo are the months a host still has to enter or declare:
// last month and this one, at each centre where it has workers during
// them, those not declared yet, earliest first.
func (s *Service) HostMonthsToDo(ctx context.Context, hostID string) ([]HostMonth, error) {
	workers, err := s.store.HostWorkers(ctx, hostID)
	if err != nil {
		return nil, err
	}
	var centres []string
	for _, w := range workers {
		if !slices.Contains(centres, w.CentreID) {
			centres = append(centres, w.CentreID)
		}
	}
	slices.Sort(centres)
	this := firstOfMonth(time.Now().In(s.loc))
	var out []HostMonth
	for _, month := range []time.Time{this.AddDate(0, -1, 0), this} {
		for _, centre := range centres {
			hm, err := s.hostMonth(ctx, workers, hostID, centre, month)
			if err != nil {
				return nil, err
			}
			if len(hm.Rows) > 0 && hm.Declaration == nil {
				out = append(out, hm)
			}
		}
	}
	return out, nil
}

// WorkerFailure is a worker whose days a month's submit could not keep.
type WorkerFailure struct {
	Worker store.HostWorker
	Err    error
}

// RecordMonth keeps a host's month at a centre as its grid sends it: by
// worker, each open day's status (YYYY-MM-DD: status). Only the days that
// differ from what is recorded are sent, each worker's through
// RecordAttendance, so sending the same month again changes nothing. A
// worker not the host's during the month is ErrNotFound, whoever's it is;
// a declared month is a conflict. A worker whose days fail is answered in
// failures, the others are kept all the same; saved counts the days kept.
func (s *Service) RecordMonth(ctx context.Context, c Caller, hostID, centreID string, month time.Time, entries map[string]map[string]string) (saved int, failures []WorkerFailure, err error) {
	hm, err := s.HostMonth(ctx, hostID, centreID, month)
	if err != nil {
		return 0, nil, err
	}
	rows := map[string]MonthRow{}
	for _, r := range hm.Rows {
		rows[r.Worker.ID] = r
	}
	for id := range entries {
		if _, ok := rows[id]; !ok {
			return 0, nil, store.ErrNotFound
		}
	}
	if hm.Declaration != nil {
		return 0, nil, &store.ConflictError{Code: domain.MonthDeclared, Args: []string{hm.Month.Format("2006-01")}}
	}
	for _, r := range hm.Rows {
		sent := entries[r.Worker.ID]
		var days []AttendanceDay
		for _, cell := range r.Cells {
			date := cell.Day.Format(time.DateOnly)
			if st, ok := sent[date]; ok && st != "" && cell.Open && !cell.Locked && st != cell.Status {
				days = append(days, AttendanceDay{Day: date, Status: st})
			}
		}
		if len(days) == 0 {
			continue
		}
		wc := c
		wc.CentreID = r.Worker.CentreID
		wc.Route += "#" + r.Worker.ID
		if err := s.RecordAttendance(ctx, wc, r.Worker, hostID, days, s.loc); err != nil {
			failures = append(failures, WorkerFailure{Worker: r.Worker, Err: err})
			continue
		}
		saved += len(days)
	}
	return saved, failures, nil
}

// DeclareMonth keeps the caller's host's word that the month (YYYY-MM) of
// its workers at the centre is complete: once it is over and every day of
// each worker's contract in it is entered. Declared already, it answers
// the first declaration and created false. A centre the host has no
// agreement with, or a malformed month, is *store.InvalidError; a month
// not over or not complete a conflict naming why.
func (s *Service) DeclareMonth(ctx context.Context, c Caller, centreID, monthText string) (d store.AttendanceDeclaration, created bool, err error) {
	if c.HostID == "" || !slices.Contains(domain.HostRoles, c.Role) {
		return d, false, ErrForbidden
	}
	var problems []FieldProblem
	month, ok := s.ParseMonth(monthText)
	if !ok {
		problems = append(problems, domain.Problem("month", domain.NotMonth))
	} else if month.After(time.Now()) {
		problems = append(problems, domain.Problem("month", domain.NotToCome))
	}
	works, err := s.store.HostWorksWith(ctx, c.HostID, centreID)
	if err != nil {
		return d, false, err
	}
	if !works {
		problems = append(problems, domain.Problem("centre_id", domain.NotPartnerCentre))
	}
	if len(problems) > 0 {
		return d, false, &InvalidError{Fields: problems}
	}
	hm, err := s.HostMonth(ctx, c.HostID, centreID, month)
	if err != nil {
		return d, false, err
	}
	if hm.Declaration != nil {
		return *hm.Declaration, false, nil
	}
	switch {
	case !hm.Over:
		return d, false, &store.ConflictError{Code: domain.MonthNotOver, Field: "month"}
	case hm.ToEnter > 0:
		return d, false, &store.ConflictError{Code: domain.MonthIncomplete, Field: "month", Args: []string{strconv.Itoa(hm.ToEnter)}}
	}
	c.CentreID = centreID
	err = s.audited(ctx, c, "declare_attendance_month", "attendance_month", c.HostID+"/"+monthText, func() (string, error) {
		d, created, err = s.store.DeclareAttendanceMonth(ctx, c.HostID, centreID, month, c.UserID)
		return "", err
	})
	return d, created, err
}
