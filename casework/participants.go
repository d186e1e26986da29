package casework

import (
	"context"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
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
	Phone                string `json:"phone,omitempty"`
	Street               string `json:"street,omitempty"`
	Postcode             string `json:"postcode,omitempty"`
	Municipality         string `json:"municipality,omitempty"`
	Language             string `json:"language"`
	CounsellorID         string `json:"counsellor_id"`
	LeefloonDecisionDate string `json:"leefloon_decision_date"`
	// LeefloonNotifiedDate, when known, starts the GPMI's months if the
	// centre's policy says so (gpmi.sign_from_notification).
	LeefloonNotifiedDate string `json:"leefloon_notified_date,omitempty"`
}

// The longest texts a dossier's personal details take, in characters.
const (
	MaxName         = 100
	MaxStreet       = 200
	MaxMunicipality = 100
	MaxPhone        = 30
	MaxEmail        = 254
)

// intakeRoles open dossiers: a counsellor in their own caseload, a
// coordinator in anyone's.
var intakeRoles = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}

// CreateParticipant checks a new participant, stores them and starts their
// trajectory; it answers the participant's ID. The ID is made from the
// caller and their key when there is one, so a retry of a creation whose
// answer was lost finds the participant and their running trajectory
// instead of making a second. A national number the centre knows already
// is a *KnownPersonError naming that dossier: one person, one dossier.
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
	problems = append(problems, longest("given_name", in.GivenName, MaxName)...)
	problems = append(problems, longest("family_name", in.FamilyName, MaxName)...)
	birth := s.dateField(&problems, "birth_date", in.BirthDate)
	if !birth.IsZero() && birth.After(time.Now()) {
		problems = append(problems, domain.Problem("birth_date", domain.InFuture))
	}
	decision := s.dateField(&problems, "leefloon_decision_date", in.LeefloonDecisionDate)
	notified := s.notifiedField(&problems, in.LeefloonNotifiedDate, decision)
	nn, ok := normaliseNationalNumber(in.NationalNumber)
	if !ok {
		problems = append(problems, domain.Problem("national_number", domain.NotNational))
	} else if !birth.IsZero() && !nationalNumberAgrees(nn, birth) {
		problems = append(problems, domain.Problem("national_number", domain.NotBirthDate))
	}
	if in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		problems = append(problems, domain.Problem("gender", domain.OneOf, Genders...))
	}
	contact := store.Contact{Phone: in.Phone, Street: in.Street, Postcode: in.Postcode, Municipality: in.Municipality}
	problems = append(problems, checkDetails(map[string]string{"email": in.Email, "language": in.Language,
		"phone": in.Phone, "street": in.Street, "postcode": in.Postcode, "municipality": in.Municipality})...)
	counsellor, err := s.counsellorField(ctx, c, in.CounsellorID)
	if err != nil {
		return "", err
	}
	problems = append(problems, counsellor...)
	if len(problems) > 0 {
		return "", &InvalidError{Fields: problems}
	}
	id := c.participantID()
	if known, found, err := s.store.KnownPerson(ctx, c.CentreID, nn); err != nil {
		return "", err
	} else if found && known.ParticipantID != id {
		return "", &KnownPersonError{ParticipantID: known.ParticipantID, Closed: known.Closed,
			Visible: c.Role != domain.RoleCounsellor || known.CounsellorID == c.UserID || known.Closed}
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return "", err
	}
	return id, s.audited(ctx, c, "create_participant", "participant", id, func() (string, error) {
		created, err := s.store.CreateParticipant(ctx, store.NewParticipant{
			ID: id, CentreID: c.CentreID, GivenName: in.GivenName, FamilyName: in.FamilyName, BirthDate: birth, Gender: in.Gender,
			NationalNumber: nn, Email: in.Email, Language: in.Language, LeefloonDecisionDate: decision, LeefloonNotifiedDate: notified,
			CounsellorID: in.CounsellorID, Contact: contact,
		})
		if err != nil {
			return "", err
		}
		start := workflows.TrajectoryInput{ParticipantID: id, CentreID: c.CentreID, CounsellorID: in.CounsellorID,
			LeefloonDecisionDate: gpmiClockStart(pol, decision, notified), Logic: workflows.CurrentLogic}
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

// gpmiClockStart is the day the GPMI's months run from: the notification
// of the leefloon decision when the policy says so and it is known, else
// the decision. The workflow keeps it as its leefloon decision date.
func gpmiClockStart(p policy.Policy, decision, notified time.Time) time.Time {
	if p.GPMI.SignFromNotification && !notified.IsZero() {
		return notified
	}
	return decision
}

// notifiedField reads the optional day the decision was notified: not
// before the decision, not in the future.
func (s *Service) notifiedField(problems *[]FieldProblem, v string, decision time.Time) time.Time {
	if v == "" {
		return time.Time{}
	}
	notified := s.dateField(problems, "leefloon_notified_date", v)
	switch {
	case notified.IsZero():
	case !decision.IsZero() && notified.Before(decision):
		*problems = append(*problems, domain.Problem("leefloon_notified_date", domain.NotBefore, decision.Format(time.DateOnly)))
	case notified.After(time.Now()):
		*problems = append(*problems, domain.Problem("leefloon_notified_date", domain.InFuture))
	}
	return notified
}

// counsellorField checks the counsellor a dossier goes to: an active
// counsellor of the centre, and the caller themselves for a counsellor.
func (s *Service) counsellorField(ctx context.Context, c Caller, id string) ([]FieldProblem, error) {
	if _, err := uuid.Parse(id); err != nil {
		return []FieldProblem{domain.Problem("counsellor_id", domain.NotCounsellor)}, nil
	}
	if c.Role == domain.RoleCounsellor && id != c.UserID {
		return []FieldProblem{domain.Problem("counsellor_id", domain.OwnCaseload)}, nil
	}
	active, err := s.store.ActiveCounsellor(ctx, c.CentreID, id)
	if err != nil || active {
		return nil, err
	}
	return []FieldProblem{domain.Problem("counsellor_id", domain.NotCounsellor)}, nil
}

// checkDetails checks the personal details a dossier keeps beside the
// intake's: the fields given (an empty value is "none", but for the
// language, which every dossier has).
func checkDetails(d map[string]string) []FieldProblem {
	var problems []FieldProblem
	for _, name := range store.DetailFields {
		v, given := d[name]
		if !given {
			continue
		}
		if !store.CleanText(v) {
			problems = append(problems, domain.Problem(name, domain.NotText))
			continue
		}
		switch name {
		case "given_name", "family_name":
			if strings.TrimSpace(v) == "" {
				problems = append(problems, domain.Problem(name, domain.Required))
			}
			problems = append(problems, longest(name, v, MaxName)...)
		case "birth_date":
			if birth, err := time.Parse(time.DateOnly, v); err != nil {
				problems = append(problems, domain.Problem(name, domain.NotDate))
			} else if birth.After(time.Now()) {
				problems = append(problems, domain.Problem(name, domain.InFuture))
			}
		case "gender":
			if v != "" && !slices.Contains(Genders, v) {
				problems = append(problems, domain.Problem(name, domain.OneOf, Genders...))
			}
		case "national_number":
			if _, ok := normaliseNationalNumber(v); !ok {
				problems = append(problems, domain.Problem(name, domain.NotNational))
			}
		case "language":
			if !slices.Contains(Languages, v) {
				problems = append(problems, domain.Problem(name, domain.OneOf, Languages...))
			}
		case "email":
			if v == "" {
				break
			}
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v || utf8.RuneCountInString(v) > MaxEmail {
				problems = append(problems, domain.Problem(name, domain.NotEmail))
			}
		case "phone":
			if v != "" && !phoneNumber.MatchString(v) {
				problems = append(problems, domain.Problem(name, domain.NotPhone))
			}
		case "postcode":
			if v != "" && !postcode.MatchString(v) {
				problems = append(problems, domain.Problem(name, domain.NotPostcode))
			}
		case "street":
			problems = append(problems, longest(name, v, MaxStreet)...)
		case "municipality":
			problems = append(problems, longest(name, v, MaxMunicipality)...)
		}
	}
	return problems
}

var (
	// phoneNumber: digits with the usual separators, an optional + in
	// front, 6 to 30 characters (0470 12 34 56, +32 2 123 45 67).
	phoneNumber = regexp.MustCompile(`^\+?[0-9][0-9 ./()-]{4,28}[0-9]$`)
	// postcode: a Belgian postcode.
	postcode = regexp.MustCompile(`^[1-9][0-9]{3}$`)
)

// longest names a text field over its limit of characters.
func longest(field, v string, limit int) []FieldProblem {
	if utf8.RuneCountInString(v) > limit {
		return []FieldProblem{domain.Problem(field, domain.TooLong, strconv.Itoa(limit))}
	}
	return nil
}

// KnownPersonError is an intake of a national number the centre knows:
// the person's dossier, whether it is closed (re-entry is the way back)
// and whether the caller may open it (a counsellor opens their own, and
// re-opens any closed one of the centre).
type KnownPersonError struct {
	ParticipantID string
	Closed        bool
	Visible       bool
}

func (e *KnownPersonError) Error() string { return "the centre has a dossier of this national number" }

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
