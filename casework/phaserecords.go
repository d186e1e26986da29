package casework

import (
	"context"
	"slices"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// Records of phases 3 and 4: a dossier's programmes of studies or
// training with their results, its student jobs, and its work placements
// (in-company training, entry traineeships) with their ends. Like
// literacy, none of these writes changes a deadline the trajectory keeps:
// a programme's expected end or a placement's planned end is a fact the
// counsellor reads, not a term the centre must act on. So they stay out
// of the workflow: each is a content record in PostgreSQL (the names of
// schools and employers stay there) with its timeline event of IDs, days
// and codes, audited here. Both doors, the API and the pages, write
// through these functions.

// ProgrammeInput is a programme as staff record it.
type ProgrammeInput struct {
	School        string `json:"school"`
	Name          string `json:"name"`
	StartsOn      string `json:"starts_on"`
	ExpectedEndOn string `json:"expected_end_on"`
}

// ProgrammeResult is a programme's result on a day (default today).
type ProgrammeResult struct {
	Result string `json:"result"`
	On     string `json:"on,omitempty"`
}

// StudentJobInput is a student job as staff record it.
type StudentJobInput struct {
	Employer string `json:"employer"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// PlacementInput is an in-company training or an entry traineeship as
// staff record it.
type PlacementInput struct {
	Kind    string `json:"kind"`
	Company string `json:"company"`
	From    string `json:"from"`
	To      string `json:"to"`
}

// PlacementEnd ends a placement on a day (default today), early or not.
type PlacementEnd struct {
	On         string `json:"on,omitempty"`
	EndedEarly *bool  `json:"ended_early"`
}

// period reads a required start and end, the end not before the start.
func (s *Service) period(problems *[]FieldProblem, fromField, from, toField, to string) (time.Time, time.Time) {
	var a, b time.Time
	if from == "" {
		*problems = append(*problems, domain.Problem(fromField, domain.Required))
	} else {
		a = s.dayField(problems, fromField, from)
	}
	if to == "" {
		*problems = append(*problems, domain.Problem(toField, domain.Required))
	} else {
		b = s.dayField(problems, toField, to)
	}
	if !a.IsZero() && !b.IsZero() && b.Before(a) {
		*problems = append(*problems, domain.Problem(toField, domain.NotBefore, day(a)))
	}
	return a, b
}

// dayField parses a YYYY-MM-DD day as the store reads dates (midnight UTC).
func (s *Service) dayField(problems *[]FieldProblem, field, v string) time.Time {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		*problems = append(*problems, domain.Problem(field, domain.NotDate))
		return time.Time{}
	}
	return t
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// AddProgramme records a programme of studies or training on a dossier.
func (s *Service) AddProgramme(ctx context.Context, c Caller, participantID string, in ProgrammeInput) (store.Programme, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Programme{}, err
	}
	var problems []FieldProblem
	problems = append(problems, store.CheckRecordName("school", &in.School)...)
	problems = append(problems, store.CheckRecordName("name", &in.Name)...)
	from, to := s.period(&problems, "starts_on", in.StartsOn, "expected_end_on", in.ExpectedEndOn)
	if len(problems) > 0 {
		return store.Programme{}, &InvalidError{Fields: problems}
	}
	id := c.recordID()
	err := s.audited(ctx, c, "add_programme", "participant", participantID, func() (string, error) {
		return id, s.store.InsertProgramme(ctx, store.NewProgramme{ID: id, ParticipantID: participantID, CentreID: c.CentreID, AuthorID: c.UserID,
			School: in.School, Name: in.Name, StartsOn: from, ExpectedEndOn: to})
	})
	if err != nil {
		return store.Programme{}, err
	}
	return s.store.ProgrammeOf(ctx, participantID, id)
}

// RecordProgrammeResult records (or corrects) a programme's result: one of
// store.StudyResults, on a day that has come and is not before its start.
func (s *Service) RecordProgrammeResult(ctx context.Context, c Caller, participantID, programmeID string, in ProgrammeResult) (store.Programme, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Programme{}, err
	}
	p, err := s.store.ProgrammeOf(ctx, participantID, programmeID)
	if err != nil {
		return store.Programme{}, err
	}
	var problems []FieldProblem
	if !slices.Contains(store.StudyResults, in.Result) {
		problems = append(problems, domain.Problem("result", domain.OneOf, store.StudyResults...))
	}
	on := s.pastDay(&problems, "on", in.On)
	if !on.IsZero() && day(on) < p.StartsOn {
		problems = append(problems, domain.Problem("on", domain.NotBefore, p.StartsOn))
	}
	if len(problems) > 0 {
		return store.Programme{}, &InvalidError{Fields: problems}
	}
	err = s.audited(ctx, c, "record_programme_result", "participant", participantID, func() (string, error) {
		return programmeID, s.store.SetProgrammeResult(ctx, participantID, programmeID, c.UserID, in.Result, on)
	})
	if err != nil {
		return store.Programme{}, err
	}
	return s.store.ProgrammeOf(ctx, participantID, programmeID)
}

// AddStudentJob records a student job on a dossier.
func (s *Service) AddStudentJob(ctx context.Context, c Caller, participantID string, in StudentJobInput) (store.StudentJob, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.StudentJob{}, err
	}
	var problems []FieldProblem
	problems = append(problems, store.CheckRecordName("employer", &in.Employer)...)
	from, to := s.period(&problems, "from", in.From, "to", in.To)
	if len(problems) > 0 {
		return store.StudentJob{}, &InvalidError{Fields: problems}
	}
	id := c.recordID()
	err := s.audited(ctx, c, "add_student_job", "participant", participantID, func() (string, error) {
		return id, s.store.InsertStudentJob(ctx, store.NewStudentJob{ID: id, ParticipantID: participantID, CentreID: c.CentreID, AuthorID: c.UserID,
			Employer: in.Employer, From: from, To: to})
	})
	if err != nil {
		return store.StudentJob{}, err
	}
	return s.store.StudentJobOf(ctx, participantID, id)
}

// AddPlacement records an in-company training or an entry traineeship.
func (s *Service) AddPlacement(ctx context.Context, c Caller, participantID string, in PlacementInput) (store.Placement, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Placement{}, err
	}
	var problems []FieldProblem
	if !slices.Contains(store.PlacementKinds, in.Kind) {
		problems = append(problems, domain.Problem("kind", domain.OneOf, store.PlacementKinds...))
	}
	problems = append(problems, store.CheckRecordName("company", &in.Company)...)
	from, to := s.period(&problems, "from", in.From, "to", in.To)
	if len(problems) > 0 {
		return store.Placement{}, &InvalidError{Fields: problems}
	}
	id := c.recordID()
	err := s.audited(ctx, c, "add_placement", "participant", participantID, func() (string, error) {
		return id, s.store.InsertPlacement(ctx, store.NewPlacement{ID: id, ParticipantID: participantID, CentreID: c.CentreID, AuthorID: c.UserID,
			Kind: in.Kind, Company: in.Company, From: from, To: to})
	})
	if err != nil {
		return store.Placement{}, err
	}
	return s.store.PlacementOf(ctx, participantID, id)
}

// EndPlacement records (or corrects) the end of a placement: a day that
// has come, not before its start, and whether it ended early (required).
func (s *Service) EndPlacement(ctx context.Context, c Caller, participantID, placementID string, in PlacementEnd) (store.Placement, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Placement{}, err
	}
	p, err := s.store.PlacementOf(ctx, participantID, placementID)
	if err != nil {
		return store.Placement{}, err
	}
	var problems []FieldProblem
	on := s.pastDay(&problems, "on", in.On)
	if !on.IsZero() && day(on) < p.From {
		problems = append(problems, domain.Problem("on", domain.NotBefore, p.From))
	}
	if in.EndedEarly == nil {
		problems = append(problems, domain.Problem("ended_early", domain.Required))
	}
	if len(problems) > 0 {
		return store.Placement{}, &InvalidError{Fields: problems}
	}
	err = s.audited(ctx, c, "end_placement", "participant", participantID, func() (string, error) {
		return placementID, s.store.EndPlacement(ctx, participantID, placementID, c.UserID, on, *in.EndedEarly)
	})
	if err != nil {
		return store.Placement{}, err
	}
	return s.store.PlacementOf(ctx, participantID, placementID)
}

// ReadPhaseRecords reads a dossier's records of phases 3 and 4, for those
// who may see the dossier (the doors audit the read).
func (s *Service) ReadPhaseRecords(ctx context.Context, c Caller, participantID string) (store.PhaseRecords, error) {
	if c.CentreID == "" || !slices.Contains([]domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}, c.Role) {
		return store.PhaseRecords{}, ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return store.PhaseRecords{}, err
	}
	return s.store.ParticipantPhaseRecords(ctx, participantID)
}

// CivicInput is a dossier's civic integration as staff record it.
type CivicInput struct {
	Obligation string `json:"obligation"`
	ReferredOn string `json:"referred_on,omitempty"`
	Status     string `json:"status"`
}

// SetCivicIntegration records (or changes) a dossier's civic integration:
// obliged or voluntary, the referral's day (optional, not to come) and the
// status. Refused (422 naming obligation) in a centre whose region's
// policy does not record it (civic_integration.regions).
func (s *Service) SetCivicIntegration(ctx context.Context, c Caller, participantID string, in CivicInput) (store.Civic, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Civic{}, err
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return store.Civic{}, err
	}
	centre, err := s.store.Centre(ctx, c.CentreID)
	if err != nil {
		return store.Civic{}, err
	}
	var problems []FieldProblem
	switch {
	case !pol.CivicIntegration.AppliesIn(centre.Region):
		problems = append(problems, domain.Problem("obligation", domain.CivicNotInRegion))
	case !slices.Contains(store.CivicObligations, in.Obligation):
		problems = append(problems, domain.Problem("obligation", domain.OneOf, store.CivicObligations...))
	}
	if !slices.Contains(store.CivicStatuses, in.Status) {
		problems = append(problems, domain.Problem("status", domain.OneOf, store.CivicStatuses...))
	}
	var referred *time.Time
	if in.ReferredOn != "" {
		on := s.pastDay(&problems, "referred_on", in.ReferredOn)
		referred = &on
	}
	if len(problems) > 0 {
		return store.Civic{}, &InvalidError{Fields: problems}
	}
	out := store.Civic{Obligation: in.Obligation, Status: in.Status}
	if referred != nil {
		d := day(*referred)
		out.ReferredOn = &d
	}
	err = s.audited(ctx, c, "set_civic_integration", "participant", participantID, func() (string, error) {
		return participantID, s.store.SetCivicIntegration(ctx, c.recordID(), participantID, c.UserID, out, referred)
	})
	return out, err
}
