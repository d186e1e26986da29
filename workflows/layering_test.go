package workflows_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The deterministic core links no database driver and no store; the
// activities do not import the workflows; the shared vocabulary imports
// nothing of the project. (go list reads the packages as the build does.)
func TestLayers(t *testing.T) {
	const module = "github.com/traject-ocmw/traject/"
	for _, c := range []struct {
		pkg       string
		forbidden []string
	}{
		{"workflows", []string{module + "store", module + "activities", module + "migrations", "github.com/jackc/pgx", "github.com/jackc/tern"}},
		{"activities", []string{module + "workflows"}},
		{"domain", []string{module}},
	} {
		out, err := exec.Command("go", "list", "-deps", "../"+c.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", c.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == module+c.pkg {
				continue
			}
			for _, f := range c.forbidden {
				if strings.HasPrefix(dep, f) {
					t.Errorf("%s depends on %s", c.pkg, dep)
				}
			}
		}
	}
}
