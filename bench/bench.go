// Package bench measures a running traject the way its operators judge it:
// trajectory starts against bare Temporal starts, history events per life,
// API latency under load, a burst of timers firing at the same instant,
// memory, and mail throughput. `traject bench` wires it to an embedded or
// external Temporal server and prints the report.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// Config says what to measure against.
type Config struct {
	Client    client.Client
	Namespace string
	DB        *pgxpool.Pool
	// Server names the Temporal server in the report, e.g. "embedded, SQLite".
	Server string
	// Participants are created through the API and stay loaded for the
	// latency measurements.
	Participants int
	// Bursts are the sizes of the timer bursts.
	Bursts []int
	// Mails is how many messages go to the local SMTP server.
	Mails int
	// Concurrency of the clients that load the service.
	Concurrency int
	// Samples is how many dossier reads the latency figures take (and a
	// third as many transitions). Default 1,000.
	Samples int
	// LoadFor is how long wrk loads the API with mixed reads and
	// transitions; zero skips it.
	LoadFor time.Duration
	// BurstTimeout bounds the wait for a burst to drain; a burst still
	// draining then is reported with how far it got. Default 10 minutes.
	BurstTimeout time.Duration
	// OpenAt are the numbers of open trajectories to read the memory at;
	// the bench tops up with new trajectories started directly. Empty:
	// once, with what the other steps left open.
	OpenAt []int
	// WorkflowCache is the worker's sticky cache size (0: the SDK's 10,000).
	WorkflowCache int
	// ReadProfile, when set, receives a CPU profile of this process
	// taken while the dossier reads are timed.
	ReadProfile io.Writer
	Logger      *slog.Logger
}

// Figure is one measured value, with its limit measured in the same run
// where it has one.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Limit and Ratio compare the value with what bounds it (Value/Limit).
	Limit float64 `json:"limit,omitempty"`
	Ratio float64 `json:"ratio,omitempty"`
	Note  string  `json:"note,omitempty"`
}

// Report is a whole run.
type Report struct {
	Server     string    `json:"server"`
	Machine    string    `json:"machine"`
	StartedAt  time.Time `json:"started_at"`
	Figures    []Figure  `json:"figures"`
	WorkerOpts string    `json:"worker_options"`
}

func (r *Report) add(f Figure) {
	if f.Limit > 0 {
		f.Ratio = f.Value / f.Limit
	}
	r.Figures = append(r.Figures, f)
}

// add records a figure and logs it at once, so a long run that is stopped
// still leaves what it measured.
func (b *run) add(f Figure) {
	b.report.add(f)
	b.cfg.Logger.Info("figure", "name", f.Name, "value", f.Value, "unit", f.Unit, "limit", f.Limit, "note", f.Note)
}

// WriteTable prints the report for a terminal.
func (r Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "traject bench: %s on %s, %s\n", r.Server, r.Machine, r.StartedAt.Format(time.RFC3339))
	fmt.Fprintf(w, "worker: %s\n\n", r.WorkerOpts)
	fmt.Fprintf(w, "%-52s %14s %-10s %14s %7s  %s\n", "figure", "value", "unit", "limit", "ratio", "note")
	for _, f := range r.Figures {
		limit, ratio := "", ""
		if f.Limit > 0 {
			limit, ratio = strconv.FormatFloat(f.Limit, 'f', 1, 64), strconv.FormatFloat(f.Ratio, 'f', 2, 64)
		}
		fmt.Fprintf(w, "%-52s %14.1f %-10s %14s %7s  %s\n", f.Name, f.Value, f.Unit, limit, ratio, f.Note)
	}
}

// Run measures everything in turn. It creates a centre of its own, so it
// can run against a database that holds other data.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	if cfg.Samples <= 0 {
		cfg.Samples = 1000
	}
	if cfg.BurstTimeout <= 0 {
		cfg.BurstTimeout = 10 * time.Minute
	}
	b := &run{cfg: cfg, report: Report{Server: cfg.Server, Machine: machine(), StartedAt: time.Now()}}
	if err := b.setup(ctx); err != nil {
		return b.report, err
	}
	defer b.teardown()
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{{"starts", b.starts}, {"full life", b.fullLife}, {"latency", b.latency}, {"http load", b.httpLoad}, {"timer bursts", b.bursts}, {"memory", b.memory}, {"mail", b.mail}} {
		cfg.Logger.Info("bench step", "step", step.name)
		if err := step.run(ctx); err != nil {
			return b.report, fmt.Errorf("%s: %w", step.name, err)
		}
	}
	return b.report, nil
}

type run struct {
	cfg    Config
	report Report
	queue  string
	centre string
	coord  string
	couns  string
	hostID string
	token  string
	url    string
	http   *http.Client
	worker sdkworker.Worker
	stop   func()
	smtp   *mailcapture.Server
	mailer *notify.Mailer
	loaded []string // participant IDs created through the API
}

func (b *run) newMailer() (*notify.Mailer, error) {
	host, port, _ := net.SplitHostPort(b.smtp.Addr())
	p, _ := strconv.Atoi(port)
	return notify.NewMailer(notify.SMTP{Host: host, Port: p, TLS: "none", From: "traject@ocmw.example"})
}

// emptyWorkflow is the bare start the trajectory starts are compared with.
func emptyWorkflow(workflow.Context) error { return nil }

const emptyWorkflowName = "BenchEmpty"

func (b *run) setup(ctx context.Context) error {
	stamp := time.Now().UnixNano()
	b.queue = fmt.Sprintf("bench-%d", stamp)
	b.centre = fmt.Sprintf("bench-%d", stamp%1_000_000_000)
	b.coord, b.couns = uuid.NewString(), uuid.NewString()
	st := store.New(b.cfg.DB)
	if err := st.CreateCentre(ctx, store.Centre{ID: b.centre, Name: "Bench", Region: "brussels", Language: "nl"}); err != nil {
		return fmt.Errorf("bench centre: %w", err)
	}
	var err error
	for _, u := range []struct {
		id   *string
		role domain.Role
	}{{&b.coord, domain.RoleCoordinator}, {&b.couns, domain.RoleCounsellor}} {
		name := string(u.role)
		*u.id, err = st.CreateUser(ctx, store.User{CentreID: b.centre, Email: name + "-" + b.centre + "@bench.example", DisplayName: name, Role: u.role, Language: "nl"})
		if err != nil {
			return fmt.Errorf("bench users: %w", err)
		}
	}
	if _, b.token, err = st.CreateToken(ctx, b.coord, "bench"); err != nil {
		return err
	}
	// Notices go to a real SMTP server in this process.
	b.smtp, err = mailcapture.Start("127.0.0.1:0", nil)
	if err != nil {
		return err
	}
	if b.mailer, err = b.newMailer(); err != nil {
		return err
	}
	w := worker.New(b.cfg.Client, b.queue, worker.Dependencies{DB: b.cfg.DB, Mailer: b.mailer}, b.cfg.WorkflowCache)
	w.RegisterWorkflowWithOptions(emptyWorkflow, workflow.RegisterOptions{Name: emptyWorkflowName})
	if err := w.Start(); err != nil {
		return err
	}
	b.worker = w
	cache := b.cfg.WorkflowCache
	if cache <= 0 {
		cache = 10_000
	}
	b.report.WorkerOpts = fmt.Sprintf("sticky workflow cache %d, 1,000 concurrent workflow and activity task slots (SDK defaults), pollers autoscaled 1 to 100 from 5", cache)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.New(api.Options{Logger: slog.New(slog.DiscardHandler), DB: b.cfg.DB, Temporal: b.cfg.Client, TaskQueue: b.queue}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	b.stop = func() { _ = srv.Close(); w.Stop(); _ = b.smtp.Close() }
	b.url = "http://" + ln.Addr().String()
	b.http = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: time.Minute}
	raw, err := b.call("POST", "/v1/hosts", map[string]any{"name": "Bench host", "positions": []map[string]any{{"function": "driver", "positions": 10000}}})
	if err != nil {
		return err
	}
	var h struct{ ID string }
	_ = json.Unmarshal(raw, &h)
	b.hostID = h.ID
	return nil
}

func (b *run) teardown() { b.stop() }

func (b *run) call(method, path string, body any) ([]byte, error) {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.url+path, reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return out, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	return out, nil
}

// parallel runs fn(i) for i in [0, n) on the configured number of clients
// and returns the first error.
func (b *run) parallel(n int, fn func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range b.cfg.Concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

var serial atomic.Int64

func (b *run) participant() map[string]any {
	// The centre is new each run; a national number begins with the
	// birth date, so 990 people share each day from 1960 on.
	n := int(serial.Add(1))
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/990)
	base, _ := strconv.Atoi(birth.Format("060102") + fmt.Sprintf("%03d", n%990+1))
	return map[string]any{
		"given_name": "Bench", "family_name": strconv.Itoa(n), "birth_date": birth.Format(time.DateOnly), "language": "nl",
		"national_number":        fmt.Sprintf("%09d%02d", base, 97-base%97),
		"counsellor_id":          b.couns,
		"leefloon_decision_date": time.Now().Format(time.DateOnly),
	}
}

// starts creates the participants through the API, each until its
// workflow has written the read model, against bare starts of an empty
// workflow, each until it ran, with the same number of clients.
func (b *run) starts(ctx context.Context) error {
	n := b.cfg.Participants
	// Each bare start is waited on until its workflow ran, as a trajectory
	// start is until its workflow wrote the read model.
	bareStarts := func(from, count int) error {
		return b.parallel(count, func(i int) error {
			run, err := b.cfg.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: fmt.Sprintf("%s-empty-%d", b.queue, from+i), TaskQueue: b.queue,
			}, emptyWorkflowName)
			if err != nil {
				return err
			}
			return run.Get(ctx, nil)
		})
	}
	// A freshly started server is still taking its shards: warm it up.
	if err := bareStarts(n, min(n, 200)); err != nil {
		return fmt.Errorf("warm-up starts: %w", err)
	}
	start := time.Now()
	if err := bareStarts(0, n); err != nil {
		return fmt.Errorf("bare starts: %w", err)
	}
	bare := float64(n) / time.Since(start).Seconds()

	b.loaded = make([]string, n)
	start = time.Now()
	err := b.parallel(n, func(i int) error {
		raw, err := b.call("POST", "/v1/participants", b.participant())
		if err != nil {
			return err
		}
		var p struct{ ID string }
		_ = json.Unmarshal(raw, &p)
		b.loaded[i] = p.ID
		return nil
	})
	if err != nil {
		return fmt.Errorf("trajectory starts: %w", err)
	}
	answered := time.Since(start)
	if err := b.waitRows(ctx, n, store.TrajectoryCount{}); err != nil {
		return err
	}
	rate := float64(n) / time.Since(start).Seconds()
	b.add(Figure{Name: fmt.Sprintf("trajectory starts (API to read model, %d)", n), Value: rate, Unit: "starts/s", Limit: bare,
		Note: fmt.Sprintf("limit: bare starts of an empty workflow until it ran, %d clients; the API had answered every request after %.1f s", b.cfg.Concurrency, answered.Seconds())})
	return nil
}

// waitRows waits until the bench centre's trajectories narrowed by c count
// want.
func (b *run) waitRows(ctx context.Context, want int, c store.TrajectoryCount) error {
	return b.waitCount(ctx, want, func() (int, error) {
		c.CentreID = b.centre
		return store.New(b.cfg.DB).CountTrajectories(ctx, c)
	})
}

// waitCount waits until count answers want.
func (b *run) waitCount(ctx context.Context, want int, count func() (int, error)) error {
	for {
		n, err := count()
		if err != nil {
			return err
		}
		if n >= want {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// fullLife drives one participant facilitator -> work -> article60 ->
// post_article60 -> closed and counts its history.
func (b *run) fullLife(ctx context.Context) error {
	raw, err := b.call("POST", "/v1/participants", b.participant())
	if err != nil {
		return err
	}
	var p struct{ ID string }
	_ = json.Unmarshal(raw, &p)
	base := "/v1/participants/" + p.ID
	for _, step := range []struct {
		path string
		body map[string]any
	}{
		{"/transitions", map[string]any{"to": "facilitator"}},
		{"/transitions", map[string]any{"to": "work"}},
		// started 1000 days ago: even the longest working-days rule is over, so
		// the contract ends at once, by its own timer
		{"/transitions", map[string]any{"to": "article60", "contract": map[string]any{
			"host_id": b.hostID, "function": "driver", "regime": "full_time", "start": time.Now().AddDate(0, 0, -1000).Format(time.DateOnly)}}},
	} {
		if _, err := b.call("POST", base+step.path, step.body); err != nil {
			return err
		}
	}
	if err := b.waitRows(ctx, 1, store.TrajectoryCount{ParticipantID: p.ID, Phase: "post_article60"}); err != nil {
		return err
	}
	if _, err := b.call("POST", base+"/follow-up/outcome", map[string]any{"outcome": "regular_job"}); err != nil {
		return err
	}
	id := workflows.WorkflowID(p.ID)
	run := b.cfg.Client.GetWorkflow(ctx, id, "")
	if err := run.Get(ctx, nil); err != nil {
		return fmt.Errorf("full life: %w", err)
	}
	events := 0
	it := b.cfg.Client.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			return err
		}
		events++
	}
	largest := events
	for _, pid := range sample(b.loaded, 200) {
		d, err := b.cfg.Client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(pid), "")
		if err != nil {
			return err
		}
		largest = max(largest, int(d.WorkflowExecutionInfo.HistoryLength))
	}
	b.add(Figure{Name: "history events, one full life", Value: float64(events), Unit: "events", Limit: 40,
		Note: "facilitator, work, article60, post_article60, closed; limit: the target"})
	b.add(Figure{Name: "largest history seen", Value: float64(largest), Unit: "events", Note: "the life and 200 loaded trajectories"})
	return nil
}

func sample(ids []string, n int) []string {
	if len(ids) <= n {
		return ids
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, ids[i*len(ids)/n])
	}
	return out
}

// latency measures dossier reads and transitions one at a time, with the
// participants loaded.
func (b *run) latency(context.Context) error {
	if len(b.loaded) == 0 {
		return nil
	}
	if b.cfg.ReadProfile != nil {
		if err := pprof.StartCPUProfile(b.cfg.ReadProfile); err != nil {
			return err
		}
	}
	// The reads share the process with the embedded server and the
	// worker: their garbage collections are counted, as a cause of the
	// slowest reads.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	reads := make([]time.Duration, 0, b.cfg.Samples)
	for i := range b.cfg.Samples {
		start := time.Now()
		if _, err := b.call("GET", "/v1/participants/"+b.loaded[i%len(b.loaded)], nil); err != nil {
			pprof.StopCPUProfile()
			return err
		}
		reads = append(reads, time.Since(start))
	}
	runtime.ReadMemStats(&after)
	if b.cfg.ReadProfile != nil {
		pprof.StopCPUProfile()
	}
	moves := make([]time.Duration, 0, b.cfg.Samples/3)
	phases := []string{"facilitator", "literacy", "studies"}
	for i := range max(b.cfg.Samples/3, 1) {
		start := time.Now()
		if _, err := b.call("POST", "/v1/participants/"+b.loaded[i%len(b.loaded)]+"/transitions", map[string]any{"to": phases[(i/len(b.loaded))%3]}); err != nil {
			return err
		}
		moves = append(moves, time.Since(start))
	}
	loaded := fmt.Sprintf("%d participants loaded", len(b.loaded))
	b.add(Figure{Name: "dossier read p50", Value: ms(pct(reads, 50)), Unit: "ms", Note: loaded})
	b.add(Figure{Name: "dossier read p99", Value: ms(pct(reads, 99)), Unit: "ms", Limit: 5, Note: "limit: the target"})
	b.add(Figure{Name: "garbage collections while reading", Value: float64(after.NumGC - before.NumGC), Unit: "",
		Note: fmt.Sprintf("%d reads, %.1f ms stopped, heap %d MiB", len(reads), float64(after.PauseTotalNs-before.PauseTotalNs)/1e6, after.HeapAlloc>>20)})
	b.add(Figure{Name: "transition p50 (update with validator)", Value: ms(pct(moves, 50)), Unit: "ms", Note: loaded})
	b.add(Figure{Name: "transition p99", Value: ms(pct(moves, 99)), Unit: "ms", Limit: 50, Note: "limit: the target"})
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// bursts starts N trajectories in Article 60 whose contracts all end at the
// same instant, then times how long until every one is in post_article60
// in the read model with its notices handled.
func (b *run) bursts(ctx context.Context) error {
	for _, n := range b.cfg.Bursts {
		if err := b.burst(ctx, n); err != nil {
			return fmt.Errorf("burst of %d: %w", n, err)
		}
	}
	return nil
}

func (b *run) burst(ctx context.Context, n int) error {
	tag := fmt.Sprintf("burst-%d-%d", n, time.Now().UnixNano())
	ids, err := store.New(b.cfg.DB).InsertTaggedParticipants(ctx, b.centre, tag, n)
	if err != nil {
		return err
	}
	// Start them like runs after continue-as-new, already in Article 60,
	// all ending at the same instant, far enough ahead to start them all.
	rate := 100.0
	if f := b.figure("trajectory starts"); f != nil && f.Limit > 0 {
		rate = f.Limit
	}
	end := time.Now().Add(time.Duration(float64(n)/rate*1.5*float64(time.Second)) + 10*time.Second).Truncate(time.Second)
	err = b.parallel(n, func(i int) error {
		state := workflows.State{
			ParticipantID: ids[i], CentreID: b.centre, CounsellorID: b.couns, LeefloonDecisionDate: time.Now(),
			Phase: workflows.PhaseArticle60, PhaseSince: time.Now(), Version: 1,
			Contract:  &workflows.Contract{HostID: b.hostID, Function: "driver", Regime: "full_time", Start: end.AddDate(-1, 0, 0), End: end, RequiredDays: 312, DaysPerWeek: 6},
			Deadlines: workflows.Deadlines{{ID: "a60.end", Kind: workflows.KindContractEnd, Due: end, Actor: domain.ActorCoordinator}},
		}
		_, err := b.cfg.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.WorkflowID(ids[i]), TaskQueue: b.queue},
			workflows.TrajectoryWorkflowName, workflows.TrajectoryInput{ParticipantID: ids[i], CentreID: b.centre, Resume: &state, Logic: workflows.CurrentLogic})
		return err
	})
	if err != nil {
		return err
	}
	late := time.Since(end)
	if wait := time.Until(end); wait > 0 {
		time.Sleep(wait)
	}
	wctx, cancel := context.WithDeadline(ctx, end.Add(b.cfg.BurstTimeout))
	defer cancel()
	ended := store.TrajectoryCount{CentreID: b.centre, Tag: tag, Phase: "post_article60"}
	err = b.waitRows(wctx, n, ended)
	if err == nil {
		err = b.waitCount(wctx, n, func() (int, error) { return store.New(b.cfg.DB).CountQuiet(wctx, b.centre, tag) })
	}
	if err != nil && ctx.Err() == nil {
		done, qerr := store.New(b.cfg.DB).CountTrajectories(ctx, ended)
		if qerr != nil {
			return qerr
		}
		b.add(Figure{Name: fmt.Sprintf("timer burst: %d contracts ending at once", n), Value: b.cfg.BurstTimeout.Seconds(), Unit: "s", Limit: 60,
			Note: fmt.Sprintf("not drained: %d of %d in post_article60 after %s (%.1f a second)", done, n, b.cfg.BurstTimeout, float64(done)/b.cfg.BurstTimeout.Seconds())})
		return nil
	}
	if err != nil {
		return err
	}
	drained := time.Since(end)
	note := "until all in post_article60 in the read model and their notices sent"
	if late > 0 {
		note += fmt.Sprintf("; starting them ran %s past the instant", late.Round(time.Second))
	}
	b.add(Figure{Name: fmt.Sprintf("timer burst: %d contracts ending at once", n), Value: drained.Seconds(), Unit: "s", Limit: 60, Note: note})
	return nil
}

func (b *run) figure(prefix string) *Figure {
	for i := range b.report.Figures {
		if strings.HasPrefix(b.report.Figures[i].Name, prefix) {
			return &b.report.Figures[i]
		}
	}
	return nil
}

// memory reads this process's resident set: the worker and the API, and
// the embedded server when there is one.
func (b *run) memory(ctx context.Context) error {
	if len(b.cfg.OpenAt) == 0 {
		return b.readMemory(ctx)
	}
	for _, n := range b.cfg.OpenAt {
		if err := b.openUntil(ctx, n); err != nil {
			return err
		}
		if err := b.readMemory(ctx); err != nil {
			return err
		}
	}
	return nil
}

// openUntil starts new trajectories, straight through the client, until n
// are open in the bench's centre, and waits until each has written its
// read model.
func (b *run) openUntil(ctx context.Context, n int) error {
	open, err := b.open(ctx)
	if err != nil || open >= n {
		return err
	}
	tag := fmt.Sprintf("open-%d-%d", n, time.Now().UnixNano())
	ids, err := store.New(b.cfg.DB).InsertTaggedParticipants(ctx, b.centre, tag, n-open)
	if err != nil {
		return err
	}
	start := time.Now()
	err = b.parallel(len(ids), func(i int) error {
		in := workflows.TrajectoryInput{ParticipantID: ids[i], CentreID: b.centre, CounsellorID: b.couns, LeefloonDecisionDate: time.Now(), Logic: workflows.CurrentLogic}
		_, err := b.cfg.Client.ExecuteWorkflow(ctx, workflows.StartOptions(in, b.queue), workflows.TrajectoryWorkflowName, in)
		return err
	})
	if err != nil {
		return err
	}
	if err := b.waitRows(ctx, n, store.TrajectoryCount{OpenOnly: true}); err != nil {
		return err
	}
	b.cfg.Logger.Info("trajectories opened", "open", n, "started", len(ids), "took", time.Since(start).Round(time.Second))
	return nil
}

func (b *run) open(ctx context.Context) (int, error) {
	return store.New(b.cfg.DB).CountTrajectories(ctx, store.TrajectoryCount{CentreID: b.centre, OpenOnly: true})
}

func (b *run) readMemory(ctx context.Context) error {
	open, err := b.open(ctx)
	if err != nil {
		return err
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.add(Figure{Name: fmt.Sprintf("process RSS with %d open trajectories", open), Value: float64(rss()) / (1 << 20), Unit: "MiB",
		Note: fmt.Sprintf("Go heap in use %.0f MiB; %s", float64(m.HeapInuse)/(1<<20), b.cfg.Server)})
	return nil
}

// rss is the resident set size in bytes, from /proc (Linux).
func rss() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// mail sends rendered notices to an in-process SMTP server, 50 to a
// connection as the outbox does.
func (b *run) mail(ctx context.Context) error {
	if b.cfg.Mails <= 0 {
		return nil
	}
	m, err := b.newMailer()
	if err != nil {
		return err
	}
	tmpl, err := notify.LoadTemplates()
	if err != nil {
		return err
	}
	msg, err := tmpl.Render("gpmi_sign_reminder", "counsellor", "nl", notify.Data{Participant: "Bench", Centre: "Bench", Due: "2 februari 2027"})
	if err != nil {
		return err
	}
	start := time.Now()
	for sent := 0; sent < b.cfg.Mails; sent += 50 {
		envs := make([]notify.Envelope, min(50, b.cfg.Mails-sent))
		for i := range envs {
			envs[i] = notify.Envelope{To: "an@ocmw.example", Message: msg, MessageID: fmt.Sprintf("%d@bench", sent+i)}
		}
		for _, err := range m.Send(ctx, envs) {
			if err != nil {
				return err
			}
		}
	}
	b.add(Figure{Name: "e-mails to a local SMTP server", Value: float64(b.cfg.Mails) / time.Since(start).Seconds(), Unit: "msgs/s",
		Note: "rendered nl notices, 50 per connection, in-process SMTP server"})
	return nil
}

// machine describes the host for the report.
func machine() string {
	cpu := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	var mem string
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		line, _, _ := strings.Cut(string(raw), "\n")
		kb, _ := strconv.ParseInt(strings.Fields(line + " 0 0")[1], 10, 64)
		mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
	}
	return fmt.Sprintf("%d cores, %s%s, %s", runtime.NumCPU(), cpu, mem, runtime.Version())
}
