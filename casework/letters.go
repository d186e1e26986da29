package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// MaxReasons is the longest text of a decision's reasons, in characters.
const MaxReasons = 10000

// LetterInput asks for a procedure's letter: its kind, the language (the
// person's when empty), where the hearing is held (the centre's setting
// when empty) and the committee's reasons for a decision.
type LetterInput struct {
	Kind         letters.Kind `json:"kind"`
	Language     string       `json:"language,omitempty"`
	HearingPlace string       `json:"hearing_place,omitempty"`
	Reasons      string       `json:"reasons,omitempty"`
}

// letterReaders read a dossier's letters: its staff (the BCSD the
// dossiers referred to it); never host users.
var letterReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}

// MayWriteLetter tells whether a role may produce a letter of the kind
// under the centre's policy (the pages offer the forms it allows).
func MayWriteLetter(kind letters.Kind, role domain.Role, mayRecordStep func(domain.Role) bool) bool {
	return mayWriteLetter(kind, role, mayRecordStep)
}

// mayWriteLetter: the warning is written by whoever reports or follows the
// dossier; the invitation and the decision by those the policy lets record
// the procedure's steps.
func mayWriteLetter(kind letters.Kind, role domain.Role, mayRecordStep func(domain.Role) bool) bool {
	if kind == letters.GPMIDocument {
		return slices.Contains(noteWriters, role)
	}
	if kind == letters.Warning {
		return slices.Contains(letterReaders, role)
	}
	return mayRecordStep(role)
}

// letterIDs is the UUID namespace of letter IDs made from keys.
var letterIDs = uuid.MustParse("4a0f5a8e-2f61-4d35-9d0b-1c7e6f2b9a33")

// ProduceLetter writes a procedure's letter from what traject knows (the
// report, the hearing, the decision as the workflow computed it, the
// centre's settings and policy), keeps it in the dossier with its PDF and
// returns it. It changes no trajectory: recording the notification sent is
// the procedure's own step.
func (s *Service) ProduceLetter(ctx context.Context, c Caller, participantID string, procedure int, in LetterInput) (store.KeptLetter, error) {
	if !slices.Contains(letterReaders, c.Role) || c.CentreID == "" {
		return store.KeptLetter{}, ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return store.KeptLetter{}, err
	}
	var problems []FieldProblem
	if !slices.Contains(letters.Kinds, in.Kind) {
		problems = append(problems, domain.Problem("kind", domain.OneOf, kindNames(letters.Kinds)...))
	}
	if in.Language != "" && !slices.Contains(letters.Languages, in.Language) {
		problems = append(problems, domain.Problem("language", domain.OneOf, letters.Languages...))
	}
	for _, f := range []struct{ name, value string }{{"hearing_place", in.HearingPlace}, {"reasons", in.Reasons}} {
		if f.value != "" && !store.CleanText(f.value) {
			problems = append(problems, domain.Problem(f.name, domain.NotText))
		}
	}
	problems = append(problems, longest("hearing_place", in.HearingPlace, 300)...)
	problems = append(problems, longest("reasons", in.Reasons, MaxReasons)...)
	if in.Kind == letters.DecisionNotice && strings.TrimSpace(in.Reasons) == "" {
		problems = append(problems, domain.Problem("reasons", domain.Required))
	}
	if len(problems) > 0 {
		return store.KeptLetter{}, &InvalidError{Fields: problems}
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return store.KeptLetter{}, err
	}
	if !mayWriteLetter(in.Kind, c.Role, pol.Sanction.MayRecordStep) {
		return store.KeptLetter{}, ErrForbidden
	}
	// A procedure's letters come from procedure n; the GPMI document from
	// the dossier (n = 0).
	var procedureID, reproach string
	var state workflows.SanctionState
	switch {
	case procedure > 0 && !slices.Contains(letters.ProcedureKinds, in.Kind):
		return store.KeptLetter{}, &InvalidError{Fields: []FieldProblem{domain.Problem("kind", domain.OneOf, kindNames(letters.ProcedureKinds)...)}}
	case procedure <= 0 && in.Kind != letters.GPMIDocument:
		return store.KeptLetter{}, &InvalidError{Fields: []FieldProblem{domain.Problem("kind", domain.OneOf, string(letters.GPMIDocument))}}
	case procedure > 0:
		procedureID = workflows.SanctionWorkflowID(participantID, procedure)
		if state, err = s.procedureState(ctx, participantID, procedureID); err != nil {
			return store.KeptLetter{}, err
		}
		if reproach, err = s.store.NonCooperationReport(ctx, participantID, state.ReportID); err != nil {
			return store.KeptLetter{}, err
		}
	}
	dossier, err := s.store.Dossier(ctx, participantID)
	if err != nil {
		return store.KeptLetter{}, err
	}
	centre, err := s.store.LetterSettings(ctx, c.CentreID)
	if err != nil {
		return store.KeptLetter{}, err
	}
	loc := pol.Location()
	now := time.Now()
	lang := in.Language
	if lang == "" {
		lang = dossier.Language
	}
	f := letters.Facts{
		Kind: in.Kind, Language: lang, Date: now.UTC().Truncate(time.Second), TimeZone: loc.String(),
		Reference: letterReference(dossier.Number, procedure), Centre: centre.In(lang),
		Person:     letters.Person{Name: dossier.GivenName + " " + dossier.FamilyName, FamilyName: dossier.FamilyName, Gender: deref(dossier.Gender), Street: deref(dossier.Street), Postcode: deref(dossier.Postcode), Municipality: deref(dossier.Municipality)},
		ReportedOn: state.ReportedAt, Reproach: reproach,
		Notice: pol.Sanction.HearingNoticeMin, AppealWindow: pol.Sanction.AppealWindow,
	}
	switch in.Kind {
	case letters.HearingInvitation:
		if state.HearingOn == nil {
			return store.KeptLetter{}, &store.ConflictError{Code: domain.LetterNotYet}
		}
		// The invitation reaches the person at least the notice ahead: from
		// today, the hearing must lie on or after this day.
		earliest := pol.Sanction.HearingNoticeMin.After(startOfDay(now, loc))
		if state.HearingOn.Before(earliest) {
			return store.KeptLetter{}, &InvalidError{Fields: []FieldProblem{domain.Problem("hearing_on", domain.HearingTooSoon, earliest.Format(time.DateOnly))}}
		}
		f.HearingAt = state.HearingOn
		f.HearingPlace = strings.TrimSpace(in.HearingPlace)
		if f.HearingPlace == "" {
			f.HearingPlace = centre.HearingPlace
		}
		if f.HearingPlace == "" {
			return store.KeptLetter{}, &InvalidError{Fields: []FieldProblem{domain.Problem("hearing_place", domain.Required)}}
		}
	case letters.DecisionNotice:
		d := state.Decision
		if d == nil {
			return store.KeptLetter{}, &store.ConflictError{Code: domain.LetterNotYet}
		}
		if !centre.ReadyForDecision() {
			return store.KeptLetter{}, &store.ConflictError{Code: domain.LetterSettings}
		}
		f.HearingAt = state.HearingOn
		f.Decision = &letters.Decided{Kind: d.Kind, Months: d.Months, Partial: d.Partial, DecidedOn: d.DecidedOn,
			From: d.SuspensionFrom, Until: d.SuspensionUntil, Reasons: strings.TrimSpace(in.Reasons)}
	case letters.GPMIDocument:
		if err := s.gpmiFacts(ctx, dossier, &f, pol.GPMI.EvaluationEvery, pol.GPMI.FaceToFacePerYear); err != nil {
			return store.KeptLetter{}, err
		}
	}
	letter, err := s.letters.Render(f)
	if err != nil {
		return store.KeptLetter{}, err
	}
	pdf, err := letters.PDF(f, letter)
	if err != nil {
		return store.KeptLetter{}, err
	}
	sum := sha256.Sum256(pdf)
	id := uuid.NewString()
	if c.Key != "" {
		id = uuid.NewSHA1(letterIDs, []byte(c.UserID+"\n"+c.Route+"\n"+c.Key)).String()
	}
	err = s.audited(ctx, c, "produce_letter", "participant", participantID, func() (string, error) {
		return id, s.store.InsertLetter(ctx, store.NewLetter{ID: id, ParticipantID: participantID, CentreID: c.CentreID, ProcedureID: procedureID,
			ProducedBy: c.UserID, Facts: f, Letter: letter, PDF: pdf, SHA256: hex.EncodeToString(sum[:])})
	})
	if err != nil {
		return store.KeptLetter{}, err
	}
	return s.store.Letter(ctx, participantID, id)
}

// procedureState is the procedure as its workflow holds it now (a letter
// must not carry a hearing the read model has not caught up with), or as
// the read model last wrote it when the workflow cannot answer (gone past
// the retention).
func (s *Service) procedureState(ctx context.Context, participantID, procedureID string) (workflows.SanctionState, error) {
	var state workflows.SanctionState
	if s.temporal != nil {
		answer, err := s.temporal.QueryWorkflow(ctx, procedureID, "", workflows.QuerySanction)
		if err == nil && answer.Get(&state) == nil && state.ParticipantID == participantID {
			return state, nil
		}
	}
	proc, err := s.store.Procedure(ctx, participantID, procedureID)
	if err != nil {
		return state, err
	}
	if len(proc.State) == 0 || json.Unmarshal(proc.State, &state) != nil {
		return state, &store.ConflictError{Code: domain.LetterNotYet}
	}
	return state, nil
}

// MayReadLetters tells whether the caller may read the dossier's letters
// (the doors audit the read).
func (s *Service) MayReadLetters(ctx context.Context, c Caller, participantID string) error {
	if !slices.Contains(letterReaders, c.Role) || c.CentreID == "" {
		return ErrForbidden
	}
	return s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID)
}

// SaveLetterSettings writes the centre's letter settings: its
// administrator's.
func (s *Service) SaveLetterSettings(ctx context.Context, c Caller, in letters.Centre) error {
	if c.Role != domain.RoleAdmin || c.CentreID == "" {
		return ErrForbidden
	}
	var problems []FieldProblem
	for name, v := range map[string]string{"name": in.Name, "street": in.Street, "postcode": in.Postcode, "municipality": in.Municipality,
		"phone": in.Phone, "email": in.Email, "service": in.Service, "signatory": in.Signatory, "signatory_title": in.SignatoryTitle,
		"court_name": in.CourtName, "court_address": in.CourtAddress, "hearing_place": in.HearingPlace} {
		if v != "" && !store.CleanText(v) {
			problems = append(problems, domain.Problem(name, domain.NotText))
		}
		problems = append(problems, longest(name, v, 300)...)
	}
	if in.Name == "" {
		problems = append(problems, domain.Problem("name", domain.Required))
	}
	for lang, w := range in.Translations {
		if !slices.Contains(letters.Languages, lang) {
			problems = append(problems, domain.Problem("translations", domain.OneOf, letters.Languages...))
			continue
		}
		for name, v := range w.Fields() {
			field := "translations." + lang + "." + name
			if v != "" && !store.CleanText(v) {
				problems = append(problems, domain.Problem(field, domain.NotText))
			}
			problems = append(problems, longest(field, v, 300)...)
		}
	}
	if len(problems) > 0 {
		slices.SortFunc(problems, func(a, b FieldProblem) int { return strings.Compare(a.Field, b.Field) })
		return &InvalidError{Fields: problems}
	}
	return s.audited(ctx, c, "change_letter_settings", "centre", c.CentreID, func() (string, error) {
		return c.CentreID, s.store.SaveLetterSettings(ctx, c.CentreID, c.UserID, in)
	})
}

// gpmiFacts adds the GPMI's content to a GPMI document's facts: its
// agreements in force with their domains in the letter's language, the
// day it was signed and the counsellor who concludes it for the centre.
// Before a GPMI is recorded signed with its agreements there is nothing to
// write.
func (s *Service) gpmiFacts(ctx context.Context, dossier store.Dossier, f *letters.Facts, every policy.Period, faceToFace int) error {
	content, err := s.GPMI(ctx, dossier.ID)
	if err != nil {
		return err
	}
	if content.SignedOn == nil || len(content.Agreements) == 0 {
		return &store.ConflictError{Code: domain.GPMINotSigned}
	}
	var state workflows.State
	_ = json.Unmarshal(dossier.Trajectory, &state)
	actors, err := s.store.Actors(ctx, []string{state.CounsellorID})
	if err != nil {
		return err
	}
	f.Counsellor, f.SignedOn, f.EvaluationEvery, f.FaceToFacePerYear = actors[state.CounsellorID].Name, content.SignedOn, every, faceToFace
	for _, a := range content.Agreements {
		agreement := letters.Agreement{Domain: messages.T(f.Language, "life."+a.Domain), PersonDoes: a.PersonDoes, CentreDoes: a.CentreDoes}
		if a.DueOn != nil {
			if due, err := time.ParseInLocation(time.DateOnly, *a.DueOn, time.UTC); err == nil {
				agreement.DueOn = &due
			}
		}
		f.Agreements = append(f.Agreements, agreement)
	}
	return nil
}

// letterReference is a letter's file reference as the person can quote
// it: the dossier's number and the procedure's, or GPMI.
func letterReference(dossier, procedure int) string {
	if procedure <= 0 {
		return strconv.Itoa(dossier) + "/GPMI"
	}
	return strconv.Itoa(dossier) + "/BCSD-" + strconv.Itoa(procedure)
}

func kindNames(kinds []letters.Kind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
