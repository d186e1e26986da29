package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
)

// HostWorker is what a host organisation sees of an Article 60 worker
// placed with it, and nothing more: name, the centre that employs them,
// function, contract dates, trainings, and what the host itself recorded
// (its checks, the problems it signalled, the hiring). Never the national
// number, the leefloon decision, the GPMI, BCSD procedures or the centre's
// notes.
type HostWorker struct {
	ID         string     `json:"id"`
	GivenName  string     `json:"given_name"`
	FamilyName string     `json:"family_name"`
	CentreID   string     `json:"centre_id"`
	CentreName string     `json:"centre_name"`
	Function   string     `json:"function"`
	Start      time.Time  `json:"contract_start"`
	End        time.Time  `json:"contract_end"`
	Trainings  []Training `json:"trainings"`
	// Ended: the contract is over and the worker in the centre's
	// follow-up, when the host can still record that it hires them.
	Ended bool `json:"contract_ended"`
	// ChecksDue are the host's checks still to record, with the date
	// each must be recorded by; Checks those recorded.
	ChecksDue []CheckDue  `json:"checks_due"`
	Checks    []HostCheck `json:"checks"`
	Signals   []Signal    `json:"signals"`
	Hiring    *Hiring     `json:"hiring,omitempty"`
	// Version is the trajectory's, for expected_version on a write.
	Version int64 `json:"version"`
}

// Training is a mandatory training of a worker's skills plan.
type Training struct {
	Code   string     `json:"code"`
	Due    time.Time  `json:"due"`
	DoneOn *time.Time `json:"done_on,omitempty"`
}

// CheckDue is a check the host has to record by Due (the end of a day).
type CheckDue struct {
	N       int       `json:"n"`
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue"`
}

// HostCheck is a check the host recorded before the contract's end.
type HostCheck struct {
	N            int       `json:"n"`
	HeldOn       time.Time `json:"held_on"`
	Attendance   string    `json:"attendance"`
	Skills       string    `json:"skills"`
	HiringChance string    `json:"hiring_chance"`
}

// Signal is a problem the host signalled to the counsellor, with its text.
type Signal struct {
	ID       string    `json:"id"`
	Category string    `json:"category"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
	By       string    `json:"by"`
}

// Hiring is the host's word that it employs the worker after the contract.
type Hiring struct {
	Start      time.Time `json:"start"`
	Employment string    `json:"employment"`
}

// The host's workers: those whose contract with it runs, and those in the
// follow-up after it. The signals' texts are the host's own.
const hostWorkersSQL = `
	SELECT p.id::text, p.given_name, p.family_name, t.centre_id, c.name, COALESCE(t.state->'contract'->>'function', ''),
	       COALESCE(t.state->'contract', '{}'::jsonb), COALESCE(t.state->'deadlines', '[]'::jsonb), t.phase = 'post_article60', t.version,
	       COALESCE((SELECT jsonb_agg(jsonb_build_object('id', g.id, 'text', g.text) ORDER BY g.created_at) FROM host_signals g
	                 WHERE g.participant_id = p.id AND g.host_id::text = $1), '[]'::jsonb)
	FROM trajectories t
	JOIN participants p ON p.id = t.participant_id
	JOIN centres c ON c.id = t.centre_id
	WHERE ((t.phase = 'article60' AND t.contract_host_id = $1)
	    OR (t.phase = 'post_article60' AND t.state->'contract'->>'host_id' = $1))`

func scanHostWorker(row pgx.CollectableRow) (HostWorker, error) {
	var w HostWorker
	var contract, deadlines, texts []byte
	if err := row.Scan(&w.ID, &w.GivenName, &w.FamilyName, &w.CentreID, &w.CentreName, &w.Function, &contract, &deadlines, &w.Ended, &w.Version, &texts); err != nil {
		return w, err
	}
	var c struct {
		Start     time.Time   `json:"start"`
		End       time.Time   `json:"end"`
		Trainings []Training  `json:"trainings"`
		Checks    []HostCheck `json:"checks"`
		Signals   []Signal    `json:"signals"`
		Hiring    *Hiring     `json:"hiring"`
	}
	var open []struct {
		ID     string    `json:"id"`
		Kind   string    `json:"kind"`
		Due    time.Time `json:"due"`
		Passed bool      `json:"passed"`
	}
	var written []struct{ ID, Text string }
	for _, part := range []struct {
		b []byte
		v any
	}{{contract, &c}, {deadlines, &open}, {texts, &written}} {
		if err := json.Unmarshal(part.b, part.v); err != nil {
			return w, err
		}
	}
	w.Start, w.End, w.Trainings, w.Checks, w.Hiring = c.Start, c.End, c.Trainings, c.Checks, c.Hiring
	text := map[string]string{}
	for _, x := range written {
		text[x.ID] = x.Text
	}
	w.Signals = []Signal{}
	for _, g := range c.Signals {
		if t, ok := text[g.ID]; ok { // another host's, before a change of host, stays theirs
			g.Text = t
			w.Signals = append(w.Signals, g)
		}
	}
	w.ChecksDue = []CheckDue{}
	for _, d := range open {
		if n, ok := strings.CutPrefix(d.ID, "a60.host_check."); ok && d.Kind == "a60_host_check" {
			k, _ := strconv.Atoi(n)
			w.ChecksDue = append(w.ChecksDue, CheckDue{N: k, Due: d.Due, Overdue: d.Passed})
		}
	}
	if w.Trainings == nil {
		w.Trainings = []Training{}
	}
	if w.Checks == nil {
		w.Checks = []HostCheck{}
	}
	return w, nil
}

// AddSignal stores the text of a problem the host of the participant's
// contract signals, and answers its ID, which the workflow gets instead.
func (s *Store) AddSignal(ctx context.Context, participantID, category, text, by string) (string, error) {
	id := uuid.NewString()
	tag, err := s.db.Exec(ctx, `
		INSERT INTO host_signals (id, participant_id, host_id, category, text, created_by)
		SELECT $1, t.participant_id, t.contract_host_id::uuid, $3, $4, $5 FROM trajectories t
		WHERE t.participant_id = $2 AND t.phase = 'article60' AND t.contract_host_id IS NOT NULL`, id, participantID, category, text, by)
	if err != nil {
		return "", classify("add signal", err)
	}
	if tag.RowsAffected() == 0 {
		return "", &ConflictError{Code: domain.NoContract}
	}
	return id, nil
}

// Signals are the problems hosts signalled about the participant, for the
// centre's dossier, newest first: those the workflow accepted.
func (s *Store) Signals(ctx context.Context, participantID string) ([]Signal, error) {
	rows, err := s.db.Query(ctx, `
		SELECT g.id::text, g.category, g.text, g.created_at, g.created_by::text FROM host_signals g
		WHERE g.participant_id = $1 AND EXISTS (
		    SELECT 1 FROM timeline_events e WHERE e.participant_id = g.participant_id AND e.kind = 'problem_signalled' AND e.data->>'signal_id' = g.id::text)
		ORDER BY g.created_at DESC, g.id`, participantID)
	if err != nil {
		return nil, classify("signals", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Signal, error) {
		var g Signal
		return g, row.Scan(&g.ID, &g.Category, &g.Text, &g.At, &g.By)
	})
	return out, classify("signals", err)
}

// HostWorkers lists the workers running an Article 60 contract at the
// host, of every centre, by contract end.
func (s *Store) HostWorkers(ctx context.Context, hostID string) ([]HostWorker, error) {
	if _, err := uuid.Parse(hostID); err != nil {
		return []HostWorker{}, nil
	}
	rows, err := s.db.Query(ctx, hostWorkersSQL+` ORDER BY t.phase = 'post_article60', t.state->'contract'->>'end', p.id`, hostID)
	if err != nil {
		return nil, classify("host workers", err)
	}
	out, err := pgx.CollectRows(rows, scanHostWorker)
	if out == nil {
		out = []HostWorker{}
	}
	return out, classify("host workers", err)
}

// HostWorkerByID reads one worker placed with the host: ErrNotFound for
// anyone else, whoever they are.
func (s *Store) HostWorkerByID(ctx context.Context, hostID, participantID string) (HostWorker, error) {
	if _, err := uuid.Parse(participantID); err != nil {
		return HostWorker{}, notFound("worker")
	}
	if _, err := uuid.Parse(hostID); err != nil {
		return HostWorker{}, notFound("worker")
	}
	rows, err := s.db.Query(ctx, hostWorkersSQL+` AND p.id = $2`, hostID, participantID)
	if err != nil {
		return HostWorker{}, classify("worker", err)
	}
	w, err := pgx.CollectExactlyOneRow(rows, scanHostWorker)
	if err != nil {
		return HostWorker{}, classify("worker", err)
	}
	return w, nil
}
