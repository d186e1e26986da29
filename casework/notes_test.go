package casework_test

import (
	"context"
	"github.com/google/uuid"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// Case notes: written by the dossier's staff with a kind, the day of the
// contact and a text that never leaves PostgreSQL; corrected in place by
// their author within the policy's window, later with a correction
// beside them; read by the BCSD only while a procedure runs.
func TestNotes(t *testing.T) {
	// keys new each run: a participant's ID, its workflow's too, comes from its key
	run := t.Name() + "-" + uuid.NewString()
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = run
	id, err := e.work.CreateParticipant(ctx, an, casework.NewParticipant{GivenName: "Tom", FamilyName: "Claes", BirthDate: "1990-05-17",
		NationalNumber: "90051712331", Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	e.state(t, id, func(workflows.State) bool { return true })

	bad := casework.NoteInput{Kind: "gossip", HappenedOn: time.Now().AddDate(0, 0, 2).Format(time.DateOnly), Text: strings.Repeat("x", casework.MaxNoteText+1)}
	got := fields(func() error { _, err := e.work.AddNote(ctx, an, id, bad); return err }())
	if got["kind"] != domain.OneOf || got["happened_on"] != domain.InFuture || got["text"] != domain.TooLong {
		t.Errorf("a malformed note: %v", got)
	}
	if _, err := e.work.AddNote(ctx, e.caller(domain.RoleBCSD, e.fx.BCSDID), id, casework.NoteInput{}); status(err) != http.StatusForbidden {
		t.Errorf("the BCSD writes a note: %v", err)
	}
	if _, err := e.work.AddNote(ctx, e.caller(domain.RoleCounsellor, e.fx.Counsellor2ID), id, casework.NoteInput{}); status(err) != http.StatusNotFound {
		t.Errorf("another counsellor writes on a dossier not theirs: %v", err)
	}
	an.Key = "note-1"
	in := casework.NoteInput{Kind: "home_visit", HappenedOn: time.Now().Format(time.DateOnly), Text: "Bezoek thuis.\nDe kinderen waren er."}
	note, err := e.work.AddNote(ctx, an, id, in)
	if err != nil || note.Text != in.Text || note.AuthorID != e.fx.CounsellorID {
		t.Fatalf("a note: %+v %v", note, err)
	}
	if again, err := e.work.AddNote(ctx, an, id, in); err != nil || again.ID != note.ID {
		t.Errorf("the same write again (a second click): %+v %v", again, err)
	}

	// Its author corrects it in place; a colleague may not.
	an.Key = "correct-1"
	fixed, edited, err := e.work.CorrectNote(ctx, an, id, note.ID, casework.Correction{Text: "Bezoek thuis. De kinderen waren op school."})
	if err != nil || !edited || fixed.ID != note.ID || fixed.EditedAt == nil {
		t.Fatalf("a correction in time: %+v %v %v", fixed, edited, err)
	}
	coordinator := e.caller(domain.RoleCoordinator, e.fx.CoordinatorID)
	if _, _, err := e.work.CorrectNote(ctx, coordinator, id, note.ID, casework.Correction{Text: "Nee."}); status(err) != http.StatusConflict {
		t.Errorf("a colleague corrects it: %v", err)
	}
	// A day later it is kept as written, the correction beside it.
	if _, err := e.db.Exec(ctx, `UPDATE notes SET written_at = now() - interval '2 days' WHERE id = $1`, note.ID); err != nil {
		t.Fatal(err)
	}
	an.Key = "correct-2"
	added, edited, err := e.work.CorrectNote(ctx, an, id, note.ID, casework.Correction{Text: "Het was dinsdag, niet maandag."})
	if err != nil || edited || added.Corrects == nil || *added.Corrects != note.ID {
		t.Fatalf("a correction too late to edit: %+v %v %v", added, edited, err)
	}
	notes, err := e.st.Notes(ctx, id, store.NoteCursor{}, 50)
	if err != nil || len(notes) != 1 || notes[0].Text != fixed.Text || len(notes[0].Corrections) != 1 || notes[0].Corrections[0].ID != added.ID {
		t.Errorf("the notes: %+v %v", notes, err)
	}

	// The timeline says a note was written and corrected, never what.
	var kinds, data string
	if err := e.db.QueryRow(ctx, `SELECT string_agg(kind, ',' ORDER BY id), string_agg(data::text, ' ') FROM timeline_events WHERE participant_id = $1 AND kind LIKE 'note%'`, id).Scan(&kinds, &data); err != nil {
		t.Fatal(err)
	}
	if kinds != "note_written,note_corrected" || strings.Contains(data, "Bezoek") || strings.Contains(data, "dinsdag") {
		t.Errorf("the timeline: %s %s", kinds, data)
	}

	// The BCSD reads them once a procedure runs on the dossier.
	bcsd := e.caller(domain.RoleBCSD, e.fx.BCSDID)
	// Before one, it does not even see the dossier (need-to-know).
	if err := e.work.MayReadNotes(ctx, bcsd, id); status(err) != http.StatusNotFound {
		t.Errorf("the BCSD before a procedure: %v", err)
	}
	for _, c := range []casework.Caller{an, coordinator} {
		if err := e.work.MayReadNotes(ctx, c, id); err != nil {
			t.Errorf("%s reads the notes: %v", c.Role, err)
		}
	}
	// The administrator manages the centre without opening dossiers.
	if err := e.work.MayReadNotes(ctx, e.caller(domain.RoleAdmin, e.admin), id); status(err) != http.StatusForbidden {
		t.Errorf("the administrator reads the notes: %v", err)
	}
	if err := e.work.MayReadNotes(ctx, e.caller(domain.RoleCounsellor, e.fx.Counsellor2ID), id); status(err) != http.StatusNotFound {
		t.Errorf("another counsellor reads the notes: %v", err)
	}
	an.Key, an.RequestID = "", "report"
	var result any
	if err := e.work.Act(ctx, an, id, 0, workflows.UpdateReportNonCooperation, &casework.NonCooperation{Description: "Drie afspraken gemist."}, &result); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the BCSD to read the notes of a dossier with a procedure", func() bool {
		return e.work.MayReadNotes(ctx, bcsd, id) == nil
	})
	if got := e.outcomes(t, "write_note"); len(got) != 2 || got[0] != "ok" {
		t.Errorf("write_note audited as %v", got)
	}
}
