package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

var brussels, _ = time.LoadLocation("Europe/Brussels")

var templates = func() *notify.Templates {
	t, err := notify.LoadTemplates()
	if err != nil {
		panic(err)
	}
	return t
}()

// at is a Brussels wall-clock time.
func at(s string) time.Time {
	layout := "2006-01-02 15:04"
	if len(s) == 10 {
		layout = time.DateOnly
	}
	t, err := time.ParseInLocation(layout, s, brussels)
	if err != nil {
		panic(err)
	}
	return t
}

// sent is one notice with the simulated time it was queued at.
type sent struct {
	At time.Time
	activities.Notice
}

// driver runs the trajectory workflow in Temporal's test environment, with
// time skipping and the real activities against a real database.
type driver struct {
	t       *testing.T
	env     *testsuite.TestWorkflowEnvironment
	db      *pgxpool.Pool
	fx      testenv.Fixture
	mu      sync.Mutex
	notices []sent
	// pending counts updates sent whose answer has not come: a test whose
	// update never answered has asserted nothing, so run fails it.
	pending int
	// updates numbers update IDs: the test environment deduplicates by ID.
	updates int
}

func newDriver(t *testing.T, start time.Time) *driver {
	t.Helper()
	db := testenv.Database(t)
	return newDriverOn(t, db, testenv.Seed(t, db), start)
}

// newDriverOn shares a seeded database between subtests.
func newDriverOn(t *testing.T, db *pgxpool.Pool, fx testenv.Fixture, start time.Time) *driver {
	t.Helper()
	return newDriverWith(t, db, fx, start, worker.Dependencies{DB: db})
}

// newDriverWith runs the activities with the given dependencies (a mailer).
func newDriverWith(t *testing.T, db *pgxpool.Pool, fx testenv.Fixture, start time.Time, deps worker.Dependencies) *driver {
	t.Helper()
	d := &driver{t: t, db: db, fx: fx}
	// The SDK's test environment works out the binary's checksum (an MD5
	// of the 200 MB test binary) when a workflow first starts an activity,
	// inside the workflow's goroutine and so under its 1 s deadlock
	// detection: on a busy machine the first test failed with "potential
	// deadlock". Worked out here, before any workflow runs; it is kept.
	_ = (&workflow.Info{}).GetBinaryChecksum()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(nopLogger{})
	d.env = suite.NewTestWorkflowEnvironment()
	d.env.SetStartTime(start)
	d.env.SetDetachedChildWait(false)
	d.env.SetTestTimeout(30 * time.Second)
	worker.Register(d.env, deps)
	// The test environment routes signals from a parent to its children but
	// not back: hand the sanction procedure's signals to the trajectory.
	d.env.OnSignalExternalWorkflow(mock.Anything, workflows.WorkflowID(fx.ParticipantID), "", workflows.SignalSanctionEvent, mock.Anything).Return(
		func(_, _, _, name string, arg any) error {
			d.env.SignalWorkflow(name, arg)
			return nil
		})
	d.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		if info.ActivityType.Name != "Notify" {
			return
		}
		var n activities.Notice
		if err := args.Get(&n); err != nil {
			t.Errorf("decode notice: %v", err)
		}
		if roles := notify.Catalogue[n.Kind]; !slices.Contains(roles, n.Recipient) || !templates.Has(n.Kind, n.Recipient) {
			t.Errorf("notice %s to %s has no entry in notify.Catalogue or no template in every language", n.Kind, n.Recipient)
		}
		d.mu.Lock()
		d.notices = append(d.notices, sent{At: d.env.Now().In(brussels), Notice: n})
		d.mu.Unlock()
	})
	return d
}

func (d *driver) input() workflows.TrajectoryInput {
	return workflows.TrajectoryInput{
		ParticipantID: d.fx.ParticipantID, CentreID: d.fx.CentreID, CounsellorID: d.fx.CounsellorID,
		LeefloonDecisionDate: at("2026-11-02"), Logic: workflows.CurrentLogic,
	}
}

// savePolicy stores a centre policy the workflow will load.
func (d *driver) savePolicy(change func(*policy.Policy)) {
	p := policy.Default()
	change(&p)
	if _, err := store.New(d.db).SavePolicy(context.Background(), d.fx.CentreID, p, ""); err != nil {
		d.t.Fatal(err)
	}
}

// at schedules fn at a simulated instant.
func (d *driver) at(when time.Time, fn func()) {
	delay := when.Sub(d.env.Now())
	if delay < 0 {
		d.t.Fatalf("scheduling at %s, before the start %s", when, d.env.Now())
	}
	d.env.RegisterDelayedCallback(fn, delay)
}

// update sends an update; then receives the new state or the refusal once
// the workflow answered (the handler waits for its read-model write).
func (d *driver) update(name string, req any, then func(workflows.State, error)) {
	d.updateByID("", name, req, func(v any, err error) {
		s, _ := v.(workflows.State)
		then(s, err)
	})
}

func (d *driver) updateByID(workflowID, name string, req any, then func(any, error)) {
	d.pending++
	d.updates++
	updateID := fmt.Sprintf("update-%d", d.updates)
	answer := func(v any, err error) {
		d.pending--
		then(v, err)
	}
	cb := &testsuite.TestUpdateCallback{
		OnReject:   func(err error) { answer(nil, err) },
		OnAccept:   func() {},
		OnComplete: answer,
	}
	if workflowID == "" {
		d.env.UpdateWorkflow(name, updateID, cb, req)
		return
	}
	if err := d.env.UpdateWorkflowByID(workflowID, name, updateID, cb, req); err != nil {
		answer(nil, err)
	}
}

// must sends an update that has to succeed.
func (d *driver) must(name string, req any, then ...func(workflows.State)) {
	when := d.env.Now().In(brussels).Format("2006-01-02 15:04")
	d.update(name, req, func(s workflows.State, err error) {
		if err != nil {
			d.t.Errorf("%s at %s: %v", name, when, err)
			return
		}
		for _, fn := range then {
			fn(s)
		}
	})
}

// refused sends an update that has to be refused with the given error type.
func (d *driver) refused(name string, req any, wantType string, then ...func(error)) {
	when := d.env.Now().In(brussels).Format("2006-01-02 15:04")
	d.update(name, req, func(_ workflows.State, err error) {
		if err == nil {
			d.t.Errorf("%s at %s was accepted, want %s", name, when, wantType)
			return
		}
		if got := errType(err); got != wantType {
			d.t.Errorf("%s at %s: refused with %q (%v), want %s", name, when, got, err, wantType)
		}
		for _, fn := range then {
			fn(err)
		}
	})
}

func (d *driver) state() workflows.State {
	v, err := d.env.QueryWorkflow(workflows.QueryState)
	if err != nil {
		d.t.Fatal(err)
	}
	var s workflows.State
	if err := v.Get(&s); err != nil {
		d.t.Fatal(err)
	}
	return s
}

// run starts the workflow and runs it until it completes (the test closes
// it), then checks it ended without error.
func (d *driver) run(in workflows.TrajectoryInput) {
	d.t.Helper()
	d.env.ExecuteWorkflow(workflows.TrajectoryWorkflowName, in)
	if !d.env.IsWorkflowCompleted() {
		d.t.Fatal("workflow did not complete")
	}
	if err := d.env.GetWorkflowError(); err != nil {
		d.t.Fatalf("workflow failed: %v", err)
	}
	if d.pending != 0 {
		d.t.Fatalf("%d updates never answered", d.pending)
	}
}

// noticesOf returns the queued notices of a kind, in order.
func (d *driver) noticesOf(kind string) []sent {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []sent
	for _, n := range d.notices {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	// Notices of one instant start in any order: compare them by role.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].Recipient < out[j].Recipient
	})
	return out
}

func (d *driver) coordinator() workflows.By {
	return workflows.By{ActorID: d.fx.CoordinatorID, ActorRole: domain.RoleCoordinator}
}

func (d *driver) counsellor() workflows.By {
	return workflows.By{ActorID: d.fx.CounsellorID, ActorRole: domain.RoleCounsellor}
}

func (d *driver) bcsd() workflows.By {
	return workflows.By{ActorID: d.fx.BCSDID, ActorRole: domain.RoleBCSD}
}

// host is a user of the contract's host organisation.
func (d *driver) host() workflows.By {
	return workflows.By{ActorID: "00000000-0000-4000-8000-00000000c0de", ActorRole: domain.RoleHost}
}

// closeAt closes the trajectory so that the workflow completes.
func (d *driver) closeAt(when time.Time) {
	d.at(when, func() {
		d.must(workflows.UpdateTransition, workflows.TransitionRequest{By: d.coordinator(), To: workflows.PhaseClosed, Outcome: workflows.OutcomeMoved})
	})
}

// errType returns the application error type of a refusal.
func errType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

func fieldsOf(t *testing.T, err error) []domain.FieldProblem {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		t.Fatalf("not an application error: %v", err)
	}
	var r domain.Refusal
	if err := appErr.Details(&r); err != nil {
		t.Fatalf("details: %v", err)
	}
	return r.Fields
}

// refusalOf is a workflow's refusal: its reason and arguments.
func refusalOf(t *testing.T, err error) domain.Refusal {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		t.Fatalf("not an application error: %v", err)
	}
	var r domain.Refusal
	if err := appErr.Details(&r); err != nil {
		t.Fatalf("details: %v", err)
	}
	return r
}

func wantTimes(t *testing.T, what string, got []sent, want ...string) {
	t.Helper()
	var gotS []string
	for _, g := range got {
		gotS = append(gotS, g.At.Format("2006-01-02 15:04")+" "+string(g.Recipient))
	}
	if len(gotS) != len(want) {
		t.Fatalf("%s: got %d notices %v, want %v", what, len(gotS), gotS, want)
	}
	for i := range want {
		if gotS[i] != want[i] {
			t.Errorf("%s[%d] = %q, want %q", what, i, gotS[i], want[i])
		}
	}
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Info(string, ...any)  {}
func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}

// decodeInput reads the input a continue-as-new hands to the next run.
func decodeInput(can *workflow.ContinueAsNewError, v any) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, v)
}
