package workflows

import "go.temporal.io/sdk/workflow"

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

// lean reports whether this run records its history the lean way. Runs
// that recorded the older way replay it.
func lean(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, leanHistory, workflow.DefaultVersion, 1) != workflow.DefaultVersion
}
