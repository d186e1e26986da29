package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// caseloadRow is one line of the caseload list.
type caseloadRow struct {
	ID           string     `json:"id"`
	GivenName    string     `json:"given_name"`
	FamilyName   string     `json:"family_name"`
	Phase        *string    `json:"phase"`
	CounsellorID *string    `json:"counsellor_id"`
	NextActor    *string    `json:"next_actor"`
	NextDeadline *time.Time `json:"next_deadline"`
}

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
	where := []string{"p.centre_id = $1"}
	args := []any{p.CentreID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if p.Role == "counsellor" {
		add("t.counsellor_id = $%d::uuid", p.UserID)
	}
	var problems []FieldError
	if v := q.Get("after"); v != "" {
		if _, err := uuid.Parse(v); err != nil {
			problems = append(problems, FieldError{"after", "must be a participant ID from the previous page"})
		}
		add("p.id > $%d::uuid", v)
	}
	if v := q.Get("phase"); v != "" {
		add("t.phase = $%d", v)
	}
	if v := q.Get("next_actor"); v != "" {
		add("t.next_actor = $%d", v)
	}
	if v := q.Get("counsellor_id"); v != "" {
		if _, err := uuid.Parse(v); err != nil {
			problems = append(problems, FieldError{"counsellor_id", "must be a staff user ID"})
		}
		add("t.counsellor_id = $%d::uuid", v)
	}
	if v := q.Get("host_id"); v != "" {
		add("t.phase = 'article60' AND t.state->'contract'->>'host_id' = $%d", v)
	}
	if v := q.Get("deadline_before"); v != "" {
		before, err := time.Parse(time.RFC3339, v)
		if err != nil {
			var ok bool
			if before, ok = s.date(v); !ok {
				problems = append(problems, FieldError{"deadline_before", "must be a date (YYYY-MM-DD) or a time (RFC 3339)"})
			}
		}
		add("t.next_deadline < $%d", before)
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		add("(p.given_name || ' ' || p.family_name) ILIKE '%%' || $%d || '%%'", escapeLike(v))
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusBadRequest, "a filter is malformed", problems...)
		return
	}
	args = append(args, limit)
	rows, err := s.db.Query(r.Context(), `
		SELECT p.id::text, p.given_name, p.family_name, t.phase, t.counsellor_id::text, t.next_actor, t.next_deadline
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (caseloadRow, error) {
		var c caseloadRow
		err := row.Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.Phase, &c.CounsellorID, &c.NextActor, &c.NextDeadline)
		return c, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "list_participants", "centre", p.CentreID, "ok") {
		return
	}
	body := map[string]any{"participants": list}
	if list == nil {
		body["participants"] = []caseloadRow{}
	}
	if len(list) == limit {
		next := r.URL.Query()
		next.Set("after", list[len(list)-1].ID)
		body["next"] = (&url.URL{Path: "/v1/participants", RawQuery: next.Encode()}).String()
	}
	writeJSON(w, http.StatusOK, body)
}

// escapeLike keeps a user's % and _ literal in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
