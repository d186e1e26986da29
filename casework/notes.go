package casework

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// MaxNoteText is the longest note, in characters (about four pages).
const MaxNoteText = 10000

// noteWriters write and correct case notes: the dossier's counsellor and
// the coordinators.
var noteWriters = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}

// NoteInput is a case note as staff write it.
type NoteInput struct {
	Kind       string `json:"kind"`
	HappenedOn string `json:"happened_on"`
	Text       string `json:"text"`
}

// Correction is the corrected text of a note.
type Correction struct {
	Text string `json:"text"`
}

// noteIDs is the UUID namespace of note IDs made from keys.
var noteIDs = uuid.MustParse("8d3c0c52-5b0a-4f0e-9a4c-6c1f3e1b7d21")

// noteID names the note a write makes: from its key, so that a retried
// write finds the note it wrote, or new.
func (c Caller) noteID() string {
	if c.Key == "" {
		return uuid.NewString()
	}
	return uuid.NewSHA1(noteIDs, []byte(c.UserID+"\n"+c.Route+"\n"+c.Key)).String()
}

// noteText checks a note's text: given, text, not too long.
func noteText(v string) []FieldProblem {
	switch {
	case strings.TrimSpace(v) == "":
		return []FieldProblem{domain.Problem("text", domain.Required)}
	case !store.CleanText(v):
		return []FieldProblem{domain.Problem("text", domain.NotText)}
	}
	return longest("text", v, MaxNoteText)
}

// writable checks that the caller may write notes on the dossier.
func (s *Service) writable(ctx context.Context, c Caller, participantID string) error {
	if !slices.Contains(noteWriters, c.Role) || c.CentreID == "" {
		return ErrForbidden
	}
	return s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID)
}

// AddNote writes a case note on a dossier: its kind, the day of the
// contact (not to come) and the text, which stays in PostgreSQL; the
// timeline records that it was written.
func (s *Service) AddNote(ctx context.Context, c Caller, participantID string, in NoteInput) (store.Note, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Note{}, err
	}
	var problems []FieldProblem
	if !slices.Contains(store.NoteKinds, in.Kind) {
		problems = append(problems, domain.Problem("kind", domain.OneOf, store.NoteKinds...))
	}
	var day time.Time
	if in.HappenedOn == "" {
		problems = append(problems, domain.Problem("happened_on", domain.Required))
	} else if day = s.dateField(&problems, "happened_on", in.HappenedOn); !day.IsZero() && day.After(time.Now()) {
		problems = append(problems, domain.Problem("happened_on", domain.InFuture))
	}
	problems = append(problems, noteText(in.Text)...)
	if len(problems) > 0 {
		return store.Note{}, &InvalidError{Fields: problems}
	}
	id := c.noteID()
	err := s.audited(ctx, c, "write_note", "participant", participantID, func() (string, error) {
		_, err := s.store.InsertNote(ctx, store.NewNote{ID: id, ParticipantID: participantID, CentreID: c.CentreID, Kind: in.Kind,
			HappenedOn: day, Text: in.Text, AuthorID: c.UserID})
		return id, err
	})
	if err != nil {
		return store.Note{}, err
	}
	return s.store.Note(ctx, participantID, id)
}

// CorrectNote corrects a note's text: in place while the centre's
// notes.correct_within has not passed since it was written (edited is
// true), later as a correction added beside it, both kept. Only the
// note's author corrects it. A correction's correction goes to the note
// it corrects.
func (s *Service) CorrectNote(ctx context.Context, c Caller, participantID, noteID string, in Correction) (n store.Note, edited bool, err error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Note{}, false, err
	}
	if _, err := uuid.Parse(noteID); err != nil {
		return store.Note{}, false, store.ErrNotFound
	}
	note, err := s.store.Note(ctx, participantID, noteID)
	if err != nil {
		return store.Note{}, false, err
	}
	if note.AuthorID != c.UserID {
		return store.Note{}, false, &store.ConflictError{Code: domain.NoteAuthor}
	}
	if problems := noteText(in.Text); len(problems) > 0 {
		return store.Note{}, false, &InvalidError{Fields: problems}
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return store.Note{}, false, err
	}
	id := noteID
	err = s.audited(ctx, c, "correct_note", "participant", participantID, func() (string, error) {
		edited, err = s.store.EditNote(ctx, participantID, noteID, c.UserID, in.Text, pol.Notes.CorrectWithin.Before(time.Now()))
		if err != nil || edited {
			return noteID, err
		}
		original := noteID
		if note.Corrects != nil {
			original = *note.Corrects
		}
		id = c.noteID()
		today := time.Now().In(pol.Location())
		_, err = s.store.InsertNote(ctx, store.NewNote{ID: id, ParticipantID: participantID, CentreID: c.CentreID, Kind: note.Kind,
			HappenedOn: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC), Text: in.Text, AuthorID: c.UserID, Corrects: original})
		return id, err
	})
	if err != nil {
		return store.Note{}, false, err
	}
	n, err = s.store.Note(ctx, participantID, id)
	return n, edited, err
}

// noteReaders read a dossier's notes: its counsellors and coordinators;
// the BCSD only while a procedure runs on it. The administrator and host
// users never (professional secrecy: the administrator opens no dossier).
var noteReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}

// MayReadNotes tells whether the caller may read the dossier's notes
// (the doors audit the read): ErrForbidden for the BCSD while no
// procedure runs on it, ErrNotFound for a dossier they may not see.
func (s *Service) MayReadNotes(ctx context.Context, c Caller, participantID string) error {
	if !slices.Contains(noteReaders, c.Role) || c.CentreID == "" {
		return ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return err
	}
	if c.Role != domain.RoleBCSD {
		return nil
	}
	open, err := s.store.ProcedureOpen(ctx, participantID)
	if err == nil && !open {
		return ErrForbidden
	}
	return err
}
