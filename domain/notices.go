package domain

import "time"

// Notice is one message a workflow asks for. IDs and codes only: the
// activity reads names and addresses from PostgreSQL.
type Notice struct {
	// Key is stable for one message (workflow, deadline, reminder, due
	// date): asking twice sends it once.
	Key           string `json:"key"`
	Kind          string `json:"kind"`
	CentreID      string `json:"centre_id"`
	ParticipantID string `json:"participant_id"`
	// Recipient is whom the message is for; the activity finds the people.
	Recipient   Actor     `json:"recipient_role"`
	RecipientID string    `json:"recipient_id,omitempty"`
	DeadlineID  string    `json:"deadline_id,omitempty"`
	Due         time.Time `json:"due,omitempty"`
	// Note is a code for the template, e.g. face_to_face.
	Note string `json:"note,omitempty"`
}

// DigestKind is which digest a schedule sends.
type DigestKind = string

// Digests.
const (
	DigestDaily  DigestKind = "daily"  // each counsellor's coming and overdue deadlines
	DigestWeekly DigestKind = "weekly" // each coordinator's team overview
	// DigestHost is the weekly digest of every host organisation across
	// the centres it works with: no centre of its own, so the legal
	// defaults' timing and horizon apply.
	DigestHost DigestKind = "host"
)

// DigestRequest asks for one centre's daily or weekly digests, or the
// hosts'.
type DigestRequest struct {
	CentreID string     `json:"centre_id"`
	Kind     DigestKind `json:"kind"`
	AsOf     time.Time  `json:"as_of"`
	// Until: the daily digest lists deadlines due before it.
	Until time.Time `json:"until"`
}

// PurgeReport counts what a retention run removed; it names no one.
type PurgeReport struct {
	Anonymised      map[string]int `json:"anonymised"` // by centre
	IdempotencyKeys int64          `json:"idempotency_keys"`
}
