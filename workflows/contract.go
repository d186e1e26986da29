// Package workflows holds the trajectory workflow, one per participant, and
// its public contract: IDs, phases, inputs, queries and search attributes.
// The API and the worker import this contract; only the worker imports the
// activity implementations.
//
// Privacy by construction: everything that crosses into Temporal (inputs,
// results, signals, histories, search attributes) carries IDs and
// non-personal facts only. Names, national register numbers, e-mail
// addresses and free text stay in PostgreSQL.
package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// TrajectoryWorkflowName is the registered workflow type.
const TrajectoryWorkflowName = "Trajectory"

// WorkflowID derives the trajectory workflow ID from the participant ID, so
// that starting a trajectory twice for one participant is impossible.
func WorkflowID(participantID string) string { return "trajectory:" + participantID }

// QueryState returns the trajectory's State.
const QueryState = "state"

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
	PhasePostArticle60 Phase = "post_article60" // three months of follow-up
	PhaseExempt        Phase = "exempt"         // health or equity exemption
	PhaseClosed        Phase = "closed"
)

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

// TrajectoryInput starts a trajectory. IDs only.
type TrajectoryInput struct {
	ParticipantID        string    `json:"participant_id"`
	CentreID             string    `json:"centre_id"`
	CounsellorID         string    `json:"counsellor_id"`
	LeefloonDecisionDate time.Time `json:"leefloon_decision_date"`
}

// State is what the state query returns and what the read model mirrors.
type State struct {
	ParticipantID string    `json:"participant_id"`
	CentreID      string    `json:"centre_id"`
	CounsellorID  string    `json:"counsellor_id"`
	Phase         Phase     `json:"phase"`
	PhaseSince    time.Time `json:"phase_since"`
	// Version counts the state changes written to the read model; it orders
	// those writes so a late retry never overwrites a newer state.
	Version int64 `json:"version"`
}
