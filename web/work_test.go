package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// seedProcedure writes a BCSD procedure's read model for a dossier, as its
// workflow would: stage reported (no hearing yet) or hearing scheduled.
func seedProcedure(t testing.TB, st *store.Store, centre, participant string, hearing *time.Time) string {
	t.Helper()
	pid := workflows.SanctionWorkflowID(participant, 1)
	state := workflows.SanctionState{SanctionInput: workflows.SanctionInput{ProcedureID: pid, ParticipantID: participant, CentreID: centre},
		Stage: workflows.StageReported, Version: 1}
	snapshot := domain.ProcedureSnapshot{ProcedureID: pid, Stage: string(workflows.StageReported), Version: 1}
	if hearing != nil {
		invited := hearing.AddDate(0, 0, -10)
		state.Stage, state.InvitedOn, state.HearingOn, state.Version = workflows.StageHearingScheduled, &invited, hearing, 2
		y, m, d := hearing.Date()
		state.Deadlines = workflows.Deadlines{{ID: "sanction.hearing", Kind: workflows.KindHearing, Due: time.Date(y, m, d+1, 0, 0, 0, 0, hearing.Location()), Actor: domain.ActorBCSD}}
		snapshot.Stage, snapshot.HearingAt, snapshot.Version = string(workflows.StageHearingScheduled), hearing, 2
	}
	snapshot.State = state
	if err := st.RecordTimelineEvent(context.Background(), domain.TimelineEvent{EventKey: pid + "/seed", ParticipantID: participant, CentreID: centre, OccurredAt: time.Now(),
		Kind: "sanction_reported", Data: map[string]any{"procedure_id": pid}, Procedure: &snapshot}); err != nil {
		t.Fatal(err)
	}
	return pid
}

// My work is each role's to-do list. A dossier has an unsigned GPMI (the
// counsellor's, in three weeks) and a hearing in five days whose
// invitation did not arrive (no e-mail address); another has a procedure
// waiting for its hearing to be scheduled; a third has none. The
// counsellor sees the hearing beside their own deadline, the letter to
// send by post with its reason, and both actors on the dossier; the
// caseload's "counsellor must act" filter keeps the dossier under
// procedure. The BCSD sees only its own steps, the procedure to schedule
// first, and only the dossiers referred to it. The administrator sees the
// undelivered message and is refused the dossier, and the refusal is
// logged.
func TestMyWorkPerRole(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	brussels, _ := time.LoadLocation("Europe/Brussels")
	now := time.Now().In(brussels)
	hearing := time.Date(now.Year(), now.Month(), now.Day()+5, 10, 0, 0, 0, brussels)
	heard := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Gehoord",
		workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.AddDate(0, 0, 21), Actor: domain.ActorCounsellor})
	pid := seedProcedure(t, st, fx.CentreID, heard, &hearing)
	reported := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Gemeld")
	seedProcedure(t, st, fx.CentreID, reported, nil)
	untouched := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Zonderprocedure",
		workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.AddDate(0, 0, 2), Actor: domain.ActorCounsellor})
	msg, _, err := st.QueueMessage(ctx, store.OutboxEntry{Key: pid + "/invite/" + heard, NoticeKey: pid + "/sanction_hearing_invitation/sanction.hearing/participant",
		CentreID: fx.CentreID, ParticipantID: heard, Kind: "sanction_hearing_invitation", Recipient: domain.ActorParticipant, RecipientID: heard, MessageID: "m1@test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MarkFailed(ctx, msg, store.FailureNoAddress, "no e-mail address for this participant"); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	section := func(page, id string) string { return pageSection(t, page, id) }

	counsellor := newBrowserSignedIn(t, h, fx.CounsellorID)
	_, page, _ := counsellor.do("GET", "/", nil)
	if s := section(page, "week"); !strings.Contains(s, "Gehoord Test") || !strings.Contains(s, "hoorzitting houden") || !strings.Contains(s, "het BCSD") {
		t.Errorf("the counsellor's week lacks the hearing and who holds it:\n%s", s)
	}
	if s := section(page, "month"); !strings.Contains(s, "Gehoord Test") || !strings.Contains(s, "GPMI sluiten") {
		t.Errorf("the counsellor's month lacks the GPMI:\n%s", s)
	}
	if s := section(page, "post"); !strings.Contains(s, "Gehoord Test") || !strings.Contains(s, "geen e-mailadres bekend") {
		t.Errorf("the letter to send by post is not listed with its reason:\n%s", s)
	}
	_, page, _ = counsellor.do("GET", "/dossiers/"+heard, nil)
	next := page[strings.Index(page, "next-steps"):]
	next = next[:strings.Index(next, "</ul>")]
	if !strings.Contains(next, "hoorzitting houden") || !strings.Contains(next, "het BCSD") || !strings.Contains(next, "GPMI sluiten") || !strings.Contains(next, "de trajectbegeleider") {
		t.Errorf("the dossier's next steps do not name both actors:\n%s", next)
	}
	if !strings.Contains(section(page, "mail"), "geen e-mailadres bekend") {
		t.Error("the dossier's mail does not say why the invitation did not arrive")
	}
	_, page, _ = counsellor.do("GET", "/caseload?next_actor=counsellor", nil)
	if !strings.Contains(page, "Gehoord") || !strings.Contains(page, "Zonderprocedure") {
		t.Errorf("the counsellor's filter misses a dossier with a procedure or without:\n%s", page)
	}

	bcsd := newBrowserSignedIn(t, h, fx.BCSDID)
	_, page, _ = bcsd.do("GET", "/", nil)
	if s := section(page, "schedule"); !strings.Contains(s, "Gemeld Test") {
		t.Errorf("the BCSD's hearings to schedule lack the reported procedure:\n%s", s)
	}
	if s := section(page, "week"); !strings.Contains(s, "Gehoord Test") || strings.Contains(s, "GPMI") {
		t.Errorf("the BCSD's week lacks its hearing or holds the counsellor's GPMI:\n%s", s)
	}
	if strings.Contains(page, "Zonderprocedure") {
		t.Error("the BCSD sees a dossier without a procedure in My work")
	}
	_, page, _ = bcsd.do("GET", "/bcsd", nil)
	if !strings.Contains(page, "uitnodiging niet bezorgd") {
		t.Errorf("the agenda does not flag the invitation that did not arrive:\n%s", page)
	}
	if status, _, _ := bcsd.do("GET", "/dossiers/"+untouched, nil); status != http.StatusNotFound {
		t.Errorf("the BCSD opens a dossier without a procedure: %d", status)
	}
	if status, _, _ := bcsd.do("GET", "/dossiers/"+heard, nil); status != http.StatusOK {
		t.Errorf("the BCSD cannot open a dossier referred to it: %d", status)
	}
	_, page, _ = bcsd.do("GET", "/caseload?"+url.Values{"next_actor": {"bcsd"}}.Encode(), nil)
	if !strings.Contains(page, "Gehoord") || !strings.Contains(page, "Gemeld") || strings.Contains(page, "Zonderprocedure") {
		t.Errorf("the BCSD's caseload:\n%s", page)
	}

	adminID := seedAdmin(t, st, fx.CentreID)
	admin := newBrowserSignedIn(t, h, adminID)
	_, page, _ = admin.do("GET", "/", nil)
	if s := section(page, "failed"); !strings.Contains(s, "geen e-mailadres bekend") || strings.Contains(s, "Gehoord") {
		t.Errorf("the administrator's undelivered messages (without names):\n%s", s)
	}
	if status, _, _ := admin.do("GET", "/dossiers/"+heard, nil); status != http.StatusForbidden {
		t.Errorf("the administrator opens a dossier: %d", status)
	}
	var refused int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND object_id = $2 AND outcome = 'refused'`, adminID, heard).Scan(&refused); err != nil || refused != 1 {
		t.Errorf("%d refusals logged (%v)", refused, err)
	}
}
