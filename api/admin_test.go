package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// An administrator adds a counsellor, gives them a token that works at
// once, revokes it, and deactivating a user ends every token of theirs.
func TestAdministratorsManageUsersAndTokens(t *testing.T) {
	a := newAPITest(t)
	status, raw := a.do("POST", "/v1/users", "admin", map[string]any{"email": "eva@ocmw.example", "display_name": "Eva", "role": "counsellor", "language": "fr"})
	if status != http.StatusCreated {
		t.Fatalf("create user: %d %s", status, raw)
	}
	var eva struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &eva)
	if status, raw := a.do("POST", "/v1/users", "admin", map[string]any{"email": "eva@ocmw.example", "display_name": "Eva 2", "role": "counsellor", "language": "fr"}); status != http.StatusConflict {
		t.Errorf("same address twice: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/users", "admin", map[string]any{"email": "x", "display_name": "", "role": "boss", "language": "de"})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "email,display_name,role,language" {
		t.Errorf("malformed user: %d %v", status, fields)
	}
	if status, _ := a.do("POST", "/v1/users", "coordinator", map[string]any{"email": "y@ocmw.example", "display_name": "Y", "role": "admin", "language": "nl"}); status != http.StatusForbidden {
		t.Errorf("a coordinator adding an administrator: %d", status)
	}

	status, raw = a.do("POST", "/v1/users/"+eva.ID+"/tokens", "admin", map[string]any{"name": "Eva's laptop"})
	var tok struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	_ = json.Unmarshal(raw, &tok)
	if status != http.StatusCreated || !strings.HasPrefix(tok.Token, "trj_") {
		t.Fatalf("token: %d %s", status, raw)
	}
	a.tokens["eva"] = tok.Token
	if status, _ := a.do("GET", "/v1/participants", "eva", nil); status != http.StatusOK {
		t.Errorf("Eva's new token: %d", status)
	}
	if status, _ := a.do("DELETE", "/v1/tokens/"+tok.ID, "other", nil); status != http.StatusForbidden {
		t.Errorf("another centre revoking: %d", status)
	}
	if status, _ := a.do("DELETE", "/v1/tokens/"+tok.ID, "admin", nil); status != http.StatusNoContent {
		t.Errorf("revoke: %d", status)
	}
	if status, _ := a.do("GET", "/v1/participants", "eva", nil); status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", status)
	}

	status, raw = a.do("POST", "/v1/users/"+eva.ID+"/tokens", "admin", map[string]any{"name": "second"})
	if status != http.StatusCreated {
		t.Fatalf("second token: %d %s", status, raw)
	}
	_ = json.Unmarshal(raw, &tok)
	a.tokens["eva"] = tok.Token
	if status, raw := a.do("PUT", "/v1/users/"+eva.ID, "admin", map[string]any{"active": false}); status != http.StatusOK || !strings.Contains(string(raw), `"active":false`) {
		t.Errorf("deactivate: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/participants", "eva", nil); status != http.StatusUnauthorized {
		t.Errorf("an inactive user's token: %d", status)
	}
	if status, raw := a.do("GET", "/v1/users", "admin", nil); status != http.StatusOK || !strings.Contains(string(raw), "eva@ocmw.example") {
		t.Errorf("list users: %d %s", status, raw)
	}
	if status, _ := a.do("PUT", "/v1/users/"+eva.ID, "other", map[string]any{"active": true}); status != http.StatusForbidden {
		t.Errorf("another centre's coordinator changing a user: %d", status)
	}
}
