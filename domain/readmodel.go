package domain

import "time"

// The read model's inputs, as the workflows send them to the activities
// that write PostgreSQL (their JSON is in recorded histories: add fields,
// never rename one).

// TimelineEvent is one state change of a trajectory, with the state after it.
type TimelineEvent struct {
	// EventKey is unique per event and stable across retries.
	EventKey string `json:"event_key"`
	// Stream is the sequence the event's version counts in (a trajectory
	// run's workflow, or a sanction procedure) and TaskPosition the place in
	// its history of the workflow task that wrote it. A write replaces what
	// an earlier, lost workflow task wrote at its version or later.
	Stream        string             `json:"stream,omitempty"`
	TaskPosition  int64              `json:"task_position,omitempty"`
	ParticipantID string             `json:"participant_id"`
	CentreID      string             `json:"centre_id"`
	OccurredAt    time.Time          `json:"occurred_at"`
	Kind          string             `json:"kind"`
	PhaseFrom     string             `json:"phase_from,omitempty"`
	PhaseTo       string             `json:"phase_to,omitempty"`
	ActorID       string             `json:"actor_id,omitempty"`
	Data          map[string]any     `json:"data,omitempty"`
	Snapshot      TrajectorySnapshot `json:"snapshot"`
	// Procedure, on a sanction procedure's events, moves its read model.
	Procedure *ProcedureSnapshot `json:"procedure,omitempty"`
}

// ProcedureSnapshot is a sanction procedure's read-model row after an event.
type ProcedureSnapshot struct {
	ProcedureID     string     `json:"procedure_id"`
	Stage           string     `json:"stage"`
	HearingAt       *time.Time `json:"hearing_at,omitempty"`
	DecisionDue     *time.Time `json:"decision_due,omitempty"`
	NotificationDue *time.Time `json:"notification_due,omitempty"`
	AppealUntil     *time.Time `json:"appeal_until,omitempty"`
	Decision        string     `json:"decision,omitempty"`
	Version         int64      `json:"version"`
	// State is the procedure workflow's whole state, as JSON for the pages.
	State any `json:"state,omitempty"`
}

// TrajectorySnapshot is the read-model row after an event.
type TrajectorySnapshot struct {
	WorkflowID   string     `json:"workflow_id"`
	Phase        string     `json:"phase"`
	PhaseSince   time.Time  `json:"phase_since"`
	CounsellorID string     `json:"counsellor_id"`
	NextActor    string     `json:"next_actor,omitempty"`
	NextDeadline *time.Time `json:"next_deadline,omitempty"`
	Outcome      string     `json:"outcome,omitempty"`
	// HostID and HostFunction name the running Article 60 contract's place,
	// empty outside Article 60.
	HostID       string `json:"host_id,omitempty"`
	HostFunction string `json:"host_function,omitempty"`
	Version      int64  `json:"version"`
	// State is the workflow's whole state, stored as JSON for the dossier view.
	State any `json:"state,omitempty"`
}
