package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/database"
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
	if err := database.EnsureExists(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	temporal := testenv.Temporal(t)
	smtp := testenv.Mail(t)
	host, port, _ := strings.Cut(smtp.Addr(), ":")
	httpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	stamp := time.Now().UnixNano() // the shared server outlives one run of the test
	queue := fmt.Sprintf("production-test-%d", stamp)
	common := []string{"--database-url", dbURL, "--temporal-address", temporal.FrontendAddress(), "--temporal-namespace", temporal.Namespace(), "--task-queue", queue}

	if err := run(ctx, []string{"migrate", "up", "--database-url", dbURL}, new(bytes.Buffer), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 2)
	go func() {
		done <- run(runCtx, append([]string{"worker", "--smtp-host", host, "--smtp-port", port, "--smtp-tls", "none", "--smtp-from", "traject@ocmw.example"}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()
	go func() {
		done <- run(runCtx, append([]string{"serve", "--http-addr", httpAddr}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()

	waitFor(t, "serve to be ready", func() bool {
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	pool, err := database.Open(ctx, dbURL)
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

	_, token, err := api.CreateToken(ctx, pool, counsellorID, "test")
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
