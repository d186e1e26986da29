package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// fieldError is the message a page shows next to the field with the given
// id ("" when there is none).
func fieldError(page, id string) string {
	m := regexp.MustCompile(`(?s)<[a-z]+ [^>]*id="` + regexp.QuoteMeta(id) + `-error"[^>]*>(.*?)</`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// TestLiteracyRefusalsOnTheDossier sends the dossier's literacy forms that
// the rules refuse: a referral past the policy's most waiting lists (said
// next to the course, in Dutch and French), and an enrolment while the
// person follows another course (one at a time, said on the enrolment's
// form); nothing changes.
func TestLiteracyRefusalsOnTheDossier(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	var courses []string
	for _, name := range []string{"Alfa dag", "Alfa avond", "NT2 A1"} {
		places := 5
		id, err := st.SaveCourse(ctx, fx.CentreID, "", store.CourseInput{Name: name, Kind: "literacy", Places: &places})
		if err != nil {
			t.Fatal(err)
		}
		courses = append(courses, id)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	refer := func(person, course string) string {
		t.Helper()
		place := uuid.NewString()
		if err := st.Refer(ctx, store.Referral{ID: place, ParticipantID: person, CentreID: fx.CentreID, CourseID: course, ActorID: fx.CounsellorID,
			Since: today.AddDate(0, 0, -10), MaxLists: 2}); err != nil {
			t.Fatal(err)
		}
		return place
	}
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	places := func(person string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM course_places WHERE participant_id = $1`, person).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// On two waiting lists, the policy's most (literacy.max_waiting_lists).
	waits := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Wachter")
	refer(waits, courses[0])
	refer(waits, courses[1])
	for lang, want := range map[string]string{
		"nl": "de persoon staat al op 2 wachtlijsten, het hoogste aantal dat het beleid toelaat",
		"fr": "la personne est déjà sur 2 listes d&#39;attente, le maximum que la politique permet",
	} {
		if status, _, _ := an.do("POST", "/language", url.Values{"lang": {lang}, "back": {"/"}}); status != http.StatusSeeOther {
			t.Fatalf("language %s: %d", lang, status)
		}
		status, page, _ := an.do("POST", "/dossiers/"+waits+"/literacy/referrals", url.Values{"course_id": {courses[2]}})
		if got := fieldError(page, "referToCourse-course_id"); status != http.StatusConflict || !strings.Contains(got, want) {
			t.Errorf("%s: a third waiting list: %d, at the course %q, want %q", lang, status, got, want)
		}
		if strings.Contains(page, "too_many_lists") || strings.Contains(page, "max_waiting_lists") {
			t.Errorf("%s: the refusal shows a code", lang)
		}
	}
	if n := places(waits); n != 2 {
		t.Errorf("the refused referral was kept: %d places", n)
	}

	// Enrolled on one course, waiting for another: one course at a time.
	an.do("POST", "/language", url.Values{"lang": {"nl"}, "back": {"/"}})
	follows := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Volger")
	if err := st.Enrol(ctx, follows, refer(follows, courses[0]), fx.CounsellorID, today); err != nil {
		t.Fatal(err)
	}
	other := refer(follows, courses[1])
	status, page, _ := an.do("POST", "/dossiers/"+follows+"/literacy/places/"+other+"/enrol", url.Values{"on": {today.Format(time.DateOnly)}})
	// The course is not a field of the enrolment's form: the summary says
	// it, without sending the reader to a field.
	summary := regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?</div>`).FindString(page)
	if status != http.StatusConflict || !strings.Contains(summary, "<p>Dit botst met wat al bewaard is. De persoon volgt al een andere cursus: één cursus tegelijk.</p>") {
		t.Errorf("enrolled elsewhere: %d, the summary says:\n%s", status, summary)
	}
	if strings.Contains(page, "enrolled_elsewhere") {
		t.Error("the refusal shows its code")
	}
	var waiting string
	if err := db.QueryRow(ctx, `SELECT status FROM course_places WHERE id = $1`, other).Scan(&waiting); err != nil || waiting != "waiting" {
		t.Errorf("the refused enrolment changed the place: %q %v", waiting, err)
	}
}

// TestAuditPageBadObject: an object filter the audit log cannot hold (a
// control character) comes back 400 with its message next to the field,
// the field marked invalid, and no entries listed.
func TestAuditPageBadObject(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	admin, err := st.CreateUser(context.Background(), store.User{CentreID: fx.CentreID, Email: "ada@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	ada := newBrowserSignedIn(t, h, admin)
	for lang, want := range map[string]string{"nl": "Het object mag geen stuurtekens bevatten.", "fr": "L&#39;objet ne peut pas contenir de caractères de contrôle."} {
		if status, _, _ := ada.do("POST", "/language", url.Values{"lang": {lang}, "back": {"/"}}); status != http.StatusSeeOther {
			t.Fatalf("language %s: %d", lang, status)
		}
		status, page, _ := ada.do("GET", "/admin/audit?object="+url.QueryEscape("nr.\x01 12"), nil)
		if got := fieldError(page, "a-object"); status != http.StatusBadRequest || got != want {
			t.Errorf("%s: a bad object: %d, at the field %q, want %q", lang, status, got, want)
		}
		if !strings.Contains(page, `aria-invalid="true" aria-describedby="a-object-error"`) {
			t.Errorf("%s: the object field is not marked invalid", lang)
		}
		if strings.Contains(page, "<tbody>") {
			t.Errorf("%s: entries listed for a bad filter", lang)
		}
	}
}
