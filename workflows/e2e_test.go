package workflows_test

import (
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

var recordHistories = flag.String("record-histories", "", "write the end-to-end histories to testdata/<workflow>-<this>.json for the replay test")

// seconds is a policy whose follow-up deadlines last seconds.
func seconds(p *policy.Policy) {
	p.PostArticle60 = policy.PostArticle60{
		Length: policy.Seconds(3), CheckInEvery: policy.Seconds(1),
		OutcomeReminders: []policy.Period{policy.Seconds(1)}, OutcomeGrace: policy.Seconds(2),
	}
	p.Sanction.HearingNoticeMin = policy.Seconds(1)
	p.Sanction.HearingReminders = nil
	p.Sanction.DecisionWithin = policy.Seconds(30)
	p.Sanction.NotificationWithin = policy.Seconds(30)
	p.Sanction.AppealWindow = policy.Seconds(2)
	p.Calendar.MoveToWorkingDay = false
}

// One participant's whole life on the real embedded Temporal server and
// real PostgreSQL, with a policy in seconds: facilitator, a BCSD procedure
// that ends without sanction, work, Article 60 (the host records a check, a
// problem and a hiring; a coordinator ends the contract yesterday, so it
// ends by itself; the counsellor records the referral to the employment
// service), post-Article-60 without outcome,
// closed as unknown. The read model and the timeline show every step, and
// no personal data reaches Temporal.
func TestEndToEndOnTheEmbeddedServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := &driver{t: t, db: db, fx: fx}
	d.savePolicy(seconds)

	c := testenv.Client(t)
	smtp := testenv.Mail(t)
	host, port, _ := net.SplitHostPort(smtp.Addr())
	portNumber, _ := strconv.Atoi(port)
	mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: portNumber, TLS: "none", From: "OCMW Traject <traject@ocmw.example>"})
	if err != nil {
		t.Fatal(err)
	}
	queue := "e2e-" + t.Name()
	w := sdkworker.New(c, queue, sdkworker.Options{})
	worker.Register(w, worker.Dependencies{DB: db, Mailer: mailer})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	id := workflows.WorkflowID(fx.ParticipantID)
	in := d.input()
	in.LeefloonDecisionDate = time.Now()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.TrajectoryWorkflowName, in)
	if err != nil {
		t.Fatal(err)
	}
	update := func(workflowID, name string, req any) error {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: workflowID, UpdateName: name, Args: []any{req}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err != nil {
			return err
		}
		return h.Get(ctx, nil)
	}
	must := func(workflowID, name string, req any) {
		t.Helper()
		if err := update(workflowID, name, req); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	coordinator := d.coordinator()
	move := func(to workflows.Phase, contract *workflows.ContractInput) {
		t.Helper()
		must(id, workflows.UpdateTransition, workflows.TransitionRequest{By: coordinator, To: to, Contract: contract})
	}

	move(workflows.PhaseFacilitator, nil)
	err = update(id, workflows.UpdateTransition, workflows.TransitionRequest{By: coordinator, To: workflows.PhasePostArticle60})
	if !strings.Contains(err.Error(), "transition (facilitator, post_article60)") {
		t.Fatalf("refusal through the real server: %v", err)
	}

	// A non-cooperation report, heard and decided without sanction.
	must(id, workflows.UpdateReportNonCooperation, workflows.NonCooperationRequest{By: d.counsellor(), ReportID: "report-1"})
	procedure := workflows.SanctionWorkflowID(fx.ParticipantID, 1)
	now := time.Now()
	must(procedure, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.bcsd(), InvitedOn: now, HearingOn: now.Add(2 * time.Second)})
	must(procedure, workflows.UpdateRecordHearing, workflows.HearingHeldRequest{By: d.bcsd(), Held: true})
	must(procedure, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionNone, DecidedOn: now})
	must(procedure, workflows.UpdateRecordNotification, workflows.NotificationRequest{By: d.bcsd(), NotifiedOn: now})
	waitUntil(t, ctx, "the procedure to close and tell the trajectory", func() bool {
		s := queryState(t, ctx, c, id)
		return s.Sanction.ActiveProcedureID == "" && s.Sanction.Procedures == 1
	})

	move(workflows.PhaseWork, nil)
	// The host records its first check, signals a problem and says it will
	// hire the worker; then a coordinator ends the contract yesterday, so
	// it ends at once.
	move(workflows.PhaseArticle60, &workflows.ContractInput{
		HostID: "host-1", Function: "driver", Regime: "half_time", Start: time.Now().AddDate(0, 0, -10), AgeAtStart: 30,
	})
	hostUser := d.host()
	must(id, workflows.UpdateRecordHostCheck, workflows.HostCheckRequest{By: hostUser, N: 1, HeldOn: time.Now(), Attendance: "good", Skills: "acquired", HiringChance: "likely"})
	must(id, workflows.UpdateSignalProblem, workflows.SignalRequest{By: hostUser, Category: "attendance", SignalID: "signal-1"})
	must(id, workflows.UpdateRecordHiring, workflows.HiringRequest{By: hostUser, Start: time.Now().AddDate(0, 0, 1), Employment: "fixed_term"})
	must(id, workflows.UpdateRecordEmploymentReferral, workflows.EmploymentReferralRequest{By: d.counsellor(), Service: "vdab", ReferredOn: time.Now(), ReferralID: "referral-1"})
	must(id, workflows.UpdateChangeContractEnd, workflows.ChangeContractEndRequest{By: coordinator, End: time.Now().AddDate(0, 0, -1), ReasonCode: "hired_early"})
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("trajectory: %v", err)
	}

	final := queryState(t, ctx, c, id)
	if final.Phase != workflows.PhaseClosed || final.Outcome != workflows.OutcomeUnknown {
		t.Errorf("final state %s / %s, want closed / unknown", final.Phase, final.Outcome)
	}

	// The read model equals the workflow's own final state.
	var phase, outcome string
	var version int64
	if err := db.QueryRow(ctx, `SELECT phase, outcome, version FROM trajectories WHERE participant_id = $1`, fx.ParticipantID).Scan(&phase, &outcome, &version); err != nil {
		t.Fatal(err)
	}
	if phase != "closed" || outcome != "unknown" || version != final.Version {
		t.Errorf("read model %s/%s v%d, workflow closed/unknown v%d", phase, outcome, version, final.Version)
	}
	rows, err := db.Query(ctx, `
		SELECT kind, CASE WHEN kind = 'phase_changed' THEN phase_to ELSE '' END
		FROM timeline_events WHERE participant_id = $1 AND seq IS NOT NULL ORDER BY occurred_at, seq, id`, fx.ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds, phases []string
	for rows.Next() {
		var kind, to string
		if err := rows.Scan(&kind, &to); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, kind)
		if to != "" {
			phases = append(phases, to)
		}
	}
	if want := []string{"facilitator", "work", "article60", "post_article60", "closed"}; !slices.Equal(phases, want) {
		t.Errorf("timeline phases %v, want %v", phases, want)
	}
	for _, k := range []string{"trajectory_started", "non_cooperation_reported", "sanction_reported", "hearing_scheduled", "hearing_held", "sanction_decided", "decision_notified", "sanction_final", "sanction_closed", "task_due", "deadline_overdue",
		"host_check_recorded", "problem_signalled", "hiring_recorded", "employment_referral_recorded", "contract_end_changed"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("timeline lacks %s: %v", k, kinds)
		}
	}

	// The letters and alerts really left: each once, in the recipient's
	// language (the participant reads French, the staff Dutch).
	var outboxRows, sent int
	if err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM outbox WHERE recipient_role <> 'host'`).Scan(&outboxRows, &sent); err != nil {
		t.Fatal(err)
	}
	msgs := smtp.Messages()
	if outboxRows == 0 || sent != outboxRows || len(msgs) != sent {
		t.Errorf("outbox: %d rows, %d sent; SMTP received %d", outboxRows, sent, len(msgs))
	}
	subjects := map[string]bool{}
	for _, m := range msgs {
		if subjects[m.MessageID] {
			t.Errorf("message %s arrived twice", m.MessageID)
		}
		subjects[m.MessageID] = true
	}
	var warning, alert bool
	for _, m := range msgs {
		warning = warning || m.To[0] == "fatima.elidrissi@example.be" && strings.HasPrefix(m.Subject, "Avertissement écrit")
		alert = alert || m.To[0] == "chris@ocmw.example" && strings.HasPrefix(m.Subject, "Geen resultaat geregistreerd")
	}
	if !warning || !alert {
		t.Errorf("missing the French warning letter (%v) or the Dutch outcome alert (%v)", warning, alert)
	}

	for _, wf := range []string{id, procedure} {
		h := history(t, ctx, c, wf)
		raw, err := protojson.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		// With the database up, every read-model write is a local activity.
		if writes := scheduledWrites(h); writes > 0 {
			t.Errorf("history of %s schedules %d read-model writes as activities, want none", wf, writes)
		}
		for _, personal := range fx.PersonalData {
			if strings.Contains(string(raw), personal) {
				t.Errorf("history of %s holds personal data %q", wf, personal)
			}
		}
		if *recordHistories != "" {
			name := strings.SplitN(wf, ":", 2)[0] + "-" + *recordHistories + ".json"
			if err := os.WriteFile(filepath.Join("testdata", name), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func queryState(t *testing.T, ctx context.Context, c client.Client, id string) workflows.State {
	t.Helper()
	v, err := c.QueryWorkflow(ctx, id, "", workflows.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var s workflows.State
	if err := v.Get(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func history(t *testing.T, ctx context.Context, c client.Client, id string) *historypb.History {
	t.Helper()
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// scheduledWrites counts the read-model writes a history scheduled as
// ordinary activities, which lean runs do only when a local write failed.
func scheduledWrites(h *historypb.History) int {
	n := 0
	for _, ev := range h.Events {
		if strings.HasPrefix(ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName(), "Record") {
			n++
		}
	}
	return n
}

func waitUntil(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
