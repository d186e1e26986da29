package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/workflows"
)

// teamRow is one counsellor's load, each count a link to its list.
type teamRow struct {
	ID, Name                string
	Dossiers, Overdue, Week int
}

// team is the coordinators' view of their centre: per counsellor the
// dossiers, those overdue and those due within the week, each count a link
// to the caseload list it counts (the same query).
func (p *pages) team(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	win := windowsAt(time.Now().In(p.loc))
	counts, err := p.store.CaseloadCounts(r.Context(), v.CentreID, win.now, win.endOfWeek)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	names, err := p.counsellorNames(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_team", "centre", v.CentreID) {
		return
	}
	byID := map[string]teamRow{}
	for id, name := range names {
		byID[id] = teamRow{ID: id, Name: name}
	}
	for _, c := range counts {
		row := byID[c.CounsellorID]
		row.ID, row.Dossiers, row.Overdue, row.Week = c.CounsellorID, c.Dossiers, c.Overdue, c.Week
		if row.Name == "" {
			row.Name = c.CounsellorID // no longer a counsellor, still holding dossiers
		}
		byID[c.CounsellorID] = row
	}
	var rows []teamRow
	for _, row := range byID {
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b teamRow) int { return strings.Compare(a.Name, b.Name) })
	p.render(w, r, http.StatusOK, "team.html", "team.title", rows)
}

// reassign moves the dossiers ticked on the caseload to another
// counsellor: one reassignment update each, named after the form's token
// and the dossier, so a resend moves nothing twice. It reports how many
// moved and which did not.
func (p *pages) reassign(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	to := r.PostFormValue("counsellor_id")
	ids := r.PostForm["participant"]
	back := "/caseload"
	if q := r.PostFormValue("filters"); q != "" {
		if _, err := url.ParseQuery(q); err == nil {
			back += "?" + q
		}
	}
	if len(ids) == 0 || to == "" {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "team.reassign.none"))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	moved, failed := 0, 0
	for _, id := range ids {
		if err := p.store.VisibleParticipant(r.Context(), v.scope(), id); err != nil {
			failed++
			continue
		}
		caller := casework.Caller{UserID: v.ID, CentreID: v.CentreID, Role: v.Role, RequestID: middleware.GetReqID(r.Context()),
			Key: r.PostFormValue("key") + "/" + id, Route: "web reassign"}
		var result any
		if err := p.work.Act(r.Context(), caller, id, 0, workflows.UpdateReassignCounsellor, &casework.Reassign{CounsellorID: to}, &result); err != nil {
			failed++
			continue
		}
		moved++
	}
	p.sessions.Put(r.Context(), sessionFlash, tn(lang, "team.reassign.done", moved, failed))
	http.Redirect(w, r, back, http.StatusSeeOther)
}
