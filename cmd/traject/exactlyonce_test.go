package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// Exactly once through the API in the production layout: traject serve and
// traject worker as separate processes, clients that send every write with
// an Idempotency-Key and send it again after a 503 (or a 409 while the
// first attempt runs) as Retry-After says. Meanwhile the worker is killed
// with SIGKILL twice and PostgreSQL is cut away from both for a few
// seconds. Afterwards every write was answered 2xx, no answer was a 5xx but
// 503, nothing was applied twice, every dossier's timeline has one event
// per version, every write has its audit entry, and the writes caught by a
// fault succeeded within 15 seconds of its end.
func TestExactlyOnceThroughTheAPIWhileThingsFail(t *testing.T) {
	const dossiers, clients = 200, 8
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dbURL := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"migrate", "up", "--database-url", dbURL}, new(bytes.Buffer), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	if err := st.CreateCentre(ctx, store.Centre{ID: "molenbeek", Name: "OCMW Molenbeek", Region: "brussels", Language: "nl"}); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	ids := map[string]string{}
	for _, role := range []string{"counsellor", "coordinator"} {
		id, err := st.CreateUser(ctx, store.User{CentreID: "molenbeek", Email: role + "@ocmw.example", DisplayName: role, Role: domain.Role(role), Language: "nl"})
		if err != nil {
			t.Fatal(err)
		}
		_, token, err := st.CreateToken(ctx, id, "test")
		if err != nil {
			t.Fatal(err)
		}
		ids[role], tokens[role] = id, token
	}
	hostID, err := st.CreateHost(ctx, "molenbeek", store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "driver", Positions: dossiers}}})
	if err != nil {
		t.Fatal(err)
	}

	proxy := testenv.NewProxy(t, "127.0.0.1:5432")
	u, _ := url.Parse(dbURL)
	u.Host = proxy.Addr()
	temporal := testenv.Temporal(t)
	smtp := testenv.Mail(t)
	smtpHost, smtpPort, _ := strings.Cut(smtp.Addr(), ":")
	httpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	common := []string{"--database-url", u.String(), "--temporal-address", temporal.FrontendAddress(), "--temporal-namespace", temporal.Namespace(),
		"--task-queue", fmt.Sprintf("exactly-once-%d", time.Now().UnixNano()), "--metrics-addr", "", "--log-format", "json"}
	worker := startProcess(t, "worker", append([]string{"worker", "--smtp-host", smtpHost, "--smtp-port", smtpPort, "--smtp-tls", "none", "--smtp-from", "traject@ocmw.example"}, common...))
	startProcess(t, "serve", append([]string{"serve", "--http-addr", httpAddr}, common...))
	api := "http://" + httpAddr
	waitFor(t, "serve to be ready", func() bool {
		resp, err := http.Get(api + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	started := time.Now()
	var done atomic.Int64 // writes answered 2xx
	const perDossier = 5
	total := int64(dossiers * perDossier)
	var faults faultLog
	faultsDone := make(chan struct{})
	go func() { // the faults, at a fifth, two fifths and three fifths of the way
		defer close(faultsDone)
		at := func(share float64) {
			for done.Load() < int64(share*float64(total)) && ctx.Err() == nil {
				time.Sleep(50 * time.Millisecond)
			}
		}
		at(0.2)
		worker.kill(t)
		time.Sleep(2 * time.Second)
		worker = startProcess(t, "worker", worker.args)
		faults.ended("worker killed", worker.started)
		at(0.4)
		proxy.Cut()
		time.Sleep(4 * time.Second)
		proxy.Restore()
		faults.ended("PostgreSQL cut for 4 s", time.Now())
		at(0.6)
		worker.kill(t)
		time.Sleep(2 * time.Second)
		worker = startProcess(t, "worker", worker.args)
		faults.ended("worker killed again", worker.started)
	}()

	today := time.Now().Format(time.DateOnly)
	var wg sync.WaitGroup
	var log writeLog
	participants := make([]string, dossiers)
	for c := range clients {
		wg.Go(func() {
			for i := c; i < dossiers; i += clients {
				cl := &apiClient{base: api, log: &log, done: &done}
				raw := cl.write(t, "counsellor", tokens, "POST", "/v1/participants", fmt.Sprintf("create-%d", i), map[string]any{
					"given_name": "P", "family_name": strconv.Itoa(i), "birth_date": "1990-05-17", "national_number": nationalNumber(i),
					"language": "nl", "counsellor_id": ids["counsellor"], "leefloon_decision_date": today,
				})
				var created struct{ ID string }
				_ = json.Unmarshal(raw, &created)
				if created.ID == "" {
					return
				}
				participants[i] = created.ID
				p := "/v1/participants/" + created.ID
				cl.write(t, "coordinator", tokens, "POST", p+"/transitions", fmt.Sprintf("work-%d", i), map[string]any{"to": "work"})
				cl.write(t, "coordinator", tokens, "POST", p+"/transitions", fmt.Sprintf("art60-%d", i), map[string]any{"to": "article60",
					"contract": map[string]any{"host_id": hostID, "function": "driver", "regime": "full_time", "start": today}})
				cl.write(t, "counsellor", tokens, "POST", p+"/contract/absences", fmt.Sprintf("absence1-%d", i), map[string]any{"kind": "unpaid_sickness", "days": 2})
				cl.write(t, "counsellor", tokens, "POST", p+"/contract/absences", fmt.Sprintf("absence2-%d", i), map[string]any{"kind": "unpaid_sickness", "days": 3})
			}
		})
	}
	wg.Wait()
	<-faultsDone
	if t.Failed() {
		return
	}

	// Nothing applied twice: five days of absence each, one event per
	// version, the phase history as sent.
	for i, id := range participants {
		var nonCounting, version, events, versions int
		var phase string
		err := pool.QueryRow(ctx, `
			SELECT (t.state->'contract'->>'non_counting_days')::int, t.version, t.phase,
			       (SELECT count(*) FROM timeline_events e WHERE e.participant_id = t.participant_id),
			       (SELECT count(DISTINCT seq) FROM timeline_events e WHERE e.participant_id = t.participant_id)
			FROM trajectories t WHERE t.participant_id = $1`, id).Scan(&nonCounting, &version, &phase, &events, &versions)
		if err != nil {
			t.Fatalf("dossier %d: %v", i, err)
		}
		if nonCounting != 5 || phase != "article60" || events != versions {
			t.Errorf("dossier %d: %d non-counting days (want 5), phase %s, %d events for %d versions (version %d)", i, nonCounting, phase, events, versions, version)
		}
		var audited int
		waitFor(t, "audit entries settled", func() bool {
			var attempted int
			_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE object_id = $1 AND outcome = 'attempted'`, id).Scan(&attempted)
			return attempted == 0
		})
		if err := pool.QueryRow(ctx, `
			SELECT count(DISTINCT action) FILTER (WHERE action <> 'record_absence') + LEAST(count(*) FILTER (WHERE action = 'record_absence'), 2)
			FROM audit_log WHERE object_id = $1 AND outcome = 'ok'
			  AND action IN ('create_participant', 'transition:work', 'transition:article60', 'record_absence')`, id).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != perDossier {
			t.Errorf("dossier %d: %d of its %d writes have an audit entry with outcome ok", i, audited, perDossier)
		}
	}
	var phaseChanges int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM timeline_events WHERE kind = 'phase_changed'`).Scan(&phaseChanges); err != nil || phaseChanges != 2*dossiers {
		t.Errorf("%d phase changes, want %d (%v)", phaseChanges, 2*dossiers, err)
	}
	all := faults.all()
	statuses, slowest := log.summary(all)
	t.Logf("answers: %v; slowest recovery after a fault: %s", statuses, slowest)
	for _, f := range all {
		t.Logf("fault: %s, ended %s after the start; its slowest write succeeded %s after", f.what, f.end.Sub(started).Round(time.Millisecond), f.recovery.Round(time.Millisecond))
	}
	for status := range statuses {
		if status >= 500 && status != http.StatusServiceUnavailable {
			t.Errorf("%d answers were %d", statuses[status], status)
		}
	}
	if slowest > 15*time.Second {
		t.Errorf("a write caught by a fault succeeded %s after its end, want within 15 s", slowest)
	}
}

func nationalNumber(i int) string {
	// 1990-05-17, serial 100+i, with the check digits of the register
	base := fmt.Sprintf("900517%03d", 100+i)
	n, _ := strconv.Atoi(base)
	return fmt.Sprintf("%s%02d", base, 97-n%97)
}

type apiClient struct {
	base string
	log  *writeLog
	done *atomic.Int64
}

// write sends one write until it is answered 2xx, as the OpenAPI document
// tells a client: after a 503 or a 409 with Retry-After, again with the
// same key. It logs every answer.
func (c *apiClient) write(t *testing.T, who string, tokens map[string]string, method, path, key string, body any) []byte {
	raw, _ := json.Marshal(body)
	first := time.Now()
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+tokens[who])
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%s %s: %v", method, path, err)
			return nil
		}
		out, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		c.log.add(resp.StatusCode)
		retry := resp.Header.Get("Retry-After")
		switch {
		case resp.StatusCode < 300:
			c.done.Add(1)
			c.log.succeeded(first, time.Now())
			return out
		case retry != "" && (resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusConflict) && attempt < 60:
			seconds, _ := strconv.Atoi(retry)
			time.Sleep(time.Duration(seconds) * time.Second)
		default:
			t.Errorf("%s %s (key %s, attempt %d): %d %s", method, path, key, attempt+1, resp.StatusCode, out)
			return nil
		}
	}
}

// writeLog counts the answers and keeps when each write was first sent
// and when it succeeded.
type writeLog struct {
	mu       sync.Mutex
	statuses map[int]int
	spans    [][2]time.Time
}

func (l *writeLog) add(status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.statuses == nil {
		l.statuses = map[int]int{}
	}
	l.statuses[status]++
}

func (l *writeLog) succeeded(first, last time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.spans = append(l.spans, [2]time.Time{first, last})
}

// summary answers the statuses seen and, over the writes first sent before
// a fault ended and answered after, the longest time from that end to
// their success, per fault.
func (l *writeLog) summary(faults []fault) (map[int]int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var slowest time.Duration
	for i, f := range faults {
		for _, s := range l.spans {
			if s[0].Before(f.end) && s[1].After(f.end) {
				faults[i].recovery = max(faults[i].recovery, s[1].Sub(f.end))
			}
		}
		slowest = max(slowest, faults[i].recovery)
	}
	return l.statuses, slowest
}

type fault struct {
	what string
	end  time.Time
	// recovery is how long after end the slowest write it caught succeeded.
	recovery time.Duration
}

type faultLog struct {
	mu     sync.Mutex
	faults []fault
}

func (f *faultLog) ended(what string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fault{what: what, end: at})
}

func (f *faultLog) all() []fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fault(nil), f.faults...)
}

// process is a traject subprocess (the test binary re-executed as traject).
type process struct {
	args    []string
	cmd     *exec.Cmd
	output  *syncBuffer
	started time.Time
	exited  chan error
}

func startProcess(t *testing.T, name string, args []string) *process {
	t.Helper()
	p := &process{args: args, output: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(os.Environ(), "TRAJECT_TEST_MAIN=1")
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.started = time.Now()
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.exited
		if t.Failed() {
			out := p.output.String()
			if len(out) > 20000 {
				out = "...\n" + out[len(out)-20000:]
			}
			t.Logf("traject %s output:\n%s", name, out)
		}
	})
	return p
}

func (p *process) kill(t *testing.T) {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Error(err)
	}
	<-p.exited
	p.exited <- nil // for the cleanup
}
