package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// The production layout: traject worker and traject serve as separate
// processes against a Temporal server and an SMTP relay. The worker carries
// a trajectory to the read model, serve answers readiness and an
// authenticated call, and both stop cleanly when told to.
func TestWorkerAndServeAgainstAnExternalServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dbURL := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	temporal := testenv.Temporal(t)
	smtp := testenv.Mail(t)
	host, port, _ := strings.Cut(smtp.Addr(), ":")
	httpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	serveMetricsAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	stamp := time.Now().UnixNano() // the shared server outlives one run of the test
	queue := fmt.Sprintf("production-test-%d", stamp)
	common := []string{"--database-url", dbURL, "--temporal-address", temporal.FrontendAddress(), "--temporal-namespace", temporal.Namespace(), "--task-queue", queue}

	if err := run(ctx, []string{"migrate", "up", "--database-url", dbURL}, new(bytes.Buffer), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 2)
	go func() {
		done <- run(runCtx, append([]string{"worker", "--smtp-host", host, "--smtp-port", port, "--smtp-tls", "none", "--smtp-from", "traject@ocmw.example", "--metrics-addr", metricsAddr}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()
	go func() {
		done <- run(runCtx, append([]string{"serve", "--http-addr", httpAddr, "--metrics-addr", serveMetricsAddr}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()

	waitFor(t, "serve to be ready", func() bool {
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	participant := seedParticipant(t, pool)
	c, err := client.Dial(client.Options{HostPort: temporal.FrontendAddress(), Namespace: temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	workflowID := fmt.Sprintf("%s-production-%d", workflows.WorkflowID(participant), stamp)
	t.Cleanup(func() { _ = c.TerminateWorkflow(context.Background(), workflowID, "", "test over") })
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflowID, TaskQueue: queue},
		// No Logic: started as a release before generations would, it
		// follows the version markers.
		workflows.TrajectoryWorkflowName, workflows.TrajectoryInput{
			ParticipantID: participant, CentreID: "molenbeek", CounsellorID: counsellorID, LeefloonDecisionDate: time.Now(),
		}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the worker to write the read model", func() bool {
		var n int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM trajectories WHERE participant_id = $1`, participant).Scan(&n)
		return n == 1
	})

	_, token, err := store.New(pool).CreateToken(ctx, counsellorID, "test")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://"+httpAddr+"/v1/participants/"+participant, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("serve answered the dossier with %d", resp.StatusCode)
	}

	// Both processes serve Prometheus metrics: the worker the SDK's and the
	// service gauges, serve the HTTP ones by route; never a participant ID.
	worker := scrape(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{
		"temporal_worker_task_slots_available{", "temporal_workflow_task_schedule_to_start_latency", "temporal_sticky_cache_size",
		`traject_trajectories_open{centre="molenbeek",phase="intake"} 1`, `traject_outbox_messages{status="failed"} 0`,
		"traject_service_gauges_up 1", "go_goroutines",
	} {
		if !strings.Contains(worker, want) {
			t.Errorf("the worker's /metrics lacks %s", want)
		}
	}
	served := scrape(t, "http://"+serveMetricsAddr+"/metrics")
	if want := `traject_http_requests_total{method="GET",route="/v1/participants/{id}",status="200"} 1`; !strings.Contains(served, want) {
		t.Errorf("serve's /metrics lacks %s", want)
	}
	// The API port itself answers authenticated calls only.
	if resp, err := http.Get("http://" + httpAddr + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("the API port serves /metrics: %v %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	for name, body := range map[string]string{"worker": worker, "serve": served} {
		if strings.Contains(body, participant) {
			t.Errorf("the %s's /metrics names a participant", name)
		}
	}

	stop()
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("a process did not stop cleanly: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a process still runs 30s after it was told to stop")
		}
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(body)
}
