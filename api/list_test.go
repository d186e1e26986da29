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

// The list finds a dossier by its number or its national register number
// and a person by name in either order, sorts by each column both ways
// (paging keeps the order), and counts every page.
func TestCaseloadListSearchSortAndCount(t *testing.T) {
	a := newAPITest(t)
	people := []struct{ given, family, birth string }{{"Sara", "Peeters", "1991-02-03"}, {"Jan", "Peeters", "1985-07-14"}, {"Amal", "Janssens", "1999-11-30"}}
	nns := map[string]string{}
	for i, p := range people {
		body := a.participant()
		body["given_name"], body["family_name"], body["birth_date"] = p.given, p.family, p.birth
		nns[p.given] = validNN(p.birth, 200+i)
		body["national_number"] = nns[p.given]
		a.create(body)
	}
	type row struct {
		ID            string   `json:"id"`
		DossierNumber int      `json:"dossier_number"`
		GivenName     string   `json:"given_name"`
		BirthDate     string   `json:"birth_date"`
		Tags          []string `json:"tags"`
	}
	list := func(query string) (int, []row, string) {
		t.Helper()
		status, raw := a.do("GET", "/v1/participants"+query, "coordinator", nil)
		var body struct {
			Total        int    `json:"total"`
			Next         string `json:"next"`
			Participants []row  `json:"participants"`
		}
		if err := json.Unmarshal(raw, &body); err != nil && status == http.StatusOK {
			t.Fatalf("%s: %s", query, raw)
		}
		return body.Total, body.Participants, body.Next
	}
	given := func(rows []row) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.GivenName)
		}
		return strings.Join(out, " ")
	}
	total, rows, _ := list("")
	if total != 4 || len(rows) != 4 {
		t.Fatalf("the centre's list: total %d, %d rows", total, len(rows))
	}
	numbers := map[string]int{}
	for i, r := range rows {
		numbers[r.GivenName] = r.DossierNumber
		if i > 0 && r.DossierNumber <= rows[i-1].DossierNumber {
			t.Errorf("not by dossier number: %+v", rows)
		}
		if r.Tags == nil || r.BirthDate == "" {
			t.Errorf("a row without tags or birth date: %+v", r)
		}
	}
	if numbers["Amal"] != numbers["Jan"]+1 || numbers["Jan"] != numbers["Sara"]+1 {
		t.Errorf("the intakes were not numbered in order: %v", numbers)
	}
	for _, q := range []string{fmt.Sprint(numbers["Jan"]), "%23" + fmt.Sprint(numbers["Jan"])} {
		if total, rows, _ := list("?q=" + q); total != 1 || given(rows) != "Jan" {
			t.Errorf("q=%s (a dossier number): %d %s", q, total, given(rows))
		}
	}
	nn := nns["Amal"]
	typed := nn[0:2] + "." + nn[2:4] + "." + nn[4:6] + "-" + nn[6:9] + "." + nn[9:]
	if total, rows, _ := list("?q=" + typed); total != 1 || given(rows) != "Amal" {
		t.Errorf("q=%s (a national number): %d %s", typed, total, given(rows))
	}
	if total, rows, _ := list("?q=peeters%20jan&sort=name"); total != 1 || given(rows) != "Jan" {
		t.Errorf("family name first: %d %s", total, given(rows))
	}
	if total, rows, _ := list("?q=peeters&sort=name"); total != 2 || given(rows) != "Jan Sara" {
		t.Errorf("q=peeters by name: %d %s", total, given(rows))
	}
	for sort, want := range map[string]string{
		"-number":     "Amal Jan Sara",
		"name":        "Amal Jan Sara",
		"-name":       "Sara Jan Amal",
		"birth_date":  "Jan Sara Amal",
		"-birth_date": "Amal Sara Jan",
	} {
		// one a page: the keyset follows the order
		var seen []row
		query := "?limit=1&sort=" + sort
		for pages := 0; query != ""; pages++ {
			if pages > 10 {
				t.Fatalf("sort=%s: the pages do not end", sort)
			}
			total, rows, next := list(query)
			if total != 4 {
				t.Errorf("sort=%s: total %d on a page, want 4", sort, total)
			}
			seen = append(seen, rows...)
			query = strings.TrimPrefix(next, "/v1/participants")
		}
		var ours []row
		for _, r := range seen {
			if _, ok := nns[r.GivenName]; ok {
				ours = append(ours, r)
			}
		}
		if got := given(ours); got != want || len(seen) != 4 {
			t.Errorf("sort=%s: %s (%d rows), want %s", sort, got, len(seen), want)
		}
	}
	for _, bad := range []string{"?sort=salary", "?sort=--name", "?sort=-"} {
		if status, _ := a.do("GET", "/v1/participants"+bad, "coordinator", nil); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
}
