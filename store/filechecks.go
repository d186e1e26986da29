package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

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
// read for all of them at once in one round trip of five queries over the
// centre, never a query per dossier. Dossiers come sorted by name.
func (s *Store) CentreFileChecks(ctx context.Context, v Viewer, asOf time.Time, loc *time.Location) ([]CentreFile, error) {
	// Every query reads the viewer's dossiers through this condition on p.
	const scope = `p.centre_id = $1 AND (NOT $2 OR p.id IN (SELECT p2.id FROM participants p2 LEFT JOIN trajectories t2 ON t2.participant_id = p2.id
		WHERE p2.centre_id = $1 AND COALESCE(t2.counsellor_id, p2.intake_counsellor_id) = $3::uuid))`
	args := []any{v.CentreID, v.CaseloadOnly, v.UserID, asOf}
	b := &pgx.Batch{}
	b.Queue(`
		SELECT p.id::text, p.dossier_number, p.given_name, p.family_name, COALESCE(p.national_number, ''), p.leefloon_decision_date, p.leefloon_notified_date,
		       COALESCE(COALESCE(t.counsellor_id, p.intake_counsellor_id)::text, ''), COALESCE(u.display_name, ''), jsonb_build_object('gpmi', t.state->'gpmi')
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		LEFT JOIN staff_users u ON u.id = COALESCE(t.counsellor_id, p.intake_counsellor_id)
		WHERE `+scope+`
		ORDER BY p.family_name, p.given_name, p.id`, args[:3]...)
	b.Queue(`
		SELECT e.participant_id::text, e.kind, e.occurred_at,
		       e.data->>'to', e.data->>'contract_end', e.data->>'signed_on', e.data->>'held_on', e.data->>'report_id',
		       CASE jsonb_typeof(e.data->'acknowledged') WHEN 'boolean' THEN (e.data->>'acknowledged')::boolean END,
		       CASE jsonb_typeof(e.data->'face_to_face') WHEN 'boolean' THEN (e.data->>'face_to_face')::boolean END
		FROM timeline_events e JOIN participants p ON p.id = e.participant_id
		WHERE e.centre_id = $1 AND `+scope+` AND e.occurred_at <= $4 AND e.kind = ANY($5)
		ORDER BY e.participant_id, e.occurred_at, e.id`, append(args, fileEventKinds)...)
	b.Queue(`
		SELECT r.participant_id::text, r.id::text FROM evaluation_reports r JOIN participants p ON p.id = r.participant_id
		WHERE r.centre_id = $1 AND `+scope+` AND r.written_at <= $4`, args...)
	b.Queue(`
		SELECT n.participant_id::text, n.done_on FROM needs_analyses n JOIN participants p ON p.id = n.participant_id
		WHERE n.centre_id = $1 AND `+scope+` AND n.written_at <= $4 ORDER BY n.participant_id, n.done_on`, args...)
	b.Queue(`
		SELECT x.participant_id::text, x.written_at, x.ground, x.reason <> '', x.review_on FROM exemptions x JOIN participants p ON p.id = x.participant_id
		WHERE x.centre_id = $1 AND `+scope+` AND x.written_at <= $4 ORDER BY x.participant_id, x.written_at`, args...)
	results := s.db.SendBatch(ctx, b)
	defer func() { _ = results.Close() }()
	fail := func(err error) ([]CentreFile, error) { return nil, classify("centre file checks", err) }

	rows, err := results.Query()
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

	events := make([][]fileEvent, len(out))
	rows, err = results.Query()
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		// Only the fields the check reads, not the whole document: pgx
		// decoding every event's jsonb is most of the time at 50,000
		// dossiers.
		var id string
		var ev fileEvent
		var text [5]*string
		var flags [2]*bool
		if err := rows.Scan(&id, &ev.kind, &ev.at, &text[0], &text[1], &text[2], &text[3], &text[4], &flags[0], &flags[1]); err != nil {
			rows.Close()
			return fail(err)
		}
		ev.data = map[string]any{}
		for i, name := range [...]string{"to", "contract_end", "signed_on", "held_on", "report_id"} {
			if text[i] != nil {
				ev.data[name] = *text[i]
			}
		}
		for i, name := range [...]string{"acknowledged", "face_to_face"} {
			if flags[i] != nil {
				ev.data[name] = *flags[i]
			}
		}
		if i, ok := index[id]; ok {
			events[i] = append(events[i], ev)
		}
	}
	if err := rows.Err(); err != nil {
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
	for i := range out {
		out[i].Facts.Runs = runsOf(events[i], loc)
		keptRecords(&out[i].Facts, events[i], states[i], reports)
	}

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
	extensions, err := s.extensionFacts(ctx, "", v.CentreID, asOf)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Facts.Extensions = extensions[out[i].Facts.ParticipantID]
	}
	return out, nil
}
