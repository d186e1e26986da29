package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

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

// The literacy pages in Chromium, as the flow has them: a
// coordinator adds a partner with a course of 12 places; a counsellor
// records a level test and puts a person on its waiting list (position
// shown), and a second referral to it is refused next to the field; when
// a place frees, the person appears in that counsellor's My work; they
// enrol and complete the course. The 11 other places are filled through
// the store (the test stays fast). Both pages are axe-clean in nl and fr.
func TestLiteracyInTheBrowser(t *testing.T) {
	ctx := newChrome(t)
	axe := axeSource(t)
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	bg := context.Background()
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	amina := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Amina")
	// The browser starts with the test's context, not with a step's.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			step, cancel := context.WithTimeout(ctx, testenv.EventuallyDeadline)
			err := chromedp.Do(step, a)
			cancel()
			if err != nil {
				text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
				t.Fatalf("%s: %v\n%s", what, err, text)
			}
		}
	}
	set := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(sel), value)
	}
	main := func() string {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	// send opens a form (by its id's start), sends it and waits for text.
	send := func(form, want string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do("open "+form, chromedp.WaitVisible(chromedp.CSS(`[id^="form-`+form+`"] summary`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('[id^="form-`+form+`"]').open = true`))
		do("fill "+form, fill...)
		do("send "+form, chromedp.Click(chromedp.CSS(`[id^="form-`+form+`"] button[type="submit"]`)))
		ok, err := pollUntil(ctx, `document.querySelector("main") !== null && document.querySelector("main").textContent.includes(`+strconvQuoteJS(want)+`)`)
		if err != nil || !ok {
			t.Fatalf("%s: no %q (%v):\n%s", form, want, err, main())
		}
	}
	signIn := func(id string) {
		t.Helper()
		do("sign in", chromedp.Navigate(srv.URL+"/signin"),
			chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+id+`"] + button`)),
			chromedp.WaitVisible(chromedp.CSS(`.who`)))
	}
	bothLanguages := func(page, shot string) {
		t.Helper()
		for _, lang := range []string{"nl", "fr"} {
			checkLanguage(t, ctx, srv.URL, lang)
			checkAxe(t, ctx, axe, page+" "+lang)
			if *updateScreenshots {
				screenshot(t, ctx, shot+"-"+lang+".png")
			}
		}
		checkLanguage(t, ctx, srv.URL, "nl")
	}

	// The coordinator: a partner, and its course of 12 places.
	signIn(fx.CoordinatorID)
	do("the courses page", chromedp.Navigate(srv.URL+"/literacy"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	send("savePartner", "Opgeslagen: Lire et Écrire", set(`#savePartner-name`, "Lire et Écrire"))
	partners, err := st.Partners(bg, fx.CentreID)
	if err != nil || len(partners) != 1 {
		t.Fatalf("partners %v %v", partners, err)
	}
	send("saveCourse", "Opgeslagen: Alfa dag", set(`#saveCourse-partner_id`, partners[0].ID), set(`#saveCourse-name`, "Alfa dag"),
		set(`#saveCourse-kind`, "literacy"), set(`#saveCourse-places`, "12"))
	courses, err := st.Courses(bg, fx.CentreID, "")
	if err != nil || len(courses) != 1 || courses[0].Places != 12 {
		t.Fatalf("courses %v %v", courses, err)
	}
	course := courses[0].ID
	// The course is full: 12 others enrolled (the store's writes).
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var others []string
	for i := range 12 {
		p := seedDeadlines(t, st, fx.CentreID, fx.Counsellor2ID, "Ander"+string(rune('A'+i)))
		if err := st.Refer(bg, store.Referral{ID: p, ParticipantID: p, CentreID: fx.CentreID, CourseID: course, ActorID: fx.Counsellor2ID,
			Since: today.AddDate(0, 0, -30), MaxLists: 2}); err != nil {
			t.Fatal(err)
		}
		if err := st.Enrol(bg, p, p, fx.Counsellor2ID, today); err != nil {
			t.Fatal(err)
		}
		others = append(others, p)
	}

	// The counsellor: a level test, then the waiting list.
	signIn(fx.CounsellorID)
	do("the dossier", chromedp.Navigate(srv.URL+"/dossiers/"+amina), chromedp.WaitVisible(chromedp.CSS(`#literacy`)))
	send("recordLevelTest", "Getest op", set(`#recordLevelTest-level`, "alfa_a"))
	send("referToCourse", "Alfa dag (bij Lire et Écrire): plaats 1 op de lijst", set(`#referToCourse-course_id`, course))
	bothLanguages("the dossier's literacy", "dossier-literacy")
	// On the list already: refused, said next to the field.
	send("referToCourse", "de persoon wacht al op deze cursus", set(`#referToCourse-course_id`, course))
	if msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#referToCourse-course_id-error") || {}).textContent || ""`)); err != nil || msg == "" {
		t.Errorf("the refusal is not next to the course (%v):\n%s", err, main())
	}
	checkAxe(t, ctx, axe, "the dossier's literacy with a refusal")

	// The coordinator sees the list with Amina first.
	signIn(fx.CoordinatorID)
	do("the courses page", chromedp.Navigate(srv.URL+"/literacy"), chromedp.WaitVisible(chromedp.CSS(`#course-`+course)))
	if text := main(); !strings.Contains(text, "12 van 12 plaatsen bezet") || !strings.Contains(text, "Test Amina") {
		t.Errorf("the course's places or list are missing:\n%s", text)
	}
	bothLanguages("the courses page", "literacy-partners")

	// A place frees: Amina is her counsellor's to-do.
	if _, err := st.EndPlace(bg, others[0], others[0], fx.Counsellor2ID, "completed", today); err != nil {
		t.Fatal(err)
	}
	signIn(fx.CounsellorID)
	do("my work", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#places`)))
	if text := main(); !strings.Contains(text, "Er is een plaats vrij in Alfa dag: schrijf Amina Test in") {
		t.Fatalf("my work does not say the place is free:\n%s", text)
	}
	do("to the dossier", chromedp.Click(chromedp.CSS(`main a[href="/dossiers/`+amina+`#literacy"]`)), chromedp.WaitVisible(chromedp.CSS(`#literacy`)))
	send("enrolInCourse", "Volgt Alfa dag (bij Lire et Écrire) sinds")
	send("endCoursePlace", "cursus voltooid", set(`[id^="form-endCoursePlace"] select`, "completed"))
	if text := main(); !strings.Contains(text, "Volgt geen cursus.") {
		t.Errorf("the course is still current:\n%s", text)
	}
}

// seedLiteracy gives the pages a partner's course of one place with its
// level tests: first enrolled, second waiting, so the codes of levels,
// kinds and statuses are on the pages.
func seedLiteracy(t *testing.T, st *store.Store, fx testenv.Fixture, first, second string) {
	t.Helper()
	ctx := context.Background()
	partner, err := st.SavePartner(ctx, fx.CentreID, "", "Lire et Écrire")
	if err != nil {
		t.Fatal(err)
	}
	places := 1
	course, err := st.SaveCourse(ctx, fx.CentreID, "", store.CourseInput{PartnerID: partner, Name: "Alfa dag", Kind: "literacy", Places: &places})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for i, p := range []string{first, second} {
		if err := st.InsertLevelTest(ctx, uuid.NewString(), p, fx.CentreID, fx.CounsellorID, today, "alfa_a"); err != nil {
			t.Fatal(err)
		}
		if err := st.Refer(ctx, store.Referral{ID: p, ParticipantID: p, CentreID: fx.CentreID, CourseID: course, ActorID: fx.CounsellorID,
			Since: today.AddDate(0, 0, i-10), MaxLists: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Enrol(ctx, first, first, fx.CounsellorID, today); err != nil {
		t.Fatal(err)
	}
}
