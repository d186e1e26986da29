package api

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
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

func (s *server) createParticipant(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
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
	} else if p.Role == domain.RoleCounsellor && req.CounsellorID != p.UserID {
		problems = append(problems, FieldError{"counsellor_id", "a counsellor creates participants in their own caseload"})
	} else {
		isCounsellor, err := s.store.ActiveCounsellor(r.Context(), p.CentreID, req.CounsellorID)
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

	id := participantID(r)
	entry, ok := s.intend(w, r, "create_participant", "participant", id)
	if !ok {
		return
	}
	created, err := s.store.CreateParticipant(r.Context(), store.NewParticipant{
		ID: id, CentreID: p.CentreID, GivenName: req.GivenName, FamilyName: req.FamilyName, BirthDate: birth, Gender: req.Gender,
		NationalNumber: nn, Email: req.Email, Language: req.Language, LeefloonDecisionDate: decision,
	})
	if err != nil {
		s.settle(r, entry, "refused", "")
		s.fail(w, r, err)
		return
	}
	in := workflows.TrajectoryInput{ParticipantID: id, CentreID: p.CentreID, CounsellorID: req.CounsellorID, LeefloonDecisionDate: decision, Logic: workflows.CurrentLogic}
	// A retry of a creation whose trajectory started finds it running: the
	// start answers the running one.
	_, err = s.temporal.ExecuteWorkflow(r.Context(), workflows.StartOptions(in, s.taskQueue), workflows.TrajectoryWorkflowName, in)
	if err != nil {
		// Without its trajectory the participant must not exist either,
		// unless an earlier attempt made it (and may have started it).
		if created {
			if delErr := s.store.DeleteParticipant(context.WithoutCancel(r.Context()), id); delErr != nil {
				s.logger.ErrorContext(r.Context(), "participant left without trajectory", "participant_id", id, "err", delErr)
			}
		}
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", "")
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
	d, err := s.store.Dossier(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, d)
}

// visibleParticipant resolves {id} to a participant the caller may see: of
// their centre, and of their own caseload for a counsellor. Anything else
// is 404, so that the existence of another centre's file does not leak.
func (s *server) visibleParticipant(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	if err := s.store.VisibleParticipant(r.Context(), principalFrom(r.Context()).viewer(), id); err != nil {
		s.fail(w, r, err)
		return "", false
	}
	return id, true
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
	events, err := s.store.Timeline(r.Context(), id, after, limit)
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
	writeJSON(w, http.StatusOK, body)
}

// participantID names a new participant: after the caller and the
// Idempotency-Key when there is one, so that a retry of a creation whose
// answer was lost makes the same participant and finds its trajectory,
// instead of making a second.
func participantID(r *http.Request) string {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return uuid.NewString()
	}
	return uuid.NewSHA1(participantIDs, []byte(principalFrom(r.Context()).UserID+"\n"+key)).String()
}

// participantIDs is the UUID namespace of participant IDs made from keys.
var participantIDs = uuid.MustParse("2f6b6f53-6a0e-4c3b-9a43-2b4f2d6f9c1e")

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
			var fields []domain.FieldProblem
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

// getSignals answers the problems hosts signalled about the participant,
// with their text.
func (s *server) getSignals(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	signals, err := s.store.Signals(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_signals", "participant", id, "ok") {
		return
	}
	if signals == nil {
		signals = []store.Signal{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"signals": signals})
}
