package store

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/traject-ocmw/traject/filecheck"
)

// CentreFile is one dossier's file-check facts with whom it belongs to.
type CentreFile struct {
	Facts  filecheck.Facts
	Number int
	// CounsellorID and Counsellor name the counsellor who holds the
	// dossier (empty when nobody does).
	CounsellorID, Counsellor string
}

// CentreFileChecks reads the file-check facts of every dossier the viewer
// sees (a coordinator the centre's, a counsellor their own), as they stood
// at asOf, its days in loc: the same facts FileFacts reads of one dossier,
// read for all of them at once in two round trips, never a query per
// dossier. Dossiers come sorted by name.
func (s *Store) CentreFileChecks(ctx context.Context, v Viewer, asOf time.Time, loc *time.Location) ([]CentreFile, error) {
	fail := func(err error) ([]CentreFile, error) { return nil, classify("centre file checks", err) }
	// The dossiers first; then the records of a coordinator's by the
	// centre, of a counsellor's by their own IDs. A counsellor's 60
	// dossiers are 60 index lookups whatever the centre's size, and no
	// plan depends on a join the planner may misjudge on fresh tables.
	rows, err := s.db.Query(ctx, `
		SELECT p.id::text, p.dossier_number, p.given_name, p.family_name, COALESCE(p.national_number, ''), p.leefloon_decision_date, p.leefloon_notified_date,
		       COALESCE(COALESCE(t.counsellor_id, p.intake_counsellor_id)::text, ''), COALESCE(u.display_name, ''), jsonb_build_object('gpmi', t.state->'gpmi')
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		LEFT JOIN staff_users u ON u.id = COALESCE(t.counsellor_id, p.intake_counsellor_id)
		WHERE p.centre_id = $1 AND (NOT $2 OR COALESCE(t.counsellor_id, p.intake_counsellor_id) = $3::uuid)
		ORDER BY p.family_name, p.given_name, p.id`, v.CentreID, v.CaseloadOnly, v.UserID)
	if err != nil {
		return fail(err)
	}
	var out []CentreFile
	index := map[string]int{}
	var states [][]byte
	for rows.Next() {
		var c CentreFile
		var notified *time.Time
		var state []byte
		if err := rows.Scan(&c.Facts.ParticipantID, &c.Number, &c.Facts.GivenName, &c.Facts.FamilyName, &c.Facts.NationalNumber, &c.Facts.Decision, &notified,
			&c.CounsellorID, &c.Counsellor, &state); err != nil {
			rows.Close()
			return fail(err)
		}
		if notified != nil {
			c.Facts.Notified = *notified
		}
		c.Facts.NeedsAnalyses, c.Facts.Exemptions = []time.Time{}, []filecheck.Exemption{} // as FileFacts reads none
		index[c.Facts.ParticipantID] = len(out)
		out = append(out, c)
		states = append(states, state)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, c := range out {
		ids[i] = c.Facts.ParticipantID
	}
	scope, key := `centre_id = $1`, any(v.CentreID)
	if v.CaseloadOnly {
		scope, key = `participant_id = ANY($1::uuid[])`, ids
	}
	b := &pgx.Batch{}
	// The events unsorted: each dossier's few are sorted in Go, cheaper
	// than PostgreSQL sorting the centre's 750,000 on disk.
	b.Queue(`SELECT e.participant_id, `+fileEventColumns+` FROM file_events e
		WHERE e.`+scope+` AND e.occurred_at <= $2 AND e.kind = ANY($3)`, key, asOf, fileEventKinds)
	b.Queue(`SELECT participant_id::text, id::text FROM evaluation_reports WHERE `+scope+` AND written_at <= $2`, key, asOf)
	b.Queue(`SELECT participant_id::text, done_on FROM needs_analyses WHERE `+scope+` AND written_at <= $2 ORDER BY participant_id, done_on`, key, asOf)
	b.Queue(`SELECT participant_id::text, written_at, ground, reason <> '', review_on FROM exemptions
		WHERE `+scope+` AND written_at <= $2 ORDER BY participant_id, written_at`, key, asOf)
	b.Queue(extensionFactsSQL(scope), key, asOf)
	results := s.db.SendBatch(ctx, b)
	defer func() { _ = results.Close() }()

	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	events, err := eventsByDossier(rows, ids)
	if err != nil {
		return fail(err)
	}

	reports := map[string]bool{}
	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var participant, id string
		if err := rows.Scan(&participant, &id); err != nil {
			rows.Close()
			return fail(err)
		}
		reports[id] = true // report IDs are unique across dossiers
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	filecheck.Each(len(out), func(i int) {
		out[i].Facts.Runs = runsOf(events[i], loc)
		keptRecords(&out[i].Facts, events[i], states[i], reports)
	})

	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var id string
		var done time.Time
		if err := rows.Scan(&id, &done); err != nil {
			rows.Close()
			return fail(err)
		}
		if i, ok := index[id]; ok {
			out[i].Facts.NeedsAnalyses = append(out[i].Facts.NeedsAnalyses, done)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}

	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var id, ground string
		var written time.Time
		var reason bool
		var review *time.Time
		if err := rows.Scan(&id, &written, &ground, &reason, &review); err != nil {
			rows.Close()
			return fail(err)
		}
		if i, ok := index[id]; ok {
			out[i].Facts.Exemptions = append(out[i].Facts.Exemptions, exemptionOf(written, ground, reason, review, loc))
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var id string
		var x filecheck.ExtensionFact
		if err := rows.Scan(&id, &x.On, &x.Motivated); err != nil {
			rows.Close()
			return fail(err)
		}
		if i, ok := index[id]; ok {
			out[i].Facts.Extensions = append(out[i].Facts.Extensions, x)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return out, nil
}

// eventsByDossier reads rows of a participant's ID and fileEventColumns,
// in no order, into each dossier's events in the timeline's order: ids
// are the dossiers wanted, the result has their places. Rows of other
// dossiers are skipped.
func eventsByDossier(rows pgx.Rows, ids []string) ([][]fileEvent, error) {
	defer rows.Close()
	// The IDs as 16 bytes, not text (750,000 strings hashed and kept
	// otherwise).
	byID := make(map[uuid.UUID]int32, len(ids))
	for i, s := range ids {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, err
		}
		byID[id] = int32(i)
	}
	// In blocks that are never copied: growing one slice of 750,000
	// events copied them over and over.
	const block = 8192
	var blocks [][]fileEvent
	var id pgtype.UUID
	var cur fileEvent
	dest := cur.fields(&id)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		i, ok := byID[uuid.UUID(id.Bytes)]
		if !ok {
			continue
		}
		if len(blocks) == 0 || len(blocks[len(blocks)-1]) == block {
			blocks = append(blocks, make([]fileEvent, 0, block))
		}
		ev := cur
		ev.owner = i
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], ev)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	events := groupBy(blocks, len(ids))
	filecheck.Each(len(events), func(i int) { inOrder(events[i]) })
	return events, nil
}

// groupBy puts each event with its dossier's (its owner), in their order:
// a counting sort, so that the n dossiers' events share one array.
func groupBy(blocks [][]fileEvent, n int) [][]fileEvent {
	start := make([]int, n+1)
	for _, b := range blocks {
		for _, ev := range b {
			start[ev.owner+1]++
		}
	}
	for i := range n {
		start[i+1] += start[i]
	}
	grouped := make([]fileEvent, start[n])
	next := slices.Clone(start[:n])
	for _, b := range blocks {
		for _, ev := range b {
			grouped[next[ev.owner]] = ev
			next[ev.owner]++
		}
	}
	out := make([][]fileEvent, n)
	for i := range n {
		out[i] = grouped[start[i]:start[i+1]:start[i+1]]
	}
	return out
}
