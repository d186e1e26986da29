package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/wneessen/go-mail"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// The test binary doubles as the traject binary: started with
// TRAJECT_TEST_MAIN=1 it runs main, so the tests can kill a real process.
func TestMain(m *testing.M) {
	if os.Getenv("TRAJECT_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	testenv.Main(m)
}

type devProcess struct {
	cmd    *exec.Cmd
	output *syncBuffer
	api    string
	exited chan error
}

func startDev(t *testing.T, args []string, api string) *devProcess {
	t.Helper()
	p := &devProcess{output: &syncBuffer{}, api: api, exited: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(os.Environ(), "TRAJECT_TEST_MAIN=1")
	p.cmd.Stdout = p.output
	p.cmd.Stderr = p.output
	started := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("traject dev output:\n%s", p.output.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(api + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Logf("traject dev ready after %s", time.Since(started).Round(time.Millisecond))
				return p
			}
		}
		select {
		case err := <-p.exited:
			t.Fatalf("traject dev exited before it was ready: %v\n%s", err, p.output.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("traject dev not ready after 30s\n%s", p.output.String())
		}
	}
}

func (p *devProcess) interrupt(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("traject dev exited with %v after Ctrl-C\n%s", err, p.output.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("traject dev still running 30s after Ctrl-C")
	}
}

func (p *devProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// The backbone end to end, as a new user meets it: traject dev comes up,
// a trajectory started on its Temporal server reaches the read model, mail
// reaches the capture server, Ctrl-C stops it cleanly, and after a SIGKILL
// a restart on the same data directory and database has lost nothing and
// duplicated nothing, though the kill came right after a transition was
// accepted.
func TestDevEndToEndSurvivesKill(t *testing.T) {
	dbURL := testenv.DatabaseURL(t)
	httpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	temporalPort := testenv.FreePort(t)
	smtpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	api := "http://" + httpAddr
	args := []string{"dev",
		"--database-url", dbURL,
		"--data-dir", t.TempDir(),
		"--http-addr", httpAddr,
		"--temporal-port", fmt.Sprint(temporalPort),
		"--dev-smtp-addr", smtpAddr,
		"--metrics-addr", fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t)),
		"--log-format", "json",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dev := startDev(t, args, api)
	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	participant := seedParticipant(t, pool)

	temporal, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", temporalPort)})
	if err != nil {
		t.Fatal(err)
	}
	defer temporal.Close()
	_, err = temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.WorkflowID(participant), TaskQueue: "traject"},
		workflows.TrajectoryWorkflowName, workflows.TrajectoryInput{
			ParticipantID: participant, CentreID: "molenbeek", CounsellorID: counsellorID,
			LeefloonDecisionDate: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the read model to show the trajectory", func() bool {
		var phase string
		err := pool.QueryRow(ctx, `SELECT phase FROM trajectories WHERE participant_id = $1`, participant).Scan(&phase)
		return err == nil && phase == string(workflows.PhaseIntake)
	})

	sendMail(t, smtpAddr)
	var listing struct {
		Messages []struct {
			Subject string `json:"subject"`
		} `json:"messages"`
	}
	getJSON(t, api+"/dev/mail", &listing)
	if len(listing.Messages) != 1 || listing.Messages[0].Subject != "Welkom / Bienvenue" {
		t.Fatalf("/dev/mail = %+v", listing)
	}

	dev.interrupt(t)
	if out := dev.output.String(); strings.Contains(out, "panic") || strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("errors while stopping:\n%s", out)
	}

	// A coordinator moves the trajectory; the process is killed as soon as
	// the workflow accepted the move, its read-model write maybe in flight.
	dev = startDev(t, args, api)
	if _, err := temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.WorkflowID(participant), UpdateName: workflows.UpdateTransition,
		Args:         []any{workflows.TransitionRequest{By: workflows.By{ActorID: counsellorID, ActorRole: domain.RoleCoordinator}, To: workflows.PhaseFacilitator}},
		WaitForStage: client.WorkflowUpdateStageAccepted,
	}); err != nil {
		t.Fatal(err)
	}
	dev.kill(t)

	startDev(t, args, api)
	var phase string
	var version int64
	waitFor(t, "the read model to show the move after the restart", func() bool {
		err := pool.QueryRow(ctx, `SELECT phase, version FROM trajectories WHERE participant_id = $1`, participant).Scan(&phase, &version)
		return err == nil && phase == string(workflows.PhaseFacilitator)
	})
	resp, err := temporal.QueryWorkflow(ctx, workflows.WorkflowID(participant), "", workflows.QueryState)
	if err != nil {
		t.Fatalf("trajectory lost after SIGKILL and restart: %v", err)
	}
	var state workflows.State
	if err := resp.Get(&state); err != nil {
		t.Fatal(err)
	}
	if state.Phase != workflows.PhaseFacilitator || state.ParticipantID != participant || state.Version != version {
		t.Errorf("state after restart = %s v%d, read model %s v%d", state.Phase, state.Version, phase, version)
	}
	// applied once: the start and the move, one event per state version
	var events, moves, versions int
	if err := pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE kind = 'phase_changed'), count(DISTINCT seq)
		FROM timeline_events WHERE participant_id = $1`, participant).Scan(&events, &moves, &versions); err != nil {
		t.Fatal(err)
	}
	if events != 2 || moves != 1 || versions != 2 {
		t.Errorf("timeline has %d events (%d moves, %d versions) after restarts, want 2 (1, 2)", events, moves, versions)
	}
}

const counsellorID = "6f1c2a52-7d7e-4d55-9c1e-0b7b8f0e9a11"

func seedParticipant(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	const participant = "0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c01"
	_, err := pool.Exec(context.Background(), `
		INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'OCMW Molenbeek', 'brussels');
		INSERT INTO staff_users (id, centre_id, email, display_name, role) VALUES ('`+counsellorID+`', 'molenbeek', 'an@ocmw.example', 'An', 'counsellor');
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
		VALUES ('`+participant+`', 'molenbeek', 'Sara', 'Peeters', '1990-05-17', '90051700123', 'nl', '2026-11-02');`)
	if err != nil {
		t.Fatal(err)
	}
	return participant
}

func sendMail(t *testing.T, addr string) {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	var p int
	fmt.Sscan(port, &p)
	c, err := mail.NewClient(host, mail.WithPort(p), mail.WithTLSPolicy(mail.NoTLS))
	if err != nil {
		t.Fatal(err)
	}
	m := mail.NewMsg()
	_ = m.From("traject@ocmw.example")
	_ = m.To("an@ocmw.example")
	m.Subject("Welkom / Bienvenue")
	m.SetBodyString(mail.TypeTextPlain, "test")
	if err := c.DialAndSend(m); err != nil {
		t.Fatal(err)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits for what a test then asserts (see testenv.Eventually).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testenv.Eventually(t, what, cond)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
