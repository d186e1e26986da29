package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The referral to the employment service through the API: refused before
// a contract, for the BCSD, and with bad fields (each named); recorded by
// the counsellor, it completes the workflow's referral deadline with the
// centre's region's service (Actiris in Brussels). The contact is read
// back from PostgreSQL and stays out of the timeline.
func TestEmploymentReferralThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	referral := base + "/contract/employment-referral"
	today := time.Now().Format(time.DateOnly)
	contact := "Actiris Molenbeek, mevrouw Janssens"

	if status, raw := a.do("POST", base+"/transitions", "coordinator", map[string]any{"to": "work"}); status != 200 {
		t.Fatalf("work: %d %s", status, raw)
	}
	if status, raw := a.do("POST", referral, "an", map[string]any{"referred_on": today, "contact": contact}); status != 409 || !strings.Contains(string(raw), "referral_contract") {
		t.Errorf("a referral without a contract: %d %s", status, raw)
	}
	status, raw := a.do("POST", base+"/transitions", "coordinator", map[string]any{"to": "article60", "contract": map[string]any{
		"host_id": a.host(), "function": "kitchen_help", "regime": "full_time", "start": today,
	}})
	if status != 200 || !strings.Contains(string(raw), `"a60.employment_referral"`) {
		t.Fatalf("article 60 with its referral deadline: %d %s", status, raw)
	}

	if status, raw := a.do("POST", referral, "bcsd", map[string]any{"referred_on": today, "contact": contact}); status != 403 {
		t.Errorf("the BCSD recording a referral: %d %s", status, raw)
	}
	for _, bad := range []struct {
		body   map[string]any
		fields []string
	}{
		{map[string]any{"referred_on": "", "contact": " "}, []string{"referred_on", "contact"}},
		{map[string]any{"referred_on": "2099-01-01", "contact": contact}, []string{"referred_on"}},
		{map[string]any{"referred_on": today, "contact": "a\x07b"}, []string{"contact"}},
		{map[string]any{"referred_on": "06/12/2026", "contact": strings.Repeat("x", 201)}, []string{"referred_on", "contact"}},
		{map[string]any{"referred_on": "2020-01-01", "contact": contact}, []string{"referred_on"}}, // before the contract
	} {
		status, raw := a.do("POST", referral, "an", bad.body)
		var p struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		_ = json.Unmarshal(raw, &p)
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field)
		}
		if status != 422 || strings.Join(got, ",") != strings.Join(bad.fields, ",") {
			t.Errorf("%v: %d naming %v, want 422 naming %v: %s", bad.body, status, got, bad.fields, raw)
		}
	}

	status, raw = a.do("POST", referral, "an", map[string]any{"referred_on": today, "contact": contact})
	var state struct {
		Contract struct {
			Referral *struct {
				Service    string `json:"service"`
				ReferredOn string `json:"referred_on"`
				ID         string `json:"id"`
			} `json:"employment_referral"`
		} `json:"contract"`
		Deadlines []struct{ ID string } `json:"deadlines"`
	}
	if err := json.Unmarshal(raw, &state); status != 200 || err != nil {
		t.Fatalf("the referral: %d %s", status, raw)
	}
	if r := state.Contract.Referral; r == nil || r.Service != "actiris" || r.ID == "" || strings.Contains(string(raw), contact) {
		t.Errorf("the trajectory's referral (the service, the day, an ID; no contact): %s", raw)
	}
	for _, d := range state.Deadlines {
		if d.ID == "a60.employment_referral" {
			t.Errorf("the referral's deadline is still open: %s", raw)
		}
	}

	status, raw = a.do("GET", base+"/phase-records", "coordinator", nil)
	var recs struct {
		Referral *struct {
			Service, Contact string
			ReferredOn       string `json:"referred_on"`
		} `json:"employment_referral"`
	}
	if err := json.Unmarshal(raw, &recs); status != 200 || err != nil || recs.Referral == nil || recs.Referral.Contact != contact ||
		recs.Referral.Service != "actiris" || recs.Referral.ReferredOn != today {
		t.Errorf("the referral with its contact: %d %s", status, raw)
	}
	status, raw = a.do("GET", base+"/timeline", "coordinator", nil)
	if status != 200 || !strings.Contains(string(raw), "employment_referral_recorded") || strings.Contains(string(raw), "Janssens") {
		t.Errorf("the timeline has the referral, without its contact: %d %s", status, raw)
	}
}
