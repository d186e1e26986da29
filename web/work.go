package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// workItem is one open deadline of the caseload.
type workItem struct {
	ParticipantID, Participant string
	What                       string
	Due                        time.Time
	// Actor is who must act; Mine when that is the signed-in user.
	Actor string
	Mine  bool
}

// workList is one of My work's lists.
type workList struct {
	ID, TitleKey string
	Items        []workItem
}

// myWork is a counsellor's home: the open deadlines of their caseload (a
// coordinator's: the centre's), overdue, due today and due in the next 7
// days, each with who must act. The counts at the top link to the lists
// they count.
func (p *pages) myWork(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	dossiers, err := p.store.CaseloadStates(r.Context(), v.scope())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_work", "centre", v.CentreID) {
		return
	}
	now := time.Now().In(p.loc)
	lists := buildWork(dossiers, v, lang, now)
	p.render(w, r, http.StatusOK, "work.html", "work.title", struct {
		Lists    []workList
		Dossiers int
	}{lists, len(dossiers)})
}

// buildWork sorts the caseload's open deadlines into the three lists.
func buildWork(dossiers []store.CaseloadState, v viewer, lang string, now time.Time) []workList {
	win := windowsAt(now)
	lists := []workList{{ID: "overdue", TitleKey: "work.overdue"}, {ID: "today", TitleKey: "work.today"}, {ID: "week", TitleKey: "work.week"}}
	for _, c := range dossiers {
		var state workflows.State
		if err := json.Unmarshal(c.State, &state); err != nil {
			continue // a state this version cannot read has no deadlines to show
		}
		for _, dl := range state.Deadlines {
			item := workItem{
				ParticipantID: c.ID, Participant: c.GivenName + " " + c.FamilyName,
				What: notify.Label(string(dl.Kind), lang), Due: dl.Due.In(now.Location()),
				Actor: t(lang, fmt.Sprintf("actor.%s", dl.Actor)),
				Mine:  string(dl.Actor) == string(v.Role),
			}
			switch {
			case dl.Passed || dl.Due.Before(now):
				lists[0].Items = append(lists[0].Items, item)
			case dl.Due.Before(win.endOfToday):
				lists[1].Items = append(lists[1].Items, item)
			case dl.Due.Before(win.endOfWeek):
				lists[2].Items = append(lists[2].Items, item)
			}
		}
	}
	for i := range lists {
		sort.SliceStable(lists[i].Items, func(a, b int) bool { return lists[i].Items[a].Due.Before(lists[i].Items[b].Due) })
	}
	return lists
}

// windows are the due windows every view counts with, so that My work, the
// caseload's filter and the team's counts agree: overdue is before now,
// today before the end of today, the week before the end of the seventh
// day after today, all in the viewer's zone.
type windows struct{ now, endOfToday, endOfWeek time.Time }

func windowsAt(now time.Time) windows {
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	return windows{now: now, endOfToday: start.AddDate(0, 0, 1), endOfWeek: start.AddDate(0, 0, 8)}
}
