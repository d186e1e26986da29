package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// When a place frees on a course, the next person on its list becomes
// their counsellor's to-do in My work, in words, linking to the dossier;
// a colleague's My work does not list them.
func TestFreePlaceInMyWork(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	places := 1
	course, err := st.SaveCourse(ctx, fx.CentreID, "", store.CourseInput{Name: "Alfa dag", Kind: "literacy", Places: &places})
	if err != nil {
		t.Fatal(err)
	}
	first := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Eerste")
	second := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Tweede")
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for i, p := range []string{first, second} {
		if err := st.Refer(ctx, store.Referral{ID: p, ParticipantID: p, CentreID: fx.CentreID, CourseID: course, ActorID: fx.CounsellorID,
			Since: today.AddDate(0, 0, i-10), MaxLists: 2}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	counsellor := newBrowserSignedIn(t, h, fx.CounsellorID)
	_, page, _ := counsellor.do("GET", "/", nil)
	if s := pageSection(t, page, "places"); !strings.Contains(s, "Er is een plaats vrij in Alfa dag: schrijf Eerste Test in") ||
		!strings.Contains(s, "/dossiers/"+first+"#literacy") || strings.Contains(s, "Tweede") {
		t.Fatalf("the first on the list is not the counsellor's to-do:\n%s", s)
	}
	if err := st.Enrol(ctx, first, first, fx.CounsellorID, today); err != nil {
		t.Fatal(err)
	}
	_, page, _ = counsellor.do("GET", "/", nil)
	if strings.Contains(page, `id="places"`) {
		t.Error("the course is full, yet a place is listed free")
	}
	next, err := st.EndPlace(ctx, first, first, fx.CounsellorID, "completed", today)
	if err != nil || len(next) != 1 || next[0] != second {
		t.Fatalf("the place goes to %v (%v)", next, err)
	}
	_, page, _ = counsellor.do("GET", "/", nil)
	if s := pageSection(t, page, "places"); !strings.Contains(s, "schrijf Tweede Test in") {
		t.Errorf("the next person is not the counsellor's to-do:\n%s", s)
	}
	colleague := newBrowserSignedIn(t, h, fx.Counsellor2ID)
	if _, page, _ = colleague.do("GET", "/", nil); strings.Contains(page, "Tweede") {
		t.Error("a colleague's My work lists another counsellor's person")
	}
}
