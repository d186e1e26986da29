package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestHostOrganisationsAndOccupancy(t *testing.T) {
	a := newAPITest(t)
	hostID := a.host()
	path := "/v1/hosts/" + hostID

	if status, _ := a.do("POST", "/v1/hosts", "an", map[string]any{"name": "X", "positions": []any{}}); status != http.StatusForbidden {
		t.Errorf("a counsellor adding a host: %d", status)
	}
	status, raw := a.do("POST", "/v1/hosts", "coordinator", map[string]any{"name": "", "email": "nope", "positions": []map[string]any{{"function": "Kitchen Help", "positions": -1}}})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || len(fields) != 4 {
		t.Errorf("malformed host: %d %v", status, fields)
	}
	if status, _ := a.do("GET", path, "other", nil); status != http.StatusNotFound {
		t.Errorf("another centre's host: %d", status)
	}

	id := a.create(a.participant())
	if status, raw := a.do("POST", "/v1/participants/"+id+"/transitions", "coordinator", map[string]any{"to": "work"}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+id+"/transitions", "coordinator", map[string]any{"to": "article60",
		"contract": map[string]any{"host_id": hostID, "function": "kitchen_help", "regime": "full_time", "start": "2026-12-01"}}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	status, raw = a.do("GET", path, "an", nil)
	var h struct {
		Positions []struct {
			Function  string `json:"function"`
			Positions int    `json:"positions"`
			Occupied  int    `json:"occupied"`
		} `json:"positions"`
	}
	_ = json.Unmarshal(raw, &h)
	if status != 200 || len(h.Positions) != 2 || h.Positions[1].Function != "kitchen_help" || h.Positions[1].Occupied != 1 || h.Positions[0].Occupied != 0 {
		t.Errorf("occupancy: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/participants?host_id="+hostID, "coordinator", nil); status != 200 {
		t.Errorf("list by host: %d", status)
	}
	if status, _ := a.do("DELETE", path, "coordinator", nil); status != http.StatusConflict {
		t.Errorf("archiving a host with a running contract: %d", status)
	}
	if status, raw := a.do("PUT", path, "coordinator", map[string]any{"name": "Resto Social", "positions": []map[string]any{{"function": "kitchen_help", "positions": 5}}}); status != 200 {
		t.Errorf("replace: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+id+"/transitions", "coordinator", map[string]any{"to": "post_article60"}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	if status, _ := a.do("DELETE", path, "coordinator", nil); status != http.StatusNoContent {
		t.Errorf("archive: %d", status)
	}
	if status, _ := a.do("GET", path, "coordinator", nil); status != http.StatusNotFound {
		t.Errorf("an archived host still answers: %d", status)
	}
	status, raw = a.do("GET", "/v1/hosts", "coordinator", nil)
	if status != 200 || string(raw) != "{\"hosts\":[]}\n" {
		t.Errorf("hosts after archiving: %d %s", status, raw)
	}
}
