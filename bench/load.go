package bench

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// loadScript drives wrk: four dossier reads to one transition, each
// transition on the next participant in turn, alternating literacy and
// facilitator so that every move is allowed; it counts 5xx answers.
//
//go:embed load.lua
var loadScript string

// httpLoad runs wrk against the API for the configured time with mixed
// reads and transitions, and reports throughput, p50/p99 and 5xx answers.
// Without wrk on the PATH it reports that instead of a figure.
func (b *run) httpLoad(ctx context.Context) error {
	if b.cfg.LoadFor <= 0 || len(b.loaded) == 0 {
		return nil
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.add(Figure{Name: "HTTP load (wrk)", Note: "wrk is not installed (apt-get install wrk): not measured"})
		return nil
	}
	dir, err := os.MkdirTemp("", "traject-wrk-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	ids := strings.Join(b.loaded, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ids.txt"), []byte(ids), 0o600); err != nil {
		return err
	}
	script := filepath.Join(dir, "load.lua")
	if err := os.WriteFile(script, []byte(loadScript), 0o600); err != nil {
		return err
	}
	seconds := max(int(b.cfg.LoadFor.Seconds()), 1)
	cmd := exec.CommandContext(ctx, wrk, "-t2", "-c16", "-d"+strconv.Itoa(seconds)+"s", "--latency", "-s", script, b.url)
	cmd.Env = append(os.Environ(), "TRAJECT_TOKEN="+b.token, "TRAJECT_IDS="+filepath.Join(dir, "ids.txt"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("wrk: %w: %s", err, out)
	}
	w, err := parseWrk(string(out))
	if err != nil {
		return err
	}
	note := fmt.Sprintf("wrk -t2 -c16 %ds, 4 reads : 1 transition; %d requests, %d 5xx, %d other non-2xx", seconds, w.requests, w.server, w.non2xx-w.server)
	b.add(Figure{Name: "HTTP load: requests per second", Value: w.rate, Unit: "req/s", Note: note})
	b.add(Figure{Name: "HTTP load: p50", Value: ms(w.p50), Unit: "ms"})
	b.add(Figure{Name: "HTTP load: p99", Value: ms(w.p99), Unit: "ms"})
	b.add(Figure{Name: "HTTP load: 5xx answers", Value: float64(w.server), Unit: "answers", Note: "must be 0"})
	if w.server > 0 {
		return fmt.Errorf("wrk saw %d 5xx answers", w.server)
	}
	return nil
}

type wrkResult struct {
	requests, non2xx, server int
	rate                     float64
	p50, p99                 time.Duration
}

var (
	wrkPercentile = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkRequests   = regexp.MustCompile(`(?m)^\s*([0-9]+) requests in`)
	wrkRate       = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx     = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: ([0-9]+)`)
	wrkServer     = regexp.MustCompile(`(?m)^5xx: ([0-9]+)`)
)

// parseWrk reads wrk's summary and the script's 5xx line.
func parseWrk(out string) (wrkResult, error) {
	var w wrkResult
	for _, m := range wrkPercentile.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]))
		if m[1] == "50" {
			w.p50 = d
		} else {
			w.p99 = d
		}
	}
	m := wrkRequests.FindStringSubmatch(out)
	r := wrkRate.FindStringSubmatch(out)
	s := wrkServer.FindStringSubmatch(out)
	if m == nil || r == nil || s == nil || w.p99 == 0 {
		return w, fmt.Errorf("wrk output not understood:\n%s", out)
	}
	w.requests, _ = strconv.Atoi(m[1])
	w.rate, _ = strconv.ParseFloat(r[1], 64)
	w.server, _ = strconv.Atoi(s[1])
	if n := wrkNon2xx.FindStringSubmatch(out); n != nil {
		w.non2xx, _ = strconv.Atoi(n[1])
	}
	return w, nil
}
