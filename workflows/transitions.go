package workflows

import (
	"fmt"
	"slices"
	"time"

	"github.com/traject-ocmw/traject/domain"
)

// Rule is one allowed phase change: from which phases, by whom, and what
// the request must carry. The table below is the whole phase model; the
// validators, the docs and the tests all read it.
type Rule struct {
	From  []Phase
	To    Phase
	Roles []domain.Role
	// Requires says in words what Check wants, for the refusal message.
	Requires string
	Check    func(TransitionRequest) []domain.FieldProblem
}

var (
	// phases 1 to 4: the activation phases a coordinator moves people between
	activation = []Phase{PhaseFacilitator, PhaseLiteracy, PhaseStudies, PhaseWork}
	staff      = []domain.Role{domain.RoleCoordinator}
	open       = []Phase{PhaseIntake, PhaseExempt, PhaseFacilitator, PhaseLiteracy, PhaseStudies, PhaseWork, PhaseArticle60, PhasePostArticle60}
)

func without(list []Phase, drop ...Phase) []Phase {
	var out []Phase
	for _, p := range list {
		if !slices.Contains(drop, p) {
			out = append(out, p)
		}
	}
	return out
}

// transitionTable is the phase model.
var transitionTable = []Rule{
	{From: without(open, PhaseFacilitator, PhaseArticle60), To: PhaseFacilitator, Roles: staff},
	{From: without(open, PhaseLiteracy, PhaseArticle60, PhasePostArticle60), To: PhaseLiteracy, Roles: staff},
	{From: without(open, PhaseStudies, PhaseArticle60, PhasePostArticle60), To: PhaseStudies, Roles: staff},
	{From: without(open, PhaseWork, PhaseArticle60), To: PhaseWork, Roles: staff},
	{From: without(open, PhaseExempt, PhaseArticle60), To: PhaseExempt, Roles: staff},
	{From: activation, To: PhaseArticle60, Roles: staff,
		Requires: "a contract: host, function, regime, start date and age at start", Check: checkContract},
	// The contract ends by itself at its end date (the system); a
	// coordinator can end it early.
	{From: []Phase{PhaseArticle60}, To: PhasePostArticle60, Roles: []domain.Role{domain.RoleCoordinator, domain.RoleSystem}},
	{From: open, To: PhaseClosed, Roles: []domain.Role{domain.RoleCoordinator, domain.RoleSystem},
		Requires: "an outcome", Check: checkOutcome},
}

// TransitionTable returns a copy of the phase model, for documentation and tests.
func TransitionTable() []Rule { return slices.Clone(transitionTable) }

func findRule(from, to Phase) (Rule, bool) {
	for _, r := range transitionTable {
		if r.To == to && slices.Contains(r.From, from) {
			return r, true
		}
	}
	return Rule{}, false
}

func checkContract(req TransitionRequest) []domain.FieldProblem {
	c := req.Contract
	if c == nil {
		return []domain.FieldProblem{domain.Problem("contract", domain.Required)}
	}
	var p []domain.FieldProblem
	if c.HostID == "" {
		p = append(p, domain.Problem("contract.host_id", domain.Required))
	}
	if c.Function == "" {
		p = append(p, domain.Problem("contract.function", domain.Required))
	}
	if c.Regime != "full_time" && c.Regime != "half_time" {
		p = append(p, domain.Problem("contract.regime", domain.OneOf, "full_time", "half_time"))
	}
	if c.Start.IsZero() {
		p = append(p, domain.Problem("contract.start", domain.Required))
	}
	if c.AgeAtStart < 15 || c.AgeAtStart > 80 {
		p = append(p, domain.Problem("contract.age_at_start", domain.Between, "15", "80"))
	}
	for i, tr := range c.Trainings {
		if tr.Code == "" {
			p = append(p, domain.Problem(fmt.Sprintf("contract.trainings[%d].code", i), domain.Required))
		}
		if tr.Due.IsZero() {
			p = append(p, domain.Problem(fmt.Sprintf("contract.trainings[%d].due", i), domain.Required))
		}
	}
	return p
}

func checkOutcome(req TransitionRequest) []domain.FieldProblem {
	if req.ActorRole == domain.RoleSystem && req.Outcome == OutcomeUnknown {
		return nil
	}
	if !slices.Contains(recordableOutcomes, req.Outcome) {
		return []domain.FieldProblem{domain.Problem("outcome", domain.OneOf, outcomeCodes()...)}
	}
	return nil
}

func outcomeCodes() []string {
	s := make([]string, len(recordableOutcomes))
	for i, o := range recordableOutcomes {
		s[i] = string(o)
	}
	return s
}

// validateTransition checks a request against the table without changing
// anything; a refused update leaves no trace in the history.
func validateTransition(s *State, req TransitionRequest) error {
	if err := checkBy(s, req.By, domain.StaffRoles...); err != nil {
		return err
	}
	rule, ok := findRule(s.Phase, req.To)
	if !ok {
		return notAllowed(domain.ReasonTransition, string(s.Phase), string(req.To))
	}
	if !slices.Contains(rule.Roles, req.ActorRole) {
		return notPermitted(req.ActorRole)
	}
	if rule.Check != nil {
		if problems := rule.Check(req); len(problems) > 0 {
			return invalidData(problems...)
		}
	}
	return nil
}

// checkBy validates who acts and, when given, the expected version.
func checkBy(s *State, by By, roles ...domain.Role) error {
	if by.ActorID == "" {
		return invalidData(domain.Problem("actor_id", domain.Required))
	}
	if !slices.Contains(roles, by.ActorRole) {
		return notPermitted(by.ActorRole)
	}
	if by.ExpectedVersion != 0 && by.ExpectedVersion != s.Version {
		return conflict(s.Version, by.ExpectedVersion)
	}
	if s.Phase == PhaseClosed {
		return notAllowed(domain.ReasonClosed)
	}
	return nil
}

func requireDate(field string, t time.Time) []domain.FieldProblem {
	if t.IsZero() {
		return []domain.FieldProblem{domain.Problem(field, domain.Required)}
	}
	return nil
}
