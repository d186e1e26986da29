package workflows_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/workflows"
)

// The README shows the phase model and the default policy as the code has
// them; this test fails when one changes without the other, and prints what
// the README should say.
func TestREADMEShowsTheCurrentModel(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	table.WriteString("| to | from | who | requires |\n| --- | --- | --- | --- |\n")
	for _, r := range workflows.TransitionTable() {
		from := make([]string, len(r.From))
		for i, p := range r.From {
			from[i] = string(p)
		}
		roles := make([]string, len(r.Roles))
		for i, role := range r.Roles {
			roles[i] = string(role)
		}
		requires := r.Requires
		if requires == "" {
			requires = "-"
		}
		table.WriteString("| " + string(r.To) + " | " + strings.Join(from, ", ") + " | " + strings.Join(roles, ", ") + " | " + requires + " |\n")
	}
	defaults, err := json.MarshalIndent(policy.Default(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"phase table":    table.String(),
		"default policy": "```json\n" + string(defaults) + "\n```\n",
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md does not show the current %s; it should contain:\n%s", name, want)
		}
	}
}
