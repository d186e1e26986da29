package api

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/stats"
)

// maxMonths bounds a monthly table: ten years of rows.
const maxMonths = 120

// statsRequest is what every statistics endpoint reads from the query:
// who asks, in which format.
type statsRequest struct {
	centre string
	// host, when set, is the host organisation whose report it is.
	host      string
	csv       bool
	delimiter rune
}

// statsReader admits coordinators and administrators and reads ?format=
// (json, csv) and ?delimiter= (comma, semicolon: for Belgian Excel, which
// also gets a byte order mark and decimal commas).
func (s *server) statsReader(w http.ResponseWriter, r *http.Request) (statsRequest, bool) {
	p := principalFrom(r.Context())
	q := r.URL.Query()
	req := statsRequest{centre: p.CentreID, delimiter: ','}
	var problems []domain.FieldProblem
	switch q.Get("format") {
	case "", "json":
	case "csv":
		req.csv = true
	default:
		problems = append(problems, domain.Problem("format", domain.OneOf, "json", "csv"))
	}
	switch q.Get("delimiter") {
	case "", "comma":
	case "semicolon":
		req.delimiter = ';'
	default:
		problems = append(problems, domain.Problem("delimiter", domain.OneOf, "comma", "semicolon"))
	}
	if q.Has("delimiter") && !req.csv {
		problems = append(problems, domain.Problem("delimiter", domain.OnlyWith, "format=csv"))
	}
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return req, false
	}
	return req, true
}

// answer audits the read and sends the report as JSON or as CSV.
func (s *server) answer(w http.ResponseWriter, r *http.Request, req statsRequest, body any, t stats.Table) {
	objectType, objectID := "centre", req.centre
	if req.host != "" {
		objectType, objectID = "host", req.host
	}
	if !s.audited(w, r, "read_stats:"+t.Name, objectType, objectID, "ok") {
		return
	}
	if !req.csv {
		writeJSON(w, http.StatusOK, body)
		return
	}
	s.download(w, r, "text/csv; charset=utf-8", t.FileName(), func(w io.Writer) error {
		return t.WriteCSV(w, req.delimiter == ';')
	})
}

// period reads ?from= and ?to= (YYYY-MM-DD, to excluded); without them, the
// current calendar year so far.
func (s *server) period(w http.ResponseWriter, r *http.Request) (from, to time.Time, ok bool) {
	q := r.URL.Query()
	now := time.Now().In(s.loc)
	from = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, s.loc)
	to = from.AddDate(1, 0, 0)
	var problems []domain.FieldProblem
	if v := q.Get("from"); v != "" {
		if from, ok = s.date(v); !ok {
			problems = append(problems, domain.Problem("from", domain.NotDate))
		}
	}
	if v := q.Get("to"); v != "" {
		if to, ok = s.date(v); !ok {
			problems = append(problems, domain.Problem("to", domain.NotDate))
		}
	}
	if len(problems) == 0 && !to.After(from) {
		problems = append(problems, domain.Problem("to", domain.AfterField, "from"))
	}
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return from, to, false
	}
	return from, to, true
}

// periodReader reads the options and the period of a report over a period.
func (s *server) periodReader(w http.ResponseWriter, r *http.Request) (req statsRequest, from, to time.Time, ok bool) {
	if req, ok = s.statsReader(w, r); !ok {
		return req, from, to, false
	}
	from, to, ok = s.period(w, r)
	return req, from, to, ok
}

// asOf reads ?as_of= (YYYY-MM-DD): the end of that day. Without it: now.
func (s *server) asOf(w http.ResponseWriter, r *http.Request) (stats.Instant, bool) {
	v := r.URL.Query().Get("as_of")
	if v == "" {
		return stats.Instant{At: time.Now()}, true
	}
	day, ok := s.date(v)
	if !ok {
		badQuery(w, r, domain.Problem("as_of", domain.NotDate))
		return stats.Instant{}, false
	}
	return stats.Instant{At: day.AddDate(0, 0, 1).Add(-time.Microsecond)}, true
}

// getTrajectoryStats answers the published table: ?as_of=YYYY-MM-DD for one
// row (default: now), or ?from=YYYY-MM&to=YYYY-MM for one row per month end.
func (s *server) getTrajectoryStats(w http.ResponseWriter, r *http.Request) {
	req, ok := s.statsReader(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var instants []stats.Instant
	if q.Has("from") || q.Has("to") {
		if q.Has("as_of") {
			badQuery(w, r, domain.Problem("as_of", domain.NotWith, "from, to"))
			return
		}
		var problems []domain.FieldProblem
		first, err := time.ParseInLocation("2006-01", q.Get("from"), s.loc)
		if err != nil {
			problems = append(problems, domain.Problem("from", domain.NotMonth))
		}
		last, err := time.ParseInLocation("2006-01", q.Get("to"), s.loc)
		if err != nil {
			problems = append(problems, domain.Problem("to", domain.NotMonth))
		} else if len(problems) == 0 {
			months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
			if months < 1 || months > maxMonths {
				problems = append(problems, domain.Problem("to", domain.Range, strconv.Itoa(maxMonths)))
			}
		}
		if len(problems) > 0 {
			badQuery(w, r, problems...)
			return
		}
		instants = stats.MonthEnds(first, last, s.loc)
	} else {
		at, ok := s.asOf(w, r)
		if !ok {
			return
		}
		instants = []stats.Instant{at}
	}
	rows, err := (stats.Reports{DB: s.store.Pool()}).Trajectories(r.Context(), req.centre, instants, time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, req, map[string]any{"rows": rows}, stats.TrajectoryTable(rows, s.loc))
}

// getOutcomeStats answers the Article 60 contracts of a period and how they
// ended, in total and per host, function and gender.
func (s *server) getOutcomeStats(w http.ResponseWriter, r *http.Request) {
	req, from, to, ok := s.periodReader(w, r)
	if !ok {
		return
	}
	rows, err := (stats.Reports{DB: s.store.Pool()}).Outcomes(r.Context(), req.centre, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, req, map[string]any{"from": from, "to": to, "rows": rows}, stats.OutcomeTable(rows))
}

// getPlacementStats answers the positions per host and function, occupied
// and open, and each site's share of Article 60 workers against the
// centre's ceiling.
func (s *server) getPlacementStats(w http.ResponseWriter, r *http.Request) {
	req, ok := s.statsReader(w, r)
	if !ok {
		return
	}
	at, ok := s.asOf(w, r)
	if !ok {
		return
	}
	p, err := s.store.LoadPolicy(r.Context(), req.centre)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ceiling := stats.Percent(p.Article60.MaxShareOfSiteStaffPct * 100)
	hosts, err := (stats.Reports{DB: s.store.Pool()}).Placements(r.Context(), req.centre, at.At, ceiling)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, req, map[string]any{"as_of": at.At, "hosts": hosts, "totals": stats.Totals(hosts)}, stats.PlacementTable(hosts))
}

// getWorkloadStats answers each counsellor's caseload, deadlines due before
// the week ends (Sunday midnight) and overdue deadlines.
func (s *server) getWorkloadStats(w http.ResponseWriter, r *http.Request) {
	req, ok := s.statsReader(w, r)
	if !ok {
		return
	}
	now := time.Now().In(s.loc)
	weekEnd := stats.WeekEnd(now, s.loc)
	counsellors, err := (stats.Reports{DB: s.store.Pool()}).Workloads(r.Context(), req.centre, now, weekEnd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if counsellors == nil {
		counsellors = []stats.Workload{}
	}
	s.answer(w, r, req, map[string]any{"as_of": now, "week_ends": weekEnd, "counsellors": counsellors}, stats.WorkloadTable(counsellors))
}

// getSanctionStats answers the BCSD's procedures, hearings and decisions
// of a period.
func (s *server) getSanctionStats(w http.ResponseWriter, r *http.Request) {
	req, from, to, ok := s.periodReader(w, r)
	if !ok {
		return
	}
	b, err := (stats.Reports{DB: s.store.Pool()}).SanctionsBetween(r.Context(), req.centre, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, req, b, stats.SanctionTable(b))
}
