package casework

import (
	"context"
	"net/mail"
	"slices"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// NewParticipant opens a dossier. Dates are YYYY-MM-DD.
type NewParticipant struct {
	GivenName            string `json:"given_name"`
	FamilyName           string `json:"family_name"`
	BirthDate            string `json:"birth_date"`
	Gender               string `json:"gender,omitempty"`
	NationalNumber       string `json:"national_number"`
	Email                string `json:"email,omitempty"`
	Language             string `json:"language"`
	CounsellorID         string `json:"counsellor_id"`
	LeefloonDecisionDate string `json:"leefloon_decision_date"`
}

// intakeRoles open dossiers: a counsellor in their own caseload, a
// coordinator in anyone's.
var intakeRoles = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}

// CreateParticipant checks a new participant, stores them and starts their
// trajectory; it answers the participant's ID. The ID is made from the
// caller and their key when there is one, so a retry of a creation whose
// answer was lost finds the participant and their running trajectory
// instead of making a second.
func (s *Service) CreateParticipant(ctx context.Context, c Caller, in NewParticipant) (string, error) {
	if !slices.Contains(intakeRoles, c.Role) || c.CentreID == "" {
		return "", ErrForbidden
	}
	var problems []domain.FieldProblem
	need := func(field, value string) {
		if value == "" {
			problems = append(problems, domain.Problem(field, domain.Required))
		}
	}
	need("given_name", in.GivenName)
	need("family_name", in.FamilyName)
	birth := s.dateField(&problems, "birth_date", in.BirthDate)
	decision := s.dateField(&problems, "leefloon_decision_date", in.LeefloonDecisionDate)
	nn, ok := normaliseNationalNumber(in.NationalNumber)
	if !ok {
		problems = append(problems, domain.Problem("national_number", domain.NotNational))
	}
	if in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		problems = append(problems, domain.Problem("gender", domain.OneOf, Genders...))
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			problems = append(problems, domain.Problem("email", domain.NotEmail))
		}
	}
	if !slices.Contains(Languages, in.Language) {
		problems = append(problems, domain.Problem("language", domain.OneOf, Languages...))
	}
	if _, err := uuid.Parse(in.CounsellorID); err != nil {
		problems = append(problems, domain.Problem("counsellor_id", domain.NotCounsellor))
	} else if c.Role == domain.RoleCounsellor && in.CounsellorID != c.UserID {
		problems = append(problems, domain.Problem("counsellor_id", domain.OwnCaseload))
	} else {
		active, err := s.store.ActiveCounsellor(ctx, c.CentreID, in.CounsellorID)
		if err != nil {
			return "", err
		}
		if !active {
			problems = append(problems, domain.Problem("counsellor_id", domain.NotCounsellor))
		}
	}
	if len(problems) > 0 {
		return "", &InvalidError{Fields: problems}
	}
	id := c.participantID()
	return id, s.audited(ctx, c, "create_participant", "participant", id, func() (string, error) {
		created, err := s.store.CreateParticipant(ctx, store.NewParticipant{
			ID: id, CentreID: c.CentreID, GivenName: in.GivenName, FamilyName: in.FamilyName, BirthDate: birth, Gender: in.Gender,
			NationalNumber: nn, Email: in.Email, Language: in.Language, LeefloonDecisionDate: decision,
		})
		if err != nil {
			return "", err
		}
		start := workflows.TrajectoryInput{ParticipantID: id, CentreID: c.CentreID, CounsellorID: in.CounsellorID, LeefloonDecisionDate: decision, Logic: workflows.CurrentLogic}
		// A retry of a creation whose trajectory started finds it running:
		// the start answers the running one.
		if _, err = s.temporal.ExecuteWorkflow(ctx, workflows.StartOptions(start, s.taskQueue), workflows.TrajectoryWorkflowName, start); err != nil && created {
			// Without its trajectory the participant must not exist
			// either, unless an earlier attempt made it (and may have
			// started it).
			if delErr := s.store.DeleteParticipant(context.WithoutCancel(ctx), id); delErr != nil {
				s.logger.ErrorContext(ctx, "participant left without trajectory", "participant_id", id, "err", delErr)
			}
		}
		return "", err
	})
}

// Genders and Languages a participant's record takes.
var (
	Genders   = []string{"f", "m", "x"}
	Languages = []string{"nl", "fr"}
)

// participantID names a new participant after the caller and their key,
// or anew without one.
func (c Caller) participantID() string {
	if c.Key == "" {
		return uuid.NewString()
	}
	return uuid.NewSHA1(participantIDs, []byte(c.UserID+"\n"+c.Key)).String()
}

// participantIDs is the UUID namespace of participant IDs made from keys.
var participantIDs = uuid.MustParse("2f6b6f53-6a0e-4c3b-9a43-2b4f2d6f9c1e")
