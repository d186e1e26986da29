package workflows_test

import (
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/workflows"
)

// The summary names the earliest deadline someone acts on and each
// actor's earliest; a deadline that passes by itself (a contract's end) is
// nobody's work, and a running BCSD procedure no longer hides the
// counsellor's date behind the committee's name (its steps are its own).
func TestSummaryNamesEachActorsNextDeadline(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC) }
	s := workflows.State{Phase: workflows.PhaseArticle60, Sanction: workflows.SanctionOverlay{ActiveProcedureID: "sanction:x:1"}, Deadlines: workflows.Deadlines{
		{ID: "a60.end", Kind: workflows.KindContractEnd, Due: day(2), Actor: domain.ActorCoordinator},
		{ID: "gpmi.evaluation.2", Kind: workflows.KindGPMIEvaluation, Due: day(21), Actor: domain.ActorCounsellor},
		{ID: "a60.check.1", Kind: workflows.KindHostCheck, Due: day(9), Actor: domain.ActorHost},
		{ID: "a60.training.x", Kind: workflows.KindTraining, Due: day(30), Actor: domain.ActorCounsellor},
	}}
	s.Summarise()
	if s.NextActor != domain.ActorHost || s.NextDeadline == nil || !s.NextDeadline.Equal(day(9)) {
		t.Errorf("next: %s by %v", s.NextActor, s.NextDeadline)
	}
	want := map[domain.Actor]time.Time{domain.ActorHost: day(9), domain.ActorCounsellor: day(21)}
	if len(s.NextByActor) != len(want) {
		t.Errorf("per actor: %v", s.NextByActor)
	}
	for a, due := range want {
		if !s.NextByActor[a].Equal(due) {
			t.Errorf("%s: %v, want %v", a, s.NextByActor[a], due)
		}
	}
	s.Phase = workflows.PhaseClosed
	if s.Summarise(); s.NextActor != "" || s.NextDeadline != nil || s.NextByActor != nil {
		t.Errorf("a closed trajectory: %s %v %v", s.NextActor, s.NextDeadline, s.NextByActor)
	}
}
