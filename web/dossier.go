package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// dossierView is what the dossier page shows.
type dossierView struct {
	// Back links to the caseload as the viewer left it.
	Back       string
	Dossier    store.Dossier
	State      *workflows.State
	Counsellor string
	// Next is each actor's earliest open step, the procedures' included.
	Next      []step
	Deadlines []deadlineView
	Timeline  []store.TimelineEntry
	// Actors name who acted on the timeline's events.
	Actors map[string]store.Actor
	// Mail is what traject sent about the dossier (the latest first page).
	Mail []store.Notification
	// Signals are the problems hosts signalled, with their text.
	Signals []store.Signal
	// Procedures are the dossier's BCSD procedures, the latest first.
	Procedures []procedureRow
	// NextPage links to the timeline's next page, when there is one.
	NextPage string
	// Forms are the writes the viewer may make on the dossier as it stands.
	Forms []formView
	// Flash is the outcome of the last form; Problem the refusal of the
	// one sent back, with its fields in the form.
	Flash, Problem string
	Errors         []fieldView
	// Details are the personal details, their form and change log.
	Details detailsView
	// Notes are the case notes, for those who may read them.
	Notes notesView
	// Records are the records of phases 3 and 4 and civic integration.
	Records recordsView
	// GPMI is the GPMI's content: needs analysis, agreements, reports.
	GPMI gpmiView
	// Exemption is the running exemption's decision, with its reason.
	Exemption *store.Exemption
	// Referral is the contract's referral to the employment service,
	// with its contact.
	Referral *store.EmploymentReferral
	// Letters are the letters produced for the dossier's procedures.
	Letters []keptLetter
	// Literacy are the level tests and course places, with their forms.
	Literacy literacyView
	// FileCheck is the file as the inspection reads it (nil for the BCSD).
	FileCheck *fileCheckPanel
}

type procedureRow struct {
	store.Procedure
	Number int
	Link   string
	State  *workflows.SanctionState
}

type deadlineView struct {
	workflows.Deadline
	What  string
	Actor string
	// Late tells a deadline whose day is over.
	Late bool
}

// timelinePage is how many events the dossier page shows at once.
const timelinePage = 50

// dossier shows one dossier: who, where they stand and since when, who
// must act next and by when; then the open deadlines with their reminders
// and the policy version each was planned with; the GPMI, the Article 60
// contract with the working-days rule its end comes from, the follow-up,
// the BCSD overlay; and the timeline, a page at a time. Another centre's
// dossier, or for a counsellor another's caseload, is a 404 page, and
// every view is audited.
func (p *pages) dossier(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := chi.URLParam(r, "id")
	if err := p.store.VisibleParticipant(r.Context(), v.scope(), id); !p.found(w, r, err) {
		return
	}
	p.showDossier(w, r, id, http.StatusOK, nil)
}

// showDossier renders a dossier the viewer may see, with a form sent back
// when sent is set.
func (p *pages) showDossier(w http.ResponseWriter, r *http.Request, id string, status int, sent *submission) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	d, err := p.store.Dossier(r.Context(), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	events, err := p.store.Timeline(r.Context(), id, max(after, 0), timelinePage)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	mail, err := p.store.ParticipantNotifications(r.Context(), id, 0, 100)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var actorIDs []string
	for _, e := range events {
		if e.ActorID != nil {
			actorIDs = append(actorIDs, *e.ActorID)
		}
	}
	actors, err := p.store.Actors(r.Context(), actorIDs)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	procs, err := p.store.Procedures(r.Context(), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	signals, err := p.store.Signals(r.Context(), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_dossier", "participant", id) {
		return
	}
	view := dossierView{Back: p.caseloadBack(r), Dossier: d, Timeline: events, Mail: mail, Actors: actors, Signals: signals}
	for _, pr := range procs {
		row := procedureRow{Procedure: pr, Link: procedureLink(id, pr.ProcedureID)}
		row.Number, _ = procedureNumber(id, pr.ProcedureID)
		if len(pr.State) > 0 {
			var st workflows.SanctionState
			if json.Unmarshal(pr.State, &st) == nil {
				row.State = &st
			}
		}
		view.Procedures = append(view.Procedures, row)
	}
	kept, err := p.store.Letters(r.Context(), id, "")
	if err == nil {
		err = p.namedLetters(r, kept, &view.Letters)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var state workflows.State
	if err := json.Unmarshal(d.Trajectory, &state); err == nil && state.Phase != "" {
		view.State = &state
		view.Next = nextPerActor(dossierSteps(lang, time.Now(), id, "", &state, procs))
		for _, dl := range state.Deadlines {
			view.Deadlines = append(view.Deadlines, deadlineView{Deadline: dl, What: notify.Label(string(dl.Kind), lang), Actor: t(lang, "actor."+string(dl.Actor)),
				Late: dl.Due.Before(time.Now())})
		}
		if e := state.Exemption; e != nil && state.Phase == workflows.PhaseExempt {
			exemption, err := p.store.ExemptionByID(r.Context(), id, e.ReasonID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				p.fail(w, r, err)
				return
			}
			if err == nil {
				view.Exemption = &exemption
			}
		}
		if c := state.Contract; c != nil && c.Referral != nil {
			referral, err := p.store.EmploymentReferralOf(r.Context(), id, c.Referral.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				p.fail(w, r, err)
				return
			}
			if err == nil {
				view.Referral = &referral
			}
		}
		if u, err := p.store.CentreUser(r.Context(), v.CentreID, state.CounsellorID); err == nil {
			view.Counsellor = u.DisplayName
		}
	}
	if len(events) == timelinePage {
		view.NextPage = "/dossiers/" + id + "?after=" + strconv.FormatInt(events[len(events)-1].ID, 10) + "#timeline"
	}
	if view.State != nil {
		if view.Forms, err = p.dossierForms(r, v, view.State, sent); err != nil {
			p.fail(w, r, err)
			return
		}
		reentry, err := p.reentryForm(r, v, view.State, sent)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		if reentry != nil {
			view.Forms = append([]formView{*reentry}, view.Forms...)
		}
	}
	if view.Details, err = p.detailsSection(r, v, d, sent); err != nil {
		p.fail(w, r, err)
		return
	}
	var ok bool
	if view.Notes, ok = p.notesSection(w, r, v, id, sent); !ok {
		return
	}
	if view.Literacy, ok = p.literacySection(w, r, v, id, sent); !ok {
		return
	}
	if view.Records, ok = p.recordsSection(w, r, v, id, sent); !ok {
		return
	}
	if view.GPMI, err = p.gpmiSection(r, v, id, view.State, sent); err != nil {
		p.fail(w, r, err)
		return
	}
	if view.State != nil {
		anchors := map[string]bool{"gpmi": true, "needs-analysis": true, "evaluations": len(view.GPMI.Content.Evaluations) > 0, "exemption": view.Exemption != nil}
		if view.FileCheck, err = p.fileCheckSection(r, v, id, anchors); err != nil {
			p.fail(w, r, err)
			return
		}
	}
	if view.GPMI.LetterForm != nil && view.GPMI.LetterForm.Fields[0].Value == "" {
		view.GPMI.LetterForm.Fields[0].Value = d.Language // the person's, unless asked otherwise
	}
	if sent != nil {
		errs := append(view.Forms, view.Notes.allForms()...)
		errs = append(errs, view.Literacy.allForms()...)
		errs = append(errs, view.Records.allForms()...)
		if view.GPMI.LetterForm != nil {
			errs = append(errs, *view.GPMI.LetterForm)
		}
		if view.GPMI.Form != nil {
			errs = append(errs, *view.GPMI.Form)
		}
		if view.Details.Form != nil {
			errs = append(errs, *view.Details.Form)
		}
		view.Problem, view.Errors = sent.Problem, formErrors(errs)
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "dossier.html", "dossier.title", view)
}
