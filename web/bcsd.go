package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The BCSD's pages: the agenda of hearings, decisions and notifications,
// and a procedure's page with a form for each step.

// procedureForms are the procedure's steps, each offered at the stages
// where its validator accepts it.
func procedureForms() []procedureForm {
	byOp := map[string]casework.Action{}
	for _, a := range casework.Actions {
		byOp[a.OperationID] = a
	}
	at := func(stages ...workflows.SanctionStage) []workflows.SanctionStage { return stages }
	return []procedureForm{
		{actionForm{byOp["scheduleHearing"], "form.schedule_hearing", []field{
			{Name: "invited_on", Kind: "date", Required: true}, {Name: "hearing_at", Kind: "datetime", Required: true}}, nil},
			at(workflows.StageReported, workflows.StageHearingScheduled)},
		{actionForm{byOp["recordHearing"], "form.record_hearing", []field{
			{Name: "held", Kind: "yesno", Required: true, Options: options("held", "true", "false")}}, nil},
			at(workflows.StageHearingScheduled)},
		{actionForm{byOp["recordDecision"], "form.record_decision", []field{
			{Name: "kind", Kind: "select", Required: true, Options: options("decision", workflows.DecisionNone, workflows.DecisionSuspend, workflows.DecisionSuspended)},
			{Name: "months", Kind: "number"}, {Name: "partial", Kind: "checkbox"}, {Name: "decided_on", Kind: "date", Required: true}}, nil},
			at(workflows.StageHeard)},
		{actionForm{byOp["recordNotification"], "form.record_notification", []field{{Name: "notified_on", Kind: "date", Required: true},
			{Name: "registered_number", Kind: "text"}}, nil},
			at(workflows.StageDecided)},
	}
}

type procedureForm struct {
	actionForm
	Stages []workflows.SanctionStage
}

// agendaDay is one meeting date of the agenda with what falls on it.
type agendaDay struct {
	Date  time.Time
	Items []agendaItem
}

type agendaItem struct {
	store.AgendaItem
	Link string
	// Earliest is the first day a hearing may be held after its invitation
	// (the policy's minimum notice); Short tells a hearing planned before it.
	Earliest *time.Time
	Short    bool
}

type agendaView struct {
	From, To       time.Time
	FromValue      string
	Weeks          int
	WeekChoices    []option
	Days           []agendaDay
	Notice         string
	DecisionWithin string
	Counts         map[string]int
}

// agenda lists the hearings of the coming weeks with their invitation and
// the minimum notice, and the decisions and notifications due (overdue
// ones first), grouped per date; printable.
func (p *pages) agenda(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	now := time.Now().In(p.loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, p.loc)
	if d, err := time.ParseInLocation(time.DateOnly, r.URL.Query().Get("from"), p.loc); err == nil {
		from = d
	}
	weeks := 4
	if n, err := strconv.Atoi(r.URL.Query().Get("weeks")); err == nil && n >= 1 && n <= 26 {
		weeks = n
	}
	to := from.AddDate(0, 0, 7*weeks)
	items, err := p.store.Agenda(r.Context(), v.CentreID, from, to)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_agenda", "centre", v.CentreID) {
		return
	}
	view := agendaView{From: from, To: to.AddDate(0, 0, -1), FromValue: from.Format(time.DateOnly), Weeks: weeks, Counts: map[string]int{},
		Notice: periodText(lang, pol.Sanction.HearingNoticeMin), DecisionWithin: periodText(lang, pol.Sanction.DecisionWithin)}
	for _, n := range []int{1, 2, 4, 8, 13} {
		view.WeekChoices = append(view.WeekChoices, option{strconv.Itoa(n), tn(lang, "agenda.weeks.n", n)})
	}
	for _, it := range items {
		item := agendaItem{AgendaItem: it, Link: procedureLink(it.ParticipantID, it.ProcedureID)}
		if it.InvitedOn != nil {
			earliest := pol.Sanction.HearingNoticeMin.After(startOfDay(*it.InvitedOn, p.loc))
			item.Earliest, item.Short = &earliest, it.At.Before(earliest)
		}
		view.Counts[it.Item]++
		// a hearing is at its time; a decision or a notification is due
		// by the end of its last day, kept as the midnight after it
		day := startOfDay(it.At, p.loc)
		if it.Item != "hearing" {
			day = startOfDay(dueDay(it.At), p.loc)
		}
		if it.Overdue {
			day = time.Time{} // overdue items come first, under their own heading
		}
		if n := len(view.Days); n > 0 && view.Days[n-1].Date.Equal(day) {
			view.Days[n-1].Items = append(view.Days[n-1].Items, item)
			continue
		}
		view.Days = append(view.Days, agendaDay{Date: day, Items: []agendaItem{item}})
	}
	// Overdue first, then by date.
	slices.SortStableFunc(view.Days, func(a, b agendaDay) int { return a.Date.Compare(b.Date) })
	p.render(w, r, http.StatusOK, "agenda.html", "agenda.title", view)
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// procedureNumber is n of a participant's procedure ID.
func procedureNumber(participantID, procedureID string) (int, bool) {
	return workflows.SanctionNumber(participantID, procedureID)
}

func procedureLink(participantID, procedureID string) string {
	n, _ := procedureNumber(participantID, procedureID)
	return "/dossiers/" + participantID + "/procedures/" + strconv.Itoa(n)
}

// procedureView is a procedure's page.
type procedureView struct {
	Dossier   store.Dossier
	Procedure store.Procedure
	State     *workflows.SanctionState
	Number    int
	Report    string
	Events    []store.TimelineEntry
	Mail      []store.Notification
	Deadlines []deadlineView
	Forms     []formView
	Letters   lettersView
	Flash     string
	Problem   string
	Errors    []fieldView
}

// procedure shows one sanction procedure of a dossier the viewer may see:
// the report, each step with its dates, the decision and its suspension,
// the appeal window, the letters sent, and the forms of the steps open to
// the viewer at this stage.
func (p *pages) procedure(w http.ResponseWriter, r *http.Request) {
	p.showProcedure(w, r, http.StatusOK, nil)
}

func (p *pages) showProcedure(w http.ResponseWriter, r *http.Request, status int, sent *submission) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n < 1 {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	if err := p.store.VisibleParticipant(r.Context(), v.scope(), id); !p.found(w, r, err) {
		return
	}
	procedureID := workflows.SanctionWorkflowID(id, n)
	proc, err := p.store.Procedure(r.Context(), id, procedureID)
	if !p.found(w, r, err) {
		return
	}
	d, err := p.store.Dossier(r.Context(), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	events, err := p.store.ProcedureEvents(r.Context(), id, procedureID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	mail, err := p.store.ParticipantNotifications(r.Context(), id, 0, 200)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_procedure", "participant", id) {
		return
	}
	view := procedureView{Dossier: d, Procedure: proc, Number: n, Events: events}
	for _, m := range mail {
		if isSanctionMail(m.Kind) {
			view.Mail = append(view.Mail, m)
		}
	}
	if len(proc.State) > 0 {
		var st workflows.SanctionState
		if err := json.Unmarshal(proc.State, &st); err == nil {
			view.State = &st
			for _, dl := range st.Deadlines {
				view.Deadlines = append(view.Deadlines, deadlineView{Deadline: dl, What: notify.Label(string(dl.Kind), lang), Actor: t(lang, "actor."+string(dl.Actor))})
			}
			if st.ReportID != "" {
				if view.Report, err = p.store.NonCooperationReport(r.Context(), id, st.ReportID); err != nil && !errors.Is(err, store.ErrNotFound) {
					p.fail(w, r, err)
					return
				}
			}
		}
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	url := "/dossiers/" + id + "/procedures/" + strconv.Itoa(n) + "/act/"
	for _, f := range procedureForms() {
		if !slices.Contains(f.Action.Roles(), v.Role) || !slices.Contains(f.Stages, workflows.SanctionStage(proc.Stage)) || !pol.Sanction.MayRecordStep(v.Role) {
			continue
		}
		view.Forms = append(view.Forms, newFormView(lang, f.actionForm, proc.Version, url+f.Action.OperationID, sent))
	}
	if view.Letters, err = p.lettersSection(r, id, n, view.State, pol.Sanction.MayRecordStep, d.Language, sent); err != nil {
		p.fail(w, r, err)
		return
	}
	if sent != nil {
		view.Problem, view.Errors = sent.Problem, formErrors(append(slices.Clone(view.Forms), view.Letters.Forms...))
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "procedure.html", "procedure.title", view)
}

// isSanctionMail tells the letters and reminders of the BCSD procedure.
func isSanctionMail(kind string) bool {
	return strings.HasPrefix(kind, "sanction_")
}

// actOnProcedure serves a step's form: POST
// /dossiers/{id}/procedures/{n}/act/{operation}.
func (p *pages) actOnProcedure(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	var form *actionForm
	for _, f := range procedureForms() {
		if f.Action.OperationID == chi.URLParam(r, "operation") {
			form = &f.actionForm
			break
		}
	}
	if form == nil || err != nil || n < 1 {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	if err := p.store.VisibleParticipant(r.Context(), v.scope(), id); !p.found(w, r, err) {
		return
	}
	if _, err := p.store.Procedure(r.Context(), id, workflows.SanctionWorkflowID(id, n)); !p.found(w, r, err) {
		return
	}
	page := "/dossiers/" + id + "/procedures/" + strconv.Itoa(n)
	p.send(w, r, id, n, form, page, func(status int, sent *submission) { p.showProcedure(w, r, status, sent) })
}
