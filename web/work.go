package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// step is one open deadline of a dossier someone must act on: the
// trajectory's or a BCSD procedure's, or a procedure step the law sets no
// date for (a hearing to schedule).
type step struct {
	ParticipantID, Participant string
	What                       string
	// Due is zero for a step without a date.
	Due time.Time
	// Actor is who must act, in words; ActorCode which actor that is.
	Actor     string
	ActorCode domain.Actor
	// Link is where it is done.
	Link string
	Late bool
	// Mine is set when the signed-in person is that actor.
	Mine bool
}

// dossierSteps lists a dossier's open steps, earliest first, the undated
// last: the trajectory's deadlines someone acts on and each procedure's.
func dossierSteps(lang string, now time.Time, id, name string, state *workflows.State, procs []store.Procedure) []step {
	var out []step
	add := func(kind workflows.DeadlineKind, due time.Time, actor domain.Actor, link string) {
		out = append(out, step{ParticipantID: id, Participant: name, What: notify.Label(string(kind), lang), Due: due,
			Actor: t(lang, "actor."+string(actor)), ActorCode: actor, Link: link, Late: !due.IsZero() && due.Before(now)})
	}
	if state != nil && state.Phase != workflows.PhaseClosed {
		for _, d := range state.Deadlines {
			if !d.Kind.Passive() {
				add(d.Kind, d.Due, d.Actor, "/dossiers/"+id+"#deadlines")
			}
		}
	}
	for _, pr := range procs {
		link := procedureLink(id, pr.ProcedureID)
		if pr.Stage == string(workflows.StageReported) {
			out = append(out, step{ParticipantID: id, Participant: name, What: t(lang, "work.schedule_hearing"),
				Actor: t(lang, "actor.bcsd"), ActorCode: domain.ActorBCSD, Link: link})
			continue
		}
		var st workflows.SanctionState
		if len(pr.State) == 0 || json.Unmarshal(pr.State, &st) != nil {
			continue
		}
		for _, d := range st.Deadlines {
			if !d.Kind.Passive() {
				add(d.Kind, d.Due, d.Actor, link)
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Due.IsZero() != out[b].Due.IsZero() {
			return !out[a].Due.IsZero()
		}
		return out[a].Due.Before(out[b].Due)
	})
	return out
}

// nextPerActor keeps each actor's earliest step, in the order of steps.
func nextPerActor(steps []step) []step {
	var out []step
	seen := map[domain.Actor]bool{}
	for _, s := range steps {
		if !seen[s.ActorCode] {
			seen[s.ActorCode] = true
			out = append(out, s)
		}
	}
	return out
}

// workList is one of My work's lists.
type workList struct {
	ID, TitleKey string
	Items        []step
}

// workView is My work: the lists of what the signed-in person must do,
// with the letters that did not arrive and the dossiers nobody holds.
type workView struct {
	IntroKey string
	Lists    []workList
	// Dossiers counts the open dossiers the lists come from.
	Dossiers int
	// Post are the letters to a participant that were not delivered: they
	// must go by post.
	Post []undeliveredView
	// Unassigned are the open dossiers no counsellor holds (coordinator).
	Unassigned []store.CaseloadRow
	// Failed are the messages not delivered (administrator).
	Failed []undeliveredView
	Admin  bool
	// Files are a counsellor's own files at risk; FilesAtRisk counts the
	// centre's for a coordinator (a link to /file-checks).
	Files       []riskLine
	FilesAtRisk *int
	// FreePlaces are the people of the viewer's dossiers for whom a place
	// is free on a course they wait for: enrol them.
	FreePlaces []store.FreePlace
}

type undeliveredView struct {
	store.Undelivered
	What, Why, To string
}

// myWork is every staff member's home: what they must do next. A
// counsellor sees their dossiers' steps, the BCSD's included (the hearing
// they prepare), and the letters to send by post; a coordinator the
// team's overdue steps, their own and the dossiers without a counsellor;
// the BCSD the procedures waiting on it, hearings to schedule first; the
// administrator the messages not delivered. Each line links where it is
// done.
func (p *pages) myWork(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	now := time.Now().In(p.loc)
	view := workView{IntroKey: "work.intro." + string(v.Role)}
	var err error
	switch v.Role {
	case domain.RoleAdmin:
		view.Admin = true
		view.Failed, err = p.undelivered(r, v, lang, false)
	default:
		var dossiers []store.CaseloadState
		if dossiers, err = p.store.CaseloadStates(r.Context(), v.scope()); err != nil {
			break
		}
		view.Dossiers = len(dossiers)
		var counsellors map[string]string
		if v.Role == domain.RoleCoordinator {
			if counsellors, err = p.counsellorNames(r, v); err != nil {
				break
			}
		}
		view.Lists = buildWork(dossiers, v, lang, now, counsellors)
		if view.Post, err = p.undelivered(r, v, lang, true); err != nil {
			break
		}
		if v.Role == domain.RoleCounsellor {
			// A place freed on a course (store.FreePlaces reads the list's
			// own order, so it is right however the place freed).
			if view.FreePlaces, err = p.store.FreePlaces(r.Context(), v.scope()); err != nil {
				break
			}
		}
		if v.Role == domain.RoleCoordinator {
			if view.Unassigned, err = p.store.WithoutCounsellor(r.Context(), v.CentreID); err != nil {
				break
			}
		}
		if v.Role == domain.RoleCounsellor || v.Role == domain.RoleCoordinator {
			var files casework.FilesAtRisk
			if files, err = p.work.FilesAtRisk(r.Context(), p.caller(r), casework.FileCheckQuery{}); err != nil {
				break
			}
			if v.Role == domain.RoleCounsellor {
				view.Files = riskLines(lang, files)
			} else if n := len(files.Files); n > 0 {
				view.FilesAtRisk = &n
			}
		}
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_work", "centre", v.CentreID) {
		return
	}
	p.render(w, r, http.StatusOK, "work.html", "work.title", view)
}

// undelivered reads the messages that were not delivered: to participants
// of the viewer's dossiers (letters to send by post), or, for the
// administrator, all of the centre's.
func (p *pages) undelivered(r *http.Request, v viewer, lang string, lettersOnly bool) ([]undeliveredView, error) {
	list, err := p.store.UndeliveredMessages(r.Context(), v.scope(), lettersOnly)
	if err != nil {
		return nil, err
	}
	out := make([]undeliveredView, len(list))
	for i, u := range list {
		out[i] = undeliveredView{Undelivered: u, What: mailKind(lang, u.Kind), Why: failureReason(lang, u.Failure), To: t(lang, "actor."+string(u.Recipient))}
	}
	return out, nil
}

// failureReason puts why a message was not delivered in words.
func failureReason(lang string, failure *string) string {
	if failure == nil {
		return t(lang, "delivery.rejected")
	}
	return t(lang, "delivery."+*failure)
}

// buildWork sorts the open steps of the dossiers into My work's lists:
// overdue, due today, in the next 7 days, in the next 30 days, and (the
// BCSD's) to schedule and later. A coordinator's lists hold the team's overdue
// steps and their own; the BCSD's only its own; a counsellor's every step
// of their dossiers, whoever must act. A step a counsellor owes names them
// when counsellors (by ID) knows them: a coordinator sees who is late.
func buildWork(dossiers []store.CaseloadState, v viewer, lang string, now time.Time, counsellors map[string]string) []workList {
	win := windowsAt(now)
	lists := []workList{
		{ID: "overdue", TitleKey: "work.overdue"}, {ID: "today", TitleKey: "work.today"},
		{ID: "week", TitleKey: "work.week"}, {ID: "month", TitleKey: "work.month"},
	}
	if v.Role == domain.RoleBCSD {
		// The committee's steps are few: all of them, dated or not.
		lists = append([]workList{{ID: "schedule", TitleKey: "work.schedule"}}, lists...)
		lists = append(lists, workList{ID: "later", TitleKey: "work.later"})
	}
	list := func(id string) *workList {
		for i := range lists {
			if lists[i].ID == id {
				return &lists[i]
			}
		}
		return nil
	}
	me := roleActor(v.Role)
	for _, c := range dossiers {
		var state *workflows.State
		var st workflows.State
		if json.Unmarshal(c.State, &st) == nil {
			state = &st
		}
		for _, s := range dossierSteps(lang, now, c.ID, c.GivenName+" "+c.FamilyName, state, c.Procedures) {
			s.Mine = s.ActorCode == me
			if c.CounsellorID != nil && counsellors[*c.CounsellorID] != "" && s.ActorCode == domain.ActorCounsellor {
				s.Actor = counsellors[*c.CounsellorID]
			}
			switch v.Role {
			case domain.RoleBCSD:
				if !s.Mine {
					continue
				}
			case domain.RoleCoordinator:
				if !s.Mine && !s.Late {
					continue
				}
			}
			var l *workList
			switch {
			case s.Due.IsZero():
				l = list("schedule")
			case s.Late:
				l = list("overdue")
			case s.Due.Before(win.endOfToday):
				l = list("today")
			case s.Due.Before(win.endOfWeek):
				l = list("week")
			case s.Due.Before(win.endOfMonth):
				l = list("month")
			default:
				l = list("later") // the BCSD's only
			}
			if l != nil {
				l.Items = append(l.Items, s)
			}
		}
	}
	for i := range lists {
		sort.SliceStable(lists[i].Items, func(a, b int) bool { return lists[i].Items[a].Due.Before(lists[i].Items[b].Due) })
	}
	return lists
}

// roleActor is the actor a staff role acts as on a dossier's deadlines.
func roleActor(r domain.Role) domain.Actor {
	if a := domain.Actor(r); slices.Contains(domain.NextActors, a) {
		return a
	}
	return ""
}

// windows are the due windows every view counts with, so that My work, the
// caseload's filter and the team's counts agree: overdue is before now,
// today before the end of today, the week before the end of the seventh
// day after today, the month before the end of the thirtieth, all in the
// viewer's zone.
type windows struct{ now, endOfToday, endOfWeek, endOfMonth time.Time }

func windowsAt(now time.Time) windows {
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	return windows{now: now, endOfToday: start.AddDate(0, 0, 1), endOfWeek: start.AddDate(0, 0, 8), endOfMonth: start.AddDate(0, 0, 31)}
}
