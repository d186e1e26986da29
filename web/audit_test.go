package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// The audit log shows each entry's time to the second in the centre's
// time zone, and downloads as CSV what its filters find: in the page's
// language (readable headers, actions in words), a dossier by its number
// and never its ID or its person's name, for administrators only, each
// download itself in the log.
func TestAuditDownload(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	adminID := seedAdmin(t, st, fx.CentreID)
	mine := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Fatou")
	other := seedDeadlines(t, st, fx.CentreID, fx.Counsellor2ID, "Youssef")
	number := dossierNumber(t, st, mine)
	entry := func(actor string, role domain.Role, action, object, outcome string) int64 {
		t.Helper()
		id, err := st.Audit(ctx, store.Access{CentreID: fx.CentreID, ActorID: actor, ActorRole: string(role), Action: action,
			ObjectType: "participant", ObjectID: object, Outcome: outcome})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// An read the dossier on 1 July 2026 at 10:15:42 UTC: 12:15:42 in
	// Brussels (summer time), 11:15:42 in London.
	read := entry(fx.CounsellorID, domain.RoleCounsellor, "read_dossier", mine, "ok")
	if _, err := db.Exec(ctx, `UPDATE audit_log SET at = '2026-07-01T10:15:42Z' WHERE id = $1`, read); err != nil {
		t.Fatal(err)
	}
	entry(fx.CoordinatorID, domain.RoleCoordinator, "read_notes", mine, "ok")
	entry(fx.Counsellor2ID, domain.RoleCounsellor, "read_dossier", mine, "refused")
	entry(fx.Counsellor2ID, domain.RoleCounsellor, "read_dossier", other, "ok")
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	ada := newBrowserSignedIn(t, h, adminID)

	// The page: seconds, and a link that carries its filters.
	status, page, _ := ada.do("GET", "/admin/audit?object="+number+"&actor="+fx.CounsellorID, nil)
	rows := auditRows(page)
	if status != http.StatusOK || !strings.Contains(rows, "<td>01/07/2026 12:15:42</td>") {
		t.Errorf("the page's time, to the second in Brussels: %d\n%s", status, rows)
	}
	link := regexp.MustCompile(`<a href="(/admin/audit\.csv[^"]*)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("no download link:\n%s", page)
	}
	href, _ := url.Parse(html.UnescapeString(link[1]))
	if q := href.Query(); q.Get("object") != number || q.Get("actor") != fx.CounsellorID || len(q) != 2 {
		t.Errorf("the link's filters: %s", href)
	}

	download := func(b *browser, query string) (int, [][]string, http.Header, string) {
		t.Helper()
		status, body, header := b.do("GET", "/admin/audit.csv"+query, nil)
		if status != http.StatusOK {
			return status, nil, header, body
		}
		if !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\ufeff") {
			t.Fatalf("%s: %s, without a byte order mark?\n%q", query, header.Get("Content-Type"), body)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		records, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v\n%s", query, err, body)
		}
		return status, records, header, body
	}

	// The link's download: the filtered row alone, as the page words it.
	status, records, header, body := download(ada, "?"+href.RawQuery)
	want := [][]string{
		{"Datum en uur (Europe/Brussels)", "Gebruiker", "Rol", "Handeling", "Over", "Uitkomst"},
		{"01/07/2026 12:15:42", "An", "trajectbegeleider", "dossier bekeken", "dossier: nr. " + number, "gelukt"},
	}
	if status != http.StatusOK || !equalRecords(records, want) {
		t.Errorf("the download by dossier and user: %d\n%q\nwant\n%q", status, records, want)
	}
	if d := header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="traject-auditlog-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(d) {
		t.Errorf("Content-Disposition: %q", d)
	}
	if strings.Contains(body, mine) || strings.Contains(body, "Fatou") || strings.Contains(body, "read_dossier") {
		t.Errorf("the download shows a dossier's ID, a name or a code:\n%s", body)
	}
	// Every filter: the dossier's entries (not the other dossier's), the
	// refusals alone, one action, one day (Brussels' day).
	for _, c := range []struct {
		query string
		rows  int
		check func(row []string) bool
	}{
		{"?object=" + number, 3, func(row []string) bool { return row[4] == "dossier: nr. "+number }},
		{"?outcome=refused", 1, func(row []string) bool { return row[1] == "Bram" && row[5] == "geweigerd" }},
		{"?action=read_notes", 1, func(row []string) bool { return row[1] == "Chris" && row[3] == "notities bekeken" }},
		{"?from=2026-07-01&to=01/07/2026", 1, func(row []string) bool { return row[0] == "01/07/2026 12:15:42" }},
	} {
		status, records, _, _ := download(ada, c.query)
		if status != http.StatusOK || len(records) != c.rows+1 {
			t.Errorf("%s: %d, %d rows, want %d:\n%q", c.query, status, len(records)-1, c.rows, records)
			continue
		}
		for _, row := range records[1:] {
			if !c.check(row) {
				t.Errorf("%s: %q", c.query, row)
			}
		}
	}
	// A wrong filter answers the page with the problem at its field.
	if status, page, header := ada.do("GET", "/admin/audit.csv?from=31/02/2026", nil); status != http.StatusBadRequest ||
		!strings.HasPrefix(header.Get("Content-Type"), "text/html") || !strings.Contains(page, `id="a-from-error"`) {
		t.Errorf("a bad day: %d %s\n%s", status, header.Get("Content-Type"), page)
	}

	// Every download is in the log, by Ada; and the log says so in words.
	downloads, err := st.AuditSearch(ctx, fx.CentreID, store.AuditQuery{Action: "export_audit", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(downloads) != 5 {
		t.Errorf("%d downloads in the log, want 5: %+v", len(downloads), downloads)
	}
	for _, d := range downloads {
		if d.ActorID == nil || *d.ActorID != adminID || d.Outcome != "ok" || d.ObjectType != "centre" {
			t.Errorf("a download's entry: %+v", d.AuditEntry)
		}
	}
	if _, page, _ := ada.do("GET", "/admin/audit?action=export_audit", nil); !strings.Contains(auditRows(page), "<td>auditlog gedownload</td>") {
		t.Errorf("the downloads on the page:\n%s", auditRows(page))
	}

	// In French: the headers, the actions and the outcome in French.
	if status, _, _ := ada.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/admin/audit"}}); status != http.StatusSeeOther {
		t.Fatalf("language: %d", status)
	}
	status, records, header, _ = download(ada, "?"+href.RawQuery)
	want = [][]string{
		{"Date et heure (Europe/Brussels)", "Utilisateur", "Rôle", "Action", "Concerne", "Résultat"},
		{"01/07/2026 12:15:42", "An", "accompagnateur", "dossier consulté", "dossier\u00a0: n°\u00a0" + number, "réussi"},
	}
	if status != http.StatusOK || !equalRecords(records, want) || !strings.Contains(header.Get("Content-Disposition"), `filename="traject-journal-audit-`) {
		t.Errorf("in French: %d %s\n%q\nwant\n%q", status, header.Get("Content-Disposition"), records, want)
	}

	// Nobody else downloads it, and each refusal is in the log.
	for _, who := range []string{fx.CounsellorID, fx.CoordinatorID, fx.BCSDID} {
		b := newBrowserSignedIn(t, h, who)
		if status, body, header := b.do("GET", "/admin/audit.csv", nil); status != http.StatusForbidden || strings.HasPrefix(header.Get("Content-Type"), "text/csv") {
			t.Errorf("%s: %d %s\n%s", who, status, header.Get("Content-Type"), body)
		}
		refused, err := st.AuditSearch(ctx, fx.CentreID, store.AuditQuery{ObjectID: "/admin/audit.csv", ActorID: who, Outcome: "refused", Limit: 10})
		if err != nil || len(refused) != 1 {
			t.Errorf("%s's refusal in the log: %v %+v", who, err, refused)
		}
	}

	// The centre's time zone is its policy's.
	pol := policy.Default()
	pol.TimeZone = "Europe/London"
	if _, err := st.SavePolicy(ctx, fx.CentreID, pol, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	if _, page, _ := ada.do("GET", "/admin/audit?object="+number+"&actor="+fx.CounsellorID, nil); !strings.Contains(auditRows(page), "<td>01/07/2026 11:15:42</td>") {
		t.Errorf("the time in London:\n%s", auditRows(page))
	}
	if _, records, _, _ := download(ada, "?"+href.RawQuery); len(records) != 2 || records[0][0] != "Date et heure (Europe/London)" || records[1][0] != "01/07/2026 11:15:42" {
		t.Errorf("the download in London: %q", records)
	}

	// More entries than one download holds: the page asks for fewer.
	if _, err := db.Exec(ctx, `INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, outcome)
		SELECT $1, $2::uuid, 'counsellor', 'read_work', 'centre', $1, 'ok' FROM generate_series(1, 50001)`, fx.CentreID, fx.CounsellorID); err != nil {
		t.Fatal(err)
	}
	if status, page, header := ada.do("GET", "/admin/audit.csv?action=read_work", nil); status != http.StatusUnprocessableEntity ||
		!strings.HasPrefix(header.Get("Content-Type"), "text/html") || !strings.Contains(page, `id="a-download-error"`) || !strings.Contains(page, "50.000") {
		t.Errorf("too many entries: %d %s\n%s", status, header.Get("Content-Type"), page)
	}
	if status, records, _, _ := download(ada, "?action=read_work&actor="+fx.Counsellor2ID); status != http.StatusOK || len(records) != 1 {
		t.Errorf("a filter that finds none: %d %q", status, records)
	}
}

func equalRecords(got, want [][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") {
			return false
		}
	}
	return true
}
