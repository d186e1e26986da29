package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/workflows"
)

// participantRequest creates a participant. Dates are YYYY-MM-DD.
type participantRequest struct {
	GivenName            string `json:"given_name"`
	FamilyName           string `json:"family_name"`
	BirthDate            string `json:"birth_date"`
	Gender               string `json:"gender,omitempty"`
	NationalNumber       string `json:"national_number"`
	Email                string `json:"email,omitempty"`
	Language             string `json:"language"`
	CounsellorID         string `json:"counsellor_id"`
	LeefloonDecisionDate string `json:"leefloon_decision_date"`
}

// dossier is what GET /v1/participants/{id} answers.
type dossier struct {
	ID                   string          `json:"id"`
	CentreID             string          `json:"centre_id"`
	GivenName            string          `json:"given_name"`
	FamilyName           string          `json:"family_name"`
	BirthDate            string          `json:"birth_date"`
	Gender               *string         `json:"gender"`
	NationalNumber       string          `json:"national_number"`
	Email                *string         `json:"email"`
	Language             string          `json:"language"`
	LeefloonDecisionDate string          `json:"leefloon_decision_date"`
	Trajectory           json.RawMessage `json:"trajectory"`
}

func (s *server) createParticipant(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p.Role != "coordinator" && p.Role != "counsellor" {
		writeProblem(w, r, http.StatusForbidden, "only coordinators and counsellors create participants")
		return
	}
	var req participantRequest
	if !decode(w, r, &req) {
		return
	}
	var problems []FieldError
	need := func(field, value string) {
		if value == "" {
			problems = append(problems, FieldError{field, "is required"})
		}
	}
	need("given_name", req.GivenName)
	need("family_name", req.FamilyName)
	birth, ok := s.date(req.BirthDate)
	if !ok {
		problems = append(problems, FieldError{"birth_date", "must be a date as YYYY-MM-DD"})
	}
	decision, ok := s.date(req.LeefloonDecisionDate)
	if !ok {
		problems = append(problems, FieldError{"leefloon_decision_date", "must be a date as YYYY-MM-DD"})
	}
	nn, ok := normaliseNationalNumber(req.NationalNumber)
	if !ok {
		problems = append(problems, FieldError{"national_number", "is not a valid Belgian national register number (11 digits, check digits)"})
	}
	if req.Gender != "" && req.Gender != "f" && req.Gender != "m" && req.Gender != "x" {
		problems = append(problems, FieldError{"gender", "must be f, m or x"})
	}
	if req.Email != "" {
		if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != req.Email {
			problems = append(problems, FieldError{"email", "is not an e-mail address"})
		}
	}
	if req.Language != "nl" && req.Language != "fr" {
		problems = append(problems, FieldError{"language", "must be nl or fr"})
	}
	if _, err := uuid.Parse(req.CounsellorID); err != nil {
		problems = append(problems, FieldError{"counsellor_id", "must be the ID of a counsellor of your centre"})
	} else if p.Role == "counsellor" && req.CounsellorID != p.UserID {
		problems = append(problems, FieldError{"counsellor_id", "a counsellor creates participants in their own caseload"})
	} else {
		var isCounsellor bool
		err := s.db.QueryRow(r.Context(), `SELECT EXISTS (SELECT 1 FROM staff_users WHERE id = $1 AND centre_id = $2 AND role = 'counsellor' AND active)`, req.CounsellorID, p.CentreID).Scan(&isCounsellor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !isCounsellor {
			problems = append(problems, FieldError{"counsellor_id", "must be the ID of an active counsellor of your centre"})
		}
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the participant is incomplete or malformed", problems...)
		return
	}

	id := uuid.NewString()
	_, err := s.db.Exec(r.Context(), `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, gender, national_number, email, language, leefloon_decision_date)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7, NULLIF($8, ''), $9, $10)`,
		id, p.CentreID, req.GivenName, req.FamilyName, birth, req.Gender, nn, req.Email, req.Language, decision)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		writeProblem(w, r, http.StatusConflict, "a participant with this national register number exists in your centre", FieldError{"national_number", "already registered"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := workflows.TrajectoryInput{ParticipantID: id, CentreID: p.CentreID, CounsellorID: req.CounsellorID, LeefloonDecisionDate: decision, Logic: workflows.CurrentLogic}
	_, err = s.temporal.ExecuteWorkflow(r.Context(), client.StartWorkflowOptions{
		ID: workflows.WorkflowID(id), TaskQueue: s.taskQueue, TypedSearchAttributes: workflows.StartSearchAttributes(in),
	}, workflows.TrajectoryWorkflowName, in)
	if err != nil {
		// Without its trajectory the participant must not exist either.
		if _, delErr := s.db.Exec(context.WithoutCancel(r.Context()), `DELETE FROM participants WHERE id = $1`, id); delErr != nil {
			s.logger.ErrorContext(r.Context(), "participant left without trajectory", "participant_id", id, "err", delErr)
		}
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "create_participant", "participant", id, "ok") {
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id)
	s.writeDossier(w, r, id, http.StatusCreated)
}

func (s *server) getParticipant(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	if !s.audited(w, r, "read_dossier", "participant", id, "ok") {
		return
	}
	s.writeDossier(w, r, id, http.StatusOK)
}

func (s *server) writeDossier(w http.ResponseWriter, r *http.Request, id string, status int) {
	var d dossier
	var birth, decision time.Time
	var trajectory []byte
	err := s.db.QueryRow(r.Context(), `
		SELECT p.id::text, p.centre_id, p.given_name, p.family_name, p.birth_date, p.gender, p.national_number, p.email, p.language,
		       p.leefloon_decision_date, t.state
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE p.id = $1`, id).Scan(&d.ID, &d.CentreID, &d.GivenName, &d.FamilyName, &birth, &d.Gender, &d.NationalNumber, &d.Email, &d.Language, &decision, &trajectory)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.BirthDate, d.LeefloonDecisionDate = birth.Format(time.DateOnly), decision.Format(time.DateOnly)
	d.Trajectory = trajectory
	if len(trajectory) == 0 {
		d.Trajectory = json.RawMessage("null") // the workflow has not written its first state yet
	}
	writeJSON(w, status, d)
}

// visibleParticipant resolves {id} to a participant the caller may see: of
// their centre, and of their own caseload for a counsellor. Anything else
// is 404, so that the existence of another centre's file does not leak.
func (s *server) visibleParticipant(w http.ResponseWriter, r *http.Request) (string, bool) {
	p := principalFrom(r.Context())
	id := chi.URLParam(r, "id")
	if _, err := uuid.Parse(id); err != nil {
		writeProblem(w, r, http.StatusNotFound, "no such participant")
		return "", false
	}
	var visible bool
	err := s.db.QueryRow(r.Context(), `
		SELECT EXISTS (SELECT 1 FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		               WHERE p.id = $1 AND p.centre_id = $2 AND ($3 <> 'counsellor' OR t.counsellor_id = $4::uuid))`,
		id, p.CentreID, p.Role, p.UserID).Scan(&visible)
	if err != nil {
		s.fail(w, r, err)
		return "", false
	}
	if !visible {
		writeProblem(w, r, http.StatusNotFound, "no such participant")
		return "", false
	}
	return id, true
}

type timelineEvent struct {
	ID         int64           `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Kind       string          `json:"kind"`
	PhaseFrom  *string         `json:"phase_from"`
	PhaseTo    *string         `json:"phase_to"`
	ActorID    *string         `json:"actor_id"`
	Data       json.RawMessage `json:"data"`
}

// getTimeline lists a dossier's events in order, a page at a time:
// ?after=<last id seen>&limit=<1..200, default 50>.
func (s *server) getTimeline(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	rows, err := s.db.Query(r.Context(), `
		SELECT id, occurred_at, kind, phase_from, phase_to, actor_id::text, data
		FROM timeline_events WHERE participant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, id, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (timelineEvent, error) {
		var e timelineEvent
		err := row.Scan(&e.ID, &e.OccurredAt, &e.Kind, &e.PhaseFrom, &e.PhaseTo, &e.ActorID, &e.Data)
		return e, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_timeline", "participant", id, "ok") {
		return
	}
	body := map[string]any{"events": events}
	if len(events) == limit {
		body["next"] = "/v1/participants/" + id + "/timeline?after=" + strconv.FormatInt(events[len(events)-1].ID, 10) + "&limit=" + strconv.Itoa(limit)
	}
	if events == nil {
		body["events"] = []timelineEvent{}
	}
	writeJSON(w, http.StatusOK, body)
}

// transitionRequest moves a trajectory; the contract's dates are YYYY-MM-DD.
type transitionRequest struct {
	To              string           `json:"to"`
	ReasonCode      string           `json:"reason_code,omitempty"`
	Outcome         string           `json:"outcome,omitempty"`
	ExpectedVersion int64            `json:"expected_version,omitempty"`
	Contract        *contractRequest `json:"contract,omitempty"`
}

type contractRequest struct {
	HostID    string            `json:"host_id"`
	Function  string            `json:"function"`
	Regime    string            `json:"regime"`
	Start     string            `json:"start"`
	Trainings []trainingRequest `json:"trainings,omitempty"`
}

type trainingRequest struct {
	Code string `json:"code"`
	Due  string `json:"due"`
}

func (s *server) postTransition(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	var req transitionRequest
	if !decode(w, r, &req) {
		return
	}
	p := principalFrom(r.Context())
	wreq := workflows.TransitionRequest{
		By:         workflows.By{ActorID: p.UserID, ActorRole: workflows.Role(p.Role), ExpectedVersion: req.ExpectedVersion},
		To:         workflows.Phase(req.To),
		ReasonCode: req.ReasonCode,
		Outcome:    workflows.Outcome(req.Outcome),
	}
	if c := req.Contract; c != nil {
		contract, problems := s.contract(r.Context(), id, c)
		if len(problems) > 0 {
			writeProblem(w, r, http.StatusUnprocessableEntity, "the contract is malformed", problems...)
			return
		}
		wreq.Contract = contract
	}
	handle, err := s.temporal.UpdateWorkflow(r.Context(), client.UpdateWorkflowOptions{
		WorkflowID: workflows.WorkflowID(id), UpdateName: workflows.UpdateTransition,
		Args: []any{wreq}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	var state workflows.State
	if err == nil {
		err = handle.Get(r.Context(), &state)
	}
	outcome := "ok"
	if err != nil {
		outcome = "refused"
	}
	if !s.audited(w, r, "transition:"+req.To, "participant", id, outcome) {
		return
	}
	if err != nil {
		s.refusal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, state)
}

// contract turns the request's contract into the workflow's, computing the
// age at the start from the birth date, which never enters the workflow.
func (s *server) contract(ctx context.Context, participantID string, c *contractRequest) (*workflows.ContractInput, []FieldError) {
	var problems []FieldError
	start, ok := s.date(c.Start)
	if !ok {
		problems = append(problems, FieldError{"contract.start", "must be a date as YYYY-MM-DD"})
	}
	in := &workflows.ContractInput{HostID: c.HostID, Function: c.Function, Regime: c.Regime, Start: start}
	for i, tr := range c.Trainings {
		due, ok := s.date(tr.Due)
		if !ok {
			problems = append(problems, FieldError{"contract.trainings[" + strconv.Itoa(i) + "].due", "must be a date as YYYY-MM-DD"})
		}
		in.Trainings = append(in.Trainings, workflows.TrainingInput{Code: tr.Code, Due: due})
	}
	var offers bool
	if _, err := uuid.Parse(c.HostID); err == nil {
		_ = s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM host_organisations h JOIN host_positions hp ON hp.host_id = h.id
			JOIN participants p ON p.centre_id = h.centre_id
			WHERE h.id = $1 AND hp.function = $2 AND p.id = $3 AND h.archived_at IS NULL)`, c.HostID, c.Function, participantID).Scan(&offers)
	}
	if !offers {
		problems = append(problems, FieldError{"contract.host_id", "must be an active host organisation of your centre with positions for contract.function"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var birth time.Time
	if err := s.db.QueryRow(ctx, `SELECT birth_date FROM participants WHERE id = $1`, participantID).Scan(&birth); err != nil {
		return nil, []FieldError{{"contract", "the participant's birth date could not be read"}}
	}
	in.AgeAtStart = ageOn(birth, start)
	return in, nil
}

func ageOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.YearDay() < birth.YearDay() {
		age--
	}
	return age
}

// refusal maps the workflow's answer to HTTP: the validators' refusals say
// why, anything else is a 500 whose cause goes to the log only.
func (s *server) refusal(w http.ResponseWriter, r *http.Request, err error) {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeNotAllowed, workflows.ErrTypeConflict:
			writeProblem(w, r, http.StatusConflict, appErr.Message())
			return
		case workflows.ErrTypeNotPermitted:
			writeProblem(w, r, http.StatusForbidden, appErr.Message())
			return
		case workflows.ErrTypeInvalidData:
			var fields []workflows.FieldProblem
			_ = appErr.Details(&fields)
			out := make([]FieldError, len(fields))
			for i, f := range fields {
				out[i] = FieldError{Field: f.Field, Detail: f.Detail}
			}
			writeProblem(w, r, http.StatusUnprocessableEntity, appErr.Message(), out...)
			return
		}
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		writeProblem(w, r, http.StatusConflict, "the trajectory is closed")
		return
	}
	s.fail(w, r, err)
}
