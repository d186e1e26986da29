package casework

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The requests of the writes on a dossier, each with its fields as the API
// takes them in JSON and the pages in forms, and the workflow update's
// argument it becomes. The workflow's validator has the last word on who
// may and when; a request checks its own shape and turns dates into times.

type versioned struct {
	ExpectedVersion int64 `json:"expected_version,omitempty"`
}

func (v versioned) expected() int64 { return v.ExpectedVersion }

// Transition moves a trajectory to another phase; the contract's dates are YYYY-MM-DD.
type Transition struct {
	To              string           `json:"to"`
	ReasonCode      string           `json:"reason_code,omitempty"`
	Outcome         string           `json:"outcome,omitempty"`
	ExpectedVersion int64            `json:"expected_version,omitempty"`
	Contract        *ContractRequest `json:"contract,omitempty"`
	// Exemption is required to exempt: its ground, written reason and,
	// optionally, the day it is reviewed (else the policy's
	// gpmi.exemption_review_after from today).
	Exemption *ExemptionRequest `json:"exemption,omitempty"`
}

// ExemptionRequest is an exemption's decision as staff write it.
type ExemptionRequest struct {
	Ground   string `json:"ground"`
	Reason   string `json:"reason"`
	ReviewOn string `json:"review_on,omitempty"`
}

// ExemptionGrounds are why a person is exempted from the GPMI.
var ExemptionGrounds = []string{"health", "equity"}

// exemptionIDs is the UUID namespace of exemption IDs.
var exemptionIDs = uuid.MustParse("6a1d3f0e-9c27-4b8e-a5d4-2e7f1b9c0d58")

type ContractRequest struct {
	HostID    string            `json:"host_id"`
	Function  string            `json:"function"`
	Regime    string            `json:"regime"`
	Start     string            `json:"start"`
	Trainings []TrainingRequest `json:"trainings,omitempty"`
}

type TrainingRequest struct {
	Code string `json:"code"`
	Due  string `json:"due"`
}

func (b *Transition) expected() int64 { return b.ExpectedVersion }

func (b *Transition) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	req := workflows.TransitionRequest{
		By:         c.by(b.ExpectedVersion),
		To:         workflows.Phase(b.To),
		ReasonCode: b.ReasonCode,
		Outcome:    workflows.Outcome(b.Outcome),
	}
	if b.Contract != nil {
		contract, problems, err := s.contract(ctx, participantID, b.Contract)
		if err != nil || len(problems) > 0 {
			return nil, problems, err
		}
		req.Contract = contract
	}
	switch {
	case b.To == string(workflows.PhaseExempt):
		exemption, problems, err := s.exemption(ctx, c, participantID, b.Exemption)
		if err != nil || len(problems) > 0 {
			return nil, problems, err
		}
		req.Exemption = exemption
	case b.Exemption != nil:
		return nil, []FieldProblem{domain.Problem("exemption", domain.ExemptOnly)}, nil
	}
	return req, nil, nil
}

// exemption checks an exemption's decision, stores its reason and answers
// what the workflow keeps of it.
func (s *Service) exemption(ctx context.Context, c Caller, participantID string, e *ExemptionRequest) (*workflows.ExemptionInput, []FieldProblem, error) {
	if e == nil {
		return nil, []FieldProblem{domain.Problem("exemption.ground", domain.Required), domain.Problem("exemption.reason", domain.Required)}, nil
	}
	var p []FieldProblem
	if !slices.Contains(ExemptionGrounds, e.Ground) {
		p = append(p, domain.Problem("exemption.ground", domain.OneOf, ExemptionGrounds...))
	}
	p = append(p, text("exemption.reason", e.Reason, MaxReportText, true)...)
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return nil, nil, err
	}
	today := time.Now().In(pol.Location())
	review := pol.GPMI.ExemptionReviewAfter.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
	if e.ReviewOn != "" {
		if review = s.dateField(&p, "exemption.review_on", e.ReviewOn); !review.IsZero() && !review.After(time.Now()) {
			p = append(p, domain.Problem("exemption.review_on", domain.NotToCome))
		}
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	id := uuid.NewSHA1(exemptionIDs, []byte(participantID+"\n"+c.updateID())).String()
	if err := s.store.AddExemption(ctx, id, participantID, c.CentreID, c.UserID, e.Ground, e.Reason, review); err != nil {
		return nil, nil, err
	}
	return &workflows.ExemptionInput{Ground: e.Ground, ReasonID: id, ReviewOn: review}, nil, nil
}

// contract turns the request's contract into the workflow's, computing the
// age at the start from the birth date, which never enters the workflow.
// err is a failure to read what the check needs, not a fault of the request.
func (s *Service) contract(ctx context.Context, participantID string, c *ContractRequest) (*workflows.ContractInput, []FieldProblem, error) {
	var problems []FieldProblem
	start, ok := s.date(c.Start)
	if !ok {
		problems = append(problems, domain.Problem("contract.start", domain.NotDate))
	}
	in := &workflows.ContractInput{HostID: c.HostID, Function: c.Function, Regime: c.Regime, Start: start}
	for i, tr := range c.Trainings {
		field := "contract.trainings[" + strconv.Itoa(i) + "]"
		if !slices.Contains(store.Trainings, tr.Code) {
			problems = append(problems, domain.Problem(field+".code", domain.OneOf, strings.Join(store.Trainings, ", ")))
		}
		due, ok := s.date(tr.Due)
		if !ok {
			problems = append(problems, domain.Problem(field+".due", domain.NotDate))
		}
		in.Trainings = append(in.Trainings, workflows.TrainingInput{Code: tr.Code, Due: due})
	}
	offers, err := s.store.HostOffers(ctx, participantID, c.HostID, c.Function)
	if err != nil {
		return nil, nil, err
	}
	if !offers {
		problems = append(problems, domain.Problem("contract.host_id", domain.NoPositions))
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	birth, err := s.store.BirthDate(ctx, participantID)
	if err != nil {
		return nil, nil, err
	}
	in.AgeAtStart = policy.AgeOn(birth, start)
	return in, nil, nil
}

// SignGPMI signs the GPMI with its agreements, once the person was told
// its content, the consequences and the right to be heard.
type SignGPMI struct {
	versioned
	SignedOn     string           `json:"signed_on"`
	Agreements   []AgreementInput `json:"agreements"`
	Acknowledged bool             `json:"acknowledged"`
}

// AgreementInput is one agreement of a GPMI as staff write it.
type AgreementInput struct {
	Domain     string `json:"domain"`
	PersonDoes string `json:"person_does"`
	CentreDoes string `json:"centre_does"`
	DueOn      string `json:"due_on,omitempty"`
}

// MaxAgreementText is the longest text of an agreement, in characters.
const MaxAgreementText = 2000

// agreementIDs is the UUID namespace of agreement IDs, made from the
// signature's update ID so that a retried signature stores them once.
var agreementIDs = uuid.MustParse("5b7e0d8a-2c41-4e3f-8f6a-9d2b1c0e7a43")

// The agreements are stored here and the workflow gets their IDs; the
// centre's policy may require a needs analysis first.
func (b *SignGPMI) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	signed := s.dateField(&p, "signed_on", b.SignedOn)
	if !b.Acknowledged {
		p = append(p, domain.Problem("acknowledged", domain.Acknowledgement))
	}
	if len(b.Agreements) == 0 {
		p = append(p, domain.Problem("agreements", domain.Required))
	}
	agreements, ids, problems := s.agreements(participantID, c, b.Agreements)
	p = append(p, problems...)
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return nil, nil, err
	}
	if pol.GPMI.RequireNeedsAnalysis {
		has, err := s.store.HasNeedsAnalysis(ctx, participantID)
		if err != nil {
			return nil, nil, err
		}
		if !has {
			p = append(p, domain.Problem("needs_analysis", domain.NeedsAnalysisFirst))
		}
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	if err := s.store.AddAgreements(ctx, participantID, c.CentreID, agreements); err != nil {
		return nil, nil, err
	}
	return workflows.SignGPMIRequest{By: by, SignedOn: signed, AgreementIDs: ids, Acknowledged: true}, nil, nil
}

// agreements checks a write's new agreements and names them: their IDs
// come from the write's update ID, so that a retry stores them once.
func (s *Service) agreements(participantID string, c Caller, in []AgreementInput) ([]store.NewGPMIAgreement, []string, []FieldProblem) {
	var out []store.NewGPMIAgreement
	var ids []string
	var p []FieldProblem
	for i, a := range in {
		field := func(name string) string { return "agreements[" + strconv.Itoa(i) + "]." + name }
		if !slices.Contains(store.LifeDomains, a.Domain) {
			p = append(p, domain.Problem(field("domain"), domain.OneOf, store.LifeDomains...))
		}
		p = append(p, text(field("person_does"), a.PersonDoes, MaxAgreementText, true)...)
		p = append(p, text(field("centre_does"), a.CentreDoes, MaxAgreementText, true)...)
		var due time.Time
		if a.DueOn != "" {
			due = s.dateField(&p, field("due_on"), a.DueOn)
		}
		id := uuid.NewSHA1(agreementIDs, []byte(participantID+"\n"+c.updateID()+"\n"+strconv.Itoa(i))).String()
		ids = append(ids, id)
		out = append(out, store.NewGPMIAgreement{ID: id, Domain: a.Domain, PersonDoes: a.PersonDoes, CentreDoes: a.CentreDoes, DueOn: due})
	}
	return out, ids, p
}

// text checks a free text field: given when required, text, not too long.
func text(field, v string, limit int, required bool) []FieldProblem {
	switch {
	case strings.TrimSpace(v) == "":
		if required {
			return []FieldProblem{domain.Problem(field, domain.Required)}
		}
		return nil
	case !store.CleanText(v):
		return []FieldProblem{domain.Problem(field, domain.NotText)}
	}
	return longest(field, v, limit)
}

// Progress is how far an agreement came at an evaluation.
var Progress = []string{"reached", "in_progress", "not_reached", "dropped"}

// MaxReportText is the longest evaluation report, in characters.
const MaxReportText = 10000

// Evaluation records a GPMI evaluation with its report and, per agreement
// of the GPMI (by ID), how far it came.
type Evaluation struct {
	versioned
	HeldOn     string            `json:"held_on"`
	FaceToFace bool              `json:"face_to_face"`
	Report     string            `json:"report"`
	Progress   map[string]string `json:"progress,omitempty"`
}

// reportIDs is the UUID namespace of evaluation report IDs.
var reportIDs = uuid.MustParse("0c6f4b9e-8a1d-4d57-b3e2-7f5a9c8d1e62")

// The report is stored here and the workflow gets its ID.
func (b *Evaluation) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	held := s.dateField(&p, "held_on", b.HeldOn)
	p = append(p, text("report", b.Report, MaxReportText, true)...)
	if len(b.Progress) > 0 {
		d, err := s.store.Dossier(ctx, participantID)
		if err != nil {
			return nil, nil, err
		}
		var state workflows.State
		_ = json.Unmarshal(d.Trajectory, &state)
		for id, v := range b.Progress {
			switch {
			case !slices.Contains(state.GPMI.AgreementIDs, id):
				p = append(p, domain.Problem("progress."+id, domain.NotID))
			case !slices.Contains(Progress, v):
				p = append(p, domain.Problem("progress."+id, domain.OneOf, Progress...))
			}
		}
	}
	if len(p) > 0 {
		slices.SortFunc(p, func(a, b FieldProblem) int { return strings.Compare(a.Field, b.Field) })
		return nil, p, nil
	}
	id := uuid.NewSHA1(reportIDs, []byte(participantID+"\n"+c.updateID())).String()
	if err := s.store.AddEvaluationReport(ctx, id, participantID, c.CentreID, c.UserID, b.Report, b.Progress); err != nil {
		return nil, nil, err
	}
	return workflows.EvaluationRequest{By: by, HeldOn: held, FaceToFace: b.FaceToFace, ReportID: id}, nil, nil
}

// Amendment records a change of the signed GPMI: when, who asked for it
// (the person or the centre), why (Text), the agreements it adds and the
// current ones it ends (a changed agreement is one ended and one added).
type Amendment struct {
	versioned
	AmendedOn     string           `json:"amended_on"`
	RequestedBy   string           `json:"requested_by"`
	Text          string           `json:"text"`
	Agreements    []AgreementInput `json:"agreements,omitempty"`
	EndAgreements []string         `json:"end_agreements,omitempty"`
}

// Requesters are who may ask for an amendment.
var Requesters = []string{"person", "centre"}

// The amendment's text and new agreements are stored here; the workflow
// gets their IDs and the IDs of the agreements it ends.
func (b *Amendment) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	on := s.dateField(&p, "amended_on", b.AmendedOn)
	if !slices.Contains(Requesters, b.RequestedBy) {
		p = append(p, domain.Problem("requested_by", domain.OneOf, Requesters...))
	}
	p = append(p, text("text", b.Text, MaxReportText, true)...)
	if len(b.EndAgreements) > 0 {
		d, err := s.store.Dossier(ctx, participantID)
		if err != nil {
			return nil, nil, err
		}
		var state workflows.State
		_ = json.Unmarshal(d.Trajectory, &state)
		for i, id := range b.EndAgreements {
			if !slices.Contains(state.GPMI.AgreementIDs, id) {
				p = append(p, domain.Problem("end_agreements["+strconv.Itoa(i)+"]", domain.NotID))
			}
		}
	}
	agreements, ids, problems := s.agreements(participantID, c, b.Agreements)
	p = append(p, problems...)
	if len(p) > 0 {
		return nil, p, nil
	}
	if err := s.store.AddAgreements(ctx, participantID, c.CentreID, agreements); err != nil {
		return nil, nil, err
	}
	id, err := s.store.AddAmendment(ctx, participantID, b.Text, by.ActorID, b.RequestedBy)
	if err != nil {
		return nil, nil, err
	}
	return workflows.AmendGPMIRequest{By: by, AmendedOn: on, AmendmentID: id, AddedAgreementIDs: ids, EndedAgreementIDs: b.EndAgreements}, nil, nil
}

type Absence struct {
	versioned
	Kind string `json:"kind"`
	Days int    `json:"days"`
}

func (b *Absence) update(_ context.Context, _ *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	return workflows.AbsenceRequest{By: by, Kind: b.Kind, Days: b.Days}, nil, nil
}

type ContractEnd struct {
	versioned
	End        string `json:"end"`
	ReasonCode string `json:"reason_code"`
}

func (b *ContractEnd) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.ChangeContractEndRequest{By: by, End: s.dateField(&p, "end", b.End), ReasonCode: b.ReasonCode}, p, nil
}

type TrainingDone struct {
	versioned
	Code   string `json:"code"`
	DoneOn string `json:"done_on"`
}

func (b *TrainingDone) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.TrainingDoneRequest{By: by, Code: b.Code, DoneOn: s.dateField(&p, "done_on", b.DoneOn)}, p, nil
}

type CheckIn struct {
	versioned
	On string `json:"on"`
}

func (b *CheckIn) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.CheckInRequest{By: by, On: s.dateField(&p, "on", b.On)}, p, nil
}

type Outcome struct {
	versioned
	Outcome string `json:"outcome"`
}

func (b *Outcome) update(_ context.Context, _ *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	return workflows.OutcomeRequest{By: by, Outcome: workflows.Outcome(b.Outcome)}, nil, nil
}

type Reassign struct {
	versioned
	CounsellorID string `json:"counsellor_id"`
}

// The new counsellor must be an active counsellor of the caller's centre.
func (b *Reassign) update(ctx context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	ok, err := s.store.ActiveCounsellor(ctx, c.CentreID, b.CounsellorID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, []FieldProblem{domain.Problem("counsellor_id", domain.NotCounsellor)}, nil
	}
	return workflows.ReassignRequest{By: by, CounsellorID: b.CounsellorID}, nil, nil
}

type NonCooperation struct {
	versioned
	Description string `json:"description"`
}

// The description is stored here; the procedure gets the report's ID.
func (b *NonCooperation) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	if b.Description == "" {
		return nil, []FieldProblem{domain.Problem("description", domain.Required)}, nil
	}
	id, err := s.store.AddNonCooperationReport(ctx, participantID, b.Description, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	return workflows.NonCooperationRequest{By: by, ReportID: id}, nil, nil
}

type Hearing struct {
	versioned
	InvitedOn string    `json:"invited_on"`
	HearingAt time.Time `json:"hearing_at"`
}

func (b *Hearing) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	invited := s.dateField(&p, "invited_on", b.InvitedOn)
	if b.HearingAt.IsZero() {
		p = append(p, domain.Problem("hearing_at", domain.NotDateTime))
	}
	return workflows.HearingRequest{By: by, InvitedOn: invited, HearingOn: b.HearingAt}, p, nil
}

type HearingHeld struct {
	versioned
	Held *bool `json:"held"`
}

func (b *HearingHeld) update(_ context.Context, _ *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	if b.Held == nil {
		return nil, []FieldProblem{domain.Problem("held", domain.OneOf, "true", "false")}, nil
	}
	return workflows.HearingHeldRequest{By: by, Held: *b.Held}, nil, nil
}

type Decision struct {
	versioned
	Kind      string `json:"kind"`
	Months    int    `json:"months,omitempty"`
	Partial   bool   `json:"partial,omitempty"`
	DecidedOn string `json:"decided_on"`
}

func (b *Decision) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.DecisionRequest{By: by, Kind: b.Kind, Months: b.Months, Partial: b.Partial, DecidedOn: s.dateField(&p, "decided_on", b.DecidedOn)}, p, nil
}

type Notification struct {
	versioned
	NotifiedOn       string `json:"notified_on"`
	RegisteredNumber string `json:"registered_number,omitempty"`
}

// registeredNumber is a registered letter's number as bpost prints it:
// letters, digits and spaces.
var registeredNumber = regexp.MustCompile(`^[A-Za-z0-9 ]{4,40}$`)

func (b *Notification) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	number := strings.TrimSpace(b.RegisteredNumber)
	if number != "" && !registeredNumber.MatchString(number) {
		p = append(p, domain.Problem("registered_number", domain.RegisteredNumber))
	}
	return workflows.NotificationRequest{By: by, NotifiedOn: s.dateField(&p, "notified_on", b.NotifiedOn), RegisteredNumber: number}, p, nil
}

// HostCheck is the host's n-th check before the contract ends.
type HostCheck struct {
	versioned
	N            int    `json:"n"`
	HeldOn       string `json:"held_on"`
	Attendance   string `json:"attendance"`
	Skills       string `json:"skills"`
	HiringChance string `json:"hiring_chance"`
}

func (b *HostCheck) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.HostCheckRequest{
		By: by, N: b.N, HeldOn: s.dateField(&p, "held_on", b.HeldOn),
		Attendance: b.Attendance, Skills: b.Skills, HiringChance: b.HiringChance,
	}, p, nil
}

// MaxSignalText bounds a signal's text.
const MaxSignalText = 4000

// Signal is a problem the host signals to the counsellor.
type Signal struct {
	versioned
	Category string `json:"category"`
	Text     string `json:"text"`
}

// The text is stored here, with the host of the running contract; the
// workflow gets its ID.
func (b *Signal) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	switch text := strings.TrimSpace(b.Text); {
	case text == "":
		return nil, []FieldProblem{domain.Problem("text", domain.Required)}, nil
	case len(text) > MaxSignalText:
		return nil, []FieldProblem{domain.Problem("text", domain.MaxBytes, strconv.Itoa(MaxSignalText))}, nil
	}
	if !slices.Contains(workflows.SignalCategories, b.Category) {
		return nil, []FieldProblem{domain.Problem("category", domain.OneOf, workflows.SignalCategories...)}, nil
	}
	id, err := s.store.AddSignal(ctx, participantID, b.Category, strings.TrimSpace(b.Text), by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	return workflows.SignalRequest{By: by, Category: b.Category, SignalID: id}, nil, nil
}

// Hiring is the host's word that it employs the worker after the contract.
type Hiring struct {
	versioned
	Start      string `json:"start"`
	Employment string `json:"employment"`
}

func (b *Hiring) update(_ context.Context, s *Service, c Caller, _ string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	return workflows.HiringRequest{By: by, Start: s.dateField(&p, "start", b.Start), Employment: b.Employment}, p, nil
}

// EmploymentReferral is the referral to the regional employment service
// after an Article 60 contract: the day (not to come) and the contact
// there, a person or an office. The service is the centre's region's.
type EmploymentReferral struct {
	versioned
	ReferredOn string `json:"referred_on"`
	Contact    string `json:"contact"`
}

// EmploymentServiceOf is the regional employment service of a centre's
// region: Actiris in Brussels, VDAB in Flanders, Forem in Wallonia.
func EmploymentServiceOf(region string) string {
	switch region {
	case "brussels":
		return "actiris"
	case "flanders":
		return "vdab"
	case "wallonia":
		return "forem"
	}
	return ""
}

// referralIDs is the UUID namespace of employment referral IDs.
var referralIDs = uuid.MustParse("3f8a2c61-7d4e-4b19-9e05-c6a1d2b7e834")

// The contact is stored here and the workflow gets the row's ID, the
// service and the day; its validator has the last word on the contract.
func (b *EmploymentReferral) update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error) {
	by := c.by(b.expected())
	var p []FieldProblem
	var on time.Time
	if b.ReferredOn == "" {
		p = append(p, domain.Problem("referred_on", domain.Required))
	} else if on = s.dateField(&p, "referred_on", b.ReferredOn); !on.IsZero() && on.After(time.Now()) {
		p = append(p, domain.Problem("referred_on", domain.InFuture))
	}
	contact := strings.TrimSpace(b.Contact)
	p = append(p, store.CheckRecordName("contact", &contact)...)
	if len(p) > 0 {
		return nil, p, nil
	}
	centre, err := s.store.Centre(ctx, c.CentreID)
	if err != nil {
		return nil, nil, err
	}
	service := EmploymentServiceOf(centre.Region)
	id := uuid.NewSHA1(referralIDs, []byte(participantID+"\n"+c.updateID())).String()
	err = s.store.AddEmploymentReferral(ctx, store.NewEmploymentReferral{ID: id, ParticipantID: participantID, CentreID: c.CentreID, AuthorID: c.UserID,
		Service: service, Contact: contact, ReferredOn: time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, nil, err
	}
	return workflows.EmploymentReferralRequest{By: by, Service: service, ReferredOn: on, ReferralID: id}, nil, nil
}
