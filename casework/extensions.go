package casework

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// ExtensionInput is a GPMI's extension as a counsellor records it: the
// day it was extended and the written motivation the inspection asks for.
type ExtensionInput struct {
	ExtendedOn string `json:"extended_on"`
	Motivation string `json:"motivation"`
}

// MaxMotivationText is the longest motivation, in characters.
const MaxMotivationText = 4000

// extensionIDs is the UUID namespace of extension IDs made from keys.
var extensionIDs = uuid.MustParse("5e0c4b7a-9f3d-4a61-8c2e-7b1d6f0a3c94")

// RecordExtension records that the dossier's GPMI was extended, on a day
// not before its signature nor to come, with its motivation (required:
// the text stays in PostgreSQL, the timeline says only that it was
// extended). The month's claims read it for code 17.
func (s *Service) RecordExtension(ctx context.Context, c Caller, participantID string, in ExtensionInput) (store.Extension, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return store.Extension{}, err
	}
	var p []FieldProblem
	var day time.Time
	if in.ExtendedOn == "" {
		p = append(p, domain.Problem("extended_on", domain.Required))
	} else if day = s.dateField(&p, "extended_on", in.ExtendedOn); !day.IsZero() && day.After(time.Now()) {
		p = append(p, domain.Problem("extended_on", domain.InFuture))
	}
	p = append(p, text("motivation", in.Motivation, MaxMotivationText, true)...)
	if !day.IsZero() {
		d, err := s.store.Dossier(ctx, participantID)
		if err != nil {
			return store.Extension{}, err
		}
		var state workflows.State
		_ = json.Unmarshal(d.Trajectory, &state) // no trajectory: no signature
		switch signed := state.GPMI.SignedOn; {
		case signed == nil:
			p = append(p, domain.Problem("extended_on", domain.GPMINotSigned))
		case day.Before(time.Date(signed.Year(), signed.Month(), signed.Day(), 0, 0, 0, 0, time.UTC)):
			p = append(p, domain.Problem("extended_on", domain.NotBefore, signed.Format(time.DateOnly)))
		}
	}
	if len(p) > 0 {
		return store.Extension{}, &InvalidError{Fields: p}
	}
	id := uuid.NewString()
	if c.Key != "" {
		id = uuid.NewSHA1(extensionIDs, []byte(c.UserID+"\n"+c.Route+"\n"+c.Key)).String()
	}
	err := s.audited(ctx, c, "record_gpmi_extension", "participant", participantID, func() (string, error) {
		return id, s.store.AddExtension(ctx, id, participantID, c.CentreID, c.UserID, day, in.Motivation)
	})
	if err != nil {
		return store.Extension{}, err
	}
	all, err := s.store.Extensions(ctx, participantID)
	if err != nil {
		return store.Extension{}, err
	}
	if i := slices.IndexFunc(all, func(e store.Extension) bool { return e.ID == id }); i >= 0 {
		return all[i], nil
	}
	return store.Extension{}, store.ErrNotFound
}
