package workflows

import "go.temporal.io/sdk/workflow"

// Logic is the generation of workflow logic a run follows. Whoever starts a
// trajectory puts CurrentLogic in its input; the run hands it on through
// continue-as-new and to its sanction procedures. A run started at a
// generation takes every change up to it without asking GetVersion, so its
// history carries no version marker and no TemporalChangeVersion upsert
// for them (four events in a full life). Runs started before generations
// existed (LogicByMarkers) decide each change by its marker, as before; a
// run that recorded markers replays the same under either, because the
// SDK skips unmatched version markers.
type Logic int

const (
	// LogicByMarkers decides each change by its version marker.
	LogicByMarkers Logic = iota
	// LogicLean takes async-notices and lean-history.
	LogicLean
	// LogicHostParty takes host-party.
	LogicHostParty
	// CurrentLogic is what new runs start with.
	CurrentLogic = LogicHostParty
)

// asyncNotices versions the move from sending notices in line to sending
// them in their own coroutine: runs that recorded notices in line replay
// them in line.
const asyncNotices = "async-notices"

// leanHistory versions one change of running logic that makes a
// trajectory's history smaller and its updates faster:
//   - read-model writes run once as a local activity (one marker instead of
//     three events and a second workflow task), and fall back to the
//     ordinary activity when that fails;
//   - the write returns the centre's current policy, so a change needs no
//     separate policy read;
//   - search attributes are upserted only when one of them changes;
//   - the main loop keeps its timer while the earliest deadline stays the
//     same, instead of cancelling and restarting it on every update.
//
// They share one change ID because each GetVersion also costs a marker and a
// search-attribute upsert in every new history.
const leanHistory = "lean-history"

// asyncNotices reports whether notices are sent in their own coroutine.
func (l Logic) asyncNotices(ctx workflow.Context) bool {
	return l >= LogicLean || workflow.GetVersion(ctx, asyncNotices, workflow.DefaultVersion, 1) != workflow.DefaultVersion
}

// lean reports whether this run records its history the lean way.
func (l Logic) lean(ctx workflow.Context) bool {
	return l >= LogicLean || workflow.GetVersion(ctx, leanHistory, workflow.DefaultVersion, 1) != workflow.DefaultVersion
}

// An addition that changes no command of a history recorded without it is
// not a generation: the update record_employment_referral, and the skipped
// referral deadline when a contract end moves after it (Contract.Referral
// is set by that update alone, so a run that never received it plans as
// before; v10 histories hold one).

// hostParty versions the host organisation as a party of the contract: a
// contract started under it plans the host's checks before the end (the
// host's task, the counsellor alerted when it is late) instead of the
// counsellor's attendance checks, and sends the training reminders to the
// host too. It is decided once, when a contract starts, and kept in the
// contract (Contract.HostParty): a contract running before it keeps its
// deadlines as they were planned.
const hostParty = "host-party"

// hostParty reports whether a contract starting now makes the host a party.
func (l Logic) hostParty(ctx workflow.Context) bool {
	return l >= LogicHostParty || workflow.GetVersion(ctx, hostParty, workflow.DefaultVersion, 1) != workflow.DefaultVersion
}
