package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Attendance: a host records its worker's days; the days that do not
// count go to the trajectory as absences (the same update as the centre's,
// the host user as the actor), so that the contract end moves; the
// monthly sheet per centre is read back from the days.

type attendanceRequest struct {
	Days []struct {
		Day    string `json:"day"`
		Status string `json:"status"`
	} `json:"days"`
}

// maxAttendanceDays bounds one request: two months of days.
const maxAttendanceDays = 62

func (s *server) recordHostAttendance(w http.ResponseWriter, r *http.Request) {
	worker, ok := s.hostWorker(w, r)
	if !ok {
		return
	}
	var req attendanceRequest
	if !decode(w, r, &req) {
		return
	}
	var problems []FieldError
	if len(req.Days) == 0 || len(req.Days) > maxAttendanceDays {
		problems = append(problems, FieldError{"days", fmt.Sprintf("must hold 1 to %d days", maxAttendanceDays)})
	}
	statuses := append(slices.Clone(store.CountingStatuses), store.NonCountingStatuses...)
	var days []store.AttendanceDay
	seen := map[string]bool{}
	start := worker.Start.In(s.loc)
	first := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, s.loc)
	for i, d := range req.Days {
		field := "days[" + strconv.Itoa(i) + "]"
		day, ok := s.date(d.Day)
		switch {
		case !ok:
			problems = append(problems, FieldError{field + ".day", "must be a date as YYYY-MM-DD"})
		case day.Before(first) || day.After(time.Now().In(s.loc)):
			problems = append(problems, FieldError{field + ".day", "must lie between the contract's start and today"})
		case seen[d.Day]:
			problems = append(problems, FieldError{field + ".day", "appears twice"})
		}
		seen[d.Day] = true
		if !slices.Contains(statuses, d.Status) {
			problems = append(problems, FieldError{field + ".status", "must be present, paid_absence, unpaid_sickness, unjustified, unpaid_leave or suspension"})
		}
		days = append(days, store.AttendanceDay{Day: day, Status: d.Status})
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the attendance is malformed", problems...)
		return
	}
	// What was recorded before: a day that did not count cannot become one
	// that does here (the contract end moved already; the centre corrects it).
	slices.SortFunc(days, func(a, b store.AttendanceDay) int { return a.Day.Compare(b.Day) })
	before, err := s.store.Attendance(r.Context(), worker.ID, days[0].Day, days[len(days)-1].Day.AddDate(0, 0, 1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	old := map[string]string{}
	for _, d := range before {
		old[d.Day.Format(time.DateOnly)] = d.Status
	}
	added := map[string]int{}
	for _, d := range days {
		prev := old[d.Day.Format(time.DateOnly)]
		wasNonCounting, isNonCounting := slices.Contains(store.NonCountingStatuses, prev), slices.Contains(store.NonCountingStatuses, d.Status)
		if wasNonCounting && prev != d.Status {
			writeProblem(w, r, http.StatusConflict, "a day recorded as "+prev+" moved the contract end already; ask the centre to correct it",
				FieldError{"days", d.Day.Format(time.DateOnly) + " was " + prev})
			return
		}
		if isNonCounting && !wasNonCounting {
			added[d.Status]++
		}
	}
	// The absences first, each its own update named after the request and
	// its kind: a retry with the same Idempotency-Key finds them applied
	// (the days are only stored after), never applies them twice.
	p := principalFrom(r.Context())
	for _, kind := range store.NonCountingStatuses {
		if added[kind] == 0 {
			continue
		}
		caller := s.caller(r)
		caller.CentreID = worker.CentreID
		caller.Route += "#" + kind
		caller.RequestID += "#" + kind
		var result any
		if err := s.work.Act(r.Context(), caller, worker.ID, 0, workflows.UpdateRecordAbsence, &casework.Absence{Kind: kind, Days: added[kind]}, &result); err != nil {
			s.refusal(w, r, err)
			return
		}
	}
	if err := s.store.RecordAttendance(r.Context(), worker.ID, p.HostID, p.UserID, days); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.auditedIn(w, r, worker.CentreID, "record_attendance", "participant", worker.ID) {
		return
	}
	updated, err := s.store.HostWorkerByID(r.Context(), p.HostID, worker.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, updated)
}

// sheetMonth reads ?month=YYYY-MM.
func (s *server) sheetMonth(w http.ResponseWriter, r *http.Request) (time.Time, bool) {
	m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), s.loc)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "the month is malformed", FieldError{"month", "must be a month as YYYY-MM"})
		return m, false
	}
	return m, true
}

// countedDays are the month's days the working-days rule counts: a week
// of the rule's counted days, Monday first (six: Monday to Saturday).
func countedDays(month time.Time, p policy.Policy) []time.Time {
	perWeek := 6
	day := month.Format(time.DateOnly)
	var rule *policy.WorkingDaysRule
	for i := range p.Article60.WorkingDays {
		if r := &p.Article60.WorkingDays[i]; r.From <= day && (rule == nil || r.From > rule.From) {
			rule = r
		}
	}
	if rule != nil && rule.CountedDaysPerWeek > 0 {
		perWeek = rule.CountedDaysPerWeek
	}
	var out []time.Time
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		if (int(d.Weekday())+6)%7 < perWeek { // Monday 0 ... Sunday 6
			out = append(out, d)
		}
	}
	return out
}

// attendanceSheet answers a centre's month: for a host user, its workers of
// ?centre=; for the centre's staff, the centre's workers at every host.
func (s *server) attendanceSheet(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	req, ok := s.statsReader(w, r)
	if !ok {
		return
	}
	month, ok := s.sheetMonth(w, r)
	if !ok {
		return
	}
	centre := p.CentreID
	if p.HostID != "" {
		centre = r.URL.Query().Get("centre")
		works, err := s.store.HostWorksWith(r.Context(), p.HostID, centre)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !works {
			writeProblem(w, r, http.StatusBadRequest, "say which centre's sheet", FieldError{"centre", "must be a centre the host has an agreement with"})
			return
		}
	}
	pol, err := s.store.LoadPolicy(r.Context(), centre)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.store.AttendanceSheet(r.Context(), p.HostID, centre, month, month.AddDate(0, 1, 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	days := countedDays(month, pol)
	if !s.auditedIn(w, r, centre, "read_attendance_sheet", "centre", centre) {
		return
	}
	if !req.csv {
		var dates []string
		for _, d := range days {
			dates = append(dates, d.Format(time.DateOnly))
		}
		writeJSON(w, http.StatusOK, map[string]any{"month": month.Format("2006-01"), "centre_id": centre, "days": dates, "workers": sheetJSON(rows)})
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="traject-attendance-`+centre+`-`+month.Format("2006-01")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if req.delimiter == ';' {
		_, _ = w.Write([]byte("\ufeff"))
	}
	out := csv.NewWriter(w)
	out.Comma = req.delimiter
	header := []string{"worker_id", "family_name", "given_name", "function"}
	for _, d := range days {
		header = append(header, d.Format(time.DateOnly))
	}
	header = append(header, "present", "paid_absence", "not_counting")
	_ = out.Write(header)
	for _, row := range rows {
		line := []string{row.ParticipantID, row.FamilyName, row.GivenName, row.Function}
		counts := map[string]int{}
		for _, d := range days {
			st := row.Days[d.Format(time.DateOnly)]
			line = append(line, st)
			switch {
			case st == "present" || st == "paid_absence":
				counts[st]++
			case st != "":
				counts["not_counting"]++
			}
		}
		line = append(line, strconv.Itoa(counts["present"]), strconv.Itoa(counts["paid_absence"]), strconv.Itoa(counts["not_counting"]))
		_ = out.Write(line)
	}
	out.Flush()
}

type sheetWorker struct {
	ID         string            `json:"id"`
	GivenName  string            `json:"given_name"`
	FamilyName string            `json:"family_name"`
	Function   string            `json:"function"`
	Days       map[string]string `json:"days"`
}

func sheetJSON(rows []store.SheetRow) []sheetWorker {
	out := make([]sheetWorker, len(rows))
	for i, r := range rows {
		out[i] = sheetWorker{r.ParticipantID, r.GivenName, r.FamilyName, r.Function, r.Days}
	}
	return out
}
