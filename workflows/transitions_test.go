package workflows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

var allPhases = []workflows.Phase{
	workflows.PhaseIntake, workflows.PhaseFacilitator, workflows.PhaseLiteracy, workflows.PhaseStudies,
	workflows.PhaseWork, workflows.PhaseArticle60, workflows.PhasePostArticle60, workflows.PhaseExempt, workflows.PhaseClosed,
}

func contract() *workflows.ContractInput {
	return &workflows.ContractInput{HostID: "host-1", Function: "kitchen_help", Regime: "full_time", Start: at("2026-12-01"), AgeAtStart: 41}
}

// request builds a valid request for a move to phase.
func (d *driver) request(to workflows.Phase) workflows.TransitionRequest {
	r := workflows.TransitionRequest{By: d.coordinator(), To: to}
	switch to {
	case workflows.PhaseArticle60:
		r.Contract = contract()
	case workflows.PhaseClosed:
		r.Outcome = workflows.OutcomeRegularJob
	}
	return r
}

// path is how a trajectory reaches a phase from intake.
func path(p workflows.Phase) []workflows.Phase {
	switch p {
	case workflows.PhaseIntake:
		return nil
	case workflows.PhaseArticle60:
		return []workflows.Phase{workflows.PhaseWork, workflows.PhaseArticle60}
	case workflows.PhasePostArticle60:
		return []workflows.Phase{workflows.PhaseWork, workflows.PhaseArticle60, workflows.PhasePostArticle60}
	}
	return []workflows.Phase{p}
}

func allowed(from, to workflows.Phase) bool {
	for _, r := range workflows.TransitionTable() {
		if r.To == to && slices.Contains(r.From, from) {
			return true
		}
	}
	return false
}

// Every pair of phases, against the declared table: a coordinator's move is
// accepted exactly when the table has a rule for it.
func TestEveryTransitionOfTheTable(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	for _, from := range allPhases[:len(allPhases)-1] { // nothing leaves closed: tested below
		for _, to := range allPhases {
			t.Run(string(from)+"->"+string(to), func(t *testing.T) {
				start := at("2026-11-02 09:00")
				d := newDriverOn(t, db, fx, start)
				for i, step := range path(from) {
					d.at(start.Add(time.Duration(i+1)*time.Hour), func() { d.must(workflows.UpdateTransition, d.request(step)) })
				}
				d.at(start.Add(10*time.Hour), func() {
					req := d.request(to)
					if allowed(from, to) {
						d.must(workflows.UpdateTransition, req, func(s workflows.State) {
							if s.Phase != to {
								t.Errorf("phase = %s, want %s", s.Phase, to)
							}
						})
					} else {
						d.refused(workflows.UpdateTransition, req, workflows.ErrTypeNotAllowed)
					}
				})
				if !(allowed(from, to) && to == workflows.PhaseClosed) {
					d.closeAt(start.Add(20 * time.Hour))
				}
				d.run(d.input())
			})
		}
	}
}

// A refused update leaves nothing behind: no version, no timeline event.
// Wrong roles, missing data (each field named) and stale versions are
// refused with their own error types.
func TestRefusalsLeaveNoTrace(t *testing.T) {
	start := at("2026-11-02 09:00")
	d := newDriver(t, start)
	var before workflows.State
	d.at(start.Add(time.Hour), func() {
		before = d.state()
		counsellor := d.request(workflows.PhaseWork)
		counsellor.By = d.counsellor()
		d.refused(workflows.UpdateTransition, counsellor, workflows.ErrTypeNotPermitted)
		d.refused(workflows.UpdateTransition, d.request(workflows.PhaseArticle60), workflows.ErrTypeNotAllowed, func(err error) {
			if r := refusalOf(t, err); r.Reason != domain.ReasonTransition || strings.Join(r.Args, " ") != "intake article60" {
				t.Errorf("refusal %+v is not the move from intake to article60", r)
			}
		})
		d.refused(workflows.UpdateTransition, workflows.TransitionRequest{To: workflows.PhaseWork}, workflows.ErrTypeInvalidData)
	})
	d.at(start.Add(2*time.Hour), func() {
		if after := d.state(); after.Version != before.Version || after.Phase != workflows.PhaseIntake {
			t.Errorf("refusals changed the state: version %d -> %d, phase %s", before.Version, after.Version, after.Phase)
		}
		d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork))
	})
	d.at(start.Add(3*time.Hour), func() {
		noContract := d.request(workflows.PhaseArticle60)
		noContract.Contract = &workflows.ContractInput{Regime: "sometimes"}
		d.refused(workflows.UpdateTransition, noContract, workflows.ErrTypeInvalidData, func(err error) {
			var fields []string
			for _, p := range fieldsOf(t, err) {
				fields = append(fields, p.Field)
			}
			want := []string{"contract.host_id", "contract.function", "contract.regime", "contract.start", "contract.age_at_start"}
			if !slices.Equal(fields, want) {
				t.Errorf("fields = %v, want %v", fields, want)
			}
		})
		noOutcome := d.request(workflows.PhaseClosed)
		noOutcome.Outcome = "won_the_lottery"
		d.refused(workflows.UpdateTransition, noOutcome, workflows.ErrTypeInvalidData)
	})
	// Two coordinators read version v and both act: one wins, one conflicts.
	d.at(start.Add(4*time.Hour), func() {
		v := d.state().Version
		first, second := d.request(workflows.PhaseFacilitator), d.request(workflows.PhaseStudies)
		first.ExpectedVersion, second.ExpectedVersion = v, v
		d.must(workflows.UpdateTransition, first)
		d.refused(workflows.UpdateTransition, second, workflows.ErrTypeConflict)
	})
	d.closeAt(start.Add(5 * time.Hour))
	d.run(d.input())

	var events int
	if err := d.db.QueryRow(context.Background(), `SELECT count(*) FROM timeline_events WHERE participant_id = $1`, d.fx.ParticipantID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	// started, work, facilitator, closed: nothing from the refusals.
	if events != 4 {
		t.Errorf("timeline has %d events, want 4", events)
	}
}
