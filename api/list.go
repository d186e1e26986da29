package api

import (
	"fmt"
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
// host_id, deadline_before (RFC 3339 or YYYY-MM-DD), q (part of the name).
// Pages by ?after=<last ID>&limit=.
func (s *server) listParticipants(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	q := r.URL.Query()
	limit, ok := pageLimit(w, r)
	if !ok {
		return
	}
	f := store.CaseloadFilter{Viewer: p.viewer(), Limit: limit,
		Phase: q.Get("phase"), NextActor: q.Get("next_actor"), Name: strings.TrimSpace(q.Get("q"))}
	var problems []FieldError
	uuidParam := func(name, detail string) string {
		v := q.Get(name)
		if _, err := uuid.Parse(v); v != "" && err != nil {
			problems = append(problems, FieldError{name, detail})
			return ""
		}
		return v
	}
	if v := f.Phase; v != "" && !slices.Contains(workflows.Phases, workflows.Phase(v)) {
		problems = append(problems, FieldError{"phase", "must be one of " + joined(workflows.Phases)})
	}
	if v := f.NextActor; v != "" && !slices.Contains(domain.NextActors, domain.Actor(v)) {
		problems = append(problems, FieldError{"next_actor", "must be one of " + joined(domain.NextActors)})
	}
	f.After = uuidParam("after", "must be a participant ID from the previous page")
	f.CounsellorID = uuidParam("counsellor_id", "must be a staff user ID")
	f.HostID = uuidParam("host_id", "must be a host organisation ID")
	if v := q.Get("deadline_before"); v != "" {
		before, err := time.Parse(time.RFC3339, v)
		if err != nil {
			var ok bool
			if before, ok = s.date(v); !ok {
				problems = append(problems, FieldError{"deadline_before", "must be a date (YYYY-MM-DD) or a time (RFC 3339)"})
			}
		}
		f.DeadlineBefore = &before
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusBadRequest, "a filter is malformed", problems...)
		return
	}
	list, err := s.store.Caseload(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "list_participants", "centre", p.CentreID, "ok") {
		return
	}
	body := map[string]any{"participants": list}
	if len(list) == limit {
		next := r.URL.Query()
		next.Set("after", list[len(list)-1].ID)
		body["next"] = (&url.URL{Path: "/v1/participants", RawQuery: next.Encode()}).String()
	}
	writeJSON(w, http.StatusOK, body)
}

// joined lists values for a problem's detail: "a, b or c".
func joined[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
