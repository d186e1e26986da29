package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPolicyIsReadAndChangedByCoordinators(t *testing.T) {
	a := newAPITest(t)
	if status, raw := a.do("GET", "/v1/policy", "coordinator", nil); status != 200 || !strings.Contains(string(raw), `"version":0`) || !strings.Contains(string(raw), `"sign_within":"P3M"`) {
		t.Errorf("defaults: %d %s", status, raw)
	}
	if _, raw := a.do("GET", "/v1/policy", "coordinator", nil); !strings.Contains(string(raw), `"civic_integration":{"regions":["flanders"]}`) {
		t.Errorf("civic integration by default in Flanders alone: %s", raw)
	}
	if status, _ := a.do("GET", "/v1/policy", "an", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor reading the policy: %d", status)
	}
	status, raw := a.do("PUT", "/v1/policy", "coordinator", map[string]any{"gpmi": map[string]any{"sign_within": "P2M"}})
	if status != 200 || !strings.Contains(string(raw), `"version":1`) || !strings.Contains(string(raw), `"sign_within":"P2M"`) || !strings.Contains(string(raw), `"evaluation_every":"P4M"`) {
		t.Errorf("change: %d %s", status, raw)
	}
	if status, raw := a.do("PUT", "/v1/policy", "coordinator", map[string]any{"gpmi": map[string]any{"sign_within": "three months"}}); status != http.StatusBadRequest || !strings.Contains(string(raw), "three months") {
		t.Errorf("bad period: %d %s", status, raw)
	}
	status, raw = a.do("PUT", "/v1/policy", "admin", map[string]any{"sanction": map[string]any{"decision_within": "P0D"}})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0] != "sanction.decision_within" {
		t.Errorf("zero period: %d %s", status, raw)
	}
	if status, raw := a.do("GET", "/v1/policy", "other", nil); status != 200 || !strings.Contains(string(raw), `"version":0`) {
		t.Errorf("another centre's policy changed: %d %s", status, raw)
	}
}
