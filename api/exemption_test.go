package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// An exemption is decided with its ground and written reason; its review
// becomes a deadline, on the day given or after the policy's period.
func TestExemptionThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id + "/transitions"
	status, raw := a.do("POST", path, "coordinator", map[string]any{"to": "exempt"})
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "exemption.ground") || !strings.Contains(string(raw), "exemption.reason") {
		t.Errorf("an exemption without its reason: %d %s", status, raw)
	}
	if status, raw := a.do("POST", path, "coordinator", map[string]any{"to": "work", "exemption": map[string]any{"ground": "health", "reason": "x"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("an exemption's reason on another move: %d %s", status, raw)
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	if status, raw := a.do("POST", path, "coordinator", map[string]any{"to": "exempt", "exemption": map[string]any{"ground": "health", "reason": "Opname.", "review_on": yesterday}}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"to_come"`) {
		t.Errorf("a review in the past: %d %s", status, raw)
	}
	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "exempt", "exemption": map[string]any{"ground": "health", "reason": "Langdurige opname; attest van de behandelende arts."}})
	if status != http.StatusOK || !strings.Contains(string(raw), `"kind":"exemption_review"`) || !strings.Contains(string(raw), `"ground":"health"`) ||
		strings.Contains(string(raw), "Langdurige opname") {
		t.Errorf("an exemption: %d %s", status, raw)
	}
}
