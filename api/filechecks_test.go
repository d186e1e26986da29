package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/xuri/excelize/v2"

	"github.com/traject-ocmw/traject/testenv"
)

func init() {
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// TestFilesAtRiskThroughTheAPI seeds a dossier for each case the file check
// judges and reads the centre's files at risk: which dossiers, which
// elements in which state, the counts, the filters, the CSV and the XLSX
// (read back), and the refusals.
func TestFilesAtRiskThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	d := testenv.SeedFileChecks(t, a.db, a.fx)
	want := map[string]string{ // dossier: its elements at risk
		d.SignedLate:       "gpmi_signed=late",
		d.TwoEvaluations:   "evaluations=late,extension_motivation=missing", // signed 420 days ago, never extended
		d.OneFaceToFace:    "face_to_face=late,extension_motivation=missing",
		d.ExemptUnreviewed: "exemption_review=late",
		d.SignDueSoon:      "needs_analysis=due,gpmi_signed=due",
	}
	type list struct {
		Files []struct {
			ParticipantID string `json:"participant_id"`
			FamilyName    string `json:"family_name"`
			CounsellorID  string `json:"counsellor_id"`
			Elements      []struct{ Element, State string }
		}
		ByCounsellor []struct {
			CounsellorID string `json:"counsellor_id"`
			Files        int
		} `json:"by_counsellor"`
		ByElement []struct {
			Element string
			Files   int
		} `json:"by_element"`
	}
	read := func(q string) list {
		t.Helper()
		status, raw := a.do("GET", "/v1/file-checks"+q, "coordinator", nil)
		if status != 200 {
			t.Fatalf("file checks%s: %d %s", q, status, raw)
		}
		var l list
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	got := map[string]string{}
	all := read("")
	for _, f := range all.Files {
		var els []string
		for _, e := range f.Elements {
			els = append(els, e.Element+"="+e.State)
		}
		got[f.ParticipantID] = strings.Join(els, ",")
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("files at risk: %v, want %d (the file fully met and the fixture's unstarted dossier are not)", got, len(want))
	}
	counts := map[string]int{}
	for _, c := range all.ByCounsellor {
		counts[c.CounsellorID] = c.Files
	}
	if counts[a.fx.CounsellorID] != 2 || counts[a.fx.Counsellor2ID] != 2 || counts[""] != 1 {
		t.Errorf("per counsellor: %+v", all.ByCounsellor)
	}
	elements := map[string]int{}
	for _, c := range all.ByElement {
		elements[c.Element] = c.Files
	}
	if elements["gpmi_signed"] != 2 || elements["evaluations"] != 1 || elements["exemption_review"] != 1 || elements["needs_analysis"] != 1 || elements["extension_motivation"] != 2 {
		t.Errorf("per element: %+v", all.ByElement)
	}

	// The filters, each giving the list its count says.
	if l := read("?counsellor=" + a.fx.Counsellor2ID); len(l.Files) != 2 {
		t.Errorf("Bram's: %+v", l.Files)
	}
	if l := read("?counsellor=none"); len(l.Files) != 1 || l.Files[0].ParticipantID != d.SignDueSoon {
		t.Errorf("nobody's: %+v", l.Files)
	}
	if l := read("?element=gpmi_signed"); len(l.Files) != 2 || len(l.Files[1].Elements) != 1 {
		t.Errorf("signature: %+v", l.Files)
	}
	if l := read("?state=due"); len(l.Files) != 1 || l.Files[0].ParticipantID != d.SignDueSoon {
		t.Errorf("due: %+v", l.Files)
	}
	if l := read("?state=late&counsellor=" + a.fx.CounsellorID); len(l.Files) != 2 {
		t.Errorf("An's late: %+v", l.Files)
	}
	// As the files stood 100 days ago: only Laat's was at risk, neither
	// analysed nor signed three months after the decision.
	if l := read("?as_of=" + testDay(-100)); len(l.Files) != 1 || l.Files[0].ParticipantID != d.SignedLate || len(l.Files[0].Elements) != 2 ||
		l.Files[0].Elements[0].State != "late" || l.Files[0].Elements[1].Element != "gpmi_signed" {
		t.Errorf("100 days ago: %+v", l.Files)
	}

	resp, raw := a.exchange("GET", "/v1/file-checks?format=csv&counsellor="+a.fx.CounsellorID, "coordinator", nil)
	csv := string(raw)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv, "\ufeffdossier_number;family_name;") ||
		!strings.Contains(csv, ";Laat;Lotte;An;gpmi_signed;late;") || !strings.Contains(csv, ";Twee;Tom;An;evaluations;late;") ||
		strings.Contains(csv, "Orde") || strings.Contains(csv, "Eenmaal") {
		t.Errorf("CSV: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), csv)
	}
	resp, raw = a.exchange("GET", "/v1/file-checks?format=xlsx", "coordinator", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("XLSX: %d %s", resp.StatusCode, raw)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, r := range rows[1:] {
		states[r[1]+"/"+r[4]] = r[5]
	}
	for k, v := range map[string]string{"Laat/gpmi_signed": "late", "Twee/evaluations": "late", "Eenmaal/face_to_face": "late",
		"Vrijgesteld/exemption_review": "late", "Binnenkort/gpmi_signed": "due", "Binnenkort/needs_analysis": "due"} {
		if states[k] != v {
			t.Errorf("XLSX %s: %q, want %q (%v)", k, states[k], v, rows)
		}
	}
	if len(rows) != 9 || rows[0][0] != "dossier_number" {
		t.Errorf("XLSX rows: %v", rows)
	}

	for q, field := range map[string]string{"?as_of=gisteren": "as_of", "?element=signature": "element", "?state=met": "state",
		"?counsellor=An": "counsellor", "?format=pdf": "format"} {
		if status, raw := a.do("GET", "/v1/file-checks"+q, "coordinator", nil); status != 400 || !strings.Contains(string(raw), `"`+field+`"`) {
			t.Errorf("file checks%s: %d %s", q, status, raw)
		}
	}
	for _, who := range []string{"an", "bcsd", "admin"} {
		if status, _ := a.do("GET", "/v1/file-checks", who, nil); status != http.StatusForbidden {
			t.Errorf("%s reads the files at risk: %d", who, status)
		}
	}
	if status, raw := a.do("GET", "/v1/file-checks", "other", nil); status != 200 || strings.Contains(string(raw), "Laat") {
		t.Errorf("another centre's coordinator: %d %s", status, raw)
	}
}

// testDay is today in Brussels moved by days, as YYYY-MM-DD.
func testDay(days int) string {
	brussels, _ := time.LoadLocation("Europe/Brussels")
	now := time.Now().In(brussels)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly)
}
