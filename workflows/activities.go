package workflows

import (
	"time"

	"github.com/traject-ocmw/traject/store"
)

// The activities the workflows call, by the names the worker registers
// them under (the methods of package activities' structs; recorded
// histories hold these names). The workflows name them rather than import
// the package, so that the API, which imports this contract, never links
// the activities' implementations. A wrong name fails the replay tests and
// every workflow test.
const (
	activityRecordEvent           = "RecordEvent"
	activityRecordEventReadPolicy = "RecordEventReadPolicy"
	activityRecordTimelineEvent   = "RecordTimelineEvent"
	activityLoadPolicy            = "LoadPolicy"
	activityNotify                = "Notify"
	activityGiveUp                = "GiveUp"
	activitySendDigests           = "SendDigests"
	activityPurge                 = "Purge"
)

// ActivityNames lists them, for the worker's registration test.
var ActivityNames = []string{
	activityRecordEvent, activityRecordEventReadPolicy, activityRecordTimelineEvent, activityLoadPolicy,
	activityNotify, activityGiveUp, activitySendDigests, activityPurge,
}

// The read model's inputs: a timeline event with the trajectory's or the
// procedure's row after it (the store writes them).
type (
	TimelineEvent      = store.TimelineEvent
	TrajectorySnapshot = store.TrajectorySnapshot
	ProcedureSnapshot  = store.ProcedureSnapshot
)

// Notice is one message a workflow asks for. IDs and codes only: the
// activity reads names and addresses from PostgreSQL.
type Notice struct {
	// Key is stable for one message (workflow, deadline, reminder, due
	// date): asking twice sends it once.
	Key           string    `json:"key"`
	Kind          string    `json:"kind"`
	CentreID      string    `json:"centre_id"`
	ParticipantID string    `json:"participant_id"`
	RecipientRole string    `json:"recipient_role"`
	RecipientID   string    `json:"recipient_id,omitempty"`
	DeadlineID    string    `json:"deadline_id,omitempty"`
	Due           time.Time `json:"due,omitempty"`
	// Note is a code for the template, e.g. face_to_face.
	Note string `json:"note,omitempty"`
}

// DigestRequest asks for one centre's daily or weekly digests.
type DigestRequest struct {
	CentreID string    `json:"centre_id"`
	Kind     string    `json:"kind"` // daily, weekly or host
	AsOf     time.Time `json:"as_of"`
	// Until: the daily digest lists deadlines due before it.
	Until time.Time `json:"until"`
}

// PurgeReport counts what a run removed; it names no one.
type PurgeReport struct {
	Anonymised      map[string]int `json:"anonymised"` // by centre
	IdempotencyKeys int64          `json:"idempotency_keys"`
}
