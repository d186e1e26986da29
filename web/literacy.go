package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// Literacy (phase 2) in the pages: the partners and their courses with
// their places and waiting lists, with the year's figures (coordinators
// and administrators), and a dossier's level tests and course places with
// their forms. Every write is casework's, the API's own.

// The literacy forms, as the pages name them.
const (
	opSavePartner     = "savePartner"
	opSaveCourse      = "saveCourse"
	opRecordLevelTest = "recordLevelTest"
	opReferToCourse   = "referToCourse"
	opEnrolInCourse   = "enrolInCourse"
	opEndCoursePlace  = "endCoursePlace"
)

var (
	partnerFields = []field{{Name: "name", Kind: "text", Required: true, Label: "literacy.partner.name"}}
	placeOnField  = field{Name: "on", Kind: "date", Label: "literacy.field.on", Hint: "literacy.hint.today"}
)

func courseFields(partners []option) []field {
	return []field{
		{Name: "partner_id", Kind: "select", Options: append([]option{{"", "literacy.own"}}, partners...), Label: "literacy.field.partner"},
		{Name: "name", Kind: "text", Required: true, Label: "literacy.course.name"},
		{Name: "kind", Kind: "select", Required: true, Options: options("course.kind", store.CourseKinds...), Label: "literacy.field.kind"},
		{Name: "places", Kind: "number", Required: true, Label: "literacy.field.places"},
	}
}

func levelTestFields(levels []string) []field {
	return []field{
		{Name: "tested_on", Kind: "date", Required: true, Label: "literacy.field.tested_on"},
		{Name: "level", Kind: "select", Required: true, Options: options("level", levels...), Label: "literacy.field.level"},
	}
}

func referFields(courses []option) []field {
	return []field{
		{Name: "course_id", Kind: "select", Required: true, Options: courses, Label: "literacy.field.course"},
		{Name: "since", Kind: "date", Label: "literacy.field.since", Hint: "literacy.hint.today"},
	}
}

// endFields end a place: a wait is withdrawn, a course completed or stopped.
func endFields(status string) []field {
	ends := []string{"completed", "stopped"}
	if status == "waiting" {
		ends = []string{"withdrawn"}
	}
	return []field{{Name: "status", Kind: "select", Required: true, Options: options("course.end", ends...), Label: "literacy.field.end"}, placeOnField}
}

// literacyForms are the literacy forms with all their fields, for the
// catalogue's test.
func literacyForms() []actionForm {
	return []actionForm{
		pageForm(opSavePartner, "literacy.partner.add", partnerFields),
		pageForm(opSavePartner, "literacy.partner.change", partnerFields),
		pageForm(opSaveCourse, "literacy.course.add", courseFields(nil)),
		pageForm(opSaveCourse, "literacy.course.change", courseFields(nil)),
		pageForm(opRecordLevelTest, "literacy.form.level_test", levelTestFields(nil)),
		pageForm(opReferToCourse, "literacy.form.refer", referFields(nil)),
		pageForm(opEnrolInCourse, "literacy.form.enrol", []field{placeOnField}),
		pageForm(opEndCoursePlace, "literacy.form.withdraw", endFields("waiting")),
		pageForm(opEndCoursePlace, "literacy.form.end", endFields("enrolled")),
	}
}

// The words of the literacy codes, for the catalogue's test.
var (
	courseStatuses = []string{"waiting", "enrolled", "completed", "stopped", "withdrawn"}
)

// ---- the partners and courses page ----

type literacyPageView struct {
	Flash, Problem string
	Errors         []fieldView
	Partners       []partnerRow
	Courses        []courseRow
	NewPartner     formView
	NewCourse      formView
	Figures        store.LiteracyFigures
	Medians        map[string]string
	Year           int
	Years          []int
}

type partnerRow struct {
	store.Partner
	Form formView
}

type courseRow struct {
	store.Course
	KindWords string
	List      []store.WaitingEntry
	Form      formView
}

func (p *pages) literacyPage(w http.ResponseWriter, r *http.Request) {
	p.showLiteracy(w, r, http.StatusOK, nil)
}

func (p *pages) showLiteracy(w http.ResponseWriter, r *http.Request, status int, sent *submission) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	ctx := r.Context()
	today := time.Now().In(brussels)
	year := today.Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= year {
		year = y
	}
	partners, err := p.store.Partners(ctx, v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	courses, err := p.store.Courses(ctx, v.CentreID, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	figures, err := p.store.LiteracyFiguresOf(ctx, v.CentreID, year)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_waiting_list", "centre", v.CentreID) || !p.audit(w, r, "read_literacy_stats", "centre", v.CentreID) {
		return
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	view := literacyPageView{Figures: figures, Year: year, Medians: map[string]string{}}
	for y := today.Year(); y > today.Year()-5; y-- {
		view.Years = append(view.Years, y)
	}
	for _, c := range figures.Courses {
		if c.MedianWait != nil {
			view.Medians[c.CourseID] = strings.TrimSuffix(strings.TrimSuffix(strconv.FormatFloat(*c.MedianWait, 'f', 1, 64), "0"), ".")
		}
	}
	var partnerOptions []option
	for _, pt := range partners {
		partnerOptions = append(partnerOptions, option{pt.ID, pt.Name})
		op := opSavePartner + "-" + pt.ID
		fv := newFormView(lang, pageForm(op, "literacy.partner.change", partnerFields), 0, "/literacy/partners/"+pt.ID, sent)
		if sent == nil || sent.Operation != op {
			fv.Fields[0].Value = pt.Name
		}
		view.Partners = append(view.Partners, partnerRow{Partner: pt, Form: fv})
	}
	for _, c := range courses {
		waiting, err := p.store.WaitingList(ctx, v.CentreID, c.ID, day)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		op := opSaveCourse + "-" + c.ID
		fv := newFormView(lang, pageForm(op, "literacy.course.change", courseFields(partnerOptions)), 0, "/literacy/courses/"+c.ID, sent)
		if sent == nil || sent.Operation != op {
			fv.Fields[0].Value = deref(c.PartnerID)
			fv.Fields[1].Value = c.Name
			fv.Fields[2].Value = c.Kind
			fv.Fields[3].Value = strconv.Itoa(c.Places)
		}
		view.Courses = append(view.Courses, courseRow{Course: c, KindWords: t(lang, "course.kind."+c.Kind), List: waiting, Form: fv})
	}
	view.NewPartner = newFormView(lang, pageForm(opSavePartner, "literacy.partner.add", partnerFields), 0, "/literacy/partners", sent)
	view.NewCourse = newFormView(lang, pageForm(opSaveCourse, "literacy.course.add", courseFields(partnerOptions)), 0, "/literacy/courses", sent)
	if sent != nil {
		all := []formView{view.NewPartner, view.NewCourse}
		for _, pr := range view.Partners {
			all = append(all, pr.Form)
		}
		for _, c := range view.Courses {
			all = append(all, c.Form)
		}
		view.Problem, view.Errors = sent.Problem, formErrors(all)
	} else {
		view.Flash = p.sessions.PopString(ctx, sessionFlash)
	}
	p.render(w, r, status, "literacy.html", "literacy.title", view)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// savePartner adds (POST /literacy/partners) or renames a partner.
func (p *pages) savePartner(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	op := opSavePartner
	if id != "" {
		op += "-" + id
	}
	p.literacyWrite(w, r, op, partnerFields, func(caller casework.Caller) (string, error) {
		var in casework.PartnerInput
		if err := readForm(partnerFields, r.PostForm, &in, p.loc); err != nil {
			return "", err
		}
		_, err := p.work.SavePartner(r.Context(), caller, id, in)
		return in.Name, err
	})
}

// saveCourse adds (POST /literacy/courses) or changes a course.
func (p *pages) saveCourse(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	op := opSaveCourse
	if id != "" {
		op += "-" + id
	}
	fields := courseFields(nil)
	p.literacyWrite(w, r, op, fields, func(caller casework.Caller) (string, error) {
		var in store.CourseInput
		if err := readForm(fields, r.PostForm, &in, p.loc); err != nil {
			return "", err
		}
		_, err := p.work.SaveCourse(r.Context(), caller, id, in)
		return in.Name, err
	})
}

func (p *pages) literacyWrite(w http.ResponseWriter, r *http.Request, op string, fields []field, write func(casework.Caller) (string, error)) {
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	name, err := write(p.caller(r))
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "literacy.saved", name))
		http.Redirect(w, r, "/literacy", http.StatusSeeOther)
		return
	}
	f := casework.Explain(err)
	if !f.Refused() || f.Status == http.StatusForbidden || f.Status == http.StatusNotFound {
		p.failed(w, r, err, f)
		return
	}
	sent := &submission{Operation: op, Values: r.PostForm, Fields: map[string]string{}, Problem: shortFailureMessage(lang, f)}
	sent.place(lang, f, fields)
	p.showLiteracy(w, r, f.Status, sent)
}

// ---- the dossier's literacy section ----

// literacyView is the dossier's literacy section.
type literacyView struct {
	Shown     bool
	Tests     []levelTestRow
	Waiting   []placeRow
	Current   []placeRow
	History   []placeRow
	TestForm  *formView
	ReferForm *formView
}

type levelTestRow struct {
	On    time.Time
	Level string
}

type placeRow struct {
	store.CoursePlace
	CourseWords, StatusWords string
	Since, Enrolled, Ended   time.Time
	Enrol, End               *formView
}

func day(s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	d, _ := time.ParseInLocation(time.DateOnly, *s, brussels)
	return d
}

// literacySection builds the dossier's literacy section: nothing for a
// viewer casework does not let read it.
func (p *pages) literacySection(w http.ResponseWriter, r *http.Request, v viewer, id string, sent *submission) (literacyView, bool) {
	lang := p.lang(r)
	lit, err := p.work.ReadLiteracy(r.Context(), p.caller(r), id)
	if errors.Is(err, casework.ErrForbidden) {
		return literacyView{}, true
	}
	if err != nil {
		p.fail(w, r, err)
		return literacyView{}, false
	}
	if !p.audit(w, r, "read_literacy", "participant", id) {
		return literacyView{}, false
	}
	view := literacyView{Shown: true}
	for _, lt := range lit.LevelTests {
		view.Tests = append(view.Tests, levelTestRow{On: day(&lt.TestedOn), Level: t(lang, "level."+lt.Level)})
	}
	writer := slices.Contains(dossierWriters, v.Role)
	base := "/dossiers/" + url.PathEscape(id) + "/literacy"
	following := false
	for _, pl := range lit.Places {
		following = following || pl.Status == "enrolled"
	}
	for _, pl := range lit.Places {
		row := placeRow{CoursePlace: pl, StatusWords: t(lang, "course.status."+pl.Status),
			Since: day(&pl.Since), Enrolled: day(pl.EnrolledOn), Ended: day(pl.EndedOn)}
		row.CourseWords = pl.Course.Name
		if pl.Course.PartnerName != nil {
			row.CourseWords = t(lang, "literacy.course_at", pl.Course.Name, *pl.Course.PartnerName)
		}
		if writer && (pl.Status == "waiting" || pl.Status == "enrolled") {
			if pl.Status == "waiting" && pl.PlaceIsFree && !following {
				fv := newFormView(lang, pageForm(opEnrolInCourse+"-"+pl.ID, "literacy.form.enrol", []field{placeOnField}), 0, base+"/places/"+pl.ID+"/enrol", sent)
				fv.SubmitKey = "literacy.enrol"
				row.Enrol = &fv
			}
			title := "literacy.form.end"
			if pl.Status == "waiting" {
				title = "literacy.form.withdraw"
			}
			fv := newFormView(lang, pageForm(opEndCoursePlace+"-"+pl.ID, title, endFields(pl.Status)), 0, base+"/places/"+pl.ID+"/end", sent)
			row.End = &fv
		}
		switch pl.Status {
		case "waiting":
			view.Waiting = append(view.Waiting, row)
		case "enrolled":
			view.Current = append(view.Current, row)
		default:
			view.History = append(view.History, row)
		}
	}
	if writer {
		pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
		if err != nil {
			p.fail(w, r, err)
			return literacyView{}, false
		}
		fv := newFormView(lang, pageForm(opRecordLevelTest, "literacy.form.level_test", levelTestFields(pol.Literacy.Levels)), 0, base+"/level-tests", sent)
		if sent == nil || sent.Operation != opRecordLevelTest {
			fv.Fields[0].Value = time.Now().In(brussels).Format(time.DateOnly)
		}
		view.TestForm = &fv
		courses, err := p.store.Courses(r.Context(), v.CentreID, "")
		if err != nil {
			p.fail(w, r, err)
			return literacyView{}, false
		}
		if len(courses) > 0 {
			var opts []option
			for _, c := range courses {
				label := c.Name
				if c.PartnerName != nil {
					label = t(lang, "literacy.course_at", c.Name, *c.PartnerName)
				}
				opts = append(opts, option{c.ID, label + " — " + tn(lang, "literacy.places_free", c.Free) + ", " + tn(lang, "literacy.waiting_count", c.Waiting)})
			}
			fv := newFormView(lang, pageForm(opReferToCourse, "literacy.form.refer", referFields(opts)), 0, base+"/referrals", sent)
			view.ReferForm = &fv
		}
	}
	return view, true
}

// allForms are the section's forms, for the error summary.
func (l literacyView) allForms() []formView {
	var out []formView
	for _, f := range []*formView{l.TestForm, l.ReferForm} {
		if f != nil {
			out = append(out, *f)
		}
	}
	for _, rows := range [][]placeRow{l.Waiting, l.Current} {
		for _, row := range rows {
			for _, f := range []*formView{row.Enrol, row.End} {
				if f != nil {
					out = append(out, *f)
				}
			}
		}
	}
	return out
}

// dossierLiteracyWrite serves a literacy form of the dossier page.
func (p *pages) dossierLiteracyWrite(w http.ResponseWriter, r *http.Request, op string, fields []field, done string, write func(casework.Caller) error) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	caller := p.caller(r)
	caller.Key = r.PostFormValue("key")
	err := write(caller)
	if err == nil {
		if done != "" {
			p.sessions.Put(r.Context(), sessionFlash, done)
		}
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#literacy", http.StatusSeeOther)
		return
	}
	f := casework.Explain(err)
	if !f.Refused() || f.Status == http.StatusForbidden || f.Status == http.StatusNotFound {
		p.failed(w, r, err, f)
		return
	}
	sent := &submission{Operation: op, Values: r.PostForm, Fields: map[string]string{}, Problem: shortFailureMessage(lang, f)}
	sent.place(lang, f, fields)
	p.showDossier(w, r, id, f.Status, sent)
}

func (p *pages) recordLevelTest(w http.ResponseWriter, r *http.Request) {
	fields := levelTestFields(nil)
	p.dossierLiteracyWrite(w, r, opRecordLevelTest, fields, t(p.lang(r), "form.saved", t(p.lang(r), "literacy.form.level_test")), func(c casework.Caller) error {
		var in casework.LevelTestInput
		if err := readForm(fields, r.PostForm, &in, p.loc); err != nil {
			return err
		}
		_, err := p.work.RecordLevelTest(r.Context(), c, chi.URLParam(r, "id"), in)
		return err
	})
}

func (p *pages) referToCourse(w http.ResponseWriter, r *http.Request) {
	fields := referFields(nil)
	lang := p.lang(r)
	p.dossierLiteracyWrite(w, r, opReferToCourse, fields, "", func(c casework.Caller) error {
		var in casework.ReferralInput
		if err := readForm(fields, r.PostForm, &in, p.loc); err != nil {
			return err
		}
		place, err := p.work.Refer(r.Context(), c, chi.URLParam(r, "id"), in)
		if err == nil && place.Position != nil {
			p.sessions.Put(r.Context(), sessionFlash, t(lang, "literacy.referred", place.Course.Name, fmt.Sprint(*place.Position)))
		}
		return err
	})
}

func (p *pages) enrolInCourse(w http.ResponseWriter, r *http.Request) {
	place := chi.URLParam(r, "place")
	fields := []field{placeOnField}
	p.dossierLiteracyWrite(w, r, opEnrolInCourse+"-"+place, fields, t(p.lang(r), "form.saved", t(p.lang(r), "literacy.form.enrol")), func(c casework.Caller) error {
		var in casework.PlaceStep
		if err := readForm(fields, r.PostForm, &in, p.loc); err != nil {
			return err
		}
		_, err := p.work.Enrol(r.Context(), c, chi.URLParam(r, "id"), place, in)
		return err
	})
}

func (p *pages) endCoursePlace(w http.ResponseWriter, r *http.Request) {
	place := chi.URLParam(r, "place")
	fields := endFields("enrolled")
	fields[0].Options = options("course.end", "completed", "stopped", "withdrawn")
	p.dossierLiteracyWrite(w, r, opEndCoursePlace+"-"+place, fields, t(p.lang(r), "form.saved", t(p.lang(r), "literacy.form.end")), func(c casework.Caller) error {
		var in casework.PlaceStep
		if err := readForm(fields, r.PostForm, &in, p.loc); err != nil {
			return err
		}
		_, err := p.work.EndPlace(r.Context(), c, chi.URLParam(r, "id"), place, in)
		return err
	})
}
