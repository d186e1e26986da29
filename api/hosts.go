package api

import (
	"context"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// hostRequest creates or replaces a host organisation.
type hostRequest struct {
	Name      string         `json:"name"`
	Email     string         `json:"email,omitempty"`
	Language  string         `json:"language,omitempty"`
	Positions []hostPosition `json:"positions"`
	// Staff is the site's whole staff, Article 60 workers included.
	Staff *int `json:"staff,omitempty"`
}

type hostPosition struct {
	Function  string `json:"function"`
	Positions int    `json:"positions"`
	Occupied  int    `json:"occupied"` // answered, never read
}

type host struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Email     *string        `json:"email"`
	Language  string         `json:"language"`
	Positions []hostPosition `json:"positions"`
	Staff     *int           `json:"staff"`
	CreatedAt time.Time      `json:"created_at"`
}

var functionCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

func hostWriter(w http.ResponseWriter, r *http.Request) bool {
	if role := principalFrom(r.Context()).Role; role != "coordinator" && role != "admin" {
		writeProblem(w, r, http.StatusForbidden, "host organisations are managed by coordinators and administrators")
		return false
	}
	return true
}

func (req *hostRequest) check() []FieldError {
	var p []FieldError
	if req.Name == "" {
		p = append(p, FieldError{"name", "is required"})
	}
	if req.Email != "" {
		if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != req.Email {
			p = append(p, FieldError{"email", "is not an e-mail address"})
		}
	}
	if req.Language == "" {
		req.Language = "nl"
	}
	if req.Language != "nl" && req.Language != "fr" {
		p = append(p, FieldError{"language", "must be nl or fr"})
	}
	if req.Staff != nil && (*req.Staff < 0 || *req.Staff > 1000000) {
		p = append(p, FieldError{"staff", "must be between 0 and 1000000"})
	}
	seen := map[string]bool{}
	for i, pos := range req.Positions {
		field := "positions[" + itoa(i) + "]"
		if !functionCode.MatchString(pos.Function) {
			p = append(p, FieldError{field + ".function", "must be a code such as kitchen_help"})
		}
		if seen[pos.Function] {
			p = append(p, FieldError{field + ".function", "appears twice"})
		}
		seen[pos.Function] = true
		if pos.Positions < 0 || pos.Positions > 10000 {
			p = append(p, FieldError{field + ".positions", "must be between 0 and 10000"})
		}
	}
	return p
}

// decodeHost reads and checks a host organisation's body.
func decodeHost(w http.ResponseWriter, r *http.Request) (hostRequest, bool) {
	var req hostRequest
	if !decode(w, r, &req) {
		return req, false
	}
	if p := req.check(); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the host organisation is incomplete or malformed", p...)
		return req, false
	}
	return req, true
}

func (s *server) createHost(w http.ResponseWriter, r *http.Request) {
	if !hostWriter(w, r) {
		return
	}
	req, ok := decodeHost(w, r)
	if !ok {
		return
	}
	id := uuid.NewString()
	centre := principalFrom(r.Context()).CentreID
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(r.Context(), `INSERT INTO host_organisations (id, centre_id, name, email, language, staff) VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6)`,
			id, centre, req.Name, req.Email, req.Language, req.Staff); err != nil {
			return err
		}
		return insertPositions(r.Context(), tx, id, req.Positions)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "create_host", "host", id, "ok") {
		return
	}
	w.Header().Set("Location", "/v1/hosts/"+id)
	s.writeHosts(w, r, id, http.StatusCreated)
}

func (s *server) replaceHost(w http.ResponseWriter, r *http.Request) {
	if !hostWriter(w, r) {
		return
	}
	id, ok := s.visibleHost(w, r)
	if !ok {
		return
	}
	req, ok := decodeHost(w, r)
	if !ok {
		return
	}
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(r.Context(), `UPDATE host_organisations SET name = $2, email = NULLIF($3, ''), language = $4, staff = $5 WHERE id = $1`, id, req.Name, req.Email, req.Language, req.Staff); err != nil {
			return err
		}
		if _, err := tx.Exec(r.Context(), `DELETE FROM host_positions WHERE host_id = $1`, id); err != nil {
			return err
		}
		return insertPositions(r.Context(), tx, id, req.Positions)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "change_host", "host", id, "ok") {
		return
	}
	s.writeHosts(w, r, id, http.StatusOK)
}

// archiveHost retires a host organisation that has no running contract.
func (s *server) archiveHost(w http.ResponseWriter, r *http.Request) {
	if !hostWriter(w, r) {
		return
	}
	id, ok := s.visibleHost(w, r)
	if !ok {
		return
	}
	var running int
	if err := s.db.QueryRow(r.Context(), `SELECT count(*) FROM trajectories WHERE phase = 'article60' AND state->'contract'->>'host_id' = $1`, id).Scan(&running); err != nil {
		s.fail(w, r, err)
		return
	}
	if running > 0 {
		writeProblem(w, r, http.StatusConflict, "the host organisation has running Article 60 contracts")
		return
	}
	if _, err := s.db.Exec(r.Context(), `UPDATE host_organisations SET archived_at = now() WHERE id = $1`, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "archive_host", "host", id, "ok") {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) getHost(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleHost(w, r)
	if !ok {
		return
	}
	s.writeHosts(w, r, id, http.StatusOK)
}

func (s *server) listHosts(w http.ResponseWriter, r *http.Request) {
	s.writeHosts(w, r, "", http.StatusOK)
}

// writeHosts answers one host (id) or every active host of the centre,
// each position with how many running contracts occupy it.
func (s *server) writeHosts(w http.ResponseWriter, r *http.Request, id string, status int) {
	centre := principalFrom(r.Context()).CentreID
	rows, err := s.db.Query(r.Context(), `
		SELECT h.id::text, h.name, h.email, h.language, h.staff, h.created_at,
		       COALESCE(json_agg(json_build_object('function', hp.function, 'positions', hp.positions,
		                'occupied', (SELECT count(*) FROM trajectories t WHERE t.centre_id = h.centre_id AND t.phase = 'article60'
		                             AND t.state->'contract'->>'host_id' = h.id::text AND t.state->'contract'->>'function' = hp.function)
		                ) ORDER BY hp.function) FILTER (WHERE hp.function IS NOT NULL), '[]')
		FROM host_organisations h LEFT JOIN host_positions hp ON hp.host_id = h.id
		WHERE h.centre_id = $1 AND h.archived_at IS NULL AND ($2 = '' OR h.id = $2::uuid)
		GROUP BY h.id ORDER BY h.name, h.id`, centre, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hosts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (host, error) {
		var h host
		err := row.Scan(&h.ID, &h.Name, &h.Email, &h.Language, &h.Staff, &h.CreatedAt, &h.Positions)
		return h, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if id != "" {
		if len(hosts) == 0 { // archived since the caller's check
			writeProblem(w, r, http.StatusNotFound, "no such host organisation")
			return
		}
		writeJSON(w, status, hosts[0])
		return
	}
	if hosts == nil {
		hosts = []host{}
	}
	writeJSON(w, status, map[string]any{"hosts": hosts})
}

func (s *server) visibleHost(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	var ok bool
	if _, err := uuid.Parse(id); err == nil {
		_ = s.db.QueryRow(r.Context(), `SELECT EXISTS (SELECT 1 FROM host_organisations WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL)`,
			id, principalFrom(r.Context()).CentreID).Scan(&ok)
	}
	if !ok {
		writeProblem(w, r, http.StatusNotFound, "no such host organisation")
	}
	return id, ok
}

func insertPositions(ctx context.Context, tx pgx.Tx, hostID string, positions []hostPosition) error {
	for _, p := range positions {
		if _, err := tx.Exec(ctx, `INSERT INTO host_positions (host_id, function, positions) VALUES ($1, $2, $3)`, hostID, p.Function, p.Positions); err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
