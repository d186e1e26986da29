package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// validNN makes a national register number with correct check digits.
func validNN(birth string, serial int) string {
	base := fmt.Sprintf("%s%03d", strings.ReplaceAll(birth[2:], "-", ""), serial)
	var n int64
	fmt.Sscan(base, &n)
	return fmt.Sprintf("%s%02d", base, 97-n%97)
}

type listPage struct {
	Next         string `json:"next"`
	Participants []struct {
		ID         string  `json:"id"`
		FamilyName string  `json:"family_name"`
		Phase      *string `json:"phase"`
	} `json:"participants"`
}

func (a *apiTest) list(who, query string) (int, listPage) {
	a.t.Helper()
	status, raw := a.do("GET", "/v1/participants"+query, who, nil)
	var p listPage
	_ = json.Unmarshal(raw, &p)
	return status, p
}

func TestCaseloadListFiltersAndPages(t *testing.T) {
	a := newAPITest(t)
	people := []struct {
		family, counsellor string
	}{{"Peeters", a.fx.CounsellorID}, {"Janssens", a.fx.CounsellorID}, {"Dubois_", a.fx.Counsellor2ID}}
	ids := map[string]string{}
	for i, p := range people {
		body := a.participant()
		body["family_name"] = p.family
		body["national_number"], body["birth_date"] = validNN("1991-02-03", 100+i), "1991-02-03"
		body["counsellor_id"] = p.counsellor
		ids[p.family] = a.create(body)
	}
	if status, raw := a.do("POST", "/v1/participants/"+ids["Janssens"]+"/transitions", "coordinator", map[string]any{"to": "work"}); status != 200 {
		t.Fatalf("transition: %d %s", status, raw)
	}

	// The fixture's participant has no trajectory here; the coordinator sees it too.
	if _, p := a.list("coordinator", ""); len(p.Participants) != 4 {
		t.Errorf("coordinator sees %d participants, want 4", len(p.Participants))
	}
	if _, p := a.list("an", ""); len(p.Participants) != 2 {
		t.Errorf("counsellor An sees %d participants, want her 2", len(p.Participants))
	}
	if _, p := a.list("other", ""); len(p.Participants) != 0 {
		t.Errorf("another centre sees %d participants", len(p.Participants))
	}
	if _, p := a.list("coordinator", "?phase=work"); len(p.Participants) != 1 || p.Participants[0].FamilyName != "Janssens" {
		t.Errorf("phase=work: %+v", p.Participants)
	}
	if _, p := a.list("coordinator", "?q=peet"); len(p.Participants) != 1 || p.Participants[0].FamilyName != "Peeters" {
		t.Errorf("q=peet: %+v", p.Participants)
	}
	if _, p := a.list("coordinator", "?q=s_"); len(p.Participants) != 1 || p.Participants[0].FamilyName != "Dubois_" {
		t.Errorf("q=s_ (an underscore is a character, not a wildcard): %+v", p.Participants)
	}
	if _, p := a.list("coordinator", "?counsellor_id="+a.fx.Counsellor2ID+"&next_actor=counsellor"); len(p.Participants) != 1 {
		t.Errorf("counsellor and next actor: %+v", p.Participants)
	}
	if _, p := a.list("coordinator", "?deadline_before=2030-01-01"); len(p.Participants) != 3 {
		t.Errorf("deadline_before: %d", len(p.Participants))
	}

	seen := map[string]bool{}
	query := "?limit=1"
	for pages := 0; query != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		status, p := a.list("coordinator", query)
		if status != http.StatusOK {
			t.Fatalf("page: %d", status)
		}
		for _, x := range p.Participants {
			if seen[x.ID] {
				t.Errorf("%s on two pages", x.ID)
			}
			seen[x.ID] = true
		}
		query = strings.TrimPrefix(p.Next, "/v1/participants")
	}
	if len(seen) != 4 {
		t.Errorf("paging saw %d participants, want 4", len(seen))
	}
	for _, bad := range []string{"?limit=0", "?limit=500", "?after=x", "?deadline_before=soon", "?counsellor_id=x"} {
		if status, _ := a.do("GET", "/v1/participants"+bad, "coordinator", nil); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
}
