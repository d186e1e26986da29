package devserver_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/devserver"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

func greet(_ workflow.Context, name string) (string, error) { return "hallo " + name, nil }

// runGreet runs one workflow to completion on srv and returns its ID.
func runGreet(t *testing.T, srv *devserver.Server, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: srv.FrontendAddress(), Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "greet", worker.Options{})
	w.RegisterWorkflow(greet)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "greet"}, greet, "wereld")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := run.Get(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if got != "hallo wereld" {
		t.Fatalf("result = %q", got)
	}
}

func assertCompleted(t *testing.T, srv *devserver.Server, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: srv.FrontendAddress(), Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatalf("workflow %s lost across the restart: %v", id, err)
	}
	if s := desc.GetWorkflowExecutionInfo().GetStatus().String(); s != "Completed" {
		t.Errorf("status = %s", s)
	}
	sa, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	for name := range workflows.SearchAttributes() {
		if _, ok := sa.GetCustomAttributes()[name]; !ok {
			t.Errorf("search attribute %s not registered", name)
		}
	}
}

func start(t *testing.T, opts devserver.Options) *devserver.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := devserver.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// State survives a restart on the same data directory.
func TestSQLiteKeepsWorkflowsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	opts := devserver.Options{DataDir: dir, SearchAttributes: workflows.SearchAttributes(), Logger: testenv.Logger(t)}

	srv := start(t, opts)
	runGreet(t, srv, "greet-sqlite")
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}

	srv = start(t, opts)
	defer func() { _ = srv.Stop() }()
	assertCompleted(t, srv, "greet-sqlite")
}

// The PostgreSQL store creates its own two databases, sets their schema up at
// first start and only upgrades it afterwards.
func TestPostgresStoreKeepsWorkflowsAcrossRestart(t *testing.T) {
	dbURL := testenv.DatabaseURL(t) // dropped at cleanup, with the two Temporal databases below
	cfg, err := store.ParseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	prefix := cfg.ConnConfig.Database
	for _, suffix := range []string{"_temporal", "_temporal_visibility"} {
		testenv.DropDatabaseAtCleanup(t, prefix+suffix)
	}
	store := &devserver.PostgresStore{
		Host: cfg.ConnConfig.Host, Port: cfg.ConnConfig.Port, User: cfg.ConnConfig.User,
		Password: cfg.ConnConfig.Password, SSLMode: "disable", Prefix: prefix,
	}
	opts := devserver.Options{Postgres: store, SearchAttributes: workflows.SearchAttributes(), Logger: testenv.Logger(t)}

	srv := start(t, opts)
	runGreet(t, srv, "greet-postgres")
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}

	srv = start(t, opts)
	defer func() { _ = srv.Stop() }()
	assertCompleted(t, srv, "greet-postgres")
}

func TestFrontendPortInUseIsOneClearError(t *testing.T) {
	port := testenv.FreePort(t)
	first := start(t, devserver.Options{DataDir: t.TempDir(), FrontendPort: port})
	defer func() { _ = first.Stop() }()
	_, err := devserver.Start(context.Background(), devserver.Options{DataDir: t.TempDir(), FrontendPort: port})
	if err == nil {
		t.Fatal("a second server started on a port in use")
	}
	if !strings.Contains(err.Error(), "cannot listen on") {
		t.Errorf("error = %v", err)
	}
}

// The namespace retention follows the setting at every start.
func TestRetentionFollowsTheSettingAtEveryStart(t *testing.T) {
	dir := t.TempDir()
	for _, want := range []time.Duration{48 * time.Hour, 72 * time.Hour} {
		srv := start(t, devserver.Options{DataDir: dir, Retention: want})
		c, err := client.Dial(client.Options{HostPort: srv.FrontendAddress(), Namespace: srv.Namespace()})
		if err != nil {
			t.Fatal(err)
		}
		desc, err := c.WorkflowService().DescribeNamespace(context.Background(), &workflowservice.DescribeNamespaceRequest{Namespace: srv.Namespace()})
		c.Close()
		_ = srv.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if got := desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); got != want {
			t.Errorf("retention %s, want %s", got, want)
		}
	}
}
