package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
)

// The host organisations of the centre: occupancy of the agreed positions,
// the site's share of Article 60 workers against the ceiling, and (for
// coordinators and administrators) their forms.

// spareRows is how many empty position rows a host's form offers.
const spareRows = 2

type hostsView struct {
	Hosts    []hostRow
	New      hostForm
	CanEdit  bool
	Flash    string
	Problem  string
	Errors   []fieldView
	Ceiling  string
	Language []option
}

type hostRow struct {
	store.Host
	Placement *stats.Placement
	Form      hostForm
}

// hostForm is a host's form: its values, and the errors of a refused one.
type hostForm struct {
	ID, Prefix                            string
	Name, Address, Email, Language, Staff string
	SocialEconomy                         bool
	Positions                             []positionRow
	Errors                                map[string]string
	Open                                  bool
}

type positionRow struct {
	Index               int
	Function, Positions string
}

func formOf(h store.Host) hostForm {
	f := hostForm{ID: h.ID, Prefix: "host-" + h.ID, Name: h.Name, Language: h.Language, SocialEconomy: h.SocialEconomy}
	if h.Address != nil {
		f.Address = *h.Address
	}
	if h.Email != nil {
		f.Email = *h.Email
	}
	if h.Staff != nil {
		f.Staff = strconv.Itoa(*h.Staff)
	}
	for i, p := range h.Positions {
		f.Positions = append(f.Positions, positionRow{i, p.Function, strconv.Itoa(p.Positions)})
	}
	return f.withSpares()
}

func (f hostForm) withSpares() hostForm {
	for range spareRows {
		f.Positions = append(f.Positions, positionRow{Index: len(f.Positions)})
	}
	return f
}

func (p *pages) hosts(w http.ResponseWriter, r *http.Request) {
	p.showHosts(w, r, http.StatusOK, nil, "")
}

// showHosts renders the list; sent is a refused form shown again.
func (p *pages) showHosts(w http.ResponseWriter, r *http.Request, status int, sent *hostForm, problem string) {
	v, _ := viewerFrom(r.Context())
	hosts, err := p.store.Hosts(r.Context(), v.CentreID, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	placements, err := stats.Reports{DB: p.store.Pool()}.Placements(r.Context(), v.CentreID, time.Now(), stats.Percent(pol.Article60.MaxShareOfSiteStaffPct*100))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "list_hosts", "centre", v.CentreID) {
		return
	}
	view := hostsView{CanEdit: may(v, "POST", "/hosts"), Problem: problem, Ceiling: strconv.Itoa(pol.Article60.MaxShareOfSiteStaffPct),
		Language: []option{{"nl", "Nederlands"}, {"fr", "Français"}}}
	view.New = hostForm{Prefix: "host-new", Language: "nl"}.withSpares()
	for _, h := range hosts {
		row := hostRow{Host: h, Form: formOf(h)}
		for i := range placements {
			if placements[i].HostID == h.ID {
				row.Placement = &placements[i]
			}
		}
		if sent != nil && sent.ID == h.ID {
			row.Form = *sent
		}
		view.Hosts = append(view.Hosts, row)
	}
	if sent != nil && sent.ID == "" {
		view.New = *sent
	}
	if sent != nil {
		for field, msg := range sent.Errors {
			view.Errors = append(view.Errors, fieldView{ID: sent.Prefix + "-" + field, Error: msg, field: summaryField(field)})
		}
		slices.SortFunc(view.Errors, func(a, b fieldView) int { return strings.Compare(a.ID, b.ID) })
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "hosts.html", "hosts.title", view)
}

// summaryField names a form field for the error summary's label.
func summaryField(name string) field {
	base, _, _ := strings.Cut(name, "-")
	return field{Name: base}
}

// readHost reads a host's form into its input, keeping what was typed.
func readHost(r *http.Request, f hostForm) (store.HostInput, hostForm, []store.FieldProblem) {
	get := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f.Name, f.Address, f.Email, f.Language, f.Staff = get("name"), get("address"), get("email"), get("language"), get("staff")
	f.SocialEconomy = get("social_economy") != ""
	in := store.HostInput{Name: f.Name, Address: f.Address, Email: f.Email, Language: f.Language, SocialEconomy: f.SocialEconomy}
	var problems []store.FieldProblem
	if f.Staff != "" {
		n, err := strconv.Atoi(f.Staff)
		if err != nil {
			problems = append(problems, domain.Problem("staff", domain.NotWhole))
		}
		in.Staff = &n
	}
	f.Positions = nil
	for i := 0; i < 200; i++ {
		fn, ok := r.PostForm["function-"+strconv.Itoa(i)]
		if !ok {
			break
		}
		n := get("positions-" + strconv.Itoa(i))
		f.Positions = append(f.Positions, positionRow{i, strings.TrimSpace(fn[0]), n})
		if strings.TrimSpace(fn[0]) == "" && n == "" {
			continue // a spare row left empty
		}
		count, err := strconv.Atoi(n)
		if err != nil {
			problems = append(problems, domain.Problem("positions-"+strconv.Itoa(i), domain.NotWhole))
		}
		in.Positions = append(in.Positions, store.HostPosition{Function: strings.TrimSpace(fn[0]), Positions: count})
	}
	return in, f, problems
}

func formHostField(name string, rows []positionRow) string {
	rest, ok := strings.CutPrefix(name, "positions[")
	if !ok {
		return name
	}
	idx, tail, _ := strings.Cut(rest, "]")
	n, _ := strconv.Atoi(idx)
	filled := -1
	for _, row := range rows {
		if row.Function != "" || row.Positions != "" {
			filled++
		}
		if filled == n {
			if tail == ".positions" {
				return "positions-" + strconv.Itoa(row.Index)
			}
			return "function-" + strconv.Itoa(row.Index)
		}
	}
	return name
}

// saveHost creates (POST /hosts) or replaces (POST /hosts/{id}) a host.
func (p *pages) saveHost(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	id := chi.URLParam(r, "id")
	form := hostForm{ID: id, Prefix: "host-new", Open: true}
	if id != "" {
		form.Prefix = "host-" + id
	}
	in, form, problems := readHost(r, form)
	var err error
	if len(problems) > 0 {
		err = &casework.InvalidError{Fields: problems}
	} else {
		id, err = p.work.SaveHost(r.Context(), p.caller(r), id, in)
	}
	if err != nil {
		f := casework.Explain(err)
		if f.Status != http.StatusUnprocessableEntity {
			p.failed(w, r, err, f)
			return
		}
		form.Errors = map[string]string{}
		for _, fp := range f.Fields {
			// positions[i].function is the form's function-i (the
			// index counts only the rows filled in, as the input does).
			form.Errors[formHostField(fp.Field, form.Positions)] = fieldMessage(lang, fp)
		}
		p.showHosts(w, r, f.Status, &form, t(lang, "form.fix"))
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "hosts.saved", in.Name))
	http.Redirect(w, r, "/hosts#host-"+id, http.StatusSeeOther)
}

// archiveHost retires a host without running contracts; while contracts
// run it is refused and says so.
func (p *pages) archiveHost(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	err := p.work.ArchiveHost(r.Context(), p.caller(r), chi.URLParam(r, "id"))
	if f := casework.Explain(err); f.Status == http.StatusConflict {
		p.showHosts(w, r, f.Status, nil, failureMessage(lang, f))
		return
	} else if err != nil {
		p.failed(w, r, err, f)
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "hosts.archived"))
	http.Redirect(w, r, "/hosts", http.StatusSeeOther)
}
