package web

import (
	"slices"
	"strconv"

	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"

	"github.com/go-chi/chi/v5/middleware"
)

// parseTemplates makes one template set per page: the layout with the
// page's own blocks.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"longDate": longDate,
		// lastDay is the day a deadline passing at the midnight after it
		// falls on, as the e-mails write it; dueDay that day, in Brussels.
		"lastDay":        func(lang string, due time.Time) string { return longDate(lang, dueDay(due)) },
		"dueDay":         dueDay,
		"shortDate":      shortDate,
		"has":            func(list []string, s string) bool { return slices.Contains(list, s) },
		"nationalNumber": formatNationalNumber,
		"deref":          func(s *string) string { return *s },
		"deref1":         func(n *int) int { return *n },
		"derefBool":      func(b *bool) bool { return b != nil && *b },
		"clock":          clock,
		"mailKind":       mailKind,
		// The words for codes (words.go) and months in words.
		"function":        functionName,
		"training":        trainingName,
		"role":            roleName,
		"regime":          regimeName,
		"auditAction":     auditAction,
		"auditObject":     auditObject,
		"auditOutcome":    auditOutcome,
		"groupKey":        groupKey,
		"month":           monthName,
		"functionOptions": functionOptions,
		"failure":         failureReason,
		"event":           eventLabel,
		"hasPrefix":       strings.HasPrefix,
		"list":            func(s ...string) []string { return s },
		"inc":             func(n int) int { return n + 1 },
		// trainingsDue counts a worker's trainings still to do.
		"trainingsDue": func(ts []store.Training) int {
			n := 0
			for _, tr := range ts {
				if tr.DoneOn == nil {
					n++
				}
			}
			return n
		},
		"hostFormOf": func(pg page, f hostForm, action string) any {
			v, _ := pg.Data.(hostsView)
			return struct {
				Form      hostForm
				Action    string
				Languages []option
				T         func(string, ...any) string
				Lang      string
			}{f, action, v.Language, pg.T, pg.Lang}
		},
		// pct writes a share as Belgians read it: 68,68 % (a no-break
		// space before the sign).
		"pct":      func(p stats.Percent) string { return p.Format(',') + "\u00a0%" },
		"derefPct": func(p *stats.Percent) stats.Percent { return *p },
		"days": func(d *float64) string {
			return strings.Replace(strconv.FormatFloat(*d, 'f', 1, 64), ".", ",", 1)
		},
		"csvLinks": func(pg page, report string) any {
			v, _ := pg.Data.(statsView)
			return struct {
				Report, From, To string
				T                func(string, ...any) string
			}{report, v.FromValue, v.ToValue, pg.T}
		},
		// letterList hands a list of kept letters to the "letterlist"
		// template with the page's T.
		"letterList": func(T func(string, ...any) string, lang string, l []keptLetter) any {
			return struct {
				T       func(string, ...any) string
				Lang    string
				Letters []keptLetter
			}{T, lang, l}
		},
		// formOf hands one form to the "form" template with the page's T.
		"formOf": func(T func(string, ...any) string, f formView) any {
			return struct {
				Form formView
				T    func(string, ...any) string
			}{f, T}
		},
		// noteOf hands one note to the "note" template with the page.
		"noteOf": func(pg page, n noteView) any {
			return struct {
				Note noteView
				T    func(string, ...any) string
				Lang string
			}{n, pg.T, pg.Lang}
		},
		// dateOf reads a YYYY-MM-DD day for longDate.
		"dateOf": dateOf,
		"chartOf": func(pg page, c chart, table string) any {
			return struct {
				Chart        chart
				Table, Colon string
			}{c, table, pg.T("punct.colon")}
		},
	}
	pagesFiles, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range pagesFiles {
		name := path.Base(f)
		if name == "layout.html" {
			continue
		}
		tmpl, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts/*.html", f)
		if err != nil {
			return nil, err
		}
		out[name] = tmpl
	}
	return out, nil
}

// page is what every template gets: the language, the translator, the
// signed-in user (if any) and the page's own data.
type page struct {
	Lang  string
	Title string
	// User is empty on the sign-in and error pages.
	User *viewer
	Data any
	// T translates a message: {{call $.T "key" args}}; N a counted one,
	// in the form for n: {{call $.N "key" n args}}.
	T func(key string, args ...any) string
	N func(key string, n int, args ...any) string
	// Path is the request's path, to come back to after a language switch.
	Path      string
	RequestID string
	// Nav is the viewer's menu (routes.go).
	Nav []navEntry
}

// render writes a page; a template error is a 500, never half a page.
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) {
	lang := p.lang(r)
	pg := page{Lang: lang, Data: data, Path: backPath(r), RequestID: middleware.GetReqID(r.Context()),
		T: func(key string, args ...any) string { return t(lang, key, args...) },
		N: func(key string, n int, args ...any) string { return tn(lang, key, n, args...) }}
	pg.Title = t(lang, titleKey)
	if v, ok := viewerFrom(r.Context()); ok {
		pg.User = &v
		pg.Nav = nav(v, r.URL.Path)
	}
	var buf bytes.Buffer
	if err := p.templates[name].Execute(&buf, pg); err != nil {
		p.logger.ErrorContext(r.Context(), "template failed", "page", name, "request_id", pg.RequestID, "err", err)
		http.Error(w, "internal error "+pg.RequestID, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", lang)
	if r.Header.Get("HX-Request") == "true" {
		// htmx shows the address of what it swapped in: a page read, or
		// the page a form was sent back to; never a form's POST address.
		push := "false"
		if r.Method == http.MethodGet {
			push = r.URL.RequestURI()
		}
		w.Header().Set("HX-Push-Url", push)
		w.Header().Add("Vary", "HX-Request")
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (p *pages) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	p.render(w, r, status, "error.html", "error.title", message)
}

// backPath is where the language switch returns to: this page, or for a
// form sent back (a POST) the page it was sent from.
func backPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/") {
		return ref.RequestURI()
	}
	return "/"
}
