package casework

import (
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/workflows"
)

// Action is one write on a dossier: where the API takes it (under
// /v1/participants/{id}), its operation, the update it becomes, and a new
// request to read into.
type Action struct {
	Path, OperationID, Update string
	// Procedure: the update goes to sanction procedure {n}.
	Procedure bool
	New       func() Request
}

// Roles are who may send the action (the update's own roles).
func (a Action) Roles() []domain.Role { return workflows.UpdateRoles[a.Update] }

// Actions lists every write on a dossier.
var Actions = []Action{
	{"/transitions", "postTransition", workflows.UpdateTransition, false, func() Request { return &Transition{} }},
	{"/gpmi/signature", "signGPMI", workflows.UpdateSignGPMI, false, func() Request { return &SignGPMI{} }},
	{"/gpmi/evaluations", "recordEvaluation", workflows.UpdateRecordEvaluation, false, func() Request { return &Evaluation{} }},
	{"/gpmi/amendments", "amendGPMI", workflows.UpdateAmendGPMI, false, func() Request { return &Amendment{} }},
	{"/contract/absences", "recordAbsence", workflows.UpdateRecordAbsence, false, func() Request { return &Absence{} }},
	{"/contract/end", "changeContractEnd", workflows.UpdateChangeContractEnd, false, func() Request { return &ContractEnd{} }},
	{"/contract/trainings", "recordTraining", workflows.UpdateRecordTraining, false, func() Request { return &TrainingDone{} }},
	{"/contract/checks", "recordHostCheck", workflows.UpdateRecordHostCheck, false, func() Request { return &HostCheck{} }},
	{"/contract/hiring", "recordHiring", workflows.UpdateRecordHiring, false, func() Request { return &Hiring{} }},
	{"/contract/employment-referral", "recordEmploymentReferral", workflows.UpdateRecordEmploymentReferral, false, func() Request { return &EmploymentReferral{} }},
	{"/follow-up/check-ins", "recordCheckIn", workflows.UpdateRecordCheckIn, false, func() Request { return &CheckIn{} }},
	{"/follow-up/outcome", "recordOutcome", workflows.UpdateRecordOutcome, false, func() Request { return &Outcome{} }},
	{"/counsellor", "reassignCounsellor", workflows.UpdateReassignCounsellor, false, func() Request { return &Reassign{} }},
	{"/non-cooperation", "reportNonCooperation", workflows.UpdateReportNonCooperation, false, func() Request { return &NonCooperation{} }},
	{"/procedures/{n}/hearing", "scheduleHearing", workflows.UpdateScheduleHearing, true, func() Request { return &Hearing{} }},
	{"/procedures/{n}/hearing-outcome", "recordHearing", workflows.UpdateRecordHearing, true, func() Request { return &HearingHeld{} }},
	{"/procedures/{n}/decision", "recordDecision", workflows.UpdateRecordDecision, true, func() Request { return &Decision{} }},
	{"/procedures/{n}/notification", "recordNotification", workflows.UpdateRecordNotification, true, func() Request { return &Notification{} }},
}

// HostActions are the writes only a host's users send on their worker,
// under /v1/host/workers/{id}: they have no dossier route.
var HostActions = []Action{
	{"/problems", "signalHostProblem", workflows.UpdateSignalProblem, false, func() Request { return &Signal{} }},
}
