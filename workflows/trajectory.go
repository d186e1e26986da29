package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// Trajectory is the long-lived workflow of one participant. It holds the
// phase, the GPMI, the Article 60 contract and every open deadline; a single
// timer waits for the earliest of them, and any change made by an update
// wakes it to plan again.
func Trajectory(ctx workflow.Context, in TrajectoryInput) error {
	t := &trajectory{}
	if err := t.setup(ctx, in); err != nil {
		return err
	}
	return t.run(ctx, in.Resume == nil)
}

type trajectory struct {
	state  State
	policy policy.Policy
	// changes counts state changes made by handlers; the main loop waits on it.
	changes int
	// now is workflow time at the start of the current handler or loop turn.
	now time.Time
	// sanctionEvents carries the sanction procedure's signals; signalsBusy
	// counts those being applied.
	sanctionEvents workflow.ReceiveChannel
	signalsBusy    int
	postbox        postbox
	alarm          alarm
	// logic is the generation of workflow logic this run follows.
	logic Logic
}

// maxHistoryEvents bounds a run's history even if the server never suggests
// continue-as-new; a trajectory can last years.
const maxHistoryEvents = 2000

func (t *trajectory) setup(ctx workflow.Context, in TrajectoryInput) error {
	t.logic = in.Logic
	t.postbox.logic = in.Logic
	if in.Resume != nil {
		t.state = *in.Resume
		t.state.Run++
	} else {
		if in.ParticipantID == "" || in.CentreID == "" || in.CounsellorID == "" || in.LeefloonDecisionDate.IsZero() {
			return temporal.NewNonRetryableApplicationError("trajectory input needs participant, centre, counsellor and leefloon decision date", ErrTypeInvalidData, nil)
		}
		t.state = State{
			ParticipantID:        in.ParticipantID,
			CentreID:             in.CentreID,
			CounsellorID:         in.CounsellorID,
			LeefloonDecisionDate: in.LeefloonDecisionDate,
			Phase:                PhaseIntake,
			PhaseSince:           workflow.Now(ctx),
		}
		if r := in.Reentry; r != nil {
			t.state.Version = r.PreviousVersion
			t.state.Sanction.LastSuspensionDecidedAt = r.LastSuspensionDecidedAt
			t.state.Sanction.Procedures = r.SanctionProcedures
		}
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return t.state, nil }); err != nil {
		return err
	}
	return t.registerHandlers(ctx)
}

func (t *trajectory) run(ctx workflow.Context, fresh bool) error {
	t.now = workflow.Now(ctx)
	if err := t.loadPolicy(ctx); err != nil {
		return err
	}
	if fresh {
		t.planGPMISignature()
		if err := t.record(ctx, "trajectory_started", By{ActorRole: domain.RoleSystem}, nil); err != nil {
			return err
		}
	} else if err := t.upsertSearchAttributes(ctx); err != nil {
		return err
	}
	for {
		t.now = workflow.Now(ctx)
		if err := t.fireDue(ctx); err != nil {
			return err
		}
		if t.state.Phase == PhaseClosed {
			return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && t.postbox.idle() })
		}
		if info := workflow.GetInfo(ctx); info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > maxHistoryEvents {
			if err := t.quiesce(ctx); err != nil {
				return err
			}
			state := t.state
			return workflow.NewContinueAsNewError(ctx, TrajectoryWorkflowName, TrajectoryInput{
				ParticipantID: state.ParticipantID, CentreID: state.CentreID, Resume: &state, Logic: t.logic,
			})
		}
		seen := t.changes
		woken := func() bool { return t.changes != seen }
		next, scheduled := t.state.Deadlines.nextInstant()
		if !scheduled {
			if err := workflow.Await(ctx, woken); err != nil {
				return err
			}
		} else if wait := next.Sub(workflow.Now(ctx)); wait > 0 {
			if err := t.alarm.await(ctx, t.logic.lean(ctx), next, woken); err != nil {
				return err
			}
		}
		if t.changes != seen && !t.logic.lean(ctx) {
			// Deadlines planned from here on use the centre's newest policy.
			// (Lean runs read it with every recorded change.)
			if err := t.loadPolicy(ctx); err != nil {
				return err
			}
		}
	}
}

// quiesce waits until no update handler runs and every received signal is
// applied, so that continue-as-new cuts no update short and loses no signal.
func (t *trajectory) quiesce(ctx workflow.Context) error {
	for {
		if err := workflow.Await(ctx, func() bool {
			return workflow.AllHandlersFinished(ctx) && t.signalsBusy == 0 && t.postbox.idle()
		}); err != nil {
			return err
		}
		drained, err := t.drainSanctionEvents(ctx)
		if err != nil {
			return err
		}
		if !drained && workflow.AllHandlersFinished(ctx) && t.signalsBusy == 0 {
			return nil
		}
	}
}

func (t *trajectory) loadPolicy(ctx workflow.Context) error {
	p, err := loadPolicy(ctx, t.state.CentreID)
	if err != nil {
		return err
	}
	t.policy = p
	return nil
}

// fireDue sends every reminder whose time has come and passes every
// deadline that is due.
func (t *trajectory) fireDue(ctx workflow.Context) error {
	remind := func(d Deadline, i int, to domain.Actor) error {
		key := fmt.Sprintf("%s/%s/r%d/%s/%s", WorkflowID(t.state.ParticipantID), d.ID, i, d.Due.UTC().Format(time.RFC3339), to)
		return t.notify(ctx, key, string(d.Kind)+"_reminder", to, d)
	}
	return t.state.Deadlines.fire(workflow.Now(ctx), remind, func(d Deadline) error { return t.pass(ctx, d) })
}

// pass runs a deadline's own action when it is reached.
func (t *trajectory) pass(ctx workflow.Context, d Deadline) error {
	system := By{ActorRole: domain.RoleSystem}
	switch d.Kind {
	case KindContractEnd:
		return t.transition(ctx, TransitionRequest{By: system, To: PhasePostArticle60, ReasonCode: "contract_ended"})
	case KindCloseUnknown:
		return t.transition(ctx, TransitionRequest{By: system, To: PhaseClosed, Outcome: OutcomeUnknown, ReasonCode: "no_outcome_recorded"})
	case KindAttendanceCheck, KindEmploymentReferral, KindCheckIn:
		// Tasks on a date: the notice on the day was the point.
		t.state.Deadlines.remove(d.ID)
		return t.record(ctx, "task_due", system, map[string]any{"deadline_id": d.ID, "kind": d.Kind})
	}
	// Everything else is a deadline someone missed: alert the coordinator
	// and keep it open, overdue, until it is completed.
	key := fmt.Sprintf("%s/%s/overdue/%s", WorkflowID(t.state.ParticipantID), d.ID, d.Due.UTC().Format(time.RFC3339))
	to := domain.ActorCoordinator
	if d.Kind == KindHostCheck {
		to = domain.ActorCounsellor // who follows the worker up with the host
	}
	if err := t.notify(ctx, key, string(d.Kind)+"_overdue", to, d); err != nil {
		return err
	}
	d.Passed = true
	t.state.Deadlines.set(d)
	if d.Kind == KindOutcomeDue {
		// Without an outcome after the grace period, close as unknown.
		t.state.Deadlines.set(Deadline{
			ID: "post_a60.close", Kind: KindCloseUnknown, Actor: domain.ActorCoordinator,
			Due: t.policy.PostArticle60.OutcomeGrace.After(d.Due), PolicyVersion: t.policy.Version,
		})
	}
	return t.record(ctx, "deadline_overdue", system, map[string]any{"deadline_id": d.ID, "kind": d.Kind, "due": d.Due})
}

// notify queues one notice. The key makes a retry or a replay queue nothing new.
func (t *trajectory) notify(ctx workflow.Context, key, kind string, to domain.Actor, d Deadline) error {
	hostID := ""
	if t.state.Contract != nil {
		hostID = t.state.Contract.HostID
	}
	n := domain.Notice{
		Key: key, Kind: kind, CentreID: t.state.CentreID, ParticipantID: t.state.ParticipantID,
		Recipient: to, RecipientID: recipient(to, t.state.ParticipantID, t.state.CounsellorID, hostID),
		DeadlineID: d.ID, Due: d.Due, Note: d.Note,
	}
	t.postbox.post(ctx, n, t.policy.Notifications.RetryFor, func(ctx workflow.Context) error {
		return t.record(ctx, "notice_undelivered", By{ActorRole: domain.RoleSystem}, map[string]any{"kind": kind, "recipient_role": to, "deadline_id": d.ID})
	})
	return nil
}

// record bumps the version and writes the state and one timeline event to
// PostgreSQL. A database outage delays the write; it never drops it.
func (t *trajectory) record(ctx workflow.Context, kind string, by By, data map[string]any) error {
	t.state.Version++
	t.state.PolicyVersion = t.policy.Version
	t.state.Summarise()
	if err := t.upsertSearchAttributes(ctx); err != nil {
		return err
	}
	info := workflow.GetInfo(ctx)
	ev := domain.TimelineEvent{
		// Stable across activity retries and replays. The first run ID stays
		// the same across continue-as-new and differs after a re-entry.
		EventKey:      fmt.Sprintf("%s/%s/%d", info.WorkflowExecution.ID, info.FirstRunID, t.state.Version),
		Stream:        info.WorkflowExecution.ID + "/" + info.FirstRunID,
		TaskPosition:  taskPosition(ctx, t.state.Run),
		ParticipantID: t.state.ParticipantID,
		CentreID:      t.state.CentreID,
		OccurredAt:    workflow.Now(ctx),
		Kind:          kind,
		ActorID:       by.ActorID,
		Data:          data,
		Snapshot: domain.TrajectorySnapshot{
			WorkflowID:   info.WorkflowExecution.ID,
			Phase:        string(t.state.Phase),
			PhaseSince:   t.state.PhaseSince,
			CounsellorID: t.state.CounsellorID,
			NextActor:    string(t.state.NextActor),
			NextDeadline: t.state.NextDeadline,
			Outcome:      string(t.state.Outcome),
			Version:      t.state.Version,
			State:        t.state,
		},
	}
	if c := t.state.Contract; c != nil && t.state.Phase == PhaseArticle60 {
		ev.Snapshot.HostID, ev.Snapshot.HostFunction = c.HostID, c.Function
	}
	if from, ok := data["from"].(Phase); ok {
		ev.PhaseFrom = string(from)
		ev.PhaseTo = string(t.state.Phase)
	}
	if kind == "trajectory_started" {
		// An update can be accepted before the start is recorded: the start
		// carries the phase it found, and the statistics order by version.
		ev.PhaseTo = string(t.state.Phase)
	}
	if !t.logic.lean(ctx) {
		return writeTimeline(ctx, false, ev, true)
	}
	// Deadlines planned from here on use the centre's newest policy.
	p, err := writeState(ctx, ev)
	if err != nil {
		return err
	}
	t.policy = p
	return nil
}

func (t *trajectory) upsertSearchAttributes(ctx workflow.Context) error {
	if t.logic.lean(ctx) {
		sa := workflow.GetTypedSearchAttributes(ctx)
		centre, _ := sa.GetKeyword(SearchCentre)
		phase, _ := sa.GetKeyword(SearchPhase)
		counsellor, _ := sa.GetKeyword(SearchCounsellor)
		if centre == t.state.CentreID && phase == string(t.state.Phase) && counsellor == t.state.CounsellorID {
			return nil
		}
	}
	return workflow.UpsertTypedSearchAttributes(ctx,
		SearchCentre.ValueSet(t.state.CentreID),
		SearchPhase.ValueSet(string(t.state.Phase)),
		SearchCounsellor.ValueSet(t.state.CounsellorID),
	)
}

// dates applies the centre's current policy to times.
func (t *trajectory) dates() dates { return dates{policy: t.policy} }

// changed wakes the main loop after a handler changed the state.
func (t *trajectory) changed() { t.changes++ }

// transition moves the trajectory to another phase; the caller has
// validated the request. It plans the new phase's deadlines before it
// blocks, so a concurrent update's validator sees the new phase.
func (t *trajectory) transition(ctx workflow.Context, req TransitionRequest) error {
	from := t.state.Phase
	now := workflow.Now(ctx)
	var contractEnd *time.Time
	if c := t.state.Contract; from == PhaseArticle60 && c != nil {
		// the claims count the months the contract ran on their last day
		// from the timeline, by the contract's end, not the timer's instant
		end := c.End
		contractEnd = &end
	}
	t.leave(from, now)
	t.state.Phase = req.To
	t.state.PhaseSince = now
	if err := t.enter(ctx, req, now); err != nil {
		return err
	}
	t.changed()
	data := map[string]any{"from": from, "to": req.To}
	if req.ReasonCode != "" {
		data["reason_code"] = req.ReasonCode
	}
	if req.Outcome != "" {
		data["outcome"] = req.Outcome
	}
	if c := t.state.Contract; req.To == PhaseArticle60 && c != nil {
		// the statistics count placements and outcomes per host and
		// function from the timeline alone
		data["host_id"], data["function"] = c.HostID, c.Function
	}
	if contractEnd != nil {
		data["contract_end"] = *contractEnd
	}
	return t.record(ctx, "phase_changed", req.By, data)
}

// leave closes what belonged to the phase being left.
func (t *trajectory) leave(from Phase, now time.Time) {
	switch from {
	case PhaseArticle60:
		t.state.Deadlines.removeKinds(KindContractEnd, KindAttendanceCheck, KindEmploymentReferral, KindTraining, KindHostCheck)
		if t.state.Contract != nil && t.state.Contract.End.After(now) {
			t.state.Contract.End = now // ended early
			t.state.Contract.EndOverridden = true
		}
	case PhasePostArticle60:
		t.state.Deadlines.removeKinds(KindCheckIn, KindOutcomeDue, KindCloseUnknown)
	case PhaseExempt:
		t.state.Deadlines.removeKinds(KindExemptionReview)
		t.state.Exemption = nil
	}
}

// enter plans the deadlines of the phase entered.
func (t *trajectory) enter(ctx workflow.Context, req TransitionRequest, now time.Time) error {
	switch req.To {
	case PhaseExempt:
		// Exempted for health or equity reasons: no GPMI is due meanwhile.
		t.state.Deadlines.removeKinds(KindGPMISign, KindGPMIEvaluation)
		if e := req.Exemption; e != nil {
			t.state.Exemption = e
			if !e.ReviewOn.IsZero() {
				due := t.dates().endOfDate(e.ReviewOn)
				t.state.Deadlines.set(Deadline{ID: "exemption.review", Kind: KindExemptionReview, Due: due, Actor: domain.ActorCounsellor,
					PolicyVersion: t.policy.Version, Reminders: t.dates().reminders(due, t.policy.GPMI.ExemptionReviewReminders, now, domain.ActorCounsellor)})
			}
		}
	case PhaseArticle60:
		return t.startContract(*req.Contract, t.logic.hostParty(ctx))
	case PhasePostArticle60:
		t.planPostArticle60(now)
	case PhaseClosed:
		t.state.Outcome = req.Outcome
		t.state.Deadlines = nil
	}
	if req.To != PhaseExempt && req.To != PhaseClosed && t.state.GPMI.SignedOn == nil {
		if _, planned := t.state.Deadlines.get("gpmi.sign"); !planned {
			// Back from an exemption: the GPMI is due again, counted from now.
			t.planGPMISignatureFrom(now)
		}
	}
	return nil
}
