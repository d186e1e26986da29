package api

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/export"
	"github.com/traject-ocmw/traject/store"
)

// Attendance: a host records its worker's days; the days that do not
// count go to the trajectory as absences (the same update as the centre's,
// the host user as the actor), so that the contract end moves; the
// monthly sheet per centre is read back from the days.

type attendanceRequest struct {
	Days []casework.AttendanceDay `json:"days"`
}

func (s *server) recordHostAttendance(w http.ResponseWriter, r *http.Request) {
	worker, ok := s.hostWorker(w, r)
	if !ok {
		return
	}
	var req attendanceRequest
	if !decode(w, r, &req) {
		return
	}
	p := principalFrom(r.Context())
	caller := s.caller(r)
	caller.CentreID = worker.CentreID
	if err := s.work.RecordAttendance(r.Context(), caller, worker, p.HostID, req.Days, s.loc); err != nil {
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
		badQuery(w, r, domain.Problem("month", domain.NotMonth))
		return m, false
	}
	return m, true
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
			badQuery(w, r, domain.Problem("centre", domain.NotPartnerCentre))
			return
		}
	}
	pol, err := s.store.LoadPolicy(r.Context(), centre)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var counsellor string // a counsellor reads their own dossiers' workers
	if p.Role == domain.RoleCounsellor {
		counsellor = p.UserID
	}
	rows, err := s.store.AttendanceSheet(r.Context(), p.HostID, centre, counsellor, month, month.AddDate(0, 1, 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	declarations, err := s.store.AttendanceDeclarations(r.Context(), p.HostID, centre, month)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	days := pol.Article60.CountedDays(month)
	if !s.auditedIn(w, r, centre, "read_attendance_sheet", "centre", centre) {
		return
	}
	if !req.csv {
		var dates []string
		for _, d := range days {
			dates = append(dates, d.Format(time.DateOnly))
		}
		writeJSON(w, http.StatusOK, map[string]any{"month": month.Format("2006-01"), "centre_id": centre, "days": dates, "workers": sheetJSON(rows),
			"declarations": declarations})
		return
	}
	s.download(w, r, "text/csv; charset=utf-8", "traject-attendance-"+centre+"-"+month.Format("2006-01")+".csv", func(w io.Writer) error {
		if req.delimiter == ';' {
			if _, err := io.WriteString(w, "\ufeff"); err != nil {
				return err
			}
		}
		out := csv.NewWriter(w)
		out.Comma = req.delimiter
		header := []string{"worker_id", "family_name", "given_name", "function"}
		for _, d := range days {
			header = append(header, d.Format(time.DateOnly))
		}
		header = append(header, "present", "paid_absence", "not_counting")
		if err := out.Write(header); err != nil {
			return err
		}
		for _, row := range rows {
			cells, present, paid, notCounting := row.On(days)
			line := append([]string{row.ParticipantID, export.Inert(row.FamilyName), export.Inert(row.GivenName), export.Inert(row.Function)}, cells...)
			line = append(line, strconv.Itoa(present), strconv.Itoa(paid), strconv.Itoa(notCounting))
			if err := out.Write(line); err != nil {
				return err
			}
		}
		out.Flush()
		return out.Error()
	})
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

type declarationRequest struct {
	CentreID string `json:"centre_id"`
	Month    string `json:"month"`
}

// declareAttendanceMonth serves POST /v1/host/attendance/declarations:
// the host declares a month of its workers at a centre complete (201),
// or is answered its first declaration of it (200).
func (s *server) declareAttendanceMonth(w http.ResponseWriter, r *http.Request) {
	var req declarationRequest
	if !decode(w, r, &req) {
		return
	}
	var problems []domain.FieldProblem
	if req.CentreID == "" {
		problems = append(problems, domain.Problem("centre_id", domain.Required))
	}
	if req.Month == "" {
		problems = append(problems, domain.Problem("month", domain.Required))
	}
	if len(problems) > 0 {
		s.fail(w, r, &casework.InvalidError{Fields: problems})
		return
	}
	d, created, err := s.work.DeclareMonth(r.Context(), s.caller(r), req.CentreID, req.Month)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, d)
}
