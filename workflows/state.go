package workflows

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"
)

// State is the whole trajectory: what the state query returns, what the
// read model mirrors and what continue-as-new carries to the next run.
type State struct {
	ParticipantID        string    `json:"participant_id"`
	CentreID             string    `json:"centre_id"`
	CounsellorID         string    `json:"counsellor_id"`
	LeefloonDecisionDate time.Time `json:"leefloon_decision_date"`

	Phase      Phase     `json:"phase"`
	PhaseSince time.Time `json:"phase_since"`
	Outcome    Outcome   `json:"outcome,omitempty"`

	GPMI          GPMIState       `json:"gpmi"`
	Contract      *Contract       `json:"contract,omitempty"`
	PostArticle60 *PostArticle60  `json:"post_article60,omitempty"`
	Sanction      SanctionOverlay `json:"sanction"`

	// Exemption is the running exemption's decision, while exempt.
	Exemption *ExemptionInput `json:"exemption,omitempty"`
	// Deadlines are the open deadlines, earliest first.
	Deadlines Deadlines `json:"deadlines"`
	// NextActor and NextDeadline summarise the earliest open deadline
	// someone must act on, so caseload views can tell "waiting on the
	// participant" from "on us"; NextByActor is each actor's earliest. A
	// BCSD procedure's deadlines are its own (SanctionState.Work).
	NextActor    domain.Actor               `json:"next_actor"`
	NextDeadline *time.Time                 `json:"next_deadline,omitempty"`
	NextByActor  map[domain.Actor]time.Time `json:"next_by_actor,omitempty"`

	// Version counts state changes; it orders read-model writes and backs
	// ExpectedVersion checks.
	Version int64 `json:"version"`
	// PolicyVersion is the centre policy version the latest plan used.
	PolicyVersion int `json:"policy_version"`
	// Run counts continue-as-new generations.
	Run int `json:"run"`
}

// GPMIState is the individual integration contract.
type GPMIState struct {
	SignedOn *time.Time `json:"signed_on,omitempty"`
	// AgreementIDs are the agreements it was signed with (in PostgreSQL)
	// and Acknowledged that the person was told what signing means.
	AgreementIDs []string     `json:"agreement_ids,omitempty"`
	Acknowledged bool         `json:"acknowledged,omitempty"`
	Evaluations  []Evaluation `json:"evaluations,omitempty"`
	Amendments   []Amendment  `json:"amendments,omitempty"`
}

// Evaluation is one GPMI evaluation.
type Evaluation struct {
	HeldOn     time.Time `json:"held_on"`
	FaceToFace bool      `json:"face_to_face"`
	// ReportID names its report (in PostgreSQL), when one was written.
	ReportID string `json:"report_id,omitempty"`
}

// Amendment is one amendment of the GPMI; its text is in PostgreSQL.
type Amendment struct {
	AmendedOn   time.Time `json:"amended_on"`
	AmendmentID string    `json:"amendment_id"`
	// Added and Ended are the agreements it added and ended.
	Added []string `json:"added,omitempty"`
	Ended []string `json:"ended,omitempty"`
}

// Contract is a running Article 60 contract.
type Contract struct {
	HostID          string     `json:"host_id"`
	Function        string     `json:"function"`
	Regime          string     `json:"regime"`
	Start           time.Time  `json:"start"`
	AgeAtStart      int        `json:"age_at_start"`
	RequiredDays    int        `json:"required_days"`
	NonCountingDays int        `json:"non_counting_days"`
	RuleFrom        string     `json:"rule_from"` // which working-days rule applied
	DaysPerWeek     int        `json:"days_per_week"`
	End             time.Time  `json:"end"`
	EndOverridden   bool       `json:"end_overridden"` // set by a coordinator, no longer computed
	Trainings       []Training `json:"trainings,omitempty"`
	// HostParty: the host records the checks before the end and is
	// reminded of the trainings (see hostParty in versions.go).
	HostParty bool `json:"host_party,omitempty"`
	// What the host recorded: its checks, problems it signalled, and that
	// it hires the worker after the contract.
	Checks  []HostCheck `json:"checks,omitempty"`
	Signals []Signal    `json:"signals,omitempty"`
	Hiring  *Hiring     `json:"hiring,omitempty"`
	// Referral is the referral to the regional employment service, once
	// recorded: the deadline a60.employment_referral is then done and not
	// planned again when the end date moves.
	Referral *EmploymentReferral `json:"employment_referral,omitempty"`
}

// EmploymentReferral is the referral to the regional employment service
// after the contract; its contact is in PostgreSQL under ID.
type EmploymentReferral struct {
	Service    string    `json:"service"` // one of EmploymentServices
	ReferredOn time.Time `json:"referred_on"`
	ID         string    `json:"id"`
	By         string    `json:"by"`
}

// HostCheck is the host's check of its worker before the contract ends
// (DOMAIN.md: 4 months and 1 month before): the N-th of the policy's
// Article60.AttendanceChecksBefore.
type HostCheck struct {
	N            int       `json:"n"`
	HeldOn       time.Time `json:"held_on"`
	Attendance   string    `json:"attendance"`    // good, irregular, poor
	Skills       string    `json:"skills"`        // acquired, partly, not_yet
	HiringChance string    `json:"hiring_chance"` // likely, possible, unlikely
	By           string    `json:"by"`
}

// Signal is a problem the host signalled to the counsellor; its text is in
// PostgreSQL under ID.
type Signal struct {
	ID       string    `json:"id"`
	Category string    `json:"category"` // attendance, behaviour, health, skills, other
	At       time.Time `json:"at"`
	By       string    `json:"by"`
}

// Hiring is the host's word that it employs the worker after the contract.
type Hiring struct {
	Start      time.Time `json:"start"`
	Employment string    `json:"employment"` // open_ended, fixed_term
	By         string    `json:"by"`
}

// Training is a mandatory training of the skills plan.
type Training struct {
	Code   string     `json:"code"`
	Due    time.Time  `json:"due"`
	DoneOn *time.Time `json:"done_on,omitempty"`
}

// PostArticle60 is the follow-up after the contract.
type PostArticle60 struct {
	Start    time.Time   `json:"start"`
	End      time.Time   `json:"end"`
	CheckIns []time.Time `json:"check_ins,omitempty"`
}

// SanctionOverlay is the non-cooperation procedure beside the phases.
type SanctionOverlay struct {
	// ActiveProcedureID is the running sanction procedure, if any.
	ActiveProcedureID string `json:"active_procedure_id,omitempty"`
	Procedures        int    `json:"procedures"`
	// Suspended is true while a decided suspension of the leefloon runs.
	Suspended               bool       `json:"suspended"`
	SuspendedFrom           *time.Time `json:"suspended_from,omitempty"`
	SuspendedUntil          *time.Time `json:"suspended_until,omitempty"`
	LastSuspensionDecidedAt *time.Time `json:"last_suspension_decided_at,omitempty"`
}

// DeadlineKind says what a deadline is about and what happens when it passes.
type DeadlineKind string

// Deadline kinds.
const (
	KindGPMISign           DeadlineKind = "gpmi_sign"               // overdue: alert coordinator
	KindGPMIEvaluation     DeadlineKind = "gpmi_evaluation"         // overdue: alert coordinator
	KindExemptionReview    DeadlineKind = "exemption_review"        // overdue: alert coordinator
	KindAttendanceCheck    DeadlineKind = "a60_attendance_check"    // a task for the counsellor on its date
	KindEmploymentReferral DeadlineKind = "a60_employment_referral" // a task for the counsellor on its date
	KindContractEnd        DeadlineKind = "a60_contract_end"        // passes: move to post_article60
	KindTraining           DeadlineKind = "a60_training"            // overdue: alert coordinator
	KindHostCheck          DeadlineKind = "a60_host_check"          // the host's; overdue: alert counsellor
	KindCheckIn            DeadlineKind = "post_a60_check_in"       // a task for the counsellor on its date
	KindOutcomeDue         DeadlineKind = "post_a60_outcome"        // overdue: alert coordinator, then close as unknown
	KindCloseUnknown       DeadlineKind = "post_a60_close"          // passes: close with outcome unknown
)

// Deadline is one open deadline with its reminders.
type Deadline struct {
	// ID is unique and stable within the trajectory, e.g. gpmi.evaluation.2.
	ID    string       `json:"id"`
	Kind  DeadlineKind `json:"kind"`
	Due   time.Time    `json:"due"`
	Actor domain.Actor `json:"actor"`
	// Reminders go before Due; an offset of zero is a notice on the day.
	Reminders []Reminder `json:"reminders,omitempty"`
	// Passed is set once the deadline's own action ran; an overdue deadline
	// stays open until someone completes it.
	Passed        bool `json:"passed"`
	PolicyVersion int  `json:"policy_version"`
	// Note is a code the notices carry, e.g. face_to_face for an evaluation
	// that must be held in person to reach the yearly quota.
	Note string `json:"note,omitempty"`
}

// Reminder is one notice before a deadline.
type Reminder struct {
	At   time.Time      `json:"at"`
	To   []domain.Actor `json:"to"`
	Sent bool           `json:"sent"`
}

// Deadlines is an ordered list of open deadlines, earliest first. The
// trajectory and the sanction procedure both keep one.
type Deadlines []Deadline

// nextInstant is the earliest moment something must happen: a reminder to
// send or a deadline to pass. ok is false when nothing is scheduled.
func (l Deadlines) nextInstant() (t time.Time, ok bool) {
	for _, d := range l {
		for _, r := range d.Reminders {
			if !r.Sent && (!ok || r.At.Before(t)) {
				t, ok = r.At, true
			}
		}
		if !d.Passed && (!ok || d.Due.Before(t)) {
			t, ok = d.Due, true
		}
	}
	return t, ok
}

// set adds or replaces a deadline, keeping the list ordered.
func (l *Deadlines) set(d Deadline) {
	l.remove(d.ID)
	*l = append(*l, d)
	sort.SliceStable(*l, func(i, j int) bool { return (*l)[i].Due.Before((*l)[j].Due) })
}

// remove closes a deadline; its unsent reminders go with it.
func (l *Deadlines) remove(id string) bool {
	for i, d := range *l {
		if d.ID == id {
			*l = append((*l)[:i], (*l)[i+1:]...)
			return true
		}
	}
	return false
}

// removeKinds closes every deadline of the given kinds.
func (l *Deadlines) removeKinds(kinds ...DeadlineKind) {
	kept := (*l)[:0]
	for _, d := range *l {
		if !slices.Contains(kinds, d.Kind) {
			kept = append(kept, d)
		}
	}
	*l = kept
}

func (l Deadlines) get(id string) (Deadline, bool) {
	for _, d := range l {
		if d.ID == id {
			return d, true
		}
	}
	return Deadline{}, false
}

// fire sends every reminder whose time has come and passes every due
// deadline, in time order. remind and pass do the work; pass may change
// the list.
func (l *Deadlines) fire(now time.Time, remind func(d Deadline, reminder int, to domain.Actor) error, pass func(Deadline) error) error {
	ids := make([]string, len(*l))
	for i, d := range *l {
		ids[i] = d.ID
	}
	for _, id := range ids {
		d, ok := l.get(id)
		if !ok {
			continue // closed by an earlier deadline's action
		}
		for i, r := range d.Reminders {
			if r.Sent || r.At.After(now) {
				continue
			}
			for _, to := range r.To {
				if err := remind(d, i, to); err != nil {
					return err
				}
			}
			d.Reminders[i].Sent = true
			l.set(d)
		}
		if !d.Passed && !d.Due.After(now) {
			if err := pass(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// Summarise sets NextActor, NextDeadline and NextByActor from the open
// deadlines someone acts on. It changes no command, only the state the
// read model and queries see, so a replay of an older history produces the
// same commands (replay_test.go); the summary of a run that recorded the
// older one (the BCSD as next actor while a procedure ran, with the
// trajectory's date) is corrected at its next change.
func (s *State) Summarise() {
	s.NextActor, s.NextDeadline, s.NextByActor = domain.ActorCounsellor, nil, nil
	if s.Phase == PhaseClosed {
		s.NextActor = ""
		return
	}
	for _, d := range s.Deadlines {
		if d.Kind.Passive() {
			continue
		}
		if s.NextDeadline == nil || d.Due.Before(*s.NextDeadline) {
			due := d.Due
			s.NextActor, s.NextDeadline = d.Actor, &due
		}
		if s.NextByActor == nil {
			s.NextByActor = map[domain.Actor]time.Time{}
		}
		if due, ok := s.NextByActor[d.Actor]; !ok || d.Due.Before(due) {
			s.NextByActor[d.Actor] = d.Due
		}
	}
}

// Passive tells a deadline nobody acts on: it passes by itself (a
// contract's end, the follow-up's closing, the appeal window, a
// suspension's start and end). It is not anyone's work.
func (k DeadlineKind) Passive() bool {
	switch k {
	case KindContractEnd, KindCloseUnknown, KindAppealWindow, KindSuspensionStart, KindSuspensionFinish:
		return true
	}
	return false
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
