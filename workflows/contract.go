// Package workflows holds the trajectory workflow, one per participant, the
// sanction procedure it starts as a child, and their public contract: IDs,
// phases, inputs, update and query names, search attributes. The API and the
// worker import this contract; only the worker imports the activity
// implementations.
//
// Privacy by construction: everything that crosses into Temporal (inputs,
// results, updates, signals, histories, search attributes) carries IDs,
// dates, codes and counts only. Names, national register numbers, e-mail
// addresses and free text stay in PostgreSQL.
package workflows

import (
	"strconv"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/domain"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// Registered workflow types.
const (
	TrajectoryWorkflowName = "Trajectory"
	SanctionWorkflowName   = "SanctionProcedure"
)

// WorkflowID derives the trajectory workflow ID from the participant ID, so
// that one participant never has two trajectories running.
func WorkflowID(participantID string) string { return "trajectory:" + participantID }

// SanctionWorkflowID names the n-th sanction procedure of a participant.
func SanctionWorkflowID(participantID string, n int) string {
	return sanctionPrefix(participantID) + itoa(n)
}

func sanctionPrefix(participantID string) string { return "sanction:" + participantID + ":" }

// SanctionNumber is n of SanctionWorkflowID(participantID, n); false for
// an ID that is not one of the participant's procedures.
func SanctionNumber(participantID, workflowID string) (int, bool) {
	rest, ok := strings.CutPrefix(workflowID, sanctionPrefix(participantID))
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0 && SanctionWorkflowID(participantID, n) == workflowID
}

// Query and update names of the trajectory workflow.
const (
	QueryState = "state"

	UpdateTransition           = "transition"
	UpdateSignGPMI             = "sign_gpmi"
	UpdateRecordEvaluation     = "record_evaluation"
	UpdateAmendGPMI            = "amend_gpmi"
	UpdateRecordAbsence        = "record_absence"
	UpdateChangeContractEnd    = "change_contract_end"
	UpdateRecordTraining       = "record_training"
	UpdateRecordCheckIn        = "record_check_in"
	UpdateRecordOutcome        = "record_outcome"
	UpdateReassignCounsellor   = "reassign_counsellor"
	UpdateReportNonCooperation = "report_non_cooperation"
	UpdateRecordHostCheck      = "record_host_check"
	UpdateSignalProblem        = "signal_problem"
	UpdateRecordHiring         = "record_hiring"
	UpdateMoveContractHost     = "move_contract_host"
	// UpdateRecordEmploymentReferral records the referral to the regional
	// employment service before the contract ends (or in its follow-up).
	UpdateRecordEmploymentReferral = "record_employment_referral"

	// SignalSanctionEvent is how the sanction procedure tells the trajectory
	// what the BCSD decided and when a suspension starts and ends.
	SignalSanctionEvent = "sanction_event"
)

// Phase is where a participant stands in the trajectory.
type Phase string

// The phases, as the Molenbeek OCMW numbers them, plus the states around them.
const (
	PhaseIntake        Phase = "intake"
	PhaseFacilitator   Phase = "facilitator"    // phase 1
	PhaseLiteracy      Phase = "literacy"       // phase 2
	PhaseStudies       Phase = "studies"        // phase 3
	PhaseWork          Phase = "work"           // phase 4
	PhaseArticle60     Phase = "article60"      // Article 60§7 employment
	PhasePostArticle60 Phase = "post_article60" // follow-up towards the labour market
	PhaseExempt        Phase = "exempt"         // health or equity exemption
	PhaseClosed        Phase = "closed"
)

// Phases lists every phase, in the order of the trajectory.
var Phases = []Phase{PhaseIntake, PhaseExempt, PhaseFacilitator, PhaseLiteracy, PhaseStudies, PhaseWork, PhaseArticle60, PhasePostArticle60, PhaseClosed}

// Outcome is how a trajectory closed.
type Outcome string

// Outcomes.
const (
	OutcomeRegularJob  Outcome = "regular_job"
	OutcomeHiredByHost Outcome = "hired_by_host"
	// OutcomeSocialWorkplace: work in a social or sheltered workplace
	// (seed 004 ends some trajectories there).
	OutcomeSocialWorkplace Outcome = "social_workplace"
	OutcomeStudies         Outcome = "studies"
	OutcomeUnemployment    Outcome = "unemployment_benefits"
	OutcomeMoved           Outcome = "moved"
	OutcomeLeefloonEnded   Outcome = "leefloon_ended"
	OutcomeOther           Outcome = "other"
	OutcomeUnknown         Outcome = "unknown" // set by the workflow only, when nobody recorded one
)

// Outcomes a user may record.
var recordableOutcomes = []Outcome{OutcomeRegularJob, OutcomeHiredByHost, OutcomeSocialWorkplace, OutcomeStudies, OutcomeUnemployment, OutcomeMoved, OutcomeLeefloonEnded, OutcomeOther}

// UpdateRoles declares which staff roles may send each update: the
// validators check it, and the API refuses every other role before it asks.
// A transition's roles narrow further per phase (transitions.go).
var UpdateRoles = map[string][]domain.Role{
	UpdateTransition:               {domain.RoleCoordinator},
	UpdateSignGPMI:                 {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateRecordEvaluation:         {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateAmendGPMI:                {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateRecordAbsence:            {domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleHost, domain.RoleHostAdmin},
	UpdateChangeContractEnd:        {domain.RoleCoordinator},
	UpdateRecordTraining:           {domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleHost, domain.RoleHostAdmin},
	UpdateRecordCheckIn:            {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateRecordEmploymentReferral: {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateRecordOutcome:            {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateReassignCounsellor:       {domain.RoleCoordinator},
	UpdateReportNonCooperation:     {domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateScheduleHearing:          {domain.RoleBCSD, domain.RoleCoordinator, domain.RoleCounsellor},
	UpdateRecordHearing:            {domain.RoleBCSD, domain.RoleCoordinator, domain.RoleCounsellor},
	UpdateRecordDecision:           {domain.RoleBCSD, domain.RoleCoordinator},
	UpdateRecordNotification:       {domain.RoleBCSD, domain.RoleCoordinator, domain.RoleCounsellor},

	// The host's: the centre may record what the host told it.
	UpdateRecordHostCheck: {domain.RoleHost, domain.RoleHostAdmin, domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateRecordHiring:    {domain.RoleHost, domain.RoleHostAdmin, domain.RoleCounsellor, domain.RoleCoordinator},
	UpdateSignalProblem:   {domain.RoleHost, domain.RoleHostAdmin},
	// When two records of one host are merged.
	UpdateMoveContractHost: {domain.RoleCoordinator, domain.RoleAdmin},
}

// Search attributes set on every run, so that operators can list
// trajectories in the Temporal UI. Values are IDs and phase names only.
var (
	SearchCentre     = temporal.NewSearchAttributeKeyKeyword("TrajectCentre")
	SearchPhase      = temporal.NewSearchAttributeKeyKeyword("TrajectPhase")
	SearchCounsellor = temporal.NewSearchAttributeKeyKeyword("TrajectCounsellor")
)

// SearchAttributes lists the custom search attributes the namespace needs.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	return map[string]enumspb.IndexedValueType{
		SearchCentre.GetName():     enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SearchPhase.GetName():      enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SearchCounsellor.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	}
}

// TaskTimeout bounds one workflow task of a trajectory. A task that was
// handed to a worker that then died is given to another after it: the
// SDK's default of 10 s made a crash cost 10 s of every update in flight.
// A task takes milliseconds; its local writes are bounded at 2 s.
const TaskTimeout = 5 * time.Second

// StartOptions starts a participant's trajectory on a task queue, with its
// search attributes and task timeout.
func StartOptions(in TrajectoryInput, taskQueue string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID: WorkflowID(in.ParticipantID), TaskQueue: taskQueue,
		TypedSearchAttributes: StartSearchAttributes(in), WorkflowTaskTimeout: TaskTimeout,
	}
}

// StartSearchAttributes are a new trajectory's search attributes, given
// with its start so that recording the start upserts nothing.
func StartSearchAttributes(in TrajectoryInput) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(
		SearchCentre.ValueSet(in.CentreID), SearchPhase.ValueSet(string(PhaseIntake)), SearchCounsellor.ValueSet(in.CounsellorID))
}

// TrajectoryInput starts a trajectory, or resumes one after continue-as-new.
type TrajectoryInput struct {
	ParticipantID        string    `json:"participant_id"`
	CentreID             string    `json:"centre_id"`
	CounsellorID         string    `json:"counsellor_id"`
	LeefloonDecisionDate time.Time `json:"leefloon_decision_date"`
	// Reentry carries what a closed earlier trajectory of the same
	// participant left that still matters (a suspension decided within the
	// repeat window).
	Reentry *Reentry `json:"reentry,omitempty"`
	// Resume is the whole state when the workflow continues as new.
	Resume *State `json:"resume,omitempty"`
	// Logic is the generation of workflow logic to follow: CurrentLogic for
	// a new trajectory (see Logic).
	Logic Logic `json:"logic,omitempty"`
}

// Reentry is what an earlier, closed trajectory hands to the next one.
type Reentry struct {
	PreviousRunID string `json:"previous_run_id"`
	// PreviousVersion is the closed trajectory's last version: the new one
	// counts on from it, so the read model takes its writes.
	PreviousVersion         int64      `json:"previous_version"`
	LastSuspensionDecidedAt *time.Time `json:"last_suspension_decided_at,omitempty"`
	SanctionProcedures      int        `json:"sanction_procedures"`
}

// Actor data on every write: who did it, in which role.
type By struct {
	ActorID   string      `json:"actor_id"`
	ActorRole domain.Role `json:"actor_role"`
	// ExpectedVersion, when set, must equal the state's version: two
	// coordinators acting on the same dossier at once get one success and
	// one conflict instead of two changes.
	ExpectedVersion int64 `json:"expected_version,omitempty"`
}

// TransitionRequest moves a trajectory to another phase.
type TransitionRequest struct {
	By
	To Phase `json:"to"`
	// ReasonCode is a short code; free-text reasons stay in PostgreSQL.
	ReasonCode string         `json:"reason_code,omitempty"`
	Contract   *ContractInput `json:"contract,omitempty"` // required to enter article60
	Outcome    Outcome        `json:"outcome,omitempty"`  // required to close
	// Exemption is the ground, reason and review of an exemption.
	Exemption *ExemptionInput `json:"exemption,omitempty"`
}

// ExemptionInput is an exemption's decision: its ground (health or
// equity), its written reason (in PostgreSQL, by ID) and the day it is
// reviewed, a deadline like the others (none when zero).
type ExemptionInput struct {
	Ground   string    `json:"ground"`
	ReasonID string    `json:"reason_id"`
	ReviewOn time.Time `json:"review_on"`
}

// ContractInput is an Article 60 contract as a coordinator enters it.
type ContractInput struct {
	HostID   string    `json:"host_id"`
	Function string    `json:"function"` // code, e.g. kitchen_help, driver
	Regime   string    `json:"regime"`   // full_time or half_time
	Start    time.Time `json:"start"`
	// AgeAtStart selects the age band of the working-days rule. The API
	// computes it from the birth date, which never enters the workflow.
	AgeAtStart int             `json:"age_at_start"`
	Trainings  []TrainingInput `json:"trainings,omitempty"`
}

// TrainingInput is a mandatory training of the skills plan.
type TrainingInput struct {
	Code string    `json:"code"` // e.g. first_aid, aggression_management, hygiene
	Due  time.Time `json:"due"`
}

// SignGPMIRequest records the signature of the integration contract.
type SignGPMIRequest struct {
	By
	SignedOn time.Time `json:"signed_on"`
	// AgreementIDs name the agreements signed, in PostgreSQL; Acknowledged
	// that the person was told the content, the consequences and the
	// right to be heard.
	AgreementIDs []string `json:"agreement_ids,omitempty"`
	Acknowledged bool     `json:"acknowledged,omitempty"`
}

// EvaluationRequest records a GPMI evaluation.
type EvaluationRequest struct {
	By
	HeldOn     time.Time `json:"held_on"`
	FaceToFace bool      `json:"face_to_face"`
	// ReportID names the evaluation's report, in PostgreSQL.
	ReportID string `json:"report_id,omitempty"`
}

// AmendGPMIRequest records an amendment of the integration contract.
type AmendGPMIRequest struct {
	By
	AmendedOn   time.Time `json:"amended_on"`
	AmendmentID string    `json:"amendment_id"` // the text is in PostgreSQL
	// AddedAgreementIDs and EndedAgreementIDs change the GPMI's agreements.
	AddedAgreementIDs []string `json:"added_agreement_ids,omitempty"`
	EndedAgreementIDs []string `json:"ended_agreement_ids,omitempty"`
}

// AbsenceRequest records days that do not count towards the working days.
type AbsenceRequest struct {
	By
	Kind string `json:"kind"` // unjustified, unpaid_leave, suspension, unpaid_sickness
	Days int    `json:"days"`
}

// ChangeContractEndRequest extends or shortens a running contract.
type ChangeContractEndRequest struct {
	By
	End        time.Time `json:"end"`
	ReasonCode string    `json:"reason_code"`
}

// TrainingDoneRequest records a completed training of the skills plan.
type TrainingDoneRequest struct {
	By
	Code   string    `json:"code"`
	DoneOn time.Time `json:"done_on"`
}

// HostCheckRequest records the host's n-th check before the contract ends.
type HostCheckRequest struct {
	By
	N            int       `json:"n"`
	HeldOn       time.Time `json:"held_on"`
	Attendance   string    `json:"attendance"`
	Skills       string    `json:"skills"`
	HiringChance string    `json:"hiring_chance"`
}

// The answers of a check, in the order the forms offer them.
var (
	CheckAttendance   = []string{"good", "irregular", "poor"}
	CheckSkills       = []string{"acquired", "partly", "not_yet"}
	CheckHiringChance = []string{"likely", "possible", "unlikely"}
)

// SignalRequest tells the counsellor of a problem; the text is in
// PostgreSQL under SignalID.
type SignalRequest struct {
	By
	Category string `json:"category"`
	SignalID string `json:"signal_id"`
}

// SignalCategories are what a problem can be about.
var SignalCategories = []string{"attendance", "behaviour", "health", "skills", "other"}

// HiringRequest records that the host employs the worker after the contract.
type HiringRequest struct {
	By
	Start      time.Time `json:"start"`
	Employment string    `json:"employment"`
}

// MoveHostRequest moves a contract from one record of a host organisation
// to another of the same organisation (two centres' copies merged).
type MoveHostRequest struct {
	By
	From string `json:"from"`
	To   string `json:"to"`
}

// Employments are the kinds of employment a host offers after the contract.
var Employments = []string{"open_ended", "fixed_term"}

// EmploymentReferralRequest records the referral to the regional
// employment service: which one, on which day; the contact (a person, an
// office) is in PostgreSQL under ReferralID.
type EmploymentReferralRequest struct {
	By
	Service    string    `json:"service"`
	ReferredOn time.Time `json:"referred_on"`
	ReferralID string    `json:"referral_id"`
}

// EmploymentServices are the regional employment services: Actiris
// (Brussels), VDAB (Flanders), Forem (Wallonia).
var EmploymentServices = []string{"actiris", "vdab", "forem"}

// CheckInRequest records a post-Article-60 check-in.
type CheckInRequest struct {
	By
	On time.Time `json:"on"`
}

// OutcomeRequest records the outcome that closes a post-Article-60 follow-up.
type OutcomeRequest struct {
	By
	Outcome Outcome `json:"outcome"`
}

// ReassignRequest gives the dossier to another counsellor.
type ReassignRequest struct {
	By
	CounsellorID string `json:"counsellor_id"`
}

// NonCooperationRequest starts a sanction procedure. The description is in
// PostgreSQL under ReportID.
type NonCooperationRequest struct {
	By
	ReportID string `json:"report_id"`
}

// Error types returned by update validators. The API maps them to HTTP.
const (
	ErrTypeNotAllowed   = "TransitionNotAllowed" // 409
	ErrTypeConflict     = "VersionConflict"      // 409
	ErrTypeInvalidData  = "InvalidData"          // 422, details: []FieldProblem
	ErrTypeNotPermitted = "NotPermitted"         // 403
)

// The BCSD procedure.

// Update names of the sanction procedure (sent to SanctionWorkflowID).
const (
	UpdateScheduleHearing    = "schedule_hearing"
	UpdateRecordHearing      = "record_hearing"
	UpdateRecordDecision     = "record_decision"
	UpdateRecordNotification = "record_notification"
	QuerySanction            = "sanction"
)

// SanctionStage is where a procedure stands.
type SanctionStage string

// Stages.
const (
	StageReported         SanctionStage = "reported"
	StageHearingScheduled SanctionStage = "hearing_scheduled"
	StageHeard            SanctionStage = "heard" // held or missed
	StageDecided          SanctionStage = "decided"
	StageNotified         SanctionStage = "notified"
	StageClosed           SanctionStage = "closed"
)

// Decision kinds of the BCSD.
const (
	DecisionNone      = "no_sanction"
	DecisionSuspend   = "suspension"
	DecisionSuspended = "suspended_sanction" // sursis
)

// SanctionInput starts a procedure.
type SanctionInput struct {
	ProcedureID   string    `json:"procedure_id"`
	ParticipantID string    `json:"participant_id"`
	CentreID      string    `json:"centre_id"`
	CounsellorID  string    `json:"counsellor_id"`
	ReportID      string    `json:"report_id"` // the description is in PostgreSQL
	ReportedAt    time.Time `json:"reported_at"`
	ReportedBy    string    `json:"reported_by"`
	// PreviousSuspensionDecidedAt allows up to the repeat maximum when it
	// lies within the repeat window of the new decision.
	PreviousSuspensionDecidedAt *time.Time `json:"previous_suspension_decided_at,omitempty"`
	// Logic is the trajectory's generation of workflow logic.
	Logic Logic `json:"logic,omitempty"`
}

// SanctionState is what the sanction query returns.
type SanctionState struct {
	SanctionInput
	Stage       SanctionStage `json:"stage"`
	InvitedOn   *time.Time    `json:"invited_on,omitempty"`
	HearingOn   *time.Time    `json:"hearing_on,omitempty"`
	HearingHeld *bool         `json:"hearing_held,omitempty"`
	Decision    *Decision     `json:"decision,omitempty"`
	NotifiedOn  *time.Time    `json:"notified_on,omitempty"`
	// RegisteredNumber is the notification's registered letter number.
	RegisteredNumber string     `json:"registered_number,omitempty"`
	AppealUntil      *time.Time `json:"appeal_until,omitempty"`
	Deadlines        Deadlines  `json:"deadlines"`
	Version          int64      `json:"version"`
}

// Decision is what the BCSD decided.
type Decision struct {
	Kind      string    `json:"kind"`
	Months    int       `json:"months,omitempty"`
	Partial   bool      `json:"partial,omitempty"`
	DecidedOn time.Time `json:"decided_on"`
	// A suspension starts on the first day of the second month after the
	// decision and runs its months.
	SuspensionFrom  *time.Time `json:"suspension_from,omitempty"`
	SuspensionUntil *time.Time `json:"suspension_until,omitempty"`
	MaxMonths       int        `json:"max_months"`
}

// HearingRequest schedules (or moves) the hearing.
type HearingRequest struct {
	By
	InvitedOn time.Time `json:"invited_on"`
	HearingOn time.Time `json:"hearing_on"`
}

// HearingHeldRequest records whether the hearing took place.
type HearingHeldRequest struct {
	By
	Held bool `json:"held"`
}

// DecisionRequest records the BCSD's decision.
type DecisionRequest struct {
	By
	Kind      string    `json:"kind"`
	Months    int       `json:"months,omitempty"`
	Partial   bool      `json:"partial,omitempty"`
	DecidedOn time.Time `json:"decided_on"`
}

// NotificationRequest records that the decision was notified in writing.
type NotificationRequest struct {
	By
	NotifiedOn time.Time `json:"notified_on"`
	// RegisteredNumber is the registered letter's number, when it went so.
	RegisteredNumber string `json:"registered_number,omitempty"`
}

// SanctionEvent is what the procedure signals to its trajectory.
type SanctionEvent struct {
	ProcedureID string     `json:"procedure_id"`
	Kind        string     `json:"kind"` // decided, suspension_started, suspension_ended, closed
	Decision    string     `json:"decision,omitempty"`
	DecidedOn   *time.Time `json:"decided_on,omitempty"`
	From        *time.Time `json:"from,omitempty"`
	Until       *time.Time `json:"until,omitempty"`
}

// Deadline kinds of the procedure.
const (
	KindHearing          DeadlineKind = "sanction_hearing"           // passes: alert the BCSD to record it
	KindDecision         DeadlineKind = "sanction_decision"          // passes: escalate to the coordinator
	KindNotification     DeadlineKind = "sanction_notification"      // passes: escalate to the coordinator
	KindAppealWindow     DeadlineKind = "sanction_appeal_window"     // passes: the decision is final
	KindSuspensionStart  DeadlineKind = "sanction_suspension_start"  // passes: the suspension runs
	KindSuspensionFinish DeadlineKind = "sanction_suspension_finish" // passes: the suspension ends
)
