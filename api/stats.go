package api

import (
	"encoding/csv"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/stats"
)

// maxMonths bounds a monthly table: ten years of rows.
const maxMonths = 120

// table is a report as CSV: a header row, then one row per record, with
// shares written with the decimal mark the delimiter calls for.
type table struct {
	header []string
	rows   func(mark byte) [][]string
}

// statsRequest is what every statistics endpoint reads from the query:
// who asks, in which format.
type statsRequest struct {
	centre    string
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
	var problems []FieldError
	switch q.Get("format") {
	case "", "json":
	case "csv":
		req.csv = true
	default:
		problems = append(problems, FieldError{"format", "must be json or csv"})
	}
	switch q.Get("delimiter") {
	case "", "comma":
	case "semicolon":
		req.delimiter = ';'
	default:
		problems = append(problems, FieldError{"delimiter", "must be comma or semicolon"})
	}
	if q.Has("delimiter") && !req.csv {
		problems = append(problems, FieldError{"delimiter", "applies to format=csv only"})
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusBadRequest, "the report options are malformed", problems...)
		return req, false
	}
	return req, true
}

// answer audits the read and sends the report as JSON or as CSV.
func (s *server) answer(w http.ResponseWriter, r *http.Request, req statsRequest, name string, body any, t table) {
	if !s.audited(w, r, "read_stats_"+name, "centre", req.centre, "ok") {
		return
	}
	if !req.csv {
		writeJSON(w, http.StatusOK, body)
		return
	}
	mark := byte('.')
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="traject-`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if req.delimiter == ';' {
		mark = ','
		_, _ = w.Write([]byte("\ufeff")) // Excel reads UTF-8 only behind a BOM
	}
	out := csv.NewWriter(w)
	out.Comma = req.delimiter
	_ = out.Write(t.header)
	_ = out.WriteAll(t.rows(mark))
}

// period reads ?from= and ?to= (YYYY-MM-DD, to excluded); without them, the
// current calendar year so far.
func (s *server) period(w http.ResponseWriter, r *http.Request) (from, to time.Time, ok bool) {
	q := r.URL.Query()
	now := time.Now().In(s.loc)
	from = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, s.loc)
	to = from.AddDate(1, 0, 0)
	var problems []FieldError
	if v := q.Get("from"); v != "" {
		if from, ok = s.date(v); !ok {
			problems = append(problems, FieldError{"from", "must be a date as YYYY-MM-DD"})
		}
	}
	if v := q.Get("to"); v != "" {
		if to, ok = s.date(v); !ok {
			problems = append(problems, FieldError{"to", "must be a date as YYYY-MM-DD"})
		}
	}
	if len(problems) == 0 && !to.After(from) {
		problems = append(problems, FieldError{"to", "must be after from"})
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusBadRequest, "the period is malformed", problems...)
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
		writeProblem(w, r, http.StatusBadRequest, "the date is malformed", FieldError{"as_of", "must be a date as YYYY-MM-DD"})
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
			writeProblem(w, r, http.StatusBadRequest, "ask for one date or for a range of months", FieldError{"as_of", "cannot go with from and to"})
			return
		}
		var problems []FieldError
		first, err := time.ParseInLocation("2006-01", q.Get("from"), s.loc)
		if err != nil {
			problems = append(problems, FieldError{"from", "must be a month as YYYY-MM"})
		}
		last, err := time.ParseInLocation("2006-01", q.Get("to"), s.loc)
		if err != nil {
			problems = append(problems, FieldError{"to", "must be a month as YYYY-MM"})
		} else if len(problems) == 0 {
			months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
			if months < 1 || months > maxMonths {
				problems = append(problems, FieldError{"to", "must be from the same month as from to " + strconv.Itoa(maxMonths) + " months later"})
			}
		}
		if len(problems) > 0 {
			writeProblem(w, r, http.StatusBadRequest, "the months are malformed", problems...)
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
	s.answer(w, r, req, "trajectories", map[string]any{"rows": rows}, table{
		header: []string{"month", "as_of", "partial", "leefloon_dossiers", "in_trajectory", "in_trajectory_pct", "exempt",
			"facilitator", "literacy", "studies", "work", "article60", "spi_dossiers", "spi_pct", "intake", "post_article60"},
		rows: func(mark byte) [][]string {
			out := make([][]string, len(rows))
			for i, x := range rows {
				out[i] = []string{x.Month, x.AsOf.In(s.loc).Format(time.RFC3339), strconv.FormatBool(x.Partial),
					itoa(x.LeefloonDossiers), itoa(x.InTrajectory), x.InTrajectoryPct.Format(mark), itoa(x.Exempt),
					itoa(x.Facilitator), itoa(x.Literacy), itoa(x.Studies), itoa(x.Work), itoa(x.Article60),
					itoa(x.SPIDossiers), x.SPIPct.Format(mark), itoa(x.Intake), itoa(x.PostArticle60)}
			}
			return out
		},
	})
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
	// one CSV column per outcome that occurs, in a stable order
	seen := map[string]bool{}
	for _, x := range rows {
		for o := range x.Outcomes {
			seen[o] = true
		}
	}
	outcomes := make([]string, 0, len(seen))
	for o := range seen {
		outcomes = append(outcomes, o)
	}
	sort.Strings(outcomes)
	s.answer(w, r, req, "outcomes", map[string]any{"from": from, "to": to, "rows": rows}, table{
		header: append([]string{"group", "key", "name", "supported", "ended", "hired_by_host_pct"}, outcomes...),
		rows: func(mark byte) [][]string {
			out := make([][]string, len(rows))
			for i, x := range rows {
				out[i] = []string{x.Group, x.Key, x.Name, itoa(x.Supported), itoa(x.Ended), x.HiredShare.Format(mark)}
				for _, o := range outcomes {
					out[i] = append(out[i], itoa(x.Outcomes[o]))
				}
			}
			return out
		},
	})
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
	s.answer(w, r, req, "placements", map[string]any{"as_of": at.At, "hosts": hosts}, table{
		header: []string{"host_id", "host", "function", "positions", "occupied", "open", "staff", "article60_share_pct", "ceiling_pct", "above_ceiling"},
		rows: func(mark byte) [][]string {
			var out [][]string
			for _, h := range hosts {
				staff, share := "", ""
				if h.Staff != nil {
					staff = itoa(*h.Staff)
				}
				if h.Article60Share != nil {
					share = h.Article60Share.Format(mark)
				}
				out = append(out, []string{h.HostID, h.Name, "", itoa(h.Positions), itoa(h.Occupied), itoa(h.Open),
					staff, share, h.CeilingPct.Format(mark), strconv.FormatBool(h.AboveCeiling)})
				for _, f := range h.Functions {
					out = append(out, []string{h.HostID, h.Name, f.Function, itoa(f.Positions), itoa(f.Occupied), itoa(f.Open), "", "", "", ""})
				}
			}
			return out
		},
	})
}

// getWorkloadStats answers each counsellor's caseload, deadlines due before
// the week ends (Sunday midnight) and overdue deadlines.
func (s *server) getWorkloadStats(w http.ResponseWriter, r *http.Request) {
	req, ok := s.statsReader(w, r)
	if !ok {
		return
	}
	now := time.Now().In(s.loc)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, s.loc)
	weekEnd := monday.AddDate(0, 0, 7)
	counsellors, err := (stats.Reports{DB: s.store.Pool()}).Workloads(r.Context(), req.centre, now, weekEnd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if counsellors == nil {
		counsellors = []stats.Workload{}
	}
	s.answer(w, r, req, "workload", map[string]any{"as_of": now, "week_ends": weekEnd, "counsellors": counsellors}, table{
		header: []string{"counsellor_id", "name", "caseload", "due_this_week", "overdue"},
		rows: func(byte) [][]string {
			out := make([][]string, len(counsellors))
			for i, c := range counsellors {
				out[i] = []string{c.CounsellorID, c.Name, itoa(c.Caseload), itoa(c.DueThisWeek), itoa(c.Overdue)}
			}
			return out
		},
	})
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
	s.answer(w, r, req, "bcsd", b, table{
		header: []string{"measure", "value"},
		rows: func(mark byte) [][]string {
			avg := ""
			if b.AverageDaysToDecision != nil {
				avg = strconv.FormatFloat(*b.AverageDaysToDecision, 'f', 1, 64)
				if mark != '.' {
					avg = string(append([]byte(avg[:len(avg)-2]), mark, avg[len(avg)-1]))
				}
			}
			out := [][]string{{"opened", itoa(b.Opened)}, {"hearings_held", itoa(b.HearingsHeld)},
				{"hearings_missed", itoa(b.HearingsMissed)}, {"average_days_to_decision", avg}}
			kinds := make([]string, 0, len(b.Decisions))
			for k := range b.Decisions {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			for _, k := range kinds {
				out = append(out, []string{"decisions_" + k, itoa(b.Decisions[k])})
			}
			return out
		},
	})
}
