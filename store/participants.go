package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
)

// NewParticipant is a participant as registered, before their trajectory
// starts.
type NewParticipant struct {
	ID, CentreID, GivenName, FamilyName string
	BirthDate                           time.Time
	Gender, NationalNumber, Email       string
	Language                            string
	LeefloonDecisionDate                time.Time
	// LeefloonNotifiedDate is the day the decision was notified; zero
	// when not known.
	LeefloonNotifiedDate time.Time
	// CounsellorID is the intake's counsellor: theirs to open until the
	// trajectory's read model names its counsellor.
	CounsellorID string
	Contact
}

// Contact is how a participant is reached: phone and postal address (the
// e-mail and language are the dossier's own fields).
type Contact struct {
	Phone        string `json:"phone"`
	Street       string `json:"street"`
	Postcode     string `json:"postcode"`
	Municipality string `json:"municipality"`
}

// CreateParticipant inserts a participant; a national number the centre
// has registered already is ErrConflict. A participant with the same ID in
// the same centre is taken as made by an earlier attempt of the same
// request (the API derives the ID from the Idempotency-Key): nothing
// changes and created is false.
func (s *Store) CreateParticipant(ctx context.Context, p NewParticipant) (created bool, err error) {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, gender, national_number, email, language, leefloon_decision_date,
		                          leefloon_notified_date, phone, street, postcode, municipality, intake_counsellor_id)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), NULLIF($7, ''), NULLIF($8, ''), $9, $10,
		        $11, NULLIF($12, ''), NULLIF($13, ''), NULLIF($14, ''), NULLIF($15, ''), NULLIF($16, '')::uuid)
		ON CONFLICT (id) DO NOTHING`,
		p.ID, p.CentreID, p.GivenName, p.FamilyName, p.BirthDate, p.Gender, p.NationalNumber, p.Email, p.Language, p.LeefloonDecisionDate,
		optionalDate(p.LeefloonNotifiedDate), p.Phone, p.Street, p.Postcode, p.Municipality, p.CounsellorID)
	if uniqueViolation(err) {
		return false, &ConflictError{Code: domain.ParticipantExists, Field: "national_number", Err: err}
	}
	if err != nil {
		return false, classify("create participant", err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	var centre string
	if err := s.db.QueryRow(ctx, `SELECT centre_id FROM participants WHERE id = $1`, p.ID).Scan(&centre); err != nil {
		return false, classify("create participant", err)
	}
	if centre != p.CentreID {
		return false, &ConflictError{Code: domain.IDTaken}
	}
	return false, nil
}

// DeleteParticipant removes a participant whose trajectory never started.
func (s *Store) DeleteParticipant(ctx context.Context, id string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM participants WHERE id = $1`, id)
	return classify("delete participant", err)
}

// Dossier is a participant with their trajectory's read model.
type Dossier struct {
	ID string `json:"id"`
	// Number is the dossier number, counted per centre from 1 at intake.
	Number               int     `json:"dossier_number"`
	CentreID             string  `json:"centre_id"`
	GivenName            string  `json:"given_name"`
	FamilyName           string  `json:"family_name"`
	BirthDate            string  `json:"birth_date"`
	Gender               *string `json:"gender"`
	NationalNumber       string  `json:"national_number"`
	Email                *string `json:"email"`
	Language             string  `json:"language"`
	LeefloonDecisionDate string  `json:"leefloon_decision_date"`
	LeefloonNotifiedDate *string `json:"leefloon_notified_date"`
	Phone                *string `json:"phone"`
	Street               *string `json:"street"`
	Postcode             *string `json:"postcode"`
	Municipality         *string `json:"municipality"`
	// DetailsVersion counts the edits of the personal details: an edit
	// names the version it changes (If-Match in the API).
	DetailsVersion int             `json:"details_version"`
	Trajectory     json.RawMessage `json:"trajectory"`
}

// dossierColumns are a dossier's columns, read by scanDossier, of
// participants p joined to trajectories t.
const dossierColumns = `p.id::text, p.dossier_number, p.centre_id, p.given_name, p.family_name, p.birth_date, p.gender, COALESCE(p.national_number, ''), p.email, p.language,
		       p.leefloon_decision_date, to_char(p.leefloon_notified_date, 'YYYY-MM-DD'), p.phone, p.street, p.postcode, p.municipality,
		       p.details_version, t.state`

// Dossier reads one participant and their trajectory's state (JSON null
// before the workflow's first write).
func (s *Store) Dossier(ctx context.Context, id string) (Dossier, error) {
	return scanDossier(s.db.QueryRow(ctx, `
		SELECT `+dossierColumns+`
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE p.id = $1`, id))
}

// ReadDossier reads a dossier the viewer may see and records the read in
// the audit log (a.ObjectID is set to id), in one statement: the
// visibility check, the log entry and the read are one round trip and one
// commit, and a dossier is never answered without its entry. One the
// viewer may not see is ErrNotFound, unlogged, as VisibleParticipant.
func (s *Store) ReadDossier(ctx context.Context, v Viewer, id string, a Access) (Dossier, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Dossier{}, notFound("participant")
	}
	return scanDossier(s.db.QueryRow(ctx, `
		WITH seen AS (
			SELECT `+dossierColumns+`
			FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
			WHERE p.id = $1 AND p.centre_id = $2 AND (NOT $3 OR COALESCE(t.counsellor_id, p.intake_counsellor_id) = $4::uuid)
			  AND (NOT $12 OR `+withProcedure+`)
		), logged AS (
			INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, request_id, outcome)
			SELECT NULLIF($5, ''), NULLIF($6, '')::uuid, NULLIF($7, ''), $8, $9, $1, $10, $11 FROM seen
		)
		SELECT * FROM seen`,
		id, v.CentreID, v.CaseloadOnly, v.UserID,
		a.CentreID, a.ActorID, a.ActorRole, a.Action, a.ObjectType, a.RequestID, a.Outcome, v.ProceduresOnly))
}

func scanDossier(row pgx.Row) (Dossier, error) {
	var d Dossier
	var birth, decision time.Time
	var trajectory []byte
	err := row.Scan(&d.ID, &d.Number, &d.CentreID, &d.GivenName, &d.FamilyName, &birth, &d.Gender, &d.NationalNumber, &d.Email, &d.Language, &decision,
		&d.LeefloonNotifiedDate, &d.Phone, &d.Street, &d.Postcode, &d.Municipality, &d.DetailsVersion, &trajectory)
	if err != nil {
		return d, classify("participant", err)
	}
	d.BirthDate, d.LeefloonDecisionDate = birth.Format(time.DateOnly), decision.Format(time.DateOnly)
	d.Trajectory = trajectory
	if len(trajectory) == 0 {
		d.Trajectory = json.RawMessage("null")
	}
	return d, nil
}

// Viewer is who looks at participants: a centre's staff user, and, for a
// counsellor, only their own caseload.
type Viewer struct {
	CentreID string
	UserID   string
	// CaseloadOnly limits what the viewer sees to the dossiers they hold.
	CaseloadOnly bool
	// ProceduresOnly limits it to the dossiers referred to the BCSD (a
	// procedure open or decided): the committee's need to know.
	ProceduresOnly bool
}

// ViewerOf is what a staff role may see of its centre's dossiers: a
// counsellor their own, the BCSD those with a procedure, a coordinator
// all. (An administrator opens none: the route tables keep them out.)
func ViewerOf(centreID, userID string, role domain.Role) Viewer {
	return Viewer{CentreID: centreID, UserID: userID, CaseloadOnly: role == domain.RoleCounsellor, ProceduresOnly: role == domain.RoleBCSD}
}

// withProcedure is the condition ProceduresOnly adds, on participants p
// and trajectories t: a procedure in the procedures' read model, or
// counted in the trajectory's state (written before the update that
// started it answers, while the procedure's own row may follow a moment
// later).
const withProcedure = `(COALESCE((t.state->'sanction'->>'procedures')::int, 0) > 0
	OR EXISTS (SELECT 1 FROM sanction_procedures sp WHERE sp.participant_id = p.id))`

// VisibleParticipant tells whether the viewer may see the participant:
// another centre's, another counsellor's (for a counsellor) or an unknown
// one is ErrNotFound.
func (s *Store) VisibleParticipant(ctx context.Context, v Viewer, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound("participant")
	}
	var visible bool
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		               WHERE p.id = $1 AND p.centre_id = $2 AND (NOT $3 OR COALESCE(t.counsellor_id, p.intake_counsellor_id) = $4::uuid)
		                 AND (NOT $5 OR `+withProcedure+`))`,
		id, v.CentreID, v.CaseloadOnly, v.UserID, v.ProceduresOnly).Scan(&visible)
	if err != nil {
		return classify("participant", err)
	}
	if !visible {
		return notFound("participant")
	}
	return nil
}

// BirthDate reads a participant's birth date.
func (s *Store) BirthDate(ctx context.Context, id string) (time.Time, error) {
	var birth time.Time
	err := s.db.QueryRow(ctx, `SELECT birth_date FROM participants WHERE id = $1`, id).Scan(&birth)
	return birth, classify("participant", err)
}

// TimelineEntry is one event of a dossier's timeline.
type TimelineEntry struct {
	ID         int64           `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Kind       string          `json:"kind"`
	PhaseFrom  *string         `json:"phase_from"`
	PhaseTo    *string         `json:"phase_to"`
	ActorID    *string         `json:"actor_id"`
	Data       json.RawMessage `json:"data"`
}

// Timeline lists a dossier's events after the ID after, oldest first.
func (s *Store) Timeline(ctx context.Context, participantID string, after int64, limit int) ([]TimelineEntry, error) {
	return s.timeline(ctx, `WHERE participant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, participantID, after, limit)
}

func (s *Store) timeline(ctx context.Context, where string, args ...any) ([]TimelineEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT id, occurred_at, kind, phase_from, phase_to, actor_id::text, data FROM timeline_events `+where, args...)
	if err != nil {
		return nil, classify("timeline", err)
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TimelineEntry, error) {
		var e TimelineEntry
		err := row.Scan(&e.ID, &e.OccurredAt, &e.Kind, &e.PhaseFrom, &e.PhaseTo, &e.ActorID, &e.Data)
		return e, err
	})
	if events == nil {
		events = []TimelineEntry{}
	}
	return events, classify("timeline", err)
}

// HostOffers tells whether the participant's centre has a current
// agreement with the host that has positions for the function.
func (s *Store) HostOffers(ctx context.Context, participantID, hostID, function string) (bool, error) {
	if _, err := uuid.Parse(hostID); err != nil {
		return false, nil
	}
	var offers bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participants p
		JOIN host_agreements a ON a.centre_id = p.centre_id AND a.host_id = $2::uuid AND a.archived_at IS NULL
		     AND (a.valid_until IS NULL OR a.valid_until >= current_date)
		JOIN hosts h ON h.id = a.host_id AND h.archived_at IS NULL
		JOIN host_agreement_positions hp ON hp.agreement_id = a.id AND hp.function = $3
		WHERE p.id = $1)`, participantID, hostID, function).Scan(&offers)
	return offers, classify("host positions", err)
}

// AddAmendment stores the text of a GPMI amendment (why, and who asked:
// person or centre, empty when not said) and answers its ID, which the
// workflow gets instead of the text.
func (s *Store) AddAmendment(ctx context.Context, participantID, text, by, requestedBy string) (string, error) {
	id := uuid.NewString()
	_, err := s.db.Exec(ctx, `INSERT INTO gpmi_amendments (id, participant_id, text, created_by, requested_by) VALUES ($1, $2, $3, $4, NULLIF($5, ''))`,
		id, participantID, text, by, requestedBy)
	return id, classify("add amendment", err)
}

// AmendmentText is what PostgreSQL keeps of an amendment.
type AmendmentText struct {
	Text        string `json:"text"`
	RequestedBy string `json:"requested_by"`
	CreatedBy   string `json:"created_by"`
}

// Amendments reads the texts of a participant's amendments by ID.
func (s *Store) Amendments(ctx context.Context, participantID string, ids []string) (map[string]AmendmentText, error) {
	out := map[string]AmendmentText{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT id::text, text, COALESCE(requested_by, ''), created_by::text FROM gpmi_amendments WHERE participant_id = $1 AND id = ANY($2::uuid[])`, participantID, ids)
	if err != nil {
		return nil, classify("amendments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a AmendmentText
		if err := rows.Scan(&id, &a.Text, &a.RequestedBy, &a.CreatedBy); err != nil {
			return nil, classify("amendments", err)
		}
		out[id] = a
	}
	return out, classify("amendments", rows.Err())
}

// AddNonCooperationReport stores a report's description and answers its
// ID, which the procedure gets instead of the text.
func (s *Store) AddNonCooperationReport(ctx context.Context, participantID, description, by string) (string, error) {
	id := uuid.NewString()
	_, err := s.db.Exec(ctx, `INSERT INTO noncooperation_reports (id, participant_id, description, reported_by) VALUES ($1, $2, $3, $4)`, id, participantID, description, by)
	return id, classify("add non-cooperation report", err)
}

// CaseloadRow is one line of the caseload list.
type CaseloadRow struct {
	ID string `json:"id"`
	// Number is the dossier number (per centre).
	Number     int    `json:"dossier_number"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	// BirthDate is YYYY-MM-DD.
	BirthDate string `json:"birth_date"`
	// NationalNumber is for the pages, which show it masked (or whole
	// when it was searched); the API's list leaves it to the dossier.
	NationalNumber string     `json:"-"`
	Phase          *string    `json:"phase"`
	CounsellorID   *string    `json:"counsellor_id"`
	NextActor      *string    `json:"next_actor"`
	NextDeadline   *time.Time `json:"next_deadline"`
	// Tags are the states the list shows beside a dossier: TagOverdue,
	// TagBCSD, TagSuspended, TagArticle60, in that order.
	Tags []string `json:"tags"`
}

// The caseload's tags.
const (
	// TagOverdue: the next deadline has passed (the list's "overdue"
	// filter shows the same dossiers).
	TagOverdue = "overdue"
	// TagBCSD: a procedure before the committee is open.
	TagBCSD = "bcsd"
	// TagSuspended: a suspension of the leefloon runs.
	TagSuspended = "suspended"
	// TagArticle60: an Article 60 contract runs.
	TagArticle60 = "article60"
)

// CaseloadTags are the tags in the order rows carry them.
var CaseloadTags = []string{TagOverdue, TagBCSD, TagSuspended, TagArticle60}

// CaseloadFilter narrows the caseload; empty fields do not filter. IDs
// must be UUIDs (the caller checks them).
type CaseloadFilter struct {
	Viewer
	After, Phase, NextActor, CounsellorID, HostID string
	// CivicIntegration keeps the dossiers with this civic integration
	// (one of CivicObligations).
	CivicIntegration string
	DeadlineBefore   *time.Time
	// Name is the search: part of the given or family name (in either
	// order) matched literally, a dossier number, or a whole national
	// register number (separators allowed); see Search.
	Name  string
	Limit int
	// Sort orders the list: by dossier number (empty or SortNumber),
	// SortName, SortBirthDate or SortDeadline, each descending with a
	// leading "-". After is the last ID of the previous page in any order.
	Sort string
	// Now is when a deadline counts as passed for TagOverdue; zero: now.
	Now time.Time
}

// The caseload's orders.
const (
	SortNumber    = "number"
	SortName      = "name"
	SortBirthDate = "birth_date"
	SortDeadline  = "deadline"
)

// CaseloadSorts are the orders the caseload takes, ascending; each also
// descending with a leading "-".
var CaseloadSorts = []string{SortNumber, SortName, SortBirthDate, SortDeadline}

// caseloadOrders are each order's key, on participants p and trajectories
// t; the last column always makes a row's key unique, so that a page ends
// at one row. The keyset compares the same key of the previous page's
// last row. A dossier without a deadline comes last either way.
var caseloadOrders = map[string][]string{
	SortNumber:         {"p.dossier_number"},
	SortName:           {"lower(p.family_name)", "lower(p.given_name)", "p.id"},
	SortBirthDate:      {"p.birth_date", "p.id"},
	SortDeadline:       {"COALESCE(t.next_deadline, 'infinity')", "p.id"},
	"-" + SortDeadline: {"COALESCE(t.next_deadline, '-infinity')", "p.id"},
}

// caseloadOrder reads a sort: the key's columns, whether descending.
func caseloadOrder(sort string) (cols []string, desc bool, ok bool) {
	if sort == "" {
		sort = SortNumber
	}
	if cols, ok = caseloadOrders[sort]; ok {
		return cols, strings.HasPrefix(sort, "-"), true
	}
	name, desc := strings.CutPrefix(sort, "-")
	cols, ok = caseloadOrders[name]
	return cols, desc, ok && desc
}

// SortProblem is the refusal of a sort the caseload does not know.
func SortProblem() FieldProblem {
	var choices []string
	for _, s := range CaseloadSorts {
		choices = append(choices, s, "-"+s)
	}
	return domain.Problem("sort", domain.OneOf, choices...)
}

// The kinds of a caseload search.
const (
	SearchName           = "name"
	SearchDossierNumber  = "dossier_number"
	SearchNationalNumber = "national_number"
)

// Search reads a caseload search: a whole national register number (11
// digits once the separators people type are gone), a dossier number (up
// to 9 digits, "#" before them allowed), or else part of a name. It
// answers the kind and the value to look for.
func Search(q string) (kind, value string) {
	q = strings.TrimSpace(q)
	if nn, ok := nationalNumberQuery(q); ok {
		return SearchNationalNumber, nn
	}
	if n := strings.TrimPrefix(q, "#"); n != "" && len(n) <= 9 && strings.Trim(n, "0123456789") == "" {
		v, _ := strconv.Atoi(n)
		return SearchDossierNumber, strconv.Itoa(v)
	}
	if q == "" {
		return "", ""
	}
	return SearchName, q
}

// caseloadWhere is the filter's condition and its arguments; with after,
// the keyset condition of the page after f.After too.
func caseloadWhere(f CaseloadFilter, after bool) (string, []any, error) {
	where := []string{"p.centre_id = $1"}
	args := []any{f.CentreID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.CaseloadOnly {
		add("t.counsellor_id = $%d::uuid", f.UserID)
	}
	if f.ProceduresOnly {
		where = append(where, withProcedure)
	}
	cols, desc, ok := caseloadOrder(f.Sort)
	if !ok {
		return "", nil, &InvalidError{Fields: []FieldProblem{SortProblem()}}
	}
	if after && f.After != "" {
		key := strings.Join(cols, ", ")
		cmp := ">"
		if desc {
			cmp = "<"
		}
		add("("+key+") "+cmp+" (SELECT "+key+" FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id WHERE p.id = $%d::uuid)", f.After)
	}
	if f.Phase != "" {
		add("t.phase = $%d", f.Phase)
	}
	if f.NextActor != "" {
		add(actorHasWork, f.NextActor)
	}
	if f.CounsellorID != "" {
		add("t.counsellor_id = $%d::uuid", f.CounsellorID)
	}
	if f.HostID != "" {
		add("t.contract_host_id = $%d", f.HostID)
	}
	if f.CivicIntegration != "" {
		add("p.civic_integration = $%d", f.CivicIntegration)
	}
	if f.DeadlineBefore != nil {
		add("t.next_deadline < $%d", *f.DeadlineBefore)
	}
	switch kind, value := Search(f.Name); kind {
	case SearchNationalNumber:
		add("p.national_number = $%d", value)
	case SearchDossierNumber:
		add("p.dossier_number = $%d::int", value)
	case SearchName:
		add("((p.given_name || ' ' || p.family_name) ILIKE '%%' || $%[1]d || '%%' OR (p.family_name || ' ' || p.given_name) ILIKE '%%' || $%[1]d || '%%')", escapeLike(value))
	}
	return strings.Join(where, " AND "), args, nil
}

// Caseload lists the participants the viewer may see, in the filter's
// order.
func (s *Store) Caseload(ctx context.Context, f CaseloadFilter) ([]CaseloadRow, error) {
	where, args, err := caseloadWhere(f, true)
	if err != nil {
		return nil, err
	}
	cols, desc, _ := caseloadOrder(f.Sort)
	order := strings.Join(cols, ", ")
	if desc {
		order = strings.Join(cols, " DESC, ") + " DESC"
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	args = append(args, now, f.Limit)
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.dossier_number, p.given_name, p.family_name, to_char(p.birth_date, 'YYYY-MM-DD'), COALESCE(p.national_number, ''),
		       t.phase, t.counsellor_id::text, t.next_actor, t.next_deadline,
		       array_remove(ARRAY[
		           CASE WHEN t.next_deadline < $`+strconv.Itoa(len(args)-1)+` THEN 'overdue' END,
		           CASE WHEN EXISTS (SELECT 1 FROM sanction_procedures sp WHERE sp.participant_id = p.id AND sp.stage = ANY(`+openProcedureStages+`)) THEN 'bcsd' END,
		           CASE WHEN (t.state->'sanction'->>'suspended')::boolean THEN 'suspended' END,
		           CASE WHEN t.phase = 'article60' THEN 'article60' END], NULL)
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE `+where+`
		ORDER BY `+order+` LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, classify("caseload", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CaseloadRow, error) {
		var c CaseloadRow
		err := row.Scan(&c.ID, &c.Number, &c.GivenName, &c.FamilyName, &c.BirthDate, &c.NationalNumber,
			&c.Phase, &c.CounsellorID, &c.NextActor, &c.NextDeadline, &c.Tags)
		return c, err
	})
	if list == nil {
		list = []CaseloadRow{}
	}
	return list, classify("caseload", err)
}

// CaseloadTotal counts the participants the filter lists, over all its
// pages.
func (s *Store) CaseloadTotal(ctx context.Context, f CaseloadFilter) (int, error) {
	where, args, err := caseloadWhere(f, false)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRow(ctx, `
		SELECT count(*) FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE `+where, args...).Scan(&n)
	return n, classify("caseload count", err)
}

// actorHasWork matches a dossier with an open deadline of the actor: one
// of the trajectory's (each actor's earliest is in the state; a state
// written before that summary falls back to the next actor) or, for the
// BCSD, a procedure waiting on it.
const actorHasWork = `(t.state->'next_by_actor' ? $%[1]d
	OR (t.state->'next_by_actor' IS NULL AND t.next_actor = $%[1]d)
	OR ($%[1]d = 'bcsd' AND EXISTS (SELECT 1 FROM sanction_procedures sp WHERE sp.participant_id = p.id AND sp.stage = ANY(` + openProcedureStages + `))))`

// escapeLike keeps a user's % and _ literal in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// RunningContract is a trajectory in Article 60 with what its contract was
// planned from: the participant's birth date and the workflow's state.
type RunningContract struct {
	ParticipantID, CentreID string
	BirthDate               time.Time
	// State is the workflow's state as last written (JSON).
	State json.RawMessage
}

// RunningContracts lists the trajectories in Article 60, of one centre or
// (centreID empty) of all.
func (s *Store) RunningContracts(ctx context.Context, centreID string) ([]RunningContract, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.centre_id, p.birth_date, t.state
		FROM trajectories t JOIN participants p ON p.id = t.participant_id
		WHERE t.phase = 'article60' AND ($1 = '' OR t.centre_id = $1)
		ORDER BY p.centre_id, p.id`, centreID)
	if err != nil {
		return nil, classify("running contracts", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RunningContract, error) {
		var c RunningContract
		err := row.Scan(&c.ParticipantID, &c.CentreID, &c.BirthDate, &c.State)
		return c, err
	})
	return out, classify("running contracts", err)
}

// CaseloadState is an open dossier of the caseload with what the views
// that read its deadlines need: the trajectory's state as last written
// (JSON) and its BCSD procedures still waiting on someone.
type CaseloadState struct {
	ID, GivenName, FamilyName string
	CounsellorID              *string
	State                     json.RawMessage
	Procedures                []Procedure
}

// openProcedureStages are the stages in which a procedure waits on the
// committee (a notified decision only waits for its appeal window).
const openProcedureStages = `'{reported,hearing_scheduled,heard,decided}'`

// CaseloadStates lists the open trajectories the viewer may see, by name,
// each with its procedures that wait on the committee.
func (s *Store) CaseloadStates(ctx context.Context, v Viewer) ([]CaseloadState, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.given_name, p.family_name, t.counsellor_id::text, t.state
		FROM participants p JOIN trajectories t ON t.participant_id = p.id
		WHERE p.centre_id = $1 AND t.phase <> 'closed' AND (NOT $2 OR t.counsellor_id = $3::uuid) AND (NOT $4 OR `+withProcedure+`)
		ORDER BY p.family_name, p.given_name, p.id`, v.CentreID, v.CaseloadOnly, v.UserID, v.ProceduresOnly)
	if err != nil {
		return nil, classify("caseload", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CaseloadState, error) {
		var c CaseloadState
		err := row.Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.CounsellorID, &c.State)
		return c, err
	})
	if err != nil {
		return nil, classify("caseload", err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT `+prefixed("sp.", procedureColumns)+`
		FROM sanction_procedures sp JOIN trajectories t ON t.participant_id = sp.participant_id
		WHERE sp.centre_id = $1 AND sp.stage = ANY(`+openProcedureStages+`) AND (NOT $2 OR t.counsellor_id = $3::uuid)
		ORDER BY sp.participant_id, sp.procedure_id`, v.CentreID, v.CaseloadOnly, v.UserID)
	if err != nil {
		return nil, classify("caseload procedures", err)
	}
	procs, err := pgx.CollectRows(rows, scanProcedure)
	if err != nil {
		return nil, classify("caseload procedures", err)
	}
	index := make(map[string]int, len(out))
	for i, c := range out {
		index[c.ID] = i
	}
	for _, pr := range procs {
		if i, ok := index[pr.ParticipantID]; ok {
			out[i].Procedures = append(out[i].Procedures, pr)
		}
	}
	return out, nil
}

// WithoutCounsellor lists a centre's open dossiers no counsellor holds,
// intakes included, by name.
func (s *Store) WithoutCounsellor(ctx context.Context, centreID string) ([]CaseloadRow, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.given_name, p.family_name, t.phase
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE p.centre_id = $1 AND COALESCE(t.phase, '') <> 'closed' AND COALESCE(t.counsellor_id, p.intake_counsellor_id) IS NULL
		ORDER BY p.family_name, p.given_name, p.id`, centreID)
	if err != nil {
		return nil, classify("without counsellor", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CaseloadRow, error) {
		var c CaseloadRow
		err := row.Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.Phase)
		return c, err
	})
	return out, classify("without counsellor", err)
}

// CaseloadCount is one counsellor's dossiers as the caseload lists them:
// all, those whose next deadline has passed, and those whose next
// deadline falls before the week's end.
type CaseloadCount struct {
	CounsellorID            string
	Dossiers, Overdue, Week int
}

// CaseloadCounts counts a centre's dossiers per counsellor with the
// caseload's own filters (CaseloadFilter with CounsellorID and
// DeadlineBefore now or weekEnd), so that each count equals its list.
func (s *Store) CaseloadCounts(ctx context.Context, centreID string, now, weekEnd time.Time) ([]CaseloadCount, error) {
	rows, err := s.db.Query(ctx, `
		SELECT t.counsellor_id::text, count(*), count(*) FILTER (WHERE t.next_deadline < $2), count(*) FILTER (WHERE t.next_deadline < $3)
		FROM participants p JOIN trajectories t ON t.participant_id = p.id
		WHERE p.centre_id = $1 AND t.counsellor_id IS NOT NULL
		GROUP BY t.counsellor_id`, centreID, now, weekEnd)
	if err != nil {
		return nil, classify("caseload counts", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CaseloadCount, error) {
		var c CaseloadCount
		err := row.Scan(&c.CounsellorID, &c.Dossiers, &c.Overdue, &c.Week)
		return c, err
	})
	return out, classify("caseload counts", err)
}

// nationalNumberQuery reads a search as a national register number: 11
// digits once the separators people type (dots, dashes, spaces) are gone.
func nationalNumberQuery(q string) (string, bool) {
	var digits []byte
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '.' || c == '-' || c == ' ':
		default:
			return "", false
		}
	}
	return string(digits), len(digits) == 11
}
