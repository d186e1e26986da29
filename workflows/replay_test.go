package workflows_test

import (
	"path/filepath"
	"testing"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/worker"
)

// Every history recorded in testdata/ must replay against the current code:
// a change that would break running trajectories fails here. Record new
// histories with: go test ./workflows -run TestEndToEnd -args -record-histories v7-what-changed
// and keep the old ones, versioning the change with a new Logic generation
// and workflow.GetVersion for the runs started before it.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			replayer := sdkworker.NewWorkflowReplayer()
			worker.RegisterWorkflows(replayer)
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("%s no longer replays: %v", f, err)
			}
		})
	}
}
