package casework

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// detailsRoles change a dossier's personal details: its counsellor and the
// coordinators.
var detailsRoles = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}

// DetailsPatch is an edit of personal details as a JSON merge patch (RFC
// 7396): a field given with a text changes it, given as null clears it,
// absent keeps it. The language cannot be cleared.
type DetailsPatch map[string]json.RawMessage

// ReadDetailsPatch reads a merge patch's fields: an unknown field or a
// value that is neither text nor null is a malformed body (400), a value
// the details do not take is invalid (422).
func ReadDetailsPatch(raw map[string]json.RawMessage) (map[string]string, error) {
	change := map[string]string{}
	var malformed []FieldProblem
	for name, v := range raw {
		if !slices.Contains(store.DetailFields, name) {
			malformed = append(malformed, domain.Problem(name, domain.UnknownField))
			continue
		}
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			change[name] = ""
			continue
		}
		var text string
		if err := json.Unmarshal(v, &text); err != nil {
			malformed = append(malformed, domain.Problem(name, domain.WrongType, "string"))
			continue
		}
		change[name] = text
	}
	if len(malformed) > 0 {
		slices.SortFunc(malformed, func(a, b FieldProblem) int { return cmp.Compare(a.Field, b.Field) })
		return nil, &BodyError{Fields: malformed, Err: errors.New("not a merge patch of personal details")}
	}
	if problems := checkDetails(change); len(problems) > 0 {
		return nil, &InvalidError{Fields: problems}
	}
	return change, nil
}

// identityAgrees normalises a corrected national number and checks that
// it begins with the birth date, the new one or the stored one.
func (s *Service) identityAgrees(ctx context.Context, participantID string, change map[string]string) error {
	nn, newNumber := change["national_number"]
	birth, newBirth := change["birth_date"]
	if !newNumber && !newBirth {
		return nil
	}
	d, err := s.store.Dossier(ctx, participantID)
	if err != nil {
		return err
	}
	if !newNumber {
		nn = d.NationalNumber
	}
	if !newBirth {
		birth = d.BirthDate
	}
	if nn == "" {
		return nil
	}
	nn, _ = normaliseNationalNumber(nn)
	if newNumber {
		change["national_number"] = nn
	}
	if day, err := time.Parse(time.DateOnly, birth); err == nil && !nationalNumberAgrees(nn, day) {
		return &InvalidError{Fields: []FieldProblem{domain.Problem("national_number", domain.NotBirthDate)}}
	}
	return nil
}

// UpdateDetails changes a dossier's personal details (change holds the
// fields to set; "" clears one) if they are still at version; an edit of
// an older version is a *store.StaleDetailsError with the details as they
// stand and the edits since. The audit log and the dossier's change log
// name the fields changed, never their values; nothing of it reaches the
// workflow. Mails follow the language from their next one.
func (s *Service) UpdateDetails(ctx context.Context, c Caller, participantID string, version int, change map[string]string) (store.Details, error) {
	if !slices.Contains(detailsRoles, c.Role) || c.CentreID == "" {
		return store.Details{}, ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return store.Details{}, err
	}
	if problems := checkDetails(change); len(problems) > 0 {
		return store.Details{}, &InvalidError{Fields: problems}
	}
	if err := s.identityAgrees(ctx, participantID, change); err != nil {
		return store.Details{}, err
	}
	var now store.Details
	err := s.audited(ctx, c, "update_details", "participant", participantID, func() (string, error) {
		var err error
		now, _, err = s.store.UpdateDetails(ctx, c.CentreID, participantID, c.UserID, version, change)
		return "", err
	})
	return now, err
}
