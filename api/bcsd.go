package api

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/export"
	"github.com/traject-ocmw/traject/store"
)

// getAgenda lists the centre's hearings between from and to (YYYY-MM-DD,
// to excluded), and the decisions and notifications due before to,
// overdue ones included.
func (s *server) getAgenda(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	var problems []domain.FieldProblem
	from, ok := s.date(r.URL.Query().Get("from"))
	if !ok {
		problems = append(problems, domain.Problem("from", domain.NotDate))
	}
	to, ok := s.date(r.URL.Query().Get("to"))
	if !ok || !to.After(from) {
		problems = append(problems, domain.Problem("to", domain.AfterField, "from"))
	}
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return
	}
	items, err := s.store.Agenda(r.Context(), p.CentreID, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_agenda", "centre", p.CentreID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// getAudit is the administrators' view of who read or changed what in
// their centre, filtered as the page /admin/audit filters it: object_id
// (an ID, or a dossier's number), actor_id (a user's ID), action (read_stats
// finds read_stats:<table> too), outcome, and the days from and to
// (YYYY-MM-DD, inclusive, in the centre's time zone); pages by ID. As
// JSON or, with ?format=csv, the same entries one a row with their codes
// and each time to the second with the centre's UTC offset, semicolons
// behind a byte order mark for Excel; a download is audited as one.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		badQuery(w, r, domain.Problem("format", domain.OneOf, "json", "csv"))
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	query, problems := auditQuery(q)
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return
	}
	pol, err := s.store.LoadPolicy(r.Context(), p.CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	query.Zone, query.Oldest, query.After, query.Limit = pol.TimeZone, true, after, limit
	lines, err := s.store.AuditSearch(r.Context(), p.CentreID, query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries := make([]store.AuditEntry, 0, len(lines))
	for _, l := range lines {
		entries = append(entries, l.AuditEntry)
	}
	if format != "csv" {
		if !s.audited(w, r, "read_audit", "centre", p.CentreID, "ok") {
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
		return
	}
	if !s.audited(w, r, "export_audit", "centre", p.CentreID, "ok") {
		return
	}
	loc := pol.Location()
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return export.Inert(*s)
	}
	table := export.Table{Sheet: "audit", Header: []string{"id", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "request_id", "outcome"}}
	for _, e := range entries {
		table.Rows = append(table.Rows, []string{strconv.FormatInt(e.ID, 10), e.At.In(loc).Format(time.RFC3339), text(e.ActorID), text(e.ActorRole),
			export.Inert(e.Action), export.Inert(e.ObjectType), text(e.ObjectID), text(e.RequestID), export.Inert(e.Outcome)})
	}
	name := "traject-audit-" + p.CentreID + "-" + time.Now().In(loc).Format(time.DateOnly) + ".csv"
	s.download(w, r, "text/csv; charset=utf-8", name, table.WriteCSV)
}

// auditQuery reads the audit log's filters as the page reads them, but a
// wrong value is named rather than dropped: an object that is not clean
// text, an actor that is no user ID, an action that is no action code, an
// outcome not among store.AuditOutcomes, a day that is not YYYY-MM-DD, and
// to before from.
func auditQuery(q url.Values) (store.AuditQuery, []domain.FieldProblem) {
	var query store.AuditQuery
	var problems []domain.FieldProblem
	query.ObjectID = strings.TrimSpace(q.Get("object_id"))
	if !store.CleanText(query.ObjectID) {
		problems = append(problems, domain.Problem("object_id", domain.NotText))
	}
	if query.ActorID = q.Get("actor_id"); query.ActorID != "" {
		if _, err := uuid.Parse(query.ActorID); err != nil {
			problems = append(problems, domain.Problem("actor_id", domain.NotID))
		}
	}
	if query.Action = q.Get("action"); query.Action != "" && !actionCode.MatchString(query.Action) {
		problems = append(problems, domain.Problem("action", domain.NotID))
	}
	if query.Outcome = q.Get("outcome"); query.Outcome != "" && !slices.Contains(store.AuditOutcomes, query.Outcome) {
		problems = append(problems, domain.Problem("outcome", domain.OneOf, store.AuditOutcomes...))
	}
	for _, f := range []struct {
		name string
		day  *time.Time
	}{{"from", &query.From}, {"to", &query.To}} {
		raw := strings.TrimSpace(q.Get(f.name))
		if raw == "" {
			continue
		}
		day, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			problems = append(problems, domain.Problem(f.name, domain.NotDate))
			continue
		}
		*f.day = day
	}
	if !query.From.IsZero() && !query.To.IsZero() && query.To.Before(query.From) {
		problems = append(problems, domain.Problem("to", domain.NotBefore, "from"))
	}
	return query, problems
}

// actionCode is an audit action as the log writes it: lower-case words
// joined by underscores.
var actionCode = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
