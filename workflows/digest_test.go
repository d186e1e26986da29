package workflows_test

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// The digests run from Temporal schedules at the policy's time in the
// centre's zone. Triggered on the embedded server: the counsellor with
// deadlines gets one daily mail listing them (overdue ones marked), the
// counsellor without gets none, the coordinator's weekly mail groups the
// overdue ones by counsellor, and a second run the same day sends nothing.
func TestDigestSchedules(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	now := time.Now()
	state := workflows.State{
		ParticipantID: fx.ParticipantID, CentreID: fx.CentreID, CounsellorID: fx.CounsellorID, Phase: workflows.PhaseArticle60,
		Deadlines: workflows.Deadlines{
			{ID: "gpmi.evaluation.2", Kind: workflows.KindGPMIEvaluation, Due: now.Add(-48 * time.Hour), Passed: true},
			{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.Add(72 * time.Hour)},
			{ID: "a60.end", Kind: workflows.KindContractEnd, Due: now.Add(30 * 24 * time.Hour)},
			{ID: "a60.host_check.1", Kind: workflows.KindHostCheck, Actor: domain.ActorHost, Due: now.Add(24 * time.Hour)},
		},
	}
	st := store.New(db)
	hostID, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, store.User{HostID: hostID, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "fr"}); err != nil {
		t.Fatal(err)
	}
	rm := &activities.ReadModel{Store: store.New(db)}
	if err := rm.RecordEvent(ctx, activities.TimelineEvent{
		EventKey: "seed", ParticipantID: fx.ParticipantID, CentreID: fx.CentreID, OccurredAt: now, Kind: "seed",
		Snapshot: activities.TrajectorySnapshot{WorkflowID: "w", Phase: "article60", PhaseSince: now, CounsellorID: fx.CounsellorID, Version: 1, State: state, HostID: hostID, HostFunction: "kitchen_help"},
	}); err != nil {
		t.Fatal(err)
	}

	smtp := testenv.Mail(t)
	host, port, _ := net.SplitHostPort(smtp.Addr())
	p, _ := strconv.Atoi(port)
	mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: p, TLS: "none", From: "traject@ocmw.example"})
	if err != nil {
		t.Fatal(err)
	}
	c := testenv.Client(t)
	queue := "digest-" + t.Name()
	w := sdkworker.New(c, queue, sdkworker.Options{})
	worker.Register(w, worker.Dependencies{DB: db, Mailer: mailer})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	for range 2 { // the second time updates what the first created
		if err := worker.EnsureSchedules(ctx, c, db, queue); err != nil {
			t.Fatal(err)
		}
	}
	daily := c.ScheduleClient().GetHandle(ctx, workflows.DigestScheduleID(fx.CentreID, "daily"))
	weekly := c.ScheduleClient().GetHandle(ctx, workflows.DigestScheduleID(fx.CentreID, "weekly"))
	hosts := c.ScheduleClient().GetHandle(ctx, workflows.DigestScheduleID("", domain.DigestHost))
	t.Cleanup(func() {
		_ = daily.Delete(context.Background())
		_ = weekly.Delete(context.Background())
		_ = hosts.Delete(context.Background())
		_ = c.ScheduleClient().GetHandle(context.Background(), workflows.RetentionScheduleID).Delete(context.Background())
	})
	desc, err := daily.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spec := desc.Schedule.Spec
	if spec.TimeZoneName != "Europe/Brussels" || len(spec.Calendars) != 1 || spec.Calendars[0].Hour[0].Start != 7 || spec.Calendars[0].Minute[0].Start != 30 {
		t.Errorf("daily schedule spec = %+v", spec)
	}

	if err := daily.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	msgs, err := smtp.WaitFor(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	body := string(msgs[0].Raw)
	if msgs[0].To[0] != "an@ocmw.example" || !strings.Contains(msgs[0].Subject, "Uw termijnen: 3") {
		t.Errorf("daily digest to %v: %q", msgs[0].To, msgs[0].Subject)
	}
	if !strings.Contains(body, "evaluatie van het GPMI") || !strings.Contains(body, "verstreken") || strings.Contains(body, "einde artikel 60") {
		t.Errorf("daily digest lists the wrong deadlines:\n%s", body)
	}

	if err := weekly.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	msgs, err = smtp.WaitFor(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[1].To[0] != "chris@ocmw.example" || !strings.Contains(string(msgs[1].Raw), "An:") {
		t.Errorf("weekly digest to %v:\n%s", msgs[1].To, msgs[1].Raw)
	}

	// The hosts' weekly digest: the host's user, in French, with the
	// worker's centre.
	if err := hosts.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	msgs, err = smtp.WaitFor(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	decoded, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(msgs[2].Raw)))
	if raw := string(decoded); msgs[2].To[0] != "chef@resto.example" || !strings.HasPrefix(msgs[2].Subject, "Vos travailleurs article 60\u00a0: 1 ") ||
		!strings.Contains(raw, "évaluation par le lieu de travail") || !strings.Contains(raw, "OCMW") {
		t.Errorf("the host's digest to %v:\n%s", msgs[2].To, raw)
	}

	if err := daily.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	// Wait until the second daily run finished, then count.
	waitUntil(t, ctx, "the second daily run to finish", func() bool {
		d, err := daily.Describe(ctx)
		return err == nil && len(d.Info.RecentActions) >= 2 && len(d.Info.RunningWorkflows) == 0
	})
	if got := len(smtp.Messages()); got != 3 {
		t.Errorf("%d messages after a second daily run the same day, want still 3 (nothing to Bram, nothing twice)", got)
	}

	// The nightly retention run, from its schedule.
	retention := c.ScheduleClient().GetHandle(ctx, workflows.RetentionScheduleID)
	if err := retention.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	var started string
	waitUntil(t, ctx, "the retention run to start", func() bool {
		d, err := retention.Describe(ctx)
		if err != nil || len(d.Info.RecentActions) == 0 {
			return false
		}
		started = d.Info.RecentActions[0].StartWorkflowResult.WorkflowID
		return true
	})
	var report activities.PurgeReport
	if err := c.GetWorkflow(ctx, started, "").Get(ctx, &report); err != nil {
		t.Fatalf("retention run: %v", err)
	}
}

// A namespace that would keep closed histories longer than a centre keeps
// its dossiers is reported.
func TestNamespaceRetentionCheck(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	c := testenv.Client(t)
	ns := testenv.Temporal(t).Namespace()
	if err := worker.CheckNamespaceRetention(ctx, c, ns, db); err != nil {
		t.Errorf("30 days of histories against ten years of dossiers: %v", err)
	}
	d := &driver{t: t, db: db, fx: fx}
	d.savePolicy(func(p *policy.Policy) { p.Retention.ClosedDossiers = policy.Days(7) })
	if err := worker.CheckNamespaceRetention(ctx, c, ns, db); err == nil || !strings.Contains(err.Error(), "molenbeek") {
		t.Errorf("histories kept longer than a centre's dossiers: %v", err)
	}
}
