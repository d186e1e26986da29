package store

import (
	"context"
	"encoding/json"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
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
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Address  *string `json:"address"`
	Email    *string `json:"email"`
	Language string  `json:"language"`
	// SocialEconomy: the host belongs to the social economy sector.
	SocialEconomy bool           `json:"social_economy"`
	Positions     []HostPosition `json:"positions"`
	// Staff is the site's whole staff, Article 60 workers included.
	Staff     *int      `json:"staff"`
	CreatedAt time.Time `json:"created_at"`
}

// HostInput creates or replaces a host organisation (checked by the
// caller).
type HostInput struct {
	Name, Address, Email, Language string
	SocialEconomy                  bool
	Staff                          *int
	Positions                      []HostPosition
}

// HostFunctions are the functions a host organisation offers Article 60
// workers, by code: the API takes and answers the code, the pages say it
// in Dutch or French (the message "function.<code>"). A position's
// function is one of them.
var HostFunctions = []string{
	"kitchen_help", "cook", "dishwasher", "waiter", "cleaner", "laundry_worker",
	"shop_help", "sorter", "warehouse_worker", "driver", "removals_helper",
	"gardener", "maintenance", "construction_worker", "multi_purpose", "night_watch",
	"care_assistant", "childcare_assistant", "administrative_assistant", "receptionist",
	"it_support", "other",
}

// Trainings are the mandatory trainings a skills plan of an Article 60
// contract may hold, by code, as HostFunctions are: the API takes the
// code, the pages say it with the message "training.<code>".
var Trainings = []string{
	"first_aid", "safety_basics", "fire_safety", "hygiene", "food_safety", "aggression_management",
	"manual_handling", "forklift", "workplace_language", "computer_basics", "customer_service", "other",
}

// CheckHost lists what is wrong with a host organisation, defaulting its
// language to nl; the API and the pages check with it before they save.
func CheckHost(h *HostInput) []FieldProblem {
	var p []FieldProblem
	if strings.TrimSpace(h.Name) == "" {
		p = append(p, domain.Problem("name", domain.Required))
	}
	for field, v := range map[string]string{"name": h.Name, "address": h.Address} {
		if !CleanText(v) {
			p = append(p, domain.Problem(field, domain.NotText))
		}
	}
	if h.Email != "" {
		if a, err := mail.ParseAddress(h.Email); err != nil || a.Address != h.Email {
			p = append(p, domain.Problem("email", domain.NotEmail))
		}
	}
	if h.Language == "" {
		h.Language = "nl"
	}
	if h.Language != "nl" && h.Language != "fr" {
		p = append(p, domain.Problem("language", domain.OneOf, "nl", "fr"))
	}
	if h.Staff != nil && (*h.Staff < 0 || *h.Staff > 1000000) {
		p = append(p, domain.Problem("staff", domain.Between, "0", "1000000"))
	}
	seen := map[string]bool{}
	for i, pos := range h.Positions {
		field := "positions[" + strconv.Itoa(i) + "]"
		if !slices.Contains(HostFunctions, pos.Function) {
			p = append(p, domain.Problem(field+".function", domain.OneOf, strings.Join(HostFunctions, ", ")))
		}
		if seen[pos.Function] {
			p = append(p, domain.Problem(field+".function", domain.Twice))
		}
		seen[pos.Function] = true
		if pos.Positions < 0 || pos.Positions > 10000 {
			p = append(p, domain.Problem(field+".positions", domain.Between, "0", "10000"))
		}
	}
	return p
}

// AgreementsSQL selects each host's current agreement with centre $1: not
// archived, not expired, the newest when several are.
const AgreementsSQL = `
	SELECT DISTINCT ON (a.host_id) a.id, a.host_id, a.centre_id, a.valid_from
	FROM host_agreements a
	WHERE a.centre_id = $1 AND a.archived_at IS NULL AND (a.valid_until IS NULL OR a.valid_until >= current_date)
	ORDER BY a.host_id, a.valid_from DESC, a.id`

// Hosts lists the host organisations a centre has a current agreement
// with (or the one with ID id), each with the agreement's positions and
// how many of the centre's running contracts occupy them, and the address
// and staff of its first site. An unknown id, or a host the centre has no
// agreement with, is ErrNotFound: a centre sees its own agreements only.
func (s *Store) Hosts(ctx context.Context, centreID, id string) ([]Host, error) {
	if id != "" {
		if _, err := uuid.Parse(id); err != nil {
			return nil, notFound("host organisation")
		}
	}
	rows, err := s.db.Query(ctx, `
		WITH a AS (`+AgreementsSQL+`)
		SELECT h.id::text, h.name, site.address, h.email, h.language, h.social_economy, site.staff, h.created_at,
		       COALESCE((SELECT json_agg(json_build_object('function', p.function, 'positions', p.positions,
		                'occupied', (SELECT count(*) FROM trajectories t WHERE t.centre_id = a.centre_id
		                             AND t.contract_host_id = h.id::text AND t.contract_function = p.function)
		                ) ORDER BY p.function) FROM host_agreement_positions p WHERE p.agreement_id = a.id), '[]')
		FROM a JOIN hosts h ON h.id = a.host_id
		LEFT JOIN LATERAL (SELECT address, staff FROM host_sites WHERE host_id = h.id ORDER BY name, id LIMIT 1) site ON true
		WHERE h.archived_at IS NULL AND ($2 = '' OR h.id = $2::uuid)
		ORDER BY h.name, h.id`, centreID, id)
	if err != nil {
		return nil, classify("hosts", err)
	}
	hosts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Host, error) {
		var h Host
		err := row.Scan(&h.ID, &h.Name, &h.Address, &h.Email, &h.Language, &h.SocialEconomy, &h.Staff, &h.CreatedAt, &h.Positions)
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

// CreateHost registers a new host organisation for a centre: the host, its
// first site and the centre's agreement from today, and answers its ID.
func (s *Store) CreateHost(ctx context.Context, centreID string, h HostInput) (string, error) {
	id := uuid.NewString()
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO hosts (id, name, email, language, social_economy) VALUES ($1, $2, NULLIF($3, ''), $4, $5)`,
			id, h.Name, h.Email, h.Language, h.SocialEconomy); err != nil {
			return err
		}
		site := uuid.NewString()
		if _, err := tx.Exec(ctx, `INSERT INTO host_sites (id, host_id, name, address, staff) VALUES ($1, $2, $3, NULLIF($4, ''), $5)`,
			site, id, h.Name, h.Address, h.Staff); err != nil {
			return err
		}
		agreement := uuid.NewString()
		if _, err := tx.Exec(ctx, `INSERT INTO host_agreements (id, host_id, centre_id, valid_from) VALUES ($1, $2, $3, (now() AT TIME ZONE 'Europe/Brussels')::date)`,
			agreement, id, centreID); err != nil {
			return err
		}
		return insertPositions(ctx, tx, agreement, site, h.Positions)
	})
	return id, classify("create host", err)
}

// ReplaceHost changes a host the centre has a current agreement with: its
// name and contact, its first site's address and staff, and the positions
// of the centre's agreement (another centre's agreement is untouched).
// ErrNotFound when the centre has no such agreement.
func (s *Store) ReplaceHost(ctx context.Context, centreID, id string, h HostInput) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound("host organisation")
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var agreement string
		if err := tx.QueryRow(ctx, `SELECT a.id::text FROM (`+AgreementsSQL+`) a JOIN hosts h ON h.id = a.host_id
			WHERE a.host_id = $2 AND h.archived_at IS NULL`, centreID, id).Scan(&agreement); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE hosts SET name = $2, email = NULLIF($3, ''), language = $4, social_economy = $5 WHERE id = $1`,
			id, h.Name, h.Email, h.Language, h.SocialEconomy); err != nil {
			return err
		}
		var site string
		if err := tx.QueryRow(ctx, `UPDATE host_sites SET address = NULLIF($2, ''), staff = $3
			WHERE id = (SELECT id FROM host_sites WHERE host_id = $1 ORDER BY name, id LIMIT 1) RETURNING id::text`,
			id, h.Address, h.Staff).Scan(&site); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM host_agreement_positions WHERE agreement_id = $1`, agreement); err != nil {
			return err
		}
		return insertPositions(ctx, tx, agreement, site, h.Positions)
	})
	return classify("host organisation", err)
}

// ErrHostBusy is the ErrConflict of archiving a host organisation that has
// running Article 60 contracts.
var ErrHostBusy = &ConflictError{Code: domain.HostBusy}

// ArchiveHost ends the centre's agreement with a host while none of the
// centre's contracts runs there: ErrNotFound when there is no such
// agreement, ErrHostBusy while contracts run. The host itself, and its
// agreements with other centres, stay.
func (s *Store) ArchiveHost(ctx context.Context, centreID, id string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := uuid.Parse(id); err != nil {
			return pgx.ErrNoRows
		}
		var agreement string
		err := tx.QueryRow(ctx, `SELECT a.id::text FROM (`+AgreementsSQL+`) a WHERE a.host_id = $2`, centreID, id).Scan(&agreement)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM host_agreements WHERE id = $1 FOR UPDATE`, agreement); err != nil {
			return err
		}
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM trajectories WHERE centre_id = $1 AND contract_host_id = $2)`, centreID, id).Scan(&busy); err != nil {
			return err
		}
		if busy {
			return ErrHostBusy
		}
		_, err = tx.Exec(ctx, `UPDATE host_agreements SET archived_at = now() WHERE id = $1`, agreement)
		return err
	})
	return classify("host organisation", err)
}

func insertPositions(ctx context.Context, tx pgx.Tx, agreementID, siteID string, positions []HostPosition) error {
	for _, p := range positions {
		if _, err := tx.Exec(ctx, `INSERT INTO host_agreement_positions (agreement_id, function, positions, site_id) VALUES ($1, $2, $3, $4)`,
			agreementID, p.Function, p.Positions, siteID); err != nil {
			return err
		}
	}
	return nil
}

// HostWorksWith tells whether the host has had an agreement with the
// centre: the centres whose attendance sheets the host may read.
func (s *Store) HostWorksWith(ctx context.Context, hostID, centreID string) (bool, error) {
	if _, err := uuid.Parse(hostID); err != nil {
		return false, nil
	}
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM host_agreements WHERE host_id = $1 AND centre_id = $2)`, hostID, centreID).Scan(&ok)
	return ok, classify("host agreements", err)
}

// HostNames maps the host organisations of ids to their names; an unknown
// or malformed ID is left out.
func (s *Store) HostNames(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.db.Query(ctx, `SELECT id::text, name FROM hosts WHERE id::text = ANY($1)`, ids)
	if err != nil {
		return nil, classify("host names", err)
	}
	out := map[string]string{}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		out[id] = name
		return nil
	})
	return out, classify("host names", err)
}

// CheckHostMerge tells whether a centre may merge its record of a host
// (from) into another record of the same organisation (into): from must
// be the centre's own, with no other centre's agreement, and into another
// host that is not archived. Refusals are *InvalidError and ErrNotFound.
func (s *Store) CheckHostMerge(ctx context.Context, centreID, from, into string) error {
	if _, err := uuid.Parse(from); err != nil {
		return notFound("host organisation")
	}
	var mine, others int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE centre_id = $1 AND archived_at IS NULL), count(*) FILTER (WHERE centre_id <> $1 AND archived_at IS NULL)
		FROM host_agreements WHERE host_id = $2`, centreID, from).Scan(&mine, &others)
	if err != nil {
		return classify("host organisation", err)
	}
	if mine == 0 {
		return notFound("host organisation")
	}
	if others > 0 {
		return invalid(domain.Problem("id", domain.HostShared))
	}
	var live bool
	if _, err := uuid.Parse(into); err == nil && into != from {
		if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hosts WHERE id = $1 AND archived_at IS NULL)`, into).Scan(&live); err != nil {
			return classify("host organisation", err)
		}
	}
	if !live {
		return invalid(domain.Problem("into", domain.NotOtherHost))
	}
	return nil
}

// ContractsAt lists the participants whose contract names the host, while
// it runs or is followed up: the contracts a merge must move first.
func (s *Store) ContractsAt(ctx context.Context, hostID string) ([]string, error) {
	rows, err := s.db.Query(ctx, `
		SELECT participant_id::text FROM trajectories
		WHERE (phase = 'article60' AND contract_host_id = $1) OR (phase = 'post_article60' AND state->'contract'->>'host_id' = $1)
		ORDER BY participant_id`, hostID)
	if err != nil {
		return nil, classify("contracts at host", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, classify("contracts at host", err)
}

// MergeHost makes from part of into, in one transaction, once the running
// contracts have moved (ContractsAt is empty): its sites, users,
// attendance and signals go to into; each of its agreements too, or, when
// into has one with the same centre already, its positions are added to
// that one; the timeline's events name into, so the statistics count the
// organisation once; from is archived and the merge recorded.
func (s *Store) MergeHost(ctx context.Context, centreID, from, into, by string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var left bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM trajectories WHERE contract_host_id = $1)`, from).Scan(&left); err != nil {
			return err
		}
		if left {
			return &ConflictError{Code: domain.HostMovePending}
		}
		agreements, err := tx.Query(ctx, `SELECT id::text, centre_id FROM host_agreements WHERE host_id = $1 AND archived_at IS NULL`, from)
		if err != nil {
			return err
		}
		type agreement struct{ id, centre string }
		list, err := pgx.CollectRows(agreements, func(row pgx.CollectableRow) (agreement, error) {
			var a agreement
			return a, row.Scan(&a.id, &a.centre)
		})
		if err != nil {
			return err
		}
		for _, a := range list {
			var target string
			err := tx.QueryRow(ctx, `SELECT a.id::text FROM (`+AgreementsSQL+`) a WHERE a.host_id = $2`, a.centre, into).Scan(&target)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				if _, err := tx.Exec(ctx, `UPDATE host_agreements SET host_id = $2 WHERE id = $1`, a.id, into); err != nil {
					return err
				}
			case err != nil:
				return err
			default:
				if _, err := tx.Exec(ctx, `
					INSERT INTO host_agreement_positions (agreement_id, function, positions, site_id)
					SELECT $2, function, positions, site_id FROM host_agreement_positions WHERE agreement_id = $1
					ON CONFLICT (agreement_id, function) DO UPDATE SET positions = host_agreement_positions.positions + EXCLUDED.positions`, a.id, target); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE host_agreements SET archived_at = now() WHERE id = $1`, a.id); err != nil {
					return err
				}
			}
		}
		for _, q := range []string{
			`UPDATE host_sites SET host_id = $2 WHERE host_id = $1`,
			`UPDATE staff_users SET host_id = $2 WHERE host_id = $1`,
			`UPDATE attendance SET host_id = $2 WHERE host_id = $1`,
			// A month both declared stays declared by into; from's own
			// declarations of other months move with its attendance.
			`UPDATE attendance_months m SET host_id = $2 WHERE host_id = $1 AND NOT EXISTS (
				SELECT 1 FROM attendance_months x WHERE x.host_id = $2 AND x.centre_id = m.centre_id AND x.month = m.month)`,
			`UPDATE host_signals SET host_id = $2 WHERE host_id = $1`,
			`UPDATE timeline_events SET data = jsonb_set(data, '{host_id}', to_jsonb($2::text)) WHERE kind IN ('phase_changed', 'hiring_recorded') AND data->>'host_id' = $1::text`,
		} {
			if _, err := tx.Exec(ctx, q, from, into); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE hosts SET archived_at = now() WHERE id = $1`, from); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO host_merges (from_host_id, into_host_id, centre_id, merged_by) VALUES ($1, $2, $3, $4)`, from, into, centreID, by)
		return err
	})
	return classify("merge host organisations", err)
}

// Agreement is one of a host's current agreements, as the host sees it:
// the centre, its dates and each function's positions with how many of
// that centre's running contracts occupy them.
type Agreement struct {
	CentreID   string         `json:"centre_id"`
	CentreName string         `json:"centre_name"`
	ValidFrom  time.Time      `json:"valid_from"`
	ValidUntil *time.Time     `json:"valid_until"`
	Positions  []HostPosition `json:"positions"`
}

// HostAgreements lists the host's current agreements with every centre,
// by centre name.
func (s *Store) HostAgreements(ctx context.Context, hostID string) ([]Agreement, error) {
	if _, err := uuid.Parse(hostID); err != nil {
		return []Agreement{}, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT DISTINCT ON (a.centre_id) a.centre_id, c.name, a.valid_from, a.valid_until,
		       COALESCE((SELECT json_agg(json_build_object('function', p.function, 'positions', p.positions,
		                'occupied', (SELECT count(*) FROM trajectories t WHERE t.centre_id = a.centre_id
		                             AND t.contract_host_id = a.host_id::text AND t.contract_function = p.function)
		                ) ORDER BY p.function) FROM host_agreement_positions p WHERE p.agreement_id = a.id), '[]')
		FROM host_agreements a JOIN centres c ON c.id = a.centre_id
		WHERE a.host_id = $1 AND a.archived_at IS NULL AND (a.valid_until IS NULL OR a.valid_until >= current_date)
		ORDER BY a.centre_id, a.valid_from DESC, a.id`, hostID)
	if err != nil {
		return nil, classify("agreements", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Agreement, error) {
		var a Agreement
		var positions []byte
		if err := row.Scan(&a.CentreID, &a.CentreName, &a.ValidFrom, &a.ValidUntil, &positions); err != nil {
			return a, err
		}
		return a, json.Unmarshal(positions, &a.Positions)
	})
	if err != nil {
		return nil, classify("agreements", err)
	}
	slices.SortFunc(out, func(a, b Agreement) int { return strings.Compare(a.CentreName, b.CentreName) })
	if out == nil {
		out = []Agreement{}
	}
	return out, nil
}

// AgreementTotals adds up the positions and their occupancy over agreements.
func AgreementTotals(agreements []Agreement) (positions, occupied int) {
	for _, a := range agreements {
		for _, p := range a.Positions {
			positions += p.Positions
			occupied += p.Occupied
		}
	}
	return positions, occupied
}
