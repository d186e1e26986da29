package workflows

import (
	"fmt"
	"slices"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// Every write to a trajectory is an update with a validator: the caller gets
// an answer (the new state, or why not), and a refused request leaves no
// trace in the history. Handlers change the state before they block on the
// read-model write, so a second update's validator always sees the first
// one's effect: concurrent writes are serialised.

func (t *trajectory) registerHandlers(ctx workflow.Context) error {
	type handler struct {
		name      string
		fn        any
		validator any
	}
	handlers := []handler{
		{UpdateTransition, t.onTransition, func(r TransitionRequest) error { return validateTransition(&t.state, r) }},
		{UpdateSignGPMI, t.onSignGPMI, t.validateSignGPMI},
		{UpdateRecordEvaluation, t.onEvaluation, t.validateEvaluation},
		{UpdateAmendGPMI, t.onAmendGPMI, t.validateAmendGPMI},
		{UpdateRecordAbsence, t.onAbsence, t.validateAbsence},
		{UpdateChangeContractEnd, t.onChangeContractEnd, t.validateChangeContractEnd},
		{UpdateRecordTraining, t.onTraining, t.validateTraining},
		{UpdateRecordCheckIn, t.onCheckIn, t.validateCheckIn},
		{UpdateRecordOutcome, t.onOutcome, t.validateOutcome},
		{UpdateReassignCounsellor, t.onReassign, t.validateReassign},
		{UpdateReportNonCooperation, t.onNonCooperation, t.validateNonCooperation},
		{UpdateRecordHostCheck, t.onHostCheck, t.validateHostCheck},
		{UpdateSignalProblem, t.onSignal, t.validateSignal},
		{UpdateRecordHiring, t.onHiring, t.validateHiring},
		{UpdateMoveContractHost, t.onMoveHost, t.validateMoveHost},
		{UpdateRecordEmploymentReferral, t.onEmploymentReferral, t.validateEmploymentReferral},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.fn, workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return fmt.Errorf("update %s: %w", h.name, err)
		}
	}
	t.listenToSanctions(ctx)
	return nil
}

// begin starts a handler: workflow time, and a wake-up for the main loop.
func (t *trajectory) begin(ctx workflow.Context) {
	t.now = workflow.Now(ctx)
	t.changed()
}

// done writes the change and answers with the new state.
func (t *trajectory) done(ctx workflow.Context, kind string, by By, data map[string]any) (State, error) {
	if err := t.record(ctx, kind, by, data); err != nil {
		return State{}, err
	}
	return t.state, nil
}

func (t *trajectory) onTransition(ctx workflow.Context, req TransitionRequest) (State, error) {
	t.begin(ctx)
	if err := t.transition(ctx, req); err != nil {
		return State{}, err
	}
	return t.state, nil
}

// GPMI

func (t *trajectory) validateSignGPMI(r SignGPMIRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateSignGPMI]...); err != nil {
		return err
	}
	if t.state.GPMI.SignedOn != nil {
		return notAllowed(domain.ReasonGPMISigned)
	}
	if t.state.Phase == PhaseExempt {
		return notAllowed(domain.ReasonExempt)
	}
	return problems(requireDate("signed_on", r.SignedOn))
}

func (t *trajectory) onSignGPMI(ctx workflow.Context, r SignGPMIRequest) (State, error) {
	t.begin(ctx)
	signed := r.SignedOn
	t.state.GPMI.SignedOn = &signed
	t.state.GPMI.AgreementIDs, t.state.GPMI.Acknowledged = r.AgreementIDs, r.Acknowledged
	t.state.Deadlines.remove("gpmi.sign")
	t.planNextEvaluation(signed)
	return t.done(ctx, "gpmi_signed", r.By, map[string]any{"signed_on": signed, "acknowledged": r.Acknowledged})
}

func (t *trajectory) validateEvaluation(r EvaluationRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordEvaluation]...); err != nil {
		return err
	}
	if t.state.GPMI.SignedOn == nil {
		return notAllowed(domain.ReasonGPMIUnsigned)
	}
	return problems(requireDate("held_on", r.HeldOn))
}

func (t *trajectory) onEvaluation(ctx workflow.Context, r EvaluationRequest) (State, error) {
	t.begin(ctx)
	t.state.GPMI.Evaluations = append(t.state.GPMI.Evaluations, Evaluation{HeldOn: r.HeldOn, FaceToFace: r.FaceToFace, ReportID: r.ReportID})
	t.planNextEvaluation(r.HeldOn)
	return t.done(ctx, "gpmi_evaluated", r.By, map[string]any{"held_on": r.HeldOn, "face_to_face": r.FaceToFace, "report_id": r.ReportID})
}

func (t *trajectory) validateAmendGPMI(r AmendGPMIRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateAmendGPMI]...); err != nil {
		return err
	}
	if t.state.GPMI.SignedOn == nil {
		return notAllowed(domain.ReasonGPMIUnsigned)
	}
	p := requireDate("amended_on", r.AmendedOn)
	if r.AmendmentID == "" {
		p = append(p, domain.Problem("amendment_id", domain.Required))
	}
	return problems(p)
}

func (t *trajectory) onAmendGPMI(ctx workflow.Context, r AmendGPMIRequest) (State, error) {
	t.begin(ctx)
	t.state.GPMI.Amendments = append(t.state.GPMI.Amendments, Amendment{AmendedOn: r.AmendedOn, AmendmentID: r.AmendmentID,
		Added: r.AddedAgreementIDs, Ended: r.EndedAgreementIDs})
	if len(r.AddedAgreementIDs) > 0 || len(r.EndedAgreementIDs) > 0 {
		var current []string
		for _, id := range t.state.GPMI.AgreementIDs {
			if !slices.Contains(r.EndedAgreementIDs, id) {
				current = append(current, id)
			}
		}
		t.state.GPMI.AgreementIDs = append(current, r.AddedAgreementIDs...)
	}
	return t.done(ctx, "gpmi_amended", r.By, map[string]any{"amendment_id": r.AmendmentID})
}

// Article 60

var absenceKinds = []string{"unjustified", "unpaid_leave", "suspension", "unpaid_sickness"}

func (t *trajectory) requireContract() error {
	if t.state.Phase != PhaseArticle60 || t.state.Contract == nil {
		return notAllowed(domain.ReasonNoContract)
	}
	return nil
}

func (t *trajectory) validateAbsence(r AbsenceRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordAbsence]...); err != nil {
		return err
	}
	if err := t.requireContract(); err != nil {
		return err
	}
	var p []domain.FieldProblem
	if !slices.Contains(absenceKinds, r.Kind) {
		p = append(p, domain.Problem("kind", domain.OneOf, "unjustified", "unpaid_leave", "suspension", "unpaid_sickness"))
	}
	if r.Days < 1 || r.Days > 366 {
		p = append(p, domain.Problem("days", domain.Between, "1", "366"))
	}
	return problems(p)
}

// onAbsence pushes the end date later: days that do not count must be
// worked again.
func (t *trajectory) onAbsence(ctx workflow.Context, r AbsenceRequest) (State, error) {
	t.begin(ctx)
	c := t.state.Contract
	old := c.End
	c.NonCountingDays += r.Days
	if c.EndOverridden {
		c.End = c.End.AddDate(0, 0, (r.Days*7+c.DaysPerWeek-1)/c.DaysPerWeek)
	} else {
		c.End = policy.ContractEnd(c.Start, c.RequiredDays, c.NonCountingDays, c.DaysPerWeek)
	}
	t.planContract()
	return t.done(ctx, "absence_recorded", r.By, map[string]any{"kind": r.Kind, "days": r.Days, "end_from": old, "end_to": c.End})
}

func (t *trajectory) validateChangeContractEnd(r ChangeContractEndRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateChangeContractEnd]...); err != nil {
		return err
	}
	if err := t.requireContract(); err != nil {
		return err
	}
	if r.End.IsZero() {
		return problems(requireDate("end", r.End))
	}
	if r.End.Before(t.state.Contract.Start) {
		return problems([]domain.FieldProblem{domain.Problem("end", domain.BeforeContract)})
	}
	return nil
}

// onChangeContractEnd extends or shortens the contract; every dependent
// deadline is planned again, so nothing fires at the old date.
func (t *trajectory) onChangeContractEnd(ctx workflow.Context, r ChangeContractEndRequest) (State, error) {
	t.begin(ctx)
	c := t.state.Contract
	old := c.End
	c.End = r.End
	c.EndOverridden = true
	t.planContract()
	return t.done(ctx, "contract_end_changed", r.By, map[string]any{"end_from": old, "end_to": r.End, "reason_code": r.ReasonCode})
}

func (t *trajectory) validateTraining(r TrainingDoneRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordTraining]...); err != nil {
		return err
	}
	if err := t.requireContract(); err != nil {
		return err
	}
	for _, tr := range t.state.Contract.Trainings {
		if tr.Code == r.Code {
			if tr.DoneOn != nil {
				return notAllowed(domain.ReasonTrainingDone, r.Code)
			}
			return problems(requireDate("done_on", r.DoneOn))
		}
	}
	return problems([]domain.FieldProblem{domain.Problem("code", domain.NotATraining)})
}

func (t *trajectory) onTraining(ctx workflow.Context, r TrainingDoneRequest) (State, error) {
	t.begin(ctx)
	for i, tr := range t.state.Contract.Trainings {
		if tr.Code == r.Code {
			done := r.DoneOn
			t.state.Contract.Trainings[i].DoneOn = &done
		}
	}
	t.state.Deadlines.remove("a60.training." + r.Code)
	return t.done(ctx, "training_done", r.By, map[string]any{"code": r.Code, "done_on": r.DoneOn})
}

// validateEmploymentReferral: a referral follows an Article 60 contract,
// running or in its follow-up, and is not dated before it started. A
// second one corrects the first.
func (t *trajectory) validateEmploymentReferral(r EmploymentReferralRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordEmploymentReferral]...); err != nil {
		return err
	}
	c := t.state.Contract
	if c == nil || (t.state.Phase != PhaseArticle60 && t.state.Phase != PhasePostArticle60) {
		return notAllowed(domain.ReasonReferralContract)
	}
	p := oneOf("service", r.Service, EmploymentServices)
	p = append(p, requireDate("referred_on", r.ReferredOn)...)
	if !r.ReferredOn.IsZero() && r.ReferredOn.Before(c.Start) {
		p = append(p, domain.Problem("referred_on", domain.BeforeContract))
	}
	if r.ReferralID == "" {
		p = append(p, domain.Problem("referral_id", domain.Required))
	}
	return problems(p)
}

// onEmploymentReferral completes the referral's deadline: the counsellor
// did what its notice asked.
func (t *trajectory) onEmploymentReferral(ctx workflow.Context, r EmploymentReferralRequest) (State, error) {
	t.begin(ctx)
	t.state.Contract.Referral = &EmploymentReferral{Service: r.Service, ReferredOn: r.ReferredOn, ID: r.ReferralID, By: r.ActorID}
	t.state.Deadlines.remove(employmentReferralID)
	return t.done(ctx, "employment_referral_recorded", r.By, map[string]any{"service": r.Service, "referred_on": r.ReferredOn, "referral_id": r.ReferralID})
}

// Post-Article-60

func (t *trajectory) validateCheckIn(r CheckInRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordCheckIn]...); err != nil {
		return err
	}
	if t.state.Phase != PhasePostArticle60 {
		return notAllowed(domain.ReasonNotFollowUp)
	}
	return problems(requireDate("on", r.On))
}

func (t *trajectory) onCheckIn(ctx workflow.Context, r CheckInRequest) (State, error) {
	t.begin(ctx)
	t.state.PostArticle60.CheckIns = append(t.state.PostArticle60.CheckIns, r.On)
	for _, d := range t.state.Deadlines { // the check-in due next is done
		if d.Kind == KindCheckIn {
			t.state.Deadlines.remove(d.ID)
			break
		}
	}
	return t.done(ctx, "check_in_recorded", r.By, map[string]any{"on": r.On})
}

func (t *trajectory) validateOutcome(r OutcomeRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordOutcome]...); err != nil {
		return err
	}
	if t.state.Phase != PhasePostArticle60 {
		return notAllowed(domain.ReasonOutcomeFollowUp, string(t.state.Phase))
	}
	return problems(checkOutcome(TransitionRequest{Outcome: r.Outcome}))
}

func (t *trajectory) onOutcome(ctx workflow.Context, r OutcomeRequest) (State, error) {
	t.begin(ctx)
	if err := t.transition(ctx, TransitionRequest{By: r.By, To: PhaseClosed, Outcome: r.Outcome, ReasonCode: "outcome_recorded"}); err != nil {
		return State{}, err
	}
	return t.state, nil
}

// Counsellor

func (t *trajectory) validateReassign(r ReassignRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateReassignCounsellor]...); err != nil {
		return err
	}
	if r.CounsellorID == "" {
		return problems([]domain.FieldProblem{domain.Problem("counsellor_id", domain.Required)})
	}
	if r.CounsellorID == t.state.CounsellorID {
		return notAllowed(domain.ReasonSameCounsellor)
	}
	return nil
}

// onReassign needs nothing else: reminders name the counsellor role and are
// addressed when sent, so every future reminder goes to the new counsellor.
func (t *trajectory) onReassign(ctx workflow.Context, r ReassignRequest) (State, error) {
	t.begin(ctx)
	from := t.state.CounsellorID
	t.state.CounsellorID = r.CounsellorID
	return t.done(ctx, "counsellor_reassigned", r.By, map[string]any{"counsellor_from": from, "counsellor_to": r.CounsellorID})
}

// The trajectory's side of the BCSD procedure.

func (t *trajectory) validateNonCooperation(r NonCooperationRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateReportNonCooperation]...); err != nil {
		return err
	}
	if t.state.Sanction.ActiveProcedureID != "" {
		return notAllowed(domain.ReasonProcedureRunning)
	}
	if r.ReportID == "" {
		return invalidData(domain.Problem("report_id", domain.Required))
	}
	return nil
}

// onNonCooperation starts the sanction procedure as a child that outlives
// this run: continue-as-new must not end it.
func (t *trajectory) onNonCooperation(ctx workflow.Context, r NonCooperationRequest) (State, error) {
	t.begin(ctx)
	t.state.Sanction.Procedures++
	id := SanctionWorkflowID(t.state.ParticipantID, t.state.Sanction.Procedures)
	t.state.Sanction.ActiveProcedureID = id
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        id,
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			SearchCentre.ValueSet(t.state.CentreID), SearchCounsellor.ValueSet(t.state.CounsellorID)),
	})
	child := workflow.ExecuteChildWorkflow(cctx, SanctionWorkflowName, SanctionInput{
		ProcedureID: id, ParticipantID: t.state.ParticipantID, CentreID: t.state.CentreID,
		CounsellorID: t.state.CounsellorID, ReportID: r.ReportID, ReportedAt: t.now, ReportedBy: r.ActorID,
		PreviousSuspensionDecidedAt: t.state.Sanction.LastSuspensionDecidedAt, Logic: t.logic,
	})
	if err := child.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		return State{}, err
	}
	return t.done(ctx, "non_cooperation_reported", r.By, map[string]any{"procedure_id": id, "report_id": r.ReportID})
}

// listenToSanctions applies what the procedure reports. busy tells the main
// loop not to continue as new while an event is being applied.
func (t *trajectory) listenToSanctions(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, SignalSanctionEvent)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var ev SanctionEvent
			ch.Receive(ctx, &ev)
			t.signalsBusy++
			if err := t.applySanctionEvent(ctx, ev); err != nil {
				workflow.GetLogger(ctx).Error("sanction event not recorded", "kind", ev.Kind, "error", err)
			}
			t.signalsBusy--
		}
	})
	t.sanctionEvents = ch
}

func (t *trajectory) applySanctionEvent(ctx workflow.Context, ev SanctionEvent) error {
	t.begin(ctx)
	sc := &t.state.Sanction
	switch ev.Kind {
	case "decided":
		if ev.Decision == DecisionSuspend {
			sc.LastSuspensionDecidedAt = ev.DecidedOn
		}
	case "suspension_started":
		sc.Suspended, sc.SuspendedFrom, sc.SuspendedUntil = true, ev.From, ev.Until
	case "suspension_ended":
		sc.Suspended = false
	case "closed":
		if sc.ActiveProcedureID == ev.ProcedureID {
			sc.ActiveProcedureID = ""
		}
	}
	return t.record(ctx, "sanction_"+ev.Kind, By{ActorRole: domain.RoleSystem}, map[string]any{"procedure_id": ev.ProcedureID})
}

// drainSanctionEvents applies signals that arrived but were not read yet,
// so none is lost when the workflow continues as new.
func (t *trajectory) drainSanctionEvents(ctx workflow.Context) (bool, error) {
	drained := false
	var ev SanctionEvent
	for t.sanctionEvents.ReceiveAsync(&ev) {
		drained = true
		if err := t.applySanctionEvent(ctx, ev); err != nil {
			return drained, err
		}
	}
	return drained, nil
}
