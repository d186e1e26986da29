package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// The agenda lists a hearing under its date with its invitation and the
// earliest date the policy's minimum notice allows (8 days by default),
// and flags one planned sooner; a counsellor gets no agenda.
func TestAgendaFlagsShortNotice(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	for i, c := range []struct {
		name             string
		invited, hearing time.Time
	}{
		{"Ruim", now.AddDate(0, 0, -10), now.AddDate(0, 0, 3)},
		{"Krap", now.AddDate(0, 0, -1), now.AddDate(0, 0, 3)},
	} {
		id := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, c.name)
		pid := workflows.SanctionWorkflowID(id, 1)
		state := workflows.SanctionState{SanctionInput: workflows.SanctionInput{ProcedureID: pid, ParticipantID: id, CentreID: fx.CentreID},
			Stage: workflows.StageHearingScheduled, InvitedOn: &c.invited, HearingOn: &c.hearing, Version: 2}
		if err := st.RecordTimelineEvent(ctx, domain.TimelineEvent{EventKey: pid + "/2", ParticipantID: id, CentreID: fx.CentreID, OccurredAt: now,
			Kind: "hearing_scheduled", Data: map[string]any{"procedure_id": pid},
			Procedure: &domain.ProcedureSnapshot{ProcedureID: pid, Stage: "hearing_scheduled", HearingAt: &c.hearing, Version: int64(2 + i), State: state}}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	_, page, _ := newBrowserSignedIn(t, h, fx.BCSDID).do("GET", "/bcsd", nil)
	row := func(name string) string {
		i := strings.Index(page, name+" Test")
		if i < 0 {
			t.Fatalf("the agenda lacks %s:\n%s", name, page)
		}
		return page[i : i+strings.Index(page[i:], "</tr>")]
	}
	if strings.Contains(row("Ruim"), "te kort na de uitnodiging") {
		t.Error("a hearing with enough notice is flagged")
	}
	if !strings.Contains(row("Krap"), "te kort na de uitnodiging") {
		t.Errorf("a hearing two days after its invitation is not flagged:\n%s", row("Krap"))
	}
	if status, _, _ := newBrowserSignedIn(t, h, fx.CounsellorID).do("GET", "/bcsd", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's agenda: %d", status)
	}
}
