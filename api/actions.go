package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/api/serviceerror"

	"github.com/traject-ocmw/traject/workflows"
)

// An action is a POST on a dossier that becomes one workflow update. The
// workflow's validator has the last word on who may and when; the API
// checks the shape of the body and turns dates into times.
type action interface {
	// update returns the update's argument, or the fields at fault, or the
	// error that kept it from checking (a database outage).
	update(ctx context.Context, s *server, participantID string, by workflows.By) (any, []FieldError, error)
	expected() int64
}

type versioned struct {
	ExpectedVersion int64 `json:"expected_version,omitempty"`
}

func (v versioned) expected() int64 { return v.ExpectedVersion }

// dossierAction serves POST /v1/participants/{id}/<path>: the update goes to
// the trajectory, or to sanction procedure {n} when procedure is set.
func (s *server) dossierAction(w http.ResponseWriter, r *http.Request, update string, procedure bool, newBody func() action) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	workflowID := workflows.WorkflowID(id)
	if procedure {
		n, err := strconv.Atoi(chi.URLParam(r, "n"))
		if err != nil || n < 1 {
			writeProblem(w, r, http.StatusNotFound, "no such procedure")
			return
		}
		workflowID = workflows.SanctionWorkflowID(id, n)
	}
	body := newBody()
	if !decode(w, r, body) {
		return
	}
	// Recorded before anything is stored: an amendment's or a report's
	// text is written by body.update.
	entry, ok := s.intend(w, r, update, "participant", id)
	if !ok {
		return
	}
	arg, problems, err := body.update(r.Context(), s, id, principalFrom(r.Context()).by(body.expected()))
	if err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	if len(problems) > 0 {
		s.settle(r, entry, "refused", "")
		writeProblem(w, r, http.StatusUnprocessableEntity, "the request is incomplete or malformed", problems...)
		return
	}
	var result any
	err = s.update(r, workflowID, update, arg, &result)
	s.settle(r, entry, updateOutcome(err), "")
	var notFound *serviceerror.NotFound
	if procedure && errors.As(err, &notFound) {
		writeProblem(w, r, http.StatusNotFound, "no such procedure")
		return
	}
	if err != nil {
		s.refusal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, result)
}

// dateField parses a required YYYY-MM-DD field.
func (s *server) dateField(problems *[]FieldError, field, v string) time.Time {
	t, ok := s.date(v)
	if !ok {
		*problems = append(*problems, FieldError{field, "must be a date as YYYY-MM-DD"})
	}
	return t
}

type signGPMIBody struct {
	versioned
	SignedOn string `json:"signed_on"`
}

func (b *signGPMIBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.SignGPMIRequest{By: by, SignedOn: s.dateField(&p, "signed_on", b.SignedOn)}, p, nil
}

type evaluationBody struct {
	versioned
	HeldOn     string `json:"held_on"`
	FaceToFace bool   `json:"face_to_face"`
}

func (b *evaluationBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.EvaluationRequest{By: by, HeldOn: s.dateField(&p, "held_on", b.HeldOn), FaceToFace: b.FaceToFace}, p, nil
}

type amendmentBody struct {
	versioned
	AmendedOn string `json:"amended_on"`
	Text      string `json:"text"`
}

// The amendment's text is stored here; the workflow gets its ID.
func (b *amendmentBody) update(ctx context.Context, s *server, participantID string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	on := s.dateField(&p, "amended_on", b.AmendedOn)
	if b.Text == "" {
		p = append(p, FieldError{"text", "is required"})
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	id, err := s.store.AddAmendment(ctx, participantID, b.Text, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	return workflows.AmendGPMIRequest{By: by, AmendedOn: on, AmendmentID: id}, nil, nil
}

type absenceBody struct {
	versioned
	Kind string `json:"kind"`
	Days int    `json:"days"`
}

func (b *absenceBody) update(_ context.Context, _ *server, _ string, by workflows.By) (any, []FieldError, error) {
	return workflows.AbsenceRequest{By: by, Kind: b.Kind, Days: b.Days}, nil, nil
}

type contractEndBody struct {
	versioned
	End        string `json:"end"`
	ReasonCode string `json:"reason_code"`
}

func (b *contractEndBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.ChangeContractEndRequest{By: by, End: s.dateField(&p, "end", b.End), ReasonCode: b.ReasonCode}, p, nil
}

type trainingBody struct {
	versioned
	Code   string `json:"code"`
	DoneOn string `json:"done_on"`
}

func (b *trainingBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.TrainingDoneRequest{By: by, Code: b.Code, DoneOn: s.dateField(&p, "done_on", b.DoneOn)}, p, nil
}

type checkInBody struct {
	versioned
	On string `json:"on"`
}

func (b *checkInBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.CheckInRequest{By: by, On: s.dateField(&p, "on", b.On)}, p, nil
}

type outcomeBody struct {
	versioned
	Outcome string `json:"outcome"`
}

func (b *outcomeBody) update(_ context.Context, _ *server, _ string, by workflows.By) (any, []FieldError, error) {
	return workflows.OutcomeRequest{By: by, Outcome: workflows.Outcome(b.Outcome)}, nil, nil
}

type reassignBody struct {
	versioned
	CounsellorID string `json:"counsellor_id"`
}

// The new counsellor must be an active counsellor of the caller's centre.
func (b *reassignBody) update(ctx context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	ok, err := s.store.ActiveCounsellor(ctx, principalFrom(ctx).CentreID, b.CounsellorID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, []FieldError{{"counsellor_id", "must be the ID of an active counsellor of your centre"}}, nil
	}
	return workflows.ReassignRequest{By: by, CounsellorID: b.CounsellorID}, nil, nil
}

type nonCooperationBody struct {
	versioned
	Description string `json:"description"`
}

// The description is stored here; the procedure gets the report's ID.
func (b *nonCooperationBody) update(ctx context.Context, s *server, participantID string, by workflows.By) (any, []FieldError, error) {
	if b.Description == "" {
		return nil, []FieldError{{"description", "is required"}}, nil
	}
	id, err := s.store.AddNonCooperationReport(ctx, participantID, b.Description, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	return workflows.NonCooperationRequest{By: by, ReportID: id}, nil, nil
}

type hearingBody struct {
	versioned
	InvitedOn string    `json:"invited_on"`
	HearingAt time.Time `json:"hearing_at"`
}

func (b *hearingBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	invited := s.dateField(&p, "invited_on", b.InvitedOn)
	if b.HearingAt.IsZero() {
		p = append(p, FieldError{"hearing_at", "must be a date and time (RFC 3339)"})
	}
	return workflows.HearingRequest{By: by, InvitedOn: invited, HearingOn: b.HearingAt}, p, nil
}

type hearingHeldBody struct {
	versioned
	Held *bool `json:"held"`
}

func (b *hearingHeldBody) update(_ context.Context, _ *server, _ string, by workflows.By) (any, []FieldError, error) {
	if b.Held == nil {
		return nil, []FieldError{{"held", "is required: true or false"}}, nil
	}
	return workflows.HearingHeldRequest{By: by, Held: *b.Held}, nil, nil
}

type decisionBody struct {
	versioned
	Kind      string `json:"kind"`
	Months    int    `json:"months,omitempty"`
	Partial   bool   `json:"partial,omitempty"`
	DecidedOn string `json:"decided_on"`
}

func (b *decisionBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.DecisionRequest{By: by, Kind: b.Kind, Months: b.Months, Partial: b.Partial, DecidedOn: s.dateField(&p, "decided_on", b.DecidedOn)}, p, nil
}

type notificationBody struct {
	versioned
	NotifiedOn string `json:"notified_on"`
}

func (b *notificationBody) update(_ context.Context, s *server, _ string, by workflows.By) (any, []FieldError, error) {
	var p []FieldError
	return workflows.NotificationRequest{By: by, NotifiedOn: s.dateField(&p, "notified_on", b.NotifiedOn)}, p, nil
}
