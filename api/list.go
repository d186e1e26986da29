package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// listParticipants lists the caller's visible participants: the centre's,
// or a counsellor's own caseload. Filters: phase, next_actor, counsellor_id,
// host_id, deadline_before (RFC 3339 or YYYY-MM-DD), q (part of the name,
// a dossier number or a national register number); sorted by sort (the
// dossier number by default). Pages by ?after=<last ID>&limit=; total
// counts every page.
func (s *server) listParticipants(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	q := r.URL.Query()
	limit, ok := pageLimit(w, r)
	if !ok {
		return
	}
	f := store.CaseloadFilter{Viewer: p.viewer(), Limit: limit,
		Phase: q.Get("phase"), NextActor: q.Get("next_actor"), Name: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
	var problems []domain.FieldProblem
	uuidParam := func(name string) string {
		v := q.Get(name)
		if _, err := uuid.Parse(v); v != "" && err != nil {
			problems = append(problems, domain.Problem(name, domain.NotID))
			return ""
		}
		return v
	}
	if v := f.Phase; v != "" && !slices.Contains(workflows.Phases, workflows.Phase(v)) {
		problems = append(problems, domain.Problem("phase", domain.OneOf, codes(workflows.Phases)...))
	}
	if v := f.NextActor; v != "" && !slices.Contains(domain.NextActors, domain.Actor(v)) {
		problems = append(problems, domain.Problem("next_actor", domain.OneOf, codes(domain.NextActors)...))
	}
	if f.CivicIntegration = q.Get("civic_integration"); f.CivicIntegration != "" && !slices.Contains(store.CivicObligations, f.CivicIntegration) {
		problems = append(problems, domain.Problem("civic_integration", domain.OneOf, store.CivicObligations...))
	}
	if f.Sort != "" && !slices.Contains(store.CaseloadSorts, strings.TrimPrefix(f.Sort, "-")) {
		problems = append(problems, store.SortProblem())
	}
	f.After = uuidParam("after")
	f.CounsellorID = uuidParam("counsellor_id")
	f.HostID = uuidParam("host_id")
	if v := q.Get("deadline_before"); v != "" {
		before, err := time.Parse(time.RFC3339, v)
		if err != nil {
			var ok bool
			if before, ok = s.date(v); !ok {
				problems = append(problems, domain.Problem("deadline_before", domain.NotDateOrDay))
			}
		}
		f.DeadlineBefore = &before
	}
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return
	}
	list, err := s.store.Caseload(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total, err := s.store.CaseloadTotal(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "list_participants", "centre", p.CentreID, "ok") {
		return
	}
	body := map[string]any{"participants": list, "total": total}
	if len(list) == limit {
		next := r.URL.Query()
		next.Set("after", list[len(list)-1].ID)
		body["next"] = (&url.URL{Path: "/v1/participants", RawQuery: next.Encode()}).String()
	}
	writeJSON(w, http.StatusOK, body)
}

// codes lists typed values as the strings the API takes.
func codes[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
