package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/traject-ocmw/traject/bench"
	"github.com/traject-ocmw/traject/store"
)

// build is one binary a comparison runs.
type build struct {
	Name    string         `json:"name"`
	Path    string         `json:"path"`
	Reports []bench.Report `json:"reports"`
}

// runCompare runs this binary's bench and another's in turn, rounds times
// each, alternating which goes first so that a machine warming up or
// slowing down weighs on both alike. Each run gets fresh databases and the
// same flags, so the builds differ and nothing else does.
func runCompare(ctx context.Context, cfg *config, b *benchConfig, fs *flag.FlagSet, stdout io.Writer, logger *slog.Logger) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	other, err := exec.LookPath(b.Compare)
	if err != nil {
		return settingError("compare", err.Error())
	}
	builds := []*build{{Name: "A (this build)", Path: self}, {Name: "B (" + filepath.Base(other) + ")", Path: other}}
	args := benchArgs(fs)
	dir, err := os.MkdirTemp("", "traject-compare-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()

	parsed, err := store.ParseURL(cfg.DatabaseURL)
	if err != nil {
		return settingError("database-url", err.Error())
	}
	name := parsed.ConnConfig.Database + "_compare"
	fresh := func() error {
		return store.DropDatabases(ctx, cfg.DatabaseURL, name, name+"_temporal", name+"_temporal_visibility")
	}
	cc := parsed.ConnConfig
	run := url.URL{Scheme: "postgres", User: url.User(cc.User), Host: net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port))), Path: "/" + name, RawQuery: "sslmode=disable"}
	if cc.Password != "" {
		run.User = url.UserPassword(cc.User, cc.Password)
	}
	runURL := run.String()
	defer func() { _ = fresh() }()

	for round := range b.Rounds {
		order := []*build{builds[0], builds[1]}
		if round%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, bd := range order {
			if err := fresh(); err != nil {
				return err
			}
			report := filepath.Join(dir, fmt.Sprintf("round-%d.json", round))
			log := filepath.Join(dir, "run.log")
			logger.Info("compare run", "round", round+1, "of", b.Rounds, "build", bd.Name)
			if err := runOne(ctx, bd.Path, append([]string{"bench", "--database-url=" + runURL, "--json=" + report}, args...), log); err != nil {
				return fmt.Errorf("%s, round %d: %w", bd.Name, round+1, err)
			}
			raw, err := os.ReadFile(report)
			if err != nil {
				return fmt.Errorf("%s, round %d: no report: %w", bd.Name, round+1, err)
			}
			var r bench.Report
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("%s, round %d: report: %w", bd.Name, round+1, err)
			}
			bd.Reports = append(bd.Reports, r)
		}
	}
	rows := bench.Compare(builds[0].Reports, builds[1].Reports)
	fmt.Fprintf(stdout, "traject bench --compare: %d runs of each build, alternating, flags %v\n", b.Rounds, args)
	fmt.Fprintf(stdout, "A: %s\nB: %s\n\n", self, other)
	bench.WriteComparison(stdout, "A", "B", rows)
	if b.JSON == "" {
		return nil
	}
	raw, err := json.MarshalIndent(map[string]any{"builds": builds, "figures": rows, "flags": args}, "", "  ")
	if err == nil {
		err = os.WriteFile(b.JSON, append(raw, '\n'), 0o644)
	}
	return err
}

// benchArgs are the flags given on the command line that each run takes
// as they are: every one but the comparison's own, the report file and
// the database (each run has its own).
func benchArgs(fs *flag.FlagSet) []string {
	var args []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "compare", "rounds", "json", "database-url":
			return
		}
		args = append(args, "--"+f.Name+"="+f.Value.String())
	})
	return args
}

// runOne runs a bench and keeps its output in log, shown when it fails.
func runOne(ctx context.Context, path string, args []string, log string) error {
	out, err := os.Create(log)
	if err != nil {
		return err
	}
	defer func() { _ = out.Close() }()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		raw, _ := os.ReadFile(log)
		if len(raw) > 4000 {
			raw = raw[len(raw)-4000:]
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("%w; its output ends:\n%s", err, raw)
		}
		return err
	}
	return nil
}
