package workflows

import (
	"fmt"
	"slices"
	"strings"
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

// allowedFrom lists the phases reachable from a phase, for refusal messages.
func allowedFrom(from Phase) []string {
	var out []string
	for _, r := range transitionTable {
		if slices.Contains(r.From, from) {
			out = append(out, string(r.To))
		}
	}
	return out
}

func checkContract(req TransitionRequest) []domain.FieldProblem {
	c := req.Contract
	if c == nil {
		return []domain.FieldProblem{{Field: "contract", Detail: "is required"}}
	}
	var p []domain.FieldProblem
	if c.HostID == "" {
		p = append(p, domain.FieldProblem{"contract.host_id", "is required"})
	}
	if c.Function == "" {
		p = append(p, domain.FieldProblem{"contract.function", "is required"})
	}
	if c.Regime != "full_time" && c.Regime != "half_time" {
		p = append(p, domain.FieldProblem{"contract.regime", "must be full_time or half_time"})
	}
	if c.Start.IsZero() {
		p = append(p, domain.FieldProblem{"contract.start", "is required"})
	}
	if c.AgeAtStart < 15 || c.AgeAtStart > 80 {
		p = append(p, domain.FieldProblem{"contract.age_at_start", "must be between 15 and 80"})
	}
	for i, tr := range c.Trainings {
		if tr.Code == "" {
			p = append(p, domain.FieldProblem{fmt.Sprintf("contract.trainings[%d].code", i), "is required"})
		}
		if tr.Due.IsZero() {
			p = append(p, domain.FieldProblem{fmt.Sprintf("contract.trainings[%d].due", i), "is required"})
		}
	}
	return p
}

func checkOutcome(req TransitionRequest) []domain.FieldProblem {
	if req.ActorRole == domain.RoleSystem && req.Outcome == OutcomeUnknown {
		return nil
	}
	if !slices.Contains(recordableOutcomes, req.Outcome) {
		return []domain.FieldProblem{{"outcome", "must be one of " + joinOutcomes()}}
	}
	return nil
}

func joinOutcomes() string {
	s := make([]string, len(recordableOutcomes))
	for i, o := range recordableOutcomes {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

// validateTransition checks a request against the table without changing
// anything; a refused update leaves no trace in the history.
func validateTransition(s *State, req TransitionRequest) error {
	if err := checkBy(s, req.By, domain.StaffRoles...); err != nil {
		return err
	}
	rule, ok := findRule(s.Phase, req.To)
	if !ok {
		return notAllowed(fmt.Sprintf("cannot move from %s to %s; from %s a trajectory can move to: %s",
			s.Phase, req.To, s.Phase, strings.Join(allowedFrom(s.Phase), ", ")))
	}
	if !slices.Contains(rule.Roles, req.ActorRole) {
		return notPermitted(fmt.Sprintf("a %s cannot move a trajectory to %s", req.ActorRole, req.To))
	}
	if rule.Check != nil {
		if problems := rule.Check(req); len(problems) > 0 {
			return invalidData(fmt.Sprintf("%s requires %s", req.To, rule.Requires), problems)
		}
	}
	return nil
}

// checkBy validates who acts and, when given, the expected version.
func checkBy(s *State, by By, roles ...domain.Role) error {
	if by.ActorID == "" {
		return invalidData("the actor is missing", []domain.FieldProblem{{"actor_id", "is required"}})
	}
	if !slices.Contains(roles, by.ActorRole) {
		return notPermitted(fmt.Sprintf("a %q cannot do this", by.ActorRole))
	}
	if by.ExpectedVersion != 0 && by.ExpectedVersion != s.Version {
		return conflict(fmt.Sprintf("the dossier changed meanwhile (version %d, expected %d); reload and try again", s.Version, by.ExpectedVersion))
	}
	if s.Phase == PhaseClosed {
		return notAllowed("the trajectory is closed")
	}
	return nil
}

func requireDate(field string, t time.Time) []domain.FieldProblem {
	if t.IsZero() {
		return []domain.FieldProblem{{field, "is required"}}
	}
	return nil
}
