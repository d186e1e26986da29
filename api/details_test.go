package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/traject-ocmw/traject/testenv"
)

// patch sends a merge patch of personal details as who, with If-Match
// when ifMatch is set, and checks the answer against the OpenAPI document.
func (a *apiTest) patch(path, who, ifMatch string, body any) (*http.Response, []byte) {
	a.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("PATCH", a.url+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+a.tokens[who])
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, _ := io.ReadAll(resp.Body)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	a.conforms(req, resp, out)
	return resp, out
}

// The intake through the API: contact details are kept, a number the
// centre knows answers 409 with the dossier's ID, and one that does not
// begin with the birth date is named.
func TestIntakeThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	body := a.participant()
	body["phone"], body["street"], body["postcode"], body["municipality"] = "02 555 01 02", "Gemeenteplein 1", "1080", "Molenbeek"
	body["leefloon_notified_date"] = "2026-11-16"
	id := a.create(body)

	again := a.participant()
	again["given_name"] = "Sarah"
	status, raw := a.do("POST", "/v1/participants", "coordinator", again)
	var p struct {
		Type     string `json:"type"`
		Existing struct {
			ParticipantID string `json:"participant_id"`
			Closed        bool   `json:"closed"`
		} `json:"existing"`
		Errors []struct{ Field, Code string } `json:"errors"`
	}
	_ = json.Unmarshal(raw, &p)
	if status != http.StatusConflict || p.Type != "urn:traject:problem:participant-exists" || p.Existing.ParticipantID != id || p.Existing.Closed {
		t.Errorf("a known person: %d %s", status, raw)
	}
	wrong := a.participant()
	wrong["national_number"], wrong["birth_date"] = validNN("1990-05-17", 400), "1991-05-17"
	status, raw = a.do("POST", "/v1/participants", "coordinator", wrong)
	p.Errors = nil
	_ = json.Unmarshal(raw, &p)
	if status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != "national_number" || p.Errors[0].Code != "birth_date_number" {
		t.Errorf("a number of another birth date: %d %s", status, raw)
	}
	resp, raw := a.exchange("GET", "/v1/participants/"+id, "coordinator", nil)
	if resp.Header.Get("ETag") != `"1"` || !bytes.Contains(raw, []byte(`"postcode":"1080"`)) || !bytes.Contains(raw, []byte(`"leefloon_notified_date":"2026-11-16"`)) {
		t.Errorf("the dossier: %s %s", resp.Header.Get("ETag"), raw)
	}
}

// An edit of personal details names the version it changes; one made on
// an older version is 409 with the details as they stand and who changed
// which fields since.
func TestPersonalDetailsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id

	if resp, raw := a.patch(path, "an", "", map[string]any{"phone": "02 555 01 02"}); resp.StatusCode != http.StatusPreconditionRequired {
		t.Errorf("without If-Match: %d %s", resp.StatusCode, raw)
	}
	if resp, raw := a.patch(path, "an", `"1"`, map[string]any{"phone": 25, "shoe_size": "44"}); resp.StatusCode != http.StatusBadRequest ||
		!bytes.Contains(raw, []byte(`"shoe_size"`)) || !bytes.Contains(raw, []byte(`"phone"`)) {
		t.Errorf("a malformed patch: %d %s", resp.StatusCode, raw)
	}
	if resp, raw := a.patch(path, "bcsd", `"1"`, map[string]any{"phone": "02 555 01 02"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the BCSD edits: %d %s", resp.StatusCode, raw)
	}
	resp, raw := a.patch(path, "an", `"1"`, map[string]any{"phone": "02 555 01 02", "email": nil})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != `"2"` || !bytes.Contains(raw, []byte(`"email":null`)) {
		t.Fatalf("an edit: %d %s %s", resp.StatusCode, resp.Header.Get("ETag"), raw)
	}
	resp, raw = a.patch(path, "coordinator", `"1"`, map[string]any{"street": "Rue Haute 5"})
	var p struct {
		Type    string `json:"type"`
		Current struct {
			Phone          string `json:"phone"`
			DetailsVersion int    `json:"details_version"`
			ChangesSince   []struct {
				ChangedBy string   `json:"changed_by"`
				Fields    []string `json:"fields"`
			} `json:"changes_since"`
		} `json:"current"`
	}
	_ = json.Unmarshal(raw, &p)
	if resp.StatusCode != http.StatusConflict || p.Type != "urn:traject:problem:stale" || p.Current.Phone != "02 555 01 02" || p.Current.DetailsVersion != 2 ||
		len(p.Current.ChangesSince) != 1 || p.Current.ChangesSince[0].ChangedBy != a.fx.CounsellorID || len(p.Current.ChangesSince[0].Fields) != 2 {
		t.Errorf("a stale edit: %d %s", resp.StatusCode, raw)
	}
}

// A closed dossier is re-opened on a new leefloon decision: 202, the same
// dossier, a new run at intake; while it runs, 409.
func TestReentryThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id
	reentry := map[string]any{"counsellor_id": a.fx.Counsellor2ID, "leefloon_decision_date": "2026-12-01"}
	if status, raw := a.do("POST", path+"/reentry", "coordinator", reentry); status != http.StatusConflict {
		t.Errorf("re-entry of an open dossier: %d %s", status, raw)
	}
	if status, raw := a.do("POST", path+"/transitions", "coordinator", map[string]any{"to": "closed", "outcome": "moved"}); status != http.StatusOK {
		t.Fatalf("close: %d %s", status, raw)
	}
	var status int
	var raw []byte
	testenv.Eventually(t, "the closed run to end", func() bool {
		status, raw = a.do("POST", path+"/reentry", "coordinator", reentry)
		return status != http.StatusConflict
	})
	if status != http.StatusAccepted {
		t.Fatalf("re-entry: %d %s", status, raw)
	}
	testenv.Eventually(t, "the new run's state", func() bool {
		_, raw := a.do("GET", path, "coordinator", nil)
		return bytes.Contains(raw, []byte(`"phase":"intake"`)) && bytes.Contains(raw, []byte(a.fx.Counsellor2ID))
	})
}
