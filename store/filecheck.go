package store

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/traject-ocmw/traject/filecheck"
)

// The file check's and the claims' facts: read from the timeline and the
// dossier's records as they stood at an instant, so that a past day (an
// inspector's, a month already claimed) gives the same answer when asked
// again.

// fileEventKinds are the timeline events the facts are made of.
var fileEventKinds = []string{"trajectory_started", "phase_changed", "gpmi_signed", "gpmi_evaluated"}

// fileEvent is one of those events, in a participant's order, with the
// few fields of its data the check reads.
//
// It holds two pointers (the strings) and nothing else the garbage
// collector must follow: a centre's read keeps 750,000 of them at once.
type fileEvent struct {
	// kindAt is its kind's place in fileEventKinds (from 1), as selected;
	// owner the dossier it belongs to, in a read of several.
	kindAt, owner int32
	// atMicros is when it occurred, in microseconds since 1970.
	atMicros int64
	id       int64
	// to is a phase change's phase, reportID an evaluation's report;
	// contractEnd, signedOn and heldOn the days the workflow wrote.
	to, reportID                  string
	contractEnd, signedOn, heldOn writtenDay
	// acknowledged and faceToFace are invalid when the event did not say.
	acknowledged, faceToFace pgtype.Bool
}

// fileEventColumns select a fileEvent (scanFileEvent's order) from
// file_events e, the timeline's file events with their fields as columns
// (migration 043): a centre's 750,000 without reading the timeline's
// other 2 million or any event's jsonb.
const fileEventColumns = `array_position($3::text[], e.kind), e.occurred_at, e.event_id, e.phase_to, e.contract_end, e.signed_on, e.held_on,
	e.report_id, e.acknowledged, e.face_to_face`

// fields are where a row of fileEventColumns goes, after lead (the
// columns a query selects before them): made once a query, not once a
// row.
func (ev *fileEvent) fields(lead ...any) []any {
	phase := &knownText{into: &ev.to, seen: map[string]string{}}
	return append(lead, &ev.kindAt, micros{&ev.atMicros}, &ev.id, phase, &ev.contractEnd, &ev.signedOn, &ev.heldOn, &ev.reportID, &ev.acknowledged, &ev.faceToFace)
}

// writtenDay is a day the workflow wrote into an event's data: a
// time.Time as JSON, whose first ten characters are the date meant (dates
// travel as midnight in the centre's zone or UTC). It reads the text where
// the driver holds it: 750,000 events keep no string of their days.
type writtenDay struct {
	days int32 // since 1 January 1970
	ok   bool
}

// day is the day written, at midnight UTC; the zero time when none was.
func (w writtenDay) day() time.Time {
	if !w.ok {
		return time.Time{}
	}
	return time.Unix(int64(w.days)*86400, 0).UTC()
}

// ScanBytes reads the day as time.Parse(time.DateOnly) would; text that is
// no day leaves it unset, as the check treats a day not said.
func (w *writtenDay) ScanBytes(v []byte) error {
	*w = writtenDay{}
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return nil
	}
	number := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := number(v[:4]), number(v[5:7]), number(v[8:10])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return nil
	}
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if day.Day() != d { // 31 April rolled over
		return nil
	}
	*w = writtenDay{days: int32(day.Unix() / 86400), ok: true}
	return nil
}

// micros scans a timestamptz as microseconds since 1970.
type micros struct{ into *int64 }

func (m micros) ScanTimestamptz(v pgtype.Timestamptz) error {
	*m.into = v.Time.UnixMicro()
	return nil
}

// knownText scans a text of a few values (a phase's name) into one string
// per value, so that the centre's 300,000 phase changes share a handful.
type knownText struct {
	into *string
	seen map[string]string
}

func (k *knownText) ScanBytes(v []byte) error {
	if s, ok := k.seen[string(v)]; ok {
		*k.into = s
		return nil
	}
	s := string(v)
	k.seen[s] = s
	*k.into = s
	return nil
}

// kind is the event's kind.
func (ev *fileEvent) kind() string {
	if ev.kindAt >= 1 && int(ev.kindAt) <= len(fileEventKinds) {
		return fileEventKinds[ev.kindAt-1]
	}
	return ""
}

// at is when the event occurred.
func (ev *fileEvent) at() time.Time { return time.UnixMicro(ev.atMicros) }

// inOrder sorts a participant's events as the timeline orders them, for
// the reads that leave the sorting of the centre's events to Go.
func inOrder(events []fileEvent) {
	slices.SortFunc(events, func(a, b fileEvent) int { return cmp.Or(cmp.Compare(a.atMicros, b.atMicros), cmp.Compare(a.id, b.id)) })
}

// FileFacts reads one dossier's facts as they stood at asOf, its days in
// loc.
func (s *Store) FileFacts(ctx context.Context, participantID string, asOf time.Time, loc *time.Location) (filecheck.Facts, error) {
	var f filecheck.Facts
	var decision time.Time
	var notified *time.Time
	var state []byte
	err := s.db.QueryRow(ctx, `
		SELECT p.id::text, p.given_name, p.family_name, COALESCE(p.national_number, ''), p.leefloon_decision_date, p.leefloon_notified_date, t.state
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE p.id = $1`, participantID).Scan(&f.ParticipantID, &f.GivenName, &f.FamilyName, &f.NationalNumber, &decision, &notified, &state)
	if err != nil {
		return f, classify("file facts", err)
	}
	f.Decision = decision
	if notified != nil {
		f.Notified = *notified
	}
	rows, err := s.db.Query(ctx, `
		SELECT `+fileEventColumns+` FROM file_events e
		WHERE e.participant_id = $1 AND e.occurred_at <= $2 AND e.kind = ANY($3)
		ORDER BY e.occurred_at, e.event_id`, participantID, asOf, fileEventKinds)
	if err != nil {
		return f, classify("file facts", err)
	}
	events, err := pgx.CollectRows(rows, scanFileEvent)
	if err != nil {
		return f, classify("file facts", err)
	}
	f.Runs = runsOf(events, loc)
	// The reports kept by asOf, by ID.
	reports := map[string]bool{}
	rows, err = s.db.Query(ctx, `SELECT id::text FROM evaluation_reports WHERE participant_id = $1 AND written_at <= $2`, participantID, asOf)
	if err != nil {
		return f, classify("file facts", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return f, classify("file facts", err)
	}
	for _, id := range ids {
		reports[id] = true
	}
	keptRecords(&f, events, state, reports)

	rows, err = s.db.Query(ctx, `SELECT done_on FROM needs_analyses WHERE participant_id = $1 AND written_at <= $2 ORDER BY done_on`, participantID, asOf)
	if err != nil {
		return f, classify("file facts", err)
	}
	if f.NeedsAnalyses, err = pgx.CollectRows(rows, pgx.RowTo[time.Time]); err != nil {
		return f, classify("file facts", err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT written_at, ground, reason <> '', review_on FROM exemptions
		WHERE participant_id = $1 AND written_at <= $2 ORDER BY written_at`, participantID, asOf)
	if err != nil {
		return f, classify("file facts", err)
	}
	f.Exemptions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (filecheck.Exemption, error) {
		var x filecheck.Exemption
		var written time.Time
		var review *time.Time
		if err := r.Scan(&written, &x.Ground, &x.Reason, &review); err != nil {
			return x, err
		}
		return exemptionOf(written, x.Ground, x.Reason, review, loc), nil
	})
	if err != nil {
		return f, classify("file facts", err)
	}
	extensions, err := s.extensionFacts(ctx, participantID, "", asOf)
	f.Extensions = extensions[participantID]
	return f, err
}

// exemptionOf is an exemption's facts from its row.
func exemptionOf(written time.Time, ground string, reason bool, review *time.Time, loc *time.Location) filecheck.Exemption {
	x := filecheck.Exemption{Written: filecheck.Day(written, loc), Ground: ground, Reason: reason}
	if review != nil {
		x.ReviewOn = *review
	}
	return x
}

// keptRecords adds to the runs built from events what the records say:
// whether the signature recorded the acknowledgement, and which
// evaluations have their report among those kept. The event names its
// report; older events did not, and the latest run's state (gpmiState,
// the trajectory state's JSON) names them in the same order.
func keptRecords(f *filecheck.Facts, events []fileEvent, gpmiState []byte, reports map[string]bool) {
	var current struct {
		GPMI struct {
			Acknowledged bool `json:"acknowledged"`
			Evaluations  []struct {
				ReportID string `json:"report_id"`
			} `json:"evaluations"`
		} `json:"gpmi"`
	}
	if len(gpmiState) > 0 {
		_ = json.Unmarshal(gpmiState, &current) // a state it cannot read leaves the fallbacks empty
	}
	run, evaluation := -1, 0
	for i, ev := range events {
		switch {
		case ev.kind() == "trajectory_started":
			run, evaluation = run+1, 0
			continue
		case i == 0:
			run = 0 // runsOf opened a run for a timeline without its start
		}
		switch ev.kind() {
		case "gpmi_signed":
			if run < 0 {
				continue
			}
			// older events did not say; the latest run's state does
			ack, said := ev.acknowledged.Bool, ev.acknowledged.Valid
			if !said && run == len(f.Runs)-1 {
				ack = current.GPMI.Acknowledged
			}
			f.Runs[run].Acknowledged = ack
		case "gpmi_evaluated":
			if run < 0 {
				continue
			}
			id := ev.reportID
			if id == "" && run == len(f.Runs)-1 && evaluation < len(current.GPMI.Evaluations) {
				id = current.GPMI.Evaluations[evaluation].ReportID
			}
			if evaluation < len(f.Runs[run].Evaluations) {
				f.Runs[run].Evaluations[evaluation].Report = id != "" && reports[id]
			}
			evaluation++
		}
	}
}

// CentreFileFacts reads the facts the claims need of every dossier of a
// centre, as they stood at asOf: the runs, phases and signatures (not the
// evaluations or the records, which the claims do not judge). Dossiers
// with no event by asOf are left out; the others come sorted by name.
func (s *Store) CentreFileFacts(ctx context.Context, centreID string, asOf time.Time, loc *time.Location) ([]filecheck.Facts, error) {
	fail := func(err error) ([]filecheck.Facts, error) { return nil, classify("centre file facts", err) }
	// The dossiers sorted, their events not: PostgreSQL sorting the
	// centre's 350,000 events by name spilled to disk.
	rows, err := s.db.Query(ctx, `
		SELECT id::text, given_name, family_name, COALESCE(national_number, '') FROM participants
		WHERE centre_id = $1 ORDER BY family_name, given_name, id`, centreID)
	if err != nil {
		return fail(err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (filecheck.Facts, error) {
		var f filecheck.Facts
		err := r.Scan(&f.ParticipantID, &f.GivenName, &f.FamilyName, &f.NationalNumber)
		return f, err
	})
	if err != nil {
		return fail(err)
	}
	ids := make([]string, len(all))
	for i, f := range all {
		ids[i] = f.ParticipantID
	}
	rows, err = s.db.Query(ctx, `SELECT e.participant_id, `+fileEventColumns+` FROM file_events e
		WHERE e.centre_id = $1 AND e.occurred_at <= $2 AND e.kind = ANY($3)`, centreID, asOf, fileEventKinds[:3])
	if err != nil {
		return fail(err)
	}
	events, err := eventsByDossier(rows, ids)
	if err != nil {
		return fail(err)
	}
	filecheck.Each(len(all), func(i int) { all[i].Runs = runsOf(events[i], loc) })
	extensions, err := s.extensionFacts(ctx, "", centreID, asOf)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for i, f := range all {
		if len(events[i]) == 0 {
			continue
		}
		f.Extensions = extensions[f.ParticipantID]
		out = append(out, f)
	}
	return out, nil
}

func scanFileEvent(r pgx.CollectableRow) (fileEvent, error) {
	var ev fileEvent
	err := r.Scan(ev.fields()...)
	return ev, err
}

// runsOf builds the runs from a participant's events in order.
func runsOf(events []fileEvent, loc *time.Location) []filecheck.Run {
	// The phases and evaluations of all the runs in one array each, made
	// at their size: a centre's read builds 50,000 dossiers' runs.
	var nPhases, nEvaluations int
	for _, ev := range events {
		switch ev.kind() {
		case "phase_changed":
			nPhases++
		case "gpmi_evaluated":
			nEvaluations++
		}
	}
	phases := make([]filecheck.PhaseChange, 0, nPhases)
	evaluations := make([]filecheck.Evaluation, 0, nEvaluations)
	var runs []filecheck.Run
	var firstPhase, firstEvaluation int // the current run's, in those arrays
	for _, ev := range events {
		on := filecheck.Day(ev.at(), loc)
		if ev.kind() == "trajectory_started" || len(runs) == 0 {
			runs = append(runs, filecheck.Run{Started: on})
			firstPhase, firstEvaluation = len(phases), len(evaluations)
			if ev.kind() == "trajectory_started" {
				continue
			}
		}
		run := &runs[len(runs)-1]
		switch ev.kind() {
		case "phase_changed":
			if end := ev.contractEnd.day(); ev.contractEnd.ok && !on.Before(end) {
				// The contract ran to its last day; the follow-up begins
				// the day after, whenever the timer fired.
				on = end.AddDate(0, 0, 1)
			}
			phases = append(phases, filecheck.PhaseChange{On: on, To: ev.to})
			run.Phases = phases[firstPhase:len(phases):len(phases)]
		case "gpmi_signed":
			if ev.signedOn.ok {
				d := ev.signedOn.day()
				run.Signed = &d
			}
		case "gpmi_evaluated":
			evaluations = append(evaluations, filecheck.Evaluation{HeldOn: ev.heldOn.day(), FaceToFace: ev.faceToFace.Bool})
			run.Evaluations = evaluations[firstEvaluation:len(evaluations):len(evaluations)]
		}
	}
	return runs
}
