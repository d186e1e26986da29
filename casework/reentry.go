package casework

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Reentry brings a person whose trajectory closed back in: a new leefloon
// decision and the counsellor who takes them.
type Reentry struct {
	CounsellorID         string `json:"counsellor_id"`
	LeefloonDecisionDate string `json:"leefloon_decision_date"`
	LeefloonNotifiedDate string `json:"leefloon_notified_date,omitempty"`
}

// Reenter starts a new run of a closed trajectory under the same workflow
// ID, carrying what the closed one leaves that still matters (its version,
// so the read model takes the new run's writes; the last suspension and
// the procedures, for the repeat rule). The timeline keeps both runs. A
// counsellor may take a closed dossier of the centre that another held:
// it comes into their caseload.
func (s *Service) Reenter(ctx context.Context, c Caller, participantID string, in Reentry) error {
	if !slices.Contains(intakeRoles, c.Role) || c.CentreID == "" {
		return ErrForbidden
	}
	d, err := s.store.Dossier(ctx, participantID)
	if err != nil {
		return err
	}
	if d.CentreID != c.CentreID {
		return store.ErrNotFound
	}
	var problems []FieldProblem
	var decision time.Time
	if in.LeefloonDecisionDate == "" {
		problems = append(problems, domain.Problem("leefloon_decision_date", domain.Required))
	} else {
		decision = s.dateField(&problems, "leefloon_decision_date", in.LeefloonDecisionDate)
	}
	notified := s.notifiedField(&problems, in.LeefloonNotifiedDate, decision)
	counsellor, err := s.counsellorField(ctx, c, in.CounsellorID)
	if err != nil {
		return err
	}
	if problems = append(problems, counsellor...); len(problems) > 0 {
		return &InvalidError{Fields: problems}
	}
	var state workflows.State
	if err := json.Unmarshal(d.Trajectory, &state); err != nil || state.Phase != workflows.PhaseClosed {
		return &store.ConflictError{Code: domain.NotClosed}
	}
	run, err := s.temporal.DescribeWorkflowExecution(ctx, workflows.WorkflowID(participantID), "")
	if err != nil {
		return err
	}
	if run.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return &store.ConflictError{Code: domain.NotClosed}
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return err
	}
	return s.audited(ctx, c, "reenter_participant", "participant", participantID, func() (string, error) {
		if err := s.store.SetLeefloonDecision(ctx, c.CentreID, participantID, decision, notified); err != nil {
			return "", err
		}
		start := workflows.TrajectoryInput{ParticipantID: participantID, CentreID: c.CentreID, CounsellorID: in.CounsellorID,
			LeefloonDecisionDate: gpmiClockStart(pol, decision, notified), Logic: workflows.CurrentLogic,
			Reentry: &workflows.Reentry{
				PreviousRunID:           run.GetWorkflowExecutionInfo().GetExecution().GetRunId(),
				PreviousVersion:         state.Version,
				LastSuspensionDecidedAt: state.Sanction.LastSuspensionDecidedAt,
				SanctionProcedures:      state.Sanction.Procedures,
			}}
		opts := workflows.StartOptions(start, s.taskQueue)
		// Only a closed run may be followed: two re-entries at once start
		// one run, and the other is told the dossier is open.
		opts.WorkflowIDReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
		opts.WorkflowExecutionErrorWhenAlreadyStarted = true
		_, err := s.temporal.ExecuteWorkflow(ctx, opts, workflows.TrajectoryWorkflowName, start)
		if isAlreadyStarted(err) {
			return "", &store.ConflictError{Code: domain.NotClosed}
		}
		return "", err
	})
}

// isAlreadyStarted tells a start refused because the workflow runs.
func isAlreadyStarted(err error) bool {
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	return errors.As(err, &started)
}
