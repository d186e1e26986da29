package casework

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// Literacy (phase 2): the partners and their courses with places, a
// dossier's level tests and its places on courses (waiting list,
// enrolment, end). None of these writes changes a deadline the trajectory
// keeps: a course has no legal end the centre must act on, and a waiting
// list's order is the store's (since, created_at, id). So they stay out of
// the workflow: each is a content record in PostgreSQL with its timeline
// event, audited here, like a note. When a place frees, the next person's
// to-do in My work is read from the list itself (store.FreePlaces).

// literacyEditors add and change partners and courses.
var literacyEditors = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}

// literacyReaders list the courses and their places.
var literacyReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleAdmin}

// MayReadCourses tells whether the caller may list the courses.
func (c Caller) MayReadCourses() error {
	if c.CentreID == "" || !slices.Contains(literacyReaders, c.Role) {
		return ErrForbidden
	}
	return nil
}

func (c Caller) editsCourses() error {
	if c.CentreID == "" || !slices.Contains(literacyEditors, c.Role) {
		return ErrForbidden
	}
	return nil
}

// PartnerInput is a partner as a coordinator writes it.
type PartnerInput struct {
	Name string `json:"name"`
}

// SavePartner adds a partner of the caller's centre (id empty) or renames
// one; it answers the partner's ID.
func (s *Service) SavePartner(ctx context.Context, c Caller, id string, in PartnerInput) (string, error) {
	if err := c.editsCourses(); err != nil {
		return "", err
	}
	if problems := store.CheckPartnerName(in.Name); len(problems) > 0 {
		return "", &InvalidError{Fields: problems}
	}
	action := "create_partner"
	if id != "" {
		action = "change_partner"
	}
	err := s.audited(ctx, c, action, "partner", id, func() (string, error) {
		var err error
		id, err = s.store.SavePartner(ctx, c.CentreID, id, in.Name)
		return id, err
	})
	return id, err
}

// SaveCourse adds a course (id empty) or replaces one, after
// store.CheckCourse; places raised free places for the first people on
// its list. It answers the course's ID.
func (s *Service) SaveCourse(ctx context.Context, c Caller, id string, in store.CourseInput) (string, error) {
	if err := c.editsCourses(); err != nil {
		return "", err
	}
	if id != "" {
		if _, err := s.store.Courses(ctx, c.CentreID, id); err != nil {
			return "", err
		}
	}
	if problems := store.CheckCourse(&in); len(problems) > 0 {
		return "", &InvalidError{Fields: problems}
	}
	action := "create_course"
	if id != "" {
		action = "change_course"
	}
	err := s.audited(ctx, c, action, "course", id, func() (string, error) {
		var err error
		id, err = s.store.SaveCourse(ctx, c.CentreID, id, in)
		return id, err
	})
	return id, err
}

// LevelTestInput is a level test as staff record it.
type LevelTestInput struct {
	TestedOn string `json:"tested_on"`
	Level    string `json:"level"`
}

// ReferralInput puts a person on a course's waiting list from a day
// (default today).
type ReferralInput struct {
	CourseID string `json:"course_id"`
	Since    string `json:"since,omitempty"`
}

// PlaceStep enrols a person on the course they wait for, or ends their
// place (Status completed, stopped or withdrawn), on a day (default today).
type PlaceStep struct {
	On     string `json:"on,omitempty"`
	Status string `json:"status,omitempty"`
}

// recordIDs is the UUID namespace of the literacy records made from keys.
var recordIDs = uuid.MustParse("3f1c6a2e-9d47-4b8e-a51c-7e20d4c3b6f9")

// recordID names the record a write makes: from its key, so that a
// retried write finds the record it made, or new.
func (c Caller) recordID() string {
	if c.Key == "" {
		return uuid.NewString()
	}
	return uuid.NewSHA1(recordIDs, []byte(c.UserID+"\n"+c.Route+"\n"+c.Key)).String()
}

// today is the day in Brussels, as a date at midnight UTC (as the store
// reads dates).
func (s *Service) today() time.Time {
	y, m, d := time.Now().In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// pastDay reads an optional day that has come (empty: today).
func (s *Service) pastDay(problems *[]FieldProblem, field, v string) time.Time {
	if v == "" {
		return s.today()
	}
	t, err := time.Parse(time.DateOnly, v)
	switch {
	case err != nil:
		*problems = append(*problems, domain.Problem(field, domain.NotDate))
	case t.After(s.today()):
		*problems = append(*problems, domain.Problem(field, domain.InFuture))
	}
	return t
}

// RecordLevelTest records a level test on a dossier: the day (not to
// come) and a level of the centre's policy.
func (s *Service) RecordLevelTest(ctx context.Context, c Caller, participantID string, in LevelTestInput) (store.LevelTest, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.LevelTest{}, err
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return store.LevelTest{}, err
	}
	var problems []FieldProblem
	var on time.Time
	if in.TestedOn == "" {
		problems = append(problems, domain.Problem("tested_on", domain.Required))
	} else {
		on = s.pastDay(&problems, "tested_on", in.TestedOn)
	}
	if !slices.Contains(pol.Literacy.Levels, in.Level) {
		problems = append(problems, domain.Problem("level", domain.OneOf, pol.Literacy.Levels...))
	}
	if len(problems) > 0 {
		return store.LevelTest{}, &InvalidError{Fields: problems}
	}
	id := c.recordID()
	err = s.audited(ctx, c, "record_level_test", "participant", participantID, func() (string, error) {
		return id, s.store.InsertLevelTest(ctx, id, participantID, c.CentreID, c.UserID, on, in.Level)
	})
	return store.LevelTest{ID: id, TestedOn: on.Format(time.DateOnly), Level: in.Level}, err
}

// Refer puts a person on a course's waiting list: refused when they are
// on it already, or on as many lists as the policy's
// literacy.max_waiting_lists (409, naming course_id).
func (s *Service) Refer(ctx context.Context, c Caller, participantID string, in ReferralInput) (store.CoursePlace, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.CoursePlace{}, err
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return store.CoursePlace{}, err
	}
	var problems []FieldProblem
	if in.CourseID == "" {
		problems = append(problems, domain.Problem("course_id", domain.Required))
	} else if _, err := uuid.Parse(in.CourseID); err != nil {
		problems = append(problems, domain.Problem("course_id", domain.NotID))
	}
	since := s.pastDay(&problems, "since", in.Since)
	if len(problems) > 0 {
		return store.CoursePlace{}, &InvalidError{Fields: problems}
	}
	id := c.recordID()
	err = s.audited(ctx, c, "refer_to_course", "participant", participantID, func() (string, error) {
		return id, s.store.Refer(ctx, store.Referral{ID: id, ParticipantID: participantID, CentreID: c.CentreID, CourseID: in.CourseID,
			ActorID: c.UserID, Since: since, MaxLists: pol.Literacy.MaxWaitingLists})
	})
	if err != nil {
		return store.CoursePlace{}, err
	}
	return s.store.CoursePlaceOf(ctx, participantID, id, s.today())
}

// Enrol takes a place on the course for a person waiting for it: refused
// (409, naming the field) when no place is free for them yet, when they
// follow another course, or no longer wait.
func (s *Service) Enrol(ctx context.Context, c Caller, participantID, placeID string, in PlaceStep) (store.CoursePlace, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.CoursePlace{}, err
	}
	if _, err := s.store.CoursePlaceOf(ctx, participantID, placeID, s.today()); err != nil {
		return store.CoursePlace{}, err
	}
	var problems []FieldProblem
	on := s.pastDay(&problems, "on", in.On)
	if len(problems) > 0 {
		return store.CoursePlace{}, &InvalidError{Fields: problems}
	}
	err := s.audited(ctx, c, "enrol_in_course", "participant", participantID, func() (string, error) {
		return placeID, s.store.Enrol(ctx, participantID, placeID, c.UserID, on)
	})
	if err != nil {
		return store.CoursePlace{}, err
	}
	return s.store.CoursePlaceOf(ctx, participantID, placeID, s.today())
}

// EndedPlace is a place ended, with who the place it freed goes to.
type EndedPlace struct {
	Place store.CoursePlace `json:"place"`
	// Next are the participants first on the course's list, as many as
	// it has free places: their counsellors find them in My work.
	Next []string `json:"next"`
}

// EndPlace ends a person's place: an enrolment completed or stopped, a
// wait withdrawn. The place it frees goes to the first on the list.
func (s *Service) EndPlace(ctx context.Context, c Caller, participantID, placeID string, in PlaceStep) (EndedPlace, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return EndedPlace{}, err
	}
	if _, err := s.store.CoursePlaceOf(ctx, participantID, placeID, s.today()); err != nil {
		return EndedPlace{}, err
	}
	var problems []FieldProblem
	if !slices.Contains(store.EndPlaceStatuses, in.Status) {
		problems = append(problems, domain.Problem("status", domain.OneOf, store.EndPlaceStatuses...))
	}
	on := s.pastDay(&problems, "on", in.On)
	if len(problems) > 0 {
		return EndedPlace{}, &InvalidError{Fields: problems}
	}
	var next []string
	err := s.audited(ctx, c, "end_course_place", "participant", participantID, func() (string, error) {
		var err error
		next, err = s.store.EndPlace(ctx, participantID, placeID, c.UserID, in.Status, on)
		return placeID, err
	})
	if err != nil {
		return EndedPlace{}, err
	}
	p, err := s.store.CoursePlaceOf(ctx, participantID, placeID, s.today())
	if next == nil {
		next = []string{}
	}
	return EndedPlace{Place: p, Next: next}, err
}

// ReadLiteracy reads a dossier's level tests and places, for those who
// may see the dossier (the doors audit the read).
func (s *Service) ReadLiteracy(ctx context.Context, c Caller, participantID string) (store.Literacy, error) {
	if c.CentreID == "" || !slices.Contains([]domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}, c.Role) {
		return store.Literacy{}, ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return store.Literacy{}, err
	}
	return s.store.ParticipantLiteracy(ctx, participantID, s.today())
}
