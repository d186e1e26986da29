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
)

// A coordinator adds a host organisation (a bad function code first,
// refused at its field), sees its positions and occupancy, changes its
// staff count, and cannot archive a host while a contract runs there. A
// counsellor reads the list and changes nothing.
func TestHostsPage(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)
	add := url.Values{"name": {"Kringwinkel Zenne"}, "address": {"Zennestraat 1, 1000 Brussel"}, "email": {"hr@kringwinkel.example"}, "language": {"nl"},
		"staff": {"40"}, "function-0": {"Winkel hulp"}, "positions-0": {"3"}, "function-1": {""}, "positions-1": {""}}
	status, page, _ := chris.do("POST", "/hosts", add)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="host-new-function-0-error"`) || !strings.Contains(page, `value="Kringwinkel Zenne"`) {
		t.Fatalf("a bad function code: %d\n%s", status, page)
	}
	add.Set("function-0", "shop_help")
	add.Set("social_economy", "1")
	if status, _, _ := chris.do("POST", "/hosts", add); status != http.StatusSeeOther {
		t.Fatalf("add: %d", status)
	}
	hosts, _ := st.Hosts(ctx, fx.CentreID, "")
	var host store.Host
	for _, x := range hosts {
		if x.Name == "Kringwinkel Zenne" {
			host = x
		}
	}
	if host.ID == "" || host.Address == nil || *host.Address != "Zennestraat 1, 1000 Brussel" || len(host.Positions) != 1 || host.Positions[0].Positions != 3 || !host.SocialEconomy {
		t.Fatalf("the host as stored: %+v", host)
	}
	_, page, _ = chris.do("GET", "/hosts", nil)
	if !strings.Contains(page, "winkelbediende: 0 van 3 bezet") {
		t.Errorf("the occupancy:\n%s", page)
	}
	// Its form shows it in the social economy, and a list tag says so.
	if !strings.Contains(page, `name="social_economy" value="1" checked>`) || !strings.Contains(page, `Kringwinkel Zenne <span class="tag">sociale economie</span>`) {
		t.Errorf("the host in the social economy:\n%s", page)
	}
	edit := url.Values{"name": {"Kringwinkel Zenne"}, "address": {"Zennestraat 1, 1000 Brussel"}, "language": {"nl"}, "staff": {"12"},
		"function-0": {"shop_help"}, "positions-0": {"3"}}
	if status, _, _ := chris.do("POST", "/hosts/"+host.ID, edit); status != http.StatusSeeOther {
		t.Fatalf("edit: %d", status)
	}
	if hs, _ := st.Hosts(ctx, fx.CentreID, host.ID); hs[0].Staff == nil || *hs[0].Staff != 12 || hs[0].SocialEconomy {
		t.Errorf("the staff count did not change, or the unticked box left the host in the social economy: %+v", hs[0])
	}

	// A contract running at the host: archiving is refused.
	id := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Worker")
	if err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: id + "/2", ParticipantID: id, CentreID: fx.CentreID, OccurredAt: time.Now(), Kind: "phase_changed",
		Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + id, Phase: "article60", PhaseSince: time.Now(), CounsellorID: fx.CounsellorID, Version: 2,
			HostID: host.ID, HostFunction: "shop_help"}}); err != nil {
		t.Fatal(err)
	}
	status, page, _ = chris.do("POST", "/hosts/"+host.ID+"/archive", url.Values{})
	if status != http.StatusConflict || !strings.Contains(page, "lopende artikel 60-contracten") {
		t.Errorf("archiving a busy host: %d\n%s", status, page)
	}
	if _, page, _ = chris.do("GET", "/hosts", nil); !strings.Contains(page, "winkelbediende: 1 van 3 bezet") {
		t.Errorf("the occupancy with a running contract:\n%s", page)
	}

	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	if _, page, _ = an.do("GET", "/hosts", nil); !strings.Contains(page, "Kringwinkel Zenne") || strings.Contains(page, `action="/hosts/`+host.ID+`"`) {
		t.Errorf("the counsellor's list shows no host or a form")
	}
	if status, _, _ := an.do("POST", "/hosts/"+host.ID, edit); status != http.StatusForbidden {
		t.Errorf("a counsellor's edit: %d", status)
	}
}
