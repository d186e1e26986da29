package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// The non-cooperation procedure before the BCSD runs as a child workflow of
// the trajectory: written warning, hearing, decision, notification, appeal
// window and, when decided, the suspension itself. It tells the trajectory
// what was decided and when a suspension starts and ends; the trajectory
// carries on underneath.

// SanctionProcedure is the child workflow of one non-cooperation report.
func SanctionProcedure(ctx workflow.Context, in SanctionInput) (SanctionState, error) {
	s := &sanction{state: SanctionState{SanctionInput: in, Stage: StageReported}, postbox: postbox{logic: in.Logic}}
	if err := s.setup(ctx); err != nil {
		return SanctionState{}, err
	}
	return s.run(ctx)
}

type sanction struct {
	state   SanctionState
	policy  policy.Policy
	changes int
	now     time.Time
	postbox postbox
}

func (s *sanction) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QuerySanction, func() (SanctionState, error) { return s.state, nil }); err != nil {
		return err
	}
	for _, h := range []struct {
		name           string
		fn, validation any
	}{
		{UpdateScheduleHearing, s.onHearing, s.validateHearing},
		{UpdateRecordHearing, s.onHearingHeld, s.validateHearingHeld},
		{UpdateRecordDecision, s.onDecision, s.validateDecision},
		{UpdateRecordNotification, s.onNotification, s.validateNotification},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.fn, workflow.UpdateHandlerOptions{Validator: h.validation}); err != nil {
			return err
		}
	}
	return nil
}

func (s *sanction) run(ctx workflow.Context) (SanctionState, error) {
	s.now = workflow.Now(ctx)
	if err := s.loadPolicy(ctx); err != nil {
		return s.state, err
	}
	// The written warning to the participant, and the case to the BCSD.
	for _, to := range []domain.Actor{domain.ActorParticipant, domain.ActorBCSD} {
		if err := s.notify(ctx, "sanction_warning", to, Deadline{ID: "sanction.report"}); err != nil {
			return s.state, err
		}
	}
	if err := s.record(ctx, "sanction_reported", By{ActorID: s.state.ReportedBy, ActorRole: domain.RoleCounsellor}, map[string]any{"procedure_id": s.state.ProcedureID}); err != nil {
		return s.state, err
	}
	for {
		s.now = workflow.Now(ctx)
		remind := func(d Deadline, i int, to domain.Actor) error {
			return s.notify(ctx, string(d.Kind)+"_reminder", to, d, fmt.Sprintf("r%d", i))
		}
		if err := s.state.Deadlines.fire(s.now, remind, func(d Deadline) error { return s.pass(ctx, d) }); err != nil {
			return s.state, err
		}
		if s.finished() {
			s.state.Stage = StageClosed
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && s.postbox.idle() }); err != nil {
				return s.state, err
			}
			if err := s.signalParent(ctx, SanctionEvent{Kind: "closed"}); err != nil {
				return s.state, err
			}
			return s.state, s.record(ctx, "sanction_closed", By{ActorRole: domain.RoleSystem}, nil)
		}
		seen := s.changes
		woken := func() bool { return s.changes != seen }
		next, ok := s.state.Deadlines.nextInstant()
		if !ok {
			if err := workflow.Await(ctx, woken); err != nil {
				return s.state, err
			}
		} else if wait := next.Sub(workflow.Now(ctx)); wait > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, wait, woken); err != nil {
				return s.state, err
			}
		}
	}
}

// finished: the decision is notified, the appeal window has passed and any
// suspension has run its course.
func (s *sanction) finished() bool {
	if s.state.Stage != StageNotified {
		return false
	}
	return len(s.state.Deadlines) == 0
}

func (s *sanction) pass(ctx workflow.Context, d Deadline) error {
	system := By{ActorRole: domain.RoleSystem}
	switch d.Kind {
	case KindAppealWindow:
		s.state.Deadlines.remove(d.ID)
		return s.record(ctx, "sanction_final", system, nil)
	case KindSuspensionStart:
		s.state.Deadlines.remove(d.ID)
		dec := s.state.Decision
		if err := s.signalParent(ctx, SanctionEvent{Kind: "suspension_started", From: dec.SuspensionFrom, Until: dec.SuspensionUntil}); err != nil {
			return err
		}
		return s.record(ctx, "suspension_started", system, nil)
	case KindSuspensionFinish:
		s.state.Deadlines.remove(d.ID)
		if err := s.signalParent(ctx, SanctionEvent{Kind: "suspension_ended"}); err != nil {
			return err
		}
		return s.record(ctx, "suspension_ended", system, nil)
	}
	// A missed hearing record goes to the BCSD; a missed decision or
	// notification deadline escalates to the coordinator.
	to := domain.ActorCoordinator
	if d.Kind == KindHearing {
		to = domain.ActorBCSD
	}
	if err := s.notify(ctx, string(d.Kind)+"_overdue", to, d, "overdue"); err != nil {
		return err
	}
	d.Passed = true
	s.state.Deadlines.set(d)
	return s.record(ctx, "sanction_deadline_overdue", system, map[string]any{"deadline_id": d.ID, "kind": d.Kind})
}

func (s *sanction) begin(ctx workflow.Context) {
	s.now = workflow.Now(ctx)
	s.changes++
}

func (s *sanction) checkBy(by By, stages ...SanctionStage) error {
	if by.ActorID == "" {
		return invalidData(domain.Problem("actor_id", domain.Required))
	}
	// Every step but the decision (checked first, narrower) is open to the
	// same roles, as the centre's policy names them (validators do not run
	// on replay, so a policy change needs no new logic generation).
	if !slices.Contains(UpdateRoles[UpdateScheduleHearing], by.ActorRole) {
		return notPermitted(by.ActorRole)
	}
	if by.ActorRole != domain.RoleSystem && !s.policy.Sanction.MayRecordStep(by.ActorRole) {
		return notPermitted(by.ActorRole)
	}
	if by.ExpectedVersion != 0 && by.ExpectedVersion != s.state.Version {
		return conflict(s.state.Version, by.ExpectedVersion)
	}
	if !slices.Contains(stages, s.state.Stage) {
		return notAllowed(domain.ReasonStage, string(s.state.Stage))
	}
	return nil
}

func (s *sanction) validateHearing(r HearingRequest) error {
	if err := s.checkBy(r.By, StageReported, StageHearingScheduled); err != nil {
		return err
	}
	p := append(requireDate("invited_on", r.InvitedOn), requireDate("hearing_on", r.HearingOn)...)
	if len(p) > 0 {
		return invalidData(p...)
	}
	earliest := s.policy.Sanction.HearingNoticeMin.After(startOfDay(r.InvitedOn, s.policy.Location()))
	if r.HearingOn.Before(earliest) {
		return invalidData(domain.Problem("hearing_on", domain.HearingTooSoon, earliest.Format(time.DateOnly)))
	}
	return nil
}

func (s *sanction) onHearing(ctx workflow.Context, r HearingRequest) (SanctionState, error) {
	s.begin(ctx)
	invited, hearing := r.InvitedOn, r.HearingOn
	s.state.InvitedOn, s.state.HearingOn = &invited, &hearing
	s.state.Stage = StageHearingScheduled
	// The BCSD records the hearing by the end of its day.
	d := Deadline{
		ID: "sanction.hearing", Kind: KindHearing, Due: s.dates().endOfDate(hearing), Actor: domain.ActorBCSD, PolicyVersion: s.policy.Version,
		Reminders: s.dates().reminders(s.dates().endOfDate(hearing), s.policy.Sanction.HearingReminders, s.now, domain.ActorParticipant, domain.ActorCounsellor, domain.ActorBCSD),
	}
	s.state.Deadlines.set(d)
	// The invitation letter; a moved hearing gets a new one.
	if err := s.notify(ctx, "sanction_hearing_invitation", domain.ActorParticipant, d, hearing.UTC().Format(time.RFC3339)); err != nil {
		return s.state, err
	}
	return s.done(ctx, "hearing_scheduled", r.By, map[string]any{"invited_on": invited, "hearing_on": hearing})
}

func (s *sanction) validateHearingHeld(r HearingHeldRequest) error {
	return s.checkBy(r.By, StageHearingScheduled)
}

func (s *sanction) onHearingHeld(ctx workflow.Context, r HearingHeldRequest) (SanctionState, error) {
	s.begin(ctx)
	held := r.Held
	s.state.HearingHeld = &held
	s.state.Stage = StageHeard
	s.state.Deadlines.remove("sanction.hearing")
	sp := s.policy.Sanction
	due := s.dates().dueAfter(*s.state.HearingOn, sp.DecisionWithin, true)
	s.state.Deadlines.set(Deadline{
		ID: "sanction.decision", Kind: KindDecision, Due: due, Actor: domain.ActorBCSD, PolicyVersion: s.policy.Version,
		Reminders: s.dates().reminders(due, sp.DecisionReminders, s.now, domain.ActorBCSD, domain.ActorCounsellor),
	})
	kind := "hearing_missed"
	if held {
		kind = "hearing_held"
	}
	return s.done(ctx, kind, r.By, nil)
}

// maxMonths is the longest suspension the BCSD may decide on that day: the
// repeat maximum when a previous suspension was decided within the window.
func (s *sanction) maxMonths(decidedOn time.Time) int {
	sp := s.policy.Sanction
	if prev := s.state.PreviousSuspensionDecidedAt; prev != nil && !sp.RepeatWindow.After(*prev).Before(decidedOn) {
		return sp.MaxRepeatSuspensionMonths
	}
	return sp.MaxSuspensionMonths
}

func (s *sanction) validateDecision(r DecisionRequest) error {
	// Who may comes before when: a counsellor never decides, at any stage.
	if !slices.Contains(UpdateRoles[UpdateRecordDecision], r.ActorRole) {
		return notPermitted(r.ActorRole)
	}
	if err := s.checkBy(r.By, StageHeard); err != nil {
		return err
	}
	if r.DecidedOn.IsZero() {
		return invalidData(requireDate("decided_on", r.DecidedOn)...)
	}
	switch r.Kind {
	case DecisionNone:
		return nil
	case DecisionSuspend, DecisionSuspended:
		if max := s.maxMonths(r.DecidedOn); r.Months < 1 || r.Months > max {
			return invalidData(domain.Problem("months", domain.Between, "1", itoa(max)))
		}
		return nil
	}
	return invalidData(domain.Problem("kind", domain.OneOf, "no_sanction", "suspension", "suspended_sanction"))
}

func (s *sanction) onDecision(ctx workflow.Context, r DecisionRequest) (SanctionState, error) {
	s.begin(ctx)
	loc := s.policy.Location()
	dec := &Decision{Kind: r.Kind, Months: r.Months, Partial: r.Partial, DecidedOn: r.DecidedOn, MaxMonths: s.maxMonths(r.DecidedOn)}
	s.state.Decision = dec
	s.state.Stage = StageDecided
	s.state.Deadlines.remove("sanction.decision")
	sp := s.policy.Sanction
	due := s.dates().dueAfter(r.DecidedOn, sp.NotificationWithin, true)
	s.state.Deadlines.set(Deadline{ID: "sanction.notification", Kind: KindNotification, Due: due, Actor: domain.ActorBCSD, PolicyVersion: s.policy.Version})
	if r.Kind == DecisionSuspend {
		// Decided 15 November, the suspension starts on 1 January.
		y, m, _ := r.DecidedOn.In(loc).Date()
		from := time.Date(y, m+2, 1, 0, 0, 0, 0, loc)
		until := from.AddDate(0, r.Months, 0)
		dec.SuspensionFrom, dec.SuspensionUntil = &from, &until
		s.state.Deadlines.set(Deadline{ID: "sanction.suspension_start", Kind: KindSuspensionStart, Due: from, Actor: domain.ActorBCSD, PolicyVersion: s.policy.Version})
		s.state.Deadlines.set(Deadline{ID: "sanction.suspension_finish", Kind: KindSuspensionFinish, Due: until, Actor: domain.ActorBCSD, PolicyVersion: s.policy.Version})
	}
	decided := r.DecidedOn
	if err := s.signalParent(ctx, SanctionEvent{Kind: "decided", Decision: r.Kind, DecidedOn: &decided, From: dec.SuspensionFrom, Until: dec.SuspensionUntil}); err != nil {
		return s.state, err
	}
	if err := s.notify(ctx, "sanction_decision", domain.ActorParticipant, Deadline{ID: "sanction.decision"}); err != nil {
		return s.state, err
	}
	return s.done(ctx, "sanction_decided", r.By, map[string]any{"decision": r.Kind, "months": r.Months, "partial": r.Partial})
}

func (s *sanction) validateNotification(r NotificationRequest) error {
	if err := s.checkBy(r.By, StageDecided); err != nil {
		return err
	}
	return problems(requireDate("notified_on", r.NotifiedOn))
}

// onNotification opens the appeal window to the labour court.
func (s *sanction) onNotification(ctx workflow.Context, r NotificationRequest) (SanctionState, error) {
	s.begin(ctx)
	notified := r.NotifiedOn
	s.state.NotifiedOn = &notified
	s.state.RegisteredNumber = r.RegisteredNumber
	s.state.Stage = StageNotified
	s.state.Deadlines.remove("sanction.notification")
	until := s.dates().dueAfter(notified, s.policy.Sanction.AppealWindow, true)
	s.state.AppealUntil = &until
	s.state.Deadlines.set(Deadline{ID: "sanction.appeal_window", Kind: KindAppealWindow, Due: until, Actor: domain.ActorCounsellor, PolicyVersion: s.policy.Version})
	data := map[string]any{"notified_on": notified, "appeal_until": until}
	if r.RegisteredNumber != "" {
		data["registered_number"] = r.RegisteredNumber
	}
	return s.done(ctx, "decision_notified", r.By, data)
}

// dates applies the centre's policy to times; the procedure's deadlines
// are legal ones.
func (s *sanction) dates() dates { return dates{policy: s.policy} }

func (s *sanction) loadPolicy(ctx workflow.Context) error {
	p, err := loadPolicy(ctx, s.state.CentreID)
	s.policy = p
	return err
}

func (s *sanction) notify(ctx workflow.Context, kind string, to domain.Actor, d Deadline, variant ...string) error {
	key := fmt.Sprintf("%s/%s/%s/%s", s.state.ProcedureID, kind, d.ID, to)
	for _, v := range variant {
		key += "/" + v
	}
	n := domain.Notice{Key: key, Kind: kind, CentreID: s.state.CentreID, ParticipantID: s.state.ParticipantID,
		Recipient: to, RecipientID: recipient(to, s.state.ParticipantID, s.state.CounsellorID, ""), DeadlineID: d.ID, Due: d.Due}
	s.postbox.post(ctx, n, s.policy.Notifications.RetryFor, func(ctx workflow.Context) error {
		return s.record(ctx, "notice_undelivered", By{ActorRole: domain.RoleSystem}, map[string]any{"kind": kind, "recipient_role": to})
	})
	return nil
}

// record writes one timeline event of the participant's dossier.
func (s *sanction) record(ctx workflow.Context, kind string, by By, data map[string]any) error {
	s.state.Version++
	if data == nil {
		data = map[string]any{}
	}
	data["procedure_id"] = s.state.ProcedureID
	data["stage"] = s.state.Stage
	ev := domain.TimelineEvent{
		EventKey:      fmt.Sprintf("%s/%d", s.state.ProcedureID, s.state.Version),
		Stream:        s.state.ProcedureID,
		TaskPosition:  taskPosition(ctx, 0), // a procedure never continues as new
		ParticipantID: s.state.ParticipantID, CentreID: s.state.CentreID,
		OccurredAt: workflow.Now(ctx), Kind: kind, ActorID: by.ActorID, Data: data,
		Procedure: s.snapshot(),
	}
	return writeTimeline(ctx, s.state.Logic.lean(ctx), ev, false)
}

// snapshot is the procedure's read-model row: what the BCSD agenda lists.
func (s *sanction) snapshot() *domain.ProcedureSnapshot {
	due := func(id string) *time.Time {
		if d, ok := s.state.Deadlines.get(id); ok {
			return &d.Due
		}
		return nil
	}
	p := &domain.ProcedureSnapshot{
		ProcedureID: s.state.ProcedureID, Stage: string(s.state.Stage), HearingAt: s.state.HearingOn,
		DecisionDue: due("sanction.decision"), NotificationDue: due("sanction.notification"),
		AppealUntil: s.state.AppealUntil, Version: s.state.Version, State: s.state,
	}
	if s.state.Decision != nil {
		p.Decision = s.state.Decision.Kind
	}
	return p
}

func (s *sanction) done(ctx workflow.Context, kind string, by By, data map[string]any) (SanctionState, error) {
	if err := s.record(ctx, kind, by, data); err != nil {
		return s.state, err
	}
	return s.state, nil
}

func (s *sanction) signalParent(ctx workflow.Context, ev SanctionEvent) error {
	ev.ProcedureID = s.state.ProcedureID
	// By workflow ID, not run: the trajectory may have continued as new.
	return workflow.SignalExternalWorkflow(ctx, WorkflowID(s.state.ParticipantID), "", SignalSanctionEvent, ev).Get(ctx, nil)
}
