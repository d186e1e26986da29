package workflows_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// followUpInSeconds is a policy whose post-Article-60 follow-up lasts 6
// seconds: check-ins every 2, an outcome reminder 2 before the end, then 3
// seconds of grace before the trajectory closes as unknown.
func followUpInSeconds(p *policy.Policy) {
	p.PostArticle60 = policy.PostArticle60{
		Length: policy.Seconds(6), CheckInEvery: policy.Seconds(2),
		OutcomeReminders: []policy.Period{policy.Seconds(2)}, OutcomeGrace: policy.Seconds(3),
	}
	p.Calendar.MoveToWorkingDay = false
}

// faultRun is one participant's life on the real embedded server, with the
// worker's PostgreSQL and SMTP relay behind proxies that a fault can cut.
type faultRun struct {
	t       *testing.T
	ctx     context.Context
	db      *pgxpool.Pool // the test's own view, never cut
	c       client.Client
	pg      *testenv.Proxy
	smtp    *testenv.Proxy
	workers func() (stop func())
}

// A participant's trajectory is driven while something breaks for three
// seconds of its follow-up, when a check-in and the outcome reminder fall
// due, and a counsellor records a check-in in the middle of it.
// After each fault: every transition applied once, the check-in once, every
// notice delivered once and the same notices as without a fault, the read
// model equal to the workflow's state, nothing failed or left unreported.
// (A SIGKILL of the whole dev process: TestDevEndToEndSurvivesKill in
// cmd/traject.)
func TestLifeSurvivesFaults(t *testing.T) {
	var baseline []string
	for _, fault := range []struct {
		name   string
		inject func(r *faultRun, stopWorker func()) (restart func())
		bit    func(r *faultRun) bool
		// databaseOut: read-model writes must fall back to activities.
		databaseOut bool
	}{
		{name: "none"},
		{
			name: "worker stopped and restarted",
			inject: func(r *faultRun, stopWorker func()) func() {
				stopWorker()
				return func() { r.workers() }
			},
		},
		{
			name:        "PostgreSQL refuses connections",
			inject:      func(r *faultRun, _ func()) func() { r.pg.Cut(); return r.pg.Restore },
			bit:         func(r *faultRun) bool { return r.pg.Refused() > 0 },
			databaseOut: true,
		},
		{
			name:   "SMTP relay down",
			inject: func(r *faultRun, _ func()) func() { r.smtp.Refuse(); return r.smtp.Restore },
			bit:    func(r *faultRun) bool { return r.smtp.Refused() > 0 },
		},
	} {
		t.Run(fault.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			db, dbURL := testenv.DatabaseAndURL(t)
			fx := testenv.Seed(t, db)
			d := &driver{t: t, db: db, fx: fx}
			d.savePolicy(followUpInSeconds)
			r := &faultRun{t: t, ctx: ctx, db: db, c: testenv.Client(t)}
			r.pg = testenv.NewProxy(t, "127.0.0.1:5432")
			mail := testenv.Mail(t)
			r.smtp = testenv.NewProxy(t, mail.Addr())

			// The worker reaches PostgreSQL and the relay through the proxies.
			proxied := replaceHost(t, dbURL, r.pg.Addr())
			pool, err := store.Open(ctx, proxied)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			host, port, _ := net.SplitHostPort(r.smtp.Addr())
			portNumber, _ := strconv.Atoi(port)
			mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: portNumber, TLS: "none", From: "OCMW Traject <traject@ocmw.example>"})
			if err != nil {
				t.Fatal(err)
			}
			queue := fmt.Sprintf("faults-%d", time.Now().UnixNano())
			var stopCurrent func()
			r.workers = func() func() {
				w := sdkworker.New(r.c, queue, sdkworker.Options{})
				worker.Register(w, worker.Dependencies{DB: pool, Mailer: mailer})
				if err := w.Start(); err != nil {
					t.Fatal(err)
				}
				stopCurrent = w.Stop
				return w.Stop
			}
			r.workers()
			defer func() { stopCurrent() }()

			id := fmt.Sprintf("%s-faults-%d", workflows.WorkflowID(fx.ParticipantID), time.Now().UnixNano())
			in := d.input()
			in.LeefloonDecisionDate = time.Now()
			run, err := r.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.TrajectoryWorkflowName, in)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = r.c.TerminateWorkflow(context.Background(), id, "", "test over") })
			toFollowUp(t, ctx, r.c, d, id)
			waitUntil(t, ctx, "the follow-up", func() bool { return queryState(t, ctx, r.c, id).Phase == workflows.PhasePostArticle60 })

			time.Sleep(2 * time.Second) // the fault covers the outcome reminder, due at 4 s
			var restore func()
			if fault.inject != nil {
				restore = fault.inject(r, stopCurrent)
			}
			checkIn := make(chan error, 1)
			go func() {
				checkIn <- sendUpdate(ctx, r.c, id, workflows.UpdateRecordCheckIn, workflows.CheckInRequest{By: d.counsellor(), On: time.Now()}, nil)
			}()
			time.Sleep(3 * time.Second)
			if fault.bit != nil {
				// The fault lasts until it has refused something, so that a
				// slow start cannot let every send slip past it.
				testenv.Eventually(t, "the fault refusing a connection", func() bool { return fault.bit(r) })
			}
			if restore != nil {
				restore()
			}
			if err := <-checkIn; err != nil {
				t.Errorf("the check-in recorded during the fault: %v", err)
			}
			if err := run.Get(ctx, nil); err != nil {
				t.Fatalf("trajectory: %v", err)
			}
			if fault.bit != nil && !fault.bit(r) {
				t.Errorf("the fault never bit: nothing was refused")
			}
			// Writes are local activities; the ones the outage refused were
			// handed to ordinary activities, which waited for the database.
			writes := scheduledWrites(history(t, ctx, r.c, id))
			if fault.databaseOut && writes == 0 {
				t.Errorf("no read-model write fell back to an activity during the outage")
			} else if !fault.databaseOut && writes > 0 {
				t.Errorf("%d read-model writes fell back to activities without a database outage", writes)
			}
			notices := r.check(id, fx.ParticipantID, mail.Messages())
			if t.Failed() {
				// A rare failure seen twice (a check-in answered but not in the
				// history after a worker restart): leave the history in the log.
				for _, ev := range history(t, ctx, r.c, id).Events {
					t.Logf("history %d %s %s %s %s", ev.EventId, ev.EventType,
						ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName(),
						ev.GetMarkerRecordedEventAttributes().GetMarkerName(), ev.GetWorkflowTaskFailedEventAttributes().GetCause())
				}
			}
			t.Logf("notices delivered: %v", notices)
			if baseline == nil {
				baseline = notices
			} else if !slices.Equal(notices, baseline) {
				t.Errorf("notices %v\nwithout a fault %v", notices, baseline)
			}
		})
	}
}

// sendUpdate sends an update to the workflow id and waits for its result.
func sendUpdate(ctx context.Context, c client.Client, id, name string, req, result any) error {
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: name, Args: []any{req}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, result)
}

// toFollowUp takes a new trajectory to Article 60 with a contract that
// started 400 days ago: its 312 days are over, so it passes into the
// post-Article-60 follow-up at once.
func toFollowUp(t *testing.T, ctx context.Context, c client.Client, d *driver, id string) {
	t.Helper()
	coordinator := d.coordinator()
	for _, step := range []workflows.TransitionRequest{
		{By: coordinator, To: workflows.PhaseFacilitator},
		{By: coordinator, To: workflows.PhaseWork},
		{By: coordinator, To: workflows.PhaseArticle60, Contract: &workflows.ContractInput{
			HostID: "host-1", Function: "driver", Regime: "full_time", Start: time.Now().AddDate(0, 0, -400), AgeAtStart: 30,
		}},
	} {
		if err := sendUpdate(ctx, c, id, workflows.UpdateTransition, step, nil); err != nil {
			t.Fatalf("to %s: %v", step.To, err)
		}
	}
}

// check compares the outcome with the workflow's own state and returns
// the kinds of notices delivered, sorted.
func (r *faultRun) check(id, participant string, messages []mailcapture.Message) []string {
	t, ctx := r.t, r.ctx
	final := queryState(t, ctx, r.c, id)
	if final.Phase != workflows.PhaseClosed || final.Outcome != workflows.OutcomeUnknown {
		t.Errorf("final state %s/%s, want closed/unknown", final.Phase, final.Outcome)
	}
	var phase, outcome string
	var version int64
	if err := r.db.QueryRow(ctx, `SELECT phase, COALESCE(outcome, ''), version FROM trajectories WHERE participant_id = $1`, participant).Scan(&phase, &outcome, &version); err != nil {
		t.Fatal(err)
	}
	if phase != string(final.Phase) || outcome != string(final.Outcome) || version != final.Version {
		t.Errorf("read model %s/%s v%d, workflow %s/%s v%d", phase, outcome, version, final.Phase, final.Outcome, final.Version)
	}

	// Transitions and the check-in once each, every state version once.
	var phases []string
	var checkIns, undelivered, events, versions int
	rows, err := r.db.Query(ctx, `SELECT kind, COALESCE(phase_to, '') FROM timeline_events WHERE participant_id = $1 ORDER BY occurred_at, seq`, participant)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, to string
		if err := rows.Scan(&kind, &to); err != nil {
			t.Fatal(err)
		}
		switch kind {
		case "phase_changed":
			phases = append(phases, to)
		case "check_in_recorded":
			checkIns++
		case "notice_undelivered":
			undelivered++
		}
	}
	if want := []string{"facilitator", "work", "article60", "post_article60", "closed"}; !slices.Equal(phases, want) {
		t.Errorf("phase changes %v, want %v", phases, want)
	}
	if err := r.db.QueryRow(ctx, `SELECT count(*), count(DISTINCT seq) FROM timeline_events WHERE participant_id = $1`, participant).Scan(&events, &versions); err != nil {
		t.Fatal(err)
	}
	if checkIns != 1 || undelivered != 0 || events != versions {
		t.Errorf("%d check-ins recorded (want 1), %d notices undelivered, %d events for %d state versions", checkIns, undelivered, events, versions)
	}

	// Every notice delivered, once.
	var kinds []string
	var failed int
	rows, err = r.db.Query(ctx, `SELECT kind, status, message_id FROM outbox WHERE participant_id = $1 ORDER BY kind, id`, participant)
	if err != nil {
		t.Fatal(err)
	}
	outbox := map[string]bool{}
	for rows.Next() {
		var kind, status, messageID string
		if err := rows.Scan(&kind, &status, &messageID); err != nil {
			t.Fatal(err)
		}
		if status != "sent" {
			failed++
		}
		kinds = append(kinds, kind)
		outbox[strings.Trim(messageID, "<>")] = true
	}
	received := map[string]int{}
	for _, m := range messages {
		received[strings.Trim(m.MessageID, "<>")]++
	}
	for messageID, n := range received {
		if n != 1 || !outbox[messageID] {
			t.Errorf("message %s arrived %d times (in the outbox: %v)", messageID, n, outbox[messageID])
		}
	}
	if failed > 0 || len(received) != len(outbox) || len(kinds) == 0 {
		t.Errorf("outbox: %d notices, %d not sent; %d distinct messages arrived", len(kinds), failed, len(received))
	}
	return kinds
}

// replaceHost points a database URL at another host:port.
func replaceHost(t *testing.T, dbURL, hostPort string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostPort
	return u.String()
}
