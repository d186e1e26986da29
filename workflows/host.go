package workflows

import (
	"fmt"
	"slices"

	"github.com/traject-ocmw/traject/domain"
	"go.temporal.io/sdk/workflow"
)

// The host organisation's writes on its worker's trajectory: the checks
// before the contract ends, a problem signalled to the counsellor, and
// the hiring after the contract. (Absences and trainings are the centre's
// updates, which host users may send too.)

func (t *trajectory) validateHostCheck(r HostCheckRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordHostCheck]...); err != nil {
		return err
	}
	if err := t.requireContract(); err != nil {
		return err
	}
	checks := len(t.policy.Article60.AttendanceChecksBefore)
	if r.N < 1 || r.N > checks {
		return problems([]domain.FieldProblem{domain.Problem("n", domain.Between, "1", itoa(checks))})
	}
	for _, c := range t.state.Contract.Checks {
		if c.N == r.N {
			return notAllowed(domain.ReasonCheckDone, itoa(r.N))
		}
	}
	p := requireDate("held_on", r.HeldOn)
	p = append(p, oneOf("attendance", r.Attendance, CheckAttendance)...)
	p = append(p, oneOf("skills", r.Skills, CheckSkills)...)
	p = append(p, oneOf("hiring_chance", r.HiringChance, CheckHiringChance)...)
	return problems(p)
}

func (t *trajectory) onHostCheck(ctx workflow.Context, r HostCheckRequest) (State, error) {
	t.begin(ctx)
	c := t.state.Contract
	c.Checks = append(c.Checks, HostCheck{N: r.N, HeldOn: r.HeldOn, Attendance: r.Attendance, Skills: r.Skills, HiringChance: r.HiringChance, By: r.ActorID})
	t.state.Deadlines.remove(hostCheckID(r.N))
	t.state.Deadlines.remove(fmt.Sprintf("a60.attendance_check.%d", r.N)) // a contract from before the host was a party
	return t.done(ctx, "host_check_recorded", r.By, map[string]any{
		"n": r.N, "held_on": r.HeldOn, "attendance": r.Attendance, "skills": r.Skills, "hiring_chance": r.HiringChance,
	})
}

func (t *trajectory) validateSignal(r SignalRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateSignalProblem]...); err != nil {
		return err
	}
	if err := t.requireContract(); err != nil {
		return err
	}
	p := oneOf("category", r.Category, SignalCategories)
	if r.SignalID == "" {
		p = append(p, domain.Problem("signal_id", domain.Required))
	}
	return problems(p)
}

// onSignal tells the counsellor at once: a problem at work waits for no
// digest.
func (t *trajectory) onSignal(ctx workflow.Context, r SignalRequest) (State, error) {
	t.begin(ctx)
	now := workflow.Now(ctx)
	c := t.state.Contract
	c.Signals = append(c.Signals, Signal{ID: r.SignalID, Category: r.Category, At: now, By: r.ActorID})
	key := fmt.Sprintf("%s/a60.signal/%s/%s", WorkflowID(t.state.ParticipantID), r.SignalID, domain.ActorCounsellor)
	if err := t.notify(ctx, key, "a60_host_signal", domain.ActorCounsellor, Deadline{ID: "a60.signal." + r.SignalID, Due: now, Note: r.Category}); err != nil {
		return State{}, err
	}
	return t.done(ctx, "problem_signalled", r.By, map[string]any{"category": r.Category, "signal_id": r.SignalID})
}

func (t *trajectory) validateHiring(r HiringRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateRecordHiring]...); err != nil {
		return err
	}
	c := t.state.Contract
	if c == nil || (t.state.Phase != PhaseArticle60 && t.state.Phase != PhasePostArticle60) {
		return notAllowed(domain.ReasonHiringContract)
	}
	if c.Hiring != nil {
		return notAllowed(domain.ReasonHiringDone)
	}
	p := requireDate("start", r.Start)
	if !r.Start.IsZero() && r.Start.Before(c.Start) {
		p = append(p, domain.Problem("start", domain.BeforeContract))
	}
	p = append(p, oneOf("employment", r.Employment, Employments)...)
	return problems(p)
}

// onHiring keeps the host's word and tells the counsellor, who records the
// outcome when the follow-up closes: the hiring does not close it.
func (t *trajectory) onHiring(ctx workflow.Context, r HiringRequest) (State, error) {
	t.begin(ctx)
	c := t.state.Contract
	c.Hiring = &Hiring{Start: r.Start, Employment: r.Employment, By: r.ActorID}
	key := fmt.Sprintf("%s/a60.hiring/%s", WorkflowID(t.state.ParticipantID), domain.ActorCounsellor)
	if err := t.notify(ctx, key, "a60_host_hiring", domain.ActorCounsellor, Deadline{ID: "a60.hiring", Due: t.dates().endOfDate(r.Start), Note: r.Employment}); err != nil {
		return State{}, err
	}
	return t.done(ctx, "hiring_recorded", r.By, map[string]any{"start": r.Start, "employment": r.Employment, "host_id": c.HostID})
}

func (t *trajectory) validateMoveHost(r MoveHostRequest) error {
	if err := checkBy(&t.state, r.By, UpdateRoles[UpdateMoveContractHost]...); err != nil {
		return err
	}
	c := t.state.Contract
	if c == nil || (t.state.Phase != PhaseArticle60 && t.state.Phase != PhasePostArticle60) || c.HostID != r.From {
		return notAllowed(domain.ReasonHostNoContract)
	}
	if r.To == "" || r.To == r.From {
		return problems([]domain.FieldProblem{domain.Problem("to", domain.NotOtherHost)})
	}
	return nil
}

// onMoveHost changes nothing else: the same organisation, one record.
func (t *trajectory) onMoveHost(ctx workflow.Context, r MoveHostRequest) (State, error) {
	t.begin(ctx)
	t.state.Contract.HostID = r.To
	return t.done(ctx, "contract_host_moved", r.By, map[string]any{"host_from": r.From, "host_to": r.To})
}

// oneOf checks a required code against its allowed values.
func oneOf(field, v string, allowed []string) []domain.FieldProblem {
	if slices.Contains(allowed, v) {
		return nil
	}
	return []domain.FieldProblem{domain.Problem(field, domain.OneOf, allowed...)}
}
