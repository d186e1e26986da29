package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// ageMismatch is a running Article 60 contract planned with an age at start
// that differs from the participant's age on that day.
type ageMismatch struct {
	ParticipantID, CentreID string
	Start                   time.Time
	Recorded, Correct       int
	// RecordedDays and CorrectDays are the working days required with
	// each age, under the rule for the start date in the centre's policy.
	RecordedDays, CorrectDays int
}

// findAgeMismatches lists the running contracts whose recorded age at
// start is wrong (before the fix of AgeOn, someone born on 1 March of a
// leap year was a year younger on their birthday in other years).
func findAgeMismatches(ctx context.Context, st *store.Store, centreID string) ([]ageMismatch, error) {
	running, err := st.RunningContracts(ctx, centreID)
	if err != nil {
		return nil, err
	}
	policies := map[string]policy.Policy{}
	var out []ageMismatch
	for _, r := range running {
		var state workflows.State
		if err := json.Unmarshal(r.State, &state); err != nil {
			return nil, fmt.Errorf("state of %s: %w", r.ParticipantID, err)
		}
		c := state.Contract
		if c == nil {
			continue
		}
		p, ok := policies[r.CentreID]
		if !ok {
			if p, err = st.LoadPolicy(ctx, r.CentreID); err != nil {
				return nil, err
			}
			policies[r.CentreID] = p
		}
		// The birth date is a calendar date; the start is read in the
		// centre's time zone, as the API read it.
		start := c.Start.In(p.Location())
		correct := policy.AgeOn(r.BirthDate, start)
		if correct == c.AgeAtStart {
			continue
		}
		m := ageMismatch{ParticipantID: r.ParticipantID, CentreID: r.CentreID, Start: start, Recorded: c.AgeAtStart, Correct: correct}
		m.RecordedDays, _, _ = p.Article60.RequiredWorkingDays(start, c.AgeAtStart)
		m.CorrectDays, _, _ = p.Article60.RequiredWorkingDays(start, correct)
		out = append(out, m)
	}
	return out, nil
}

// printAgeMismatches writes one line per mismatch: IDs, dates and numbers,
// no name.
func printAgeMismatches(ctx context.Context, pool *pgxpool.Pool, centreID string, out io.Writer) error {
	list, err := findAgeMismatches(ctx, store.New(pool), centreID)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(out, "every running Article 60 contract was planned with the right age")
		return nil
	}
	fmt.Fprintln(out, "centre\tparticipant\tstart\tage recorded\tage correct\tdays recorded\tdays correct")
	for _, m := range list {
		fmt.Fprintf(out, "%s\t%s\t%s\t%d\t%d\t%d\t%d\n", m.CentreID, m.ParticipantID, m.Start.Format(time.DateOnly), m.Recorded, m.Correct, m.RecordedDays, m.CorrectDays)
	}
	fmt.Fprintf(out, "%d contract(s): where the days differ, a coordinator corrects the end with change_contract_end (POST /v1/participants/{id}/contract/end)\n", len(list))
	return nil
}
