package store

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// HostPosition is one function a host organisation offers, and how many
// running contracts occupy it.
type HostPosition struct {
	Function  string `json:"function"`
	Positions int    `json:"positions"`
	Occupied  int    `json:"occupied"` // answered, never read
}

// Host is a host organisation of a centre with its positions.
type Host struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Address   *string        `json:"address"`
	Email     *string        `json:"email"`
	Language  string         `json:"language"`
	Positions []HostPosition `json:"positions"`
	// Staff is the site's whole staff, Article 60 workers included.
	Staff     *int      `json:"staff"`
	CreatedAt time.Time `json:"created_at"`
}

// HostInput creates or replaces a host organisation (checked by the
// caller).
type HostInput struct {
	Name, Address, Email, Language string
	Staff                          *int
	Positions                      []HostPosition
}

var functionCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// CheckHost lists what is wrong with a host organisation, defaulting its
// language to nl; the API and the pages check with it before they save.
func CheckHost(h *HostInput) []FieldProblem {
	var p []FieldProblem
	if strings.TrimSpace(h.Name) == "" {
		p = append(p, FieldProblem{"name", "is required"})
	}
	for field, v := range map[string]string{"name": h.Name, "address": h.Address} {
		if !CleanText(v) {
			p = append(p, FieldProblem{field, "may not hold control characters"})
		}
	}
	if h.Email != "" {
		if a, err := mail.ParseAddress(h.Email); err != nil || a.Address != h.Email {
			p = append(p, FieldProblem{"email", "is not an e-mail address"})
		}
	}
	if h.Language == "" {
		h.Language = "nl"
	}
	if h.Language != "nl" && h.Language != "fr" {
		p = append(p, FieldProblem{"language", "must be nl or fr"})
	}
	if h.Staff != nil && (*h.Staff < 0 || *h.Staff > 1000000) {
		p = append(p, FieldProblem{"staff", "must be between 0 and 1000000"})
	}
	seen := map[string]bool{}
	for i, pos := range h.Positions {
		field := "positions[" + strconv.Itoa(i) + "]"
		if !functionCode.MatchString(pos.Function) {
			p = append(p, FieldProblem{field + ".function", "must be a code such as kitchen_help"})
		}
		if seen[pos.Function] {
			p = append(p, FieldProblem{field + ".function", "appears twice"})
		}
		seen[pos.Function] = true
		if pos.Positions < 0 || pos.Positions > 10000 {
			p = append(p, FieldProblem{field + ".positions", "must be between 0 and 10000"})
		}
	}
	return p
}

// Hosts lists a centre's active host organisations (or the one with ID id),
// each position with how many running contracts occupy it. An unknown or
// archived id is ErrNotFound.
func (s *Store) Hosts(ctx context.Context, centreID, id string) ([]Host, error) {
	if id != "" {
		if _, err := uuid.Parse(id); err != nil {
			return nil, notFound("host organisation")
		}
	}
	rows, err := s.db.Query(ctx, `
		SELECT h.id::text, h.name, h.address, h.email, h.language, h.staff, h.created_at,
		       COALESCE(json_agg(json_build_object('function', hp.function, 'positions', hp.positions,
		                'occupied', (SELECT count(*) FROM trajectories t WHERE t.centre_id = h.centre_id
		                             AND t.contract_host_id = h.id::text AND t.contract_function = hp.function)
		                ) ORDER BY hp.function) FILTER (WHERE hp.function IS NOT NULL), '[]')
		FROM host_organisations h LEFT JOIN host_positions hp ON hp.host_id = h.id
		WHERE h.centre_id = $1 AND h.archived_at IS NULL AND ($2 = '' OR h.id = $2::uuid)
		GROUP BY h.id ORDER BY h.name, h.id`, centreID, id)
	if err != nil {
		return nil, classify("hosts", err)
	}
	hosts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Host, error) {
		var h Host
		err := row.Scan(&h.ID, &h.Name, &h.Address, &h.Email, &h.Language, &h.Staff, &h.CreatedAt, &h.Positions)
		return h, err
	})
	if err != nil {
		return nil, classify("hosts", err)
	}
	if id != "" && len(hosts) == 0 {
		return nil, notFound("host organisation")
	}
	if hosts == nil {
		hosts = []Host{}
	}
	return hosts, nil
}

// CreateHost adds a host organisation to a centre and answers its ID.
func (s *Store) CreateHost(ctx context.Context, centreID string, h HostInput) (string, error) {
	id := uuid.NewString()
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO host_organisations (id, centre_id, name, email, language, staff, address) VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, NULLIF($7, ''))`,
			id, centreID, h.Name, h.Email, h.Language, h.Staff, h.Address); err != nil {
			return err
		}
		return insertPositions(ctx, tx, id, h.Positions)
	})
	return id, classify("create host", err)
}

// ReplaceHost replaces an active host organisation of the centre;
// ErrNotFound when there is none.
func (s *Store) ReplaceHost(ctx context.Context, centreID, id string, h HostInput) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound("host organisation")
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE host_organisations SET name = $3, email = NULLIF($4, ''), language = $5, staff = $6, address = NULLIF($7, '')
			WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL`, id, centreID, h.Name, h.Email, h.Language, h.Staff, h.Address)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		if _, err := tx.Exec(ctx, `DELETE FROM host_positions WHERE host_id = $1`, id); err != nil {
			return err
		}
		return insertPositions(ctx, tx, id, h.Positions)
	})
	return classify("host organisation", err)
}

// ErrHostBusy is the ErrConflict of archiving a host organisation that has
// running Article 60 contracts.
var ErrHostBusy = &ConflictError{Detail: "the host organisation has running Article 60 contracts"}

// ArchiveHost retires an active host organisation of the centre that has no
// running contract: ErrNotFound when there is none, ErrHostBusy while
// contracts run.
func (s *Store) ArchiveHost(ctx context.Context, centreID, id string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := uuid.Parse(id); err != nil {
			return pgx.ErrNoRows
		}
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM host_organisations WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL FOR UPDATE`, id, centreID).Scan(&one)
		if err != nil {
			return err
		}
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM trajectories WHERE contract_host_id = $1)`, id).Scan(&busy); err != nil {
			return err
		}
		if busy {
			return ErrHostBusy
		}
		_, err = tx.Exec(ctx, `UPDATE host_organisations SET archived_at = now() WHERE id = $1`, id)
		return err
	})
	return classify("host organisation", err)
}

func insertPositions(ctx context.Context, tx pgx.Tx, hostID string, positions []HostPosition) error {
	for _, p := range positions {
		if _, err := tx.Exec(ctx, `INSERT INTO host_positions (host_id, function, positions) VALUES ($1, $2, $3)`, hostID, p.Function, p.Positions); err != nil {
			return err
		}
	}
	return nil
}
