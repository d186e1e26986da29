package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The literacy cycle through the API: a coordinator adds a partner and its
// course of 12 places, a counsellor records a level test and puts a person
// on the full course's waiting list (position shown, the order of one day
// deterministic), a place frees and goes to the first on the list, the
// person enrols and completes; the limits are refused naming the field,
// and a seeded year's figures come out right.
func TestLiteracyCycleThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	ctx := context.Background()
	sara := a.create(a.participant())

	status, raw := a.do("POST", "/v1/literacy/partners", "coordinator", map[string]any{"name": "Lire et Écrire Bruxelles"})
	var partner struct{ ID string }
	_ = json.Unmarshal(raw, &partner)
	if status != http.StatusCreated || partner.ID == "" {
		t.Fatalf("a partner: %d %s", status, raw)
	}
	newCourse := func(name string, places int) string {
		t.Helper()
		status, raw := a.do("POST", "/v1/literacy/courses", "coordinator", map[string]any{"partner_id": partner.ID, "name": name, "kind": "literacy", "places": places})
		var c struct{ ID string }
		_ = json.Unmarshal(raw, &c)
		if status != http.StatusCreated || c.ID == "" {
			t.Fatalf("a course: %d %s", status, raw)
		}
		return c.ID
	}
	course := newCourse("Alfa dag", 12)
	if status, raw := a.do("POST", "/v1/literacy/courses", "an", map[string]any{"name": "x", "kind": "literacy", "places": 1}); status != http.StatusForbidden {
		t.Errorf("a counsellor adds a course: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/literacy/courses", "coordinator", map[string]any{"name": "", "kind": "latin", "places": -1}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"name"`) || !strings.Contains(string(raw), `"kind"`) || !strings.Contains(string(raw), `"places"`) {
		t.Errorf("a malformed course: %d %s", status, raw)
	}

	// Twelve others fill the course; one more waits since today, referred
	// before Sara.
	var enrolled []string
	var waiting string
	for i := range 13 {
		id := uuid.NewString()
		if _, err := a.db.Exec(ctx, `INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
			VALUES ($1, 'molenbeek', 'P', $2, '1980-01-01', $3, 'fr', '2026-01-01')`, id, fmt.Sprint("N", i), fmt.Sprintf("800101%05d", i)); err != nil {
			t.Fatal(err)
		}
		status := "enrolled"
		if i == 12 {
			status, waiting = "waiting", id
		}
		if _, err := a.db.Exec(ctx, `INSERT INTO course_places (id, participant_id, centre_id, course_id, status, since, enrolled_on, referred_by)
			VALUES ($1, $2, 'molenbeek', $3, $4, current_date - 30, CASE WHEN $4 = 'enrolled' THEN current_date - 1 END, $5)`,
			id, id, course, status, a.fx.CoordinatorID); err != nil {
			t.Fatal(err)
		}
		if status == "enrolled" {
			enrolled = append(enrolled, id)
		}
	}
	if _, err := a.db.Exec(ctx, `UPDATE course_places SET since = current_date WHERE id = $1`, waiting); err != nil {
		t.Fatal(err)
	}

	if status, raw := a.do("POST", "/v1/participants/"+sara+"/level-tests", "an", map[string]any{"tested_on": "2026-01-05", "level": "z9"}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(raw), `"level"`) {
		t.Errorf("an unknown level: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/level-tests", "an", map[string]any{"tested_on": "2026-01-05", "level": "alfa_b"}); status != http.StatusCreated {
		t.Fatalf("a level test: %d %s", status, raw)
	}
	type place struct {
		ID          string
		Status      string
		Position    *int
		PlaceIsFree bool `json:"place_is_free"`
	}
	status, raw = a.do("POST", "/v1/participants/"+sara+"/course-places", "an", map[string]any{"course_id": course})
	var p place
	_ = json.Unmarshal(raw, &p)
	if status != http.StatusCreated || p.Position == nil || *p.Position != 2 || p.PlaceIsFree {
		t.Fatalf("Sara on the list, second (same day, referred later): %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places/"+p.ID+"/enrolment", "an", map[string]any{}); status != http.StatusConflict ||
		!strings.Contains(string(raw), `"course_id"`) {
		t.Errorf("enrolled while the course is full: %d %s", status, raw)
	}

	// A place frees: it goes to the first on the list, not Sara.
	status, raw = a.do("POST", "/v1/participants/"+enrolled[0]+"/course-places/"+enrolled[0]+"/end", "coordinator", map[string]any{"status": "stopped"})
	var ended struct{ Next []string }
	_ = json.Unmarshal(raw, &ended)
	if status != http.StatusOK || len(ended.Next) != 1 || ended.Next[0] != waiting {
		t.Fatalf("a place frees for the first: %d %s", status, raw)
	}
	// The first withdraws: the free place is Sara's.
	status, raw = a.do("POST", "/v1/participants/"+waiting+"/course-places/"+waiting+"/end", "coordinator", map[string]any{"status": "withdrawn"})
	ended.Next = nil
	_ = json.Unmarshal(raw, &ended)
	if status != http.StatusOK || len(ended.Next) != 1 || ended.Next[0] != sara {
		t.Fatalf("the place goes to Sara: %d %s", status, raw)
	}
	var lit struct{ Places []place }
	status, raw = a.do("GET", "/v1/participants/"+sara+"/literacy", "an", nil)
	_ = json.Unmarshal(raw, &lit)
	if status != http.StatusOK || len(lit.Places) != 1 || !lit.Places[0].PlaceIsFree || *lit.Places[0].Position != 1 {
		t.Fatalf("Sara's place is free: %d %s", status, raw)
	}
	var events int
	if err := a.db.QueryRow(ctx, `SELECT count(*) FROM timeline_events WHERE participant_id = $1 AND kind = 'course_place_free'`, sara).Scan(&events); err != nil || events != 1 {
		t.Errorf("Sara's timeline tells the free place once: %d %v", events, err)
	}
	status, raw = a.do("POST", "/v1/participants/"+sara+"/course-places/"+p.ID+"/enrolment", "an", map[string]any{})
	p = place{}
	_ = json.Unmarshal(raw, &p)
	if status != http.StatusOK || p.Status != "enrolled" {
		t.Fatalf("Sara enrols: %d %s", status, raw)
	}

	// One course at a time, and at most two waiting lists.
	second, third, fourth := newCourse("FLE A1", 0), newCourse("FLE A2", 0), newCourse("FLE B1", 1)
	for _, c := range []string{second, third} {
		if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places", "an", map[string]any{"course_id": c}); status != http.StatusCreated {
			t.Fatalf("on a list: %d %s", status, raw)
		}
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places", "an", map[string]any{"course_id": fourth}); status != http.StatusConflict ||
		!strings.Contains(string(raw), `"course_id"`) || !strings.Contains(string(raw), "too_many_lists") {
		t.Errorf("a third list: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places", "an", map[string]any{"course_id": second}); status != http.StatusConflict ||
		!strings.Contains(string(raw), "on_this_list") {
		t.Errorf("the same list twice: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places/"+p.ID+"/end", "an", map[string]any{"status": "completed"}); status != http.StatusOK {
		t.Fatalf("Sara completes: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/participants/"+sara+"/course-places/"+p.ID+"/end", "an", map[string]any{"status": "completed"}); status != http.StatusConflict ||
		!strings.Contains(string(raw), `"status"`) {
		t.Errorf("completed twice: %d %s", status, raw)
	}

	// A seeded year: 3 level tests, 3 enrolments on one course after 10,
	// 20 and 40 days, one completed: the median wait is 20 days.
	if _, err := a.db.Exec(ctx, `
		INSERT INTO level_tests (id, participant_id, centre_id, tested_on, level, author_id)
		SELECT gen_random_uuid(), $1, 'molenbeek', d, 'a1', $2 FROM unnest(ARRAY['2025-02-01', '2025-06-01', '2025-12-31']::date[]) d`,
		sara, a.fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(ctx, `
		INSERT INTO course_places (id, participant_id, centre_id, course_id, status, since, enrolled_on, ended_on, referred_by)
		SELECT gen_random_uuid(), p, 'molenbeek', $2, s, '2025-03-01', '2025-03-01'::date + w, e, $1
		FROM (VALUES ($3::uuid, 10, 'completed', '2025-06-30'::date), ($4::uuid, 20, 'stopped', '2025-05-01'::date), ($5::uuid, 40, 'stopped', '2026-01-10'::date)) v(p, w, s, e)`,
		a.fx.CoordinatorID, fourth, enrolled[1], enrolled[2], enrolled[3]); err != nil {
		t.Fatal(err)
	}
	var f struct {
		LevelTests int `json:"level_tests"`
		Enrolments int
		Completed  int
		Stopped    int
		Courses    []struct {
			CourseID   string   `json:"course_id"`
			Enrolments int      `json:"enrolments"`
			Median     *float64 `json:"median_wait_days"`
		}
	}
	status, raw = a.do("GET", "/v1/stats/literacy?year=2025", "coordinator", nil)
	_ = json.Unmarshal(raw, &f)
	if status != http.StatusOK || f.LevelTests != 3 || f.Enrolments != 3 || f.Completed != 1 || f.Stopped != 1 {
		t.Fatalf("2025's figures: %d %s", status, raw)
	}
	for _, c := range f.Courses {
		if c.CourseID == fourth && (c.Enrolments != 3 || c.Median == nil || *c.Median != 20) {
			t.Errorf("the course's median wait: %s", raw)
		}
	}
	if status, raw := a.do("GET", "/v1/stats/literacy?year=soon", "coordinator", nil); status != http.StatusBadRequest || !strings.Contains(string(raw), `"year"`) {
		t.Errorf("a malformed year: %d %s", status, raw)
	}
	if status, raw := a.do("GET", "/v1/literacy/courses/"+course+"/waiting-list", "an", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor reads the whole list: %d %s", status, raw)
	}
}
