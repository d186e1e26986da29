package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/bench"
	"github.com/traject-ocmw/traject/testenv"
)

// traject bench, small: every figure is measured and reported, in the
// table and in the JSON file. The figures themselves go in
// docs/benchmarks.md from full runs, not in a test.
func TestBenchReportsEveryFigure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "bench.json")
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"bench", "--database-url", testenv.DatabaseURL(t), "--participants", "20", "--bursts", "10",
		"--mails", "100", "--samples", "30", "--load-for", "2s", "--json", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var report bench.Report
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	wants := []string{"trajectory starts", "history events, one full life", "largest history", "dossier read p50", "dossier read p99",
		"transition p50", "transition p99", "timer burst: 10 contracts", "process RSS", "e-mails to a local SMTP server"}
	if _, err := exec.LookPath("wrk"); err == nil { // .ci/run installs it
		wants = append(wants, "HTTP load: requests per second", "HTTP load: p99")
	}
	for _, want := range wants {
		found := false
		for _, f := range report.Figures {
			if strings.HasPrefix(f.Name, want) {
				found = f.Value > 0
			}
		}
		if !found || !strings.Contains(stdout.String(), want) {
			t.Errorf("no %q figure above zero in the report:\n%s", want, stdout.String())
		}
	}
	for _, f := range report.Figures {
		if f.Name == "HTTP load: 5xx answers" && f.Value != 0 {
			t.Errorf("wrk saw %v 5xx answers", f.Value)
		}
	}
	if report.Machine == "" || !strings.Contains(report.Server, "embedded") {
		t.Errorf("report header: %+v", report)
	}
}
