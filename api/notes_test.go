package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Notes through the API: written (201), listed newest first with their
// corrections and paged, corrected by their author (200 in place), refused
// to a colleague (409) and, before a procedure, to the BCSD (403).
func TestNotesThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id + "/notes"
	today := time.Now().Format(time.DateOnly)
	var ids []string
	for _, text := range []string{"Eerste gesprek.", "Telefoon: komt dinsdag.", "Huisbezoek."} {
		status, raw := a.do("POST", path, "an", map[string]any{"kind": "conversation", "happened_on": today, "text": text})
		var n struct{ ID string }
		_ = json.Unmarshal(raw, &n)
		if status != http.StatusCreated || n.ID == "" {
			t.Fatalf("a note: %d %s", status, raw)
		}
		ids = append(ids, n.ID)
	}
	if status, raw := a.do("POST", path, "an", map[string]any{"kind": "chat", "happened_on": "tomorrow", "text": ""}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"kind"`) || !strings.Contains(string(raw), `"happened_on"`) || !strings.Contains(string(raw), `"text"`) {
		t.Errorf("a malformed note: %d %s", status, raw)
	}
	var page struct {
		Notes []struct {
			ID, Text string
		} `json:"notes"`
		Next string `json:"next"`
	}
	status, raw := a.do("GET", path+"?limit=2", "coordinator", nil)
	_ = json.Unmarshal(raw, &page)
	if status != http.StatusOK || len(page.Notes) != 2 || page.Notes[0].ID != ids[2] || page.Next == "" {
		t.Fatalf("the first page: %d %s", status, raw)
	}
	status, raw = a.do("GET", page.Next, "coordinator", nil)
	page.Notes, page.Next = nil, ""
	_ = json.Unmarshal(raw, &page)
	if status != http.StatusOK || len(page.Notes) != 1 || page.Notes[0].ID != ids[0] {
		t.Errorf("the second page: %d %s", status, raw)
	}
	if status, raw := a.do("POST", path+"/"+ids[0]+"/correction", "an", map[string]any{"text": "Eerste gesprek, met tolk."}); status != http.StatusOK {
		t.Errorf("its author corrects it: %d %s", status, raw)
	}
	if status, raw := a.do("POST", path+"/"+ids[0]+"/correction", "coordinator", map[string]any{"text": "Nee."}); status != http.StatusConflict {
		t.Errorf("a colleague corrects it: %d %s", status, raw)
	}
	// The BCSD does not even see a dossier without a procedure.
	if status, raw := a.do("GET", path, "bcsd", nil); status != http.StatusNotFound {
		t.Errorf("the BCSD without a procedure: %d %s", status, raw)
	}
	if status, raw := a.do("GET", path+"?before=nope", "an", nil); status != http.StatusBadRequest {
		t.Errorf("a malformed cursor: %d %s", status, raw)
	}
}
