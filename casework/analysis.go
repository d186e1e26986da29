package casework

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// NeedsAnalysisInput is a needs analysis as staff write it: its day and,
// for each domain looked at, the situation, the barriers and the person's
// own goal.
type NeedsAnalysisInput struct {
	DoneOn  string                `json:"done_on"`
	Domains []store.DomainFinding `json:"domains"`
}

// MaxFindingText is the longest text of a domain's finding, in characters.
const MaxFindingText = 4000

// analysisIDs is the UUID namespace of needs analysis IDs.
var analysisIDs = uuid.MustParse("b2f1c7d4-3e9a-4c28-a6b5-1d0e8f7c9a35")

// RecordNeedsAnalysis stores a dated needs analysis of a dossier, in
// PostgreSQL only; a GPMI is signed after one when the policy says so.
func (s *Service) RecordNeedsAnalysis(ctx context.Context, c Caller, participantID string, in NeedsAnalysisInput) (string, error) {
	if err := s.writable(ctx, c, participantID); err != nil {
		return "", err
	}
	var p []FieldProblem
	var day time.Time
	if in.DoneOn == "" {
		p = append(p, domain.Problem("done_on", domain.Required))
	} else if day = s.dateField(&p, "done_on", in.DoneOn); !day.IsZero() && day.After(time.Now()) {
		p = append(p, domain.Problem("done_on", domain.InFuture))
	}
	if len(in.Domains) == 0 {
		p = append(p, domain.Problem("domains", domain.Required))
	}
	seen := map[string]bool{}
	for i, d := range in.Domains {
		field := func(name string) string { return "domains[" + strconv.Itoa(i) + "]." + name }
		switch {
		case !slices.Contains(store.LifeDomains, d.Domain):
			p = append(p, domain.Problem(field("domain"), domain.OneOf, store.LifeDomains...))
		case seen[d.Domain]:
			p = append(p, domain.Problem(field("domain"), domain.Twice))
		}
		seen[d.Domain] = true
		p = append(p, text(field("situation"), d.Situation, MaxFindingText, true)...)
		p = append(p, text(field("barriers"), d.Barriers, MaxFindingText, false)...)
		p = append(p, text(field("goal"), d.Goal, MaxFindingText, false)...)
	}
	if len(p) > 0 {
		return "", &InvalidError{Fields: p}
	}
	id := uuid.NewString()
	if c.Key != "" {
		id = uuid.NewSHA1(analysisIDs, []byte(c.UserID+"\n"+c.Route+"\n"+c.Key)).String()
	}
	err := s.audited(ctx, c, "record_needs_analysis", "participant", participantID, func() (string, error) {
		return id, s.store.AddNeedsAnalysis(ctx, id, participantID, c.CentreID, c.UserID, day, in.Domains)
	})
	return id, err
}

// GPMIContent is the GPMI as it stands: its signature, the agreements it
// was signed with and its evaluations, newest first, with their reports.
type GPMIContent struct {
	SignedOn     *time.Time             `json:"signed_on"`
	Acknowledged bool                   `json:"acknowledged"`
	Agreements   []store.GPMIAgreement  `json:"agreements"`
	Evaluations  []EvaluationWithReport `json:"evaluations"`
	// Amendments are its changes, newest first.
	Amendments []AmendmentView `json:"amendments"`
}

// AmendmentView is an amendment: when, who asked, why, and the agreements
// it added and ended.
type AmendmentView struct {
	AmendedOn   time.Time             `json:"amended_on"`
	RequestedBy string                `json:"requested_by"`
	Text        string                `json:"text"`
	CreatedBy   string                `json:"created_by"`
	Added       []store.GPMIAgreement `json:"added"`
	Ended       []store.GPMIAgreement `json:"ended"`
}

// EvaluationWithReport is an evaluation and its report, if one was written.
type EvaluationWithReport struct {
	HeldOn     time.Time               `json:"held_on"`
	FaceToFace bool                    `json:"face_to_face"`
	Report     *store.EvaluationReport `json:"report,omitempty"`
}

// GPMI reads a dossier's GPMI: what its workflow keeps (dates, IDs) with
// the text PostgreSQL keeps. The caller has checked the dossier is theirs.
func (s *Service) GPMI(ctx context.Context, participantID string) (GPMIContent, error) {
	d, err := s.store.Dossier(ctx, participantID)
	if err != nil {
		return GPMIContent{}, err
	}
	var state workflows.State
	_ = json.Unmarshal(d.Trajectory, &state)
	g := GPMIContent{SignedOn: state.GPMI.SignedOn, Acknowledged: state.GPMI.Acknowledged, Agreements: []store.GPMIAgreement{}, Evaluations: []EvaluationWithReport{}}
	if g.Agreements, err = s.store.Agreements(ctx, participantID, state.GPMI.AgreementIDs); err != nil {
		return g, err
	}
	if g.Agreements == nil {
		g.Agreements = []store.GPMIAgreement{}
	}
	var ids []string
	for _, e := range state.GPMI.Evaluations {
		if e.ReportID != "" {
			ids = append(ids, e.ReportID)
		}
	}
	reports, err := s.store.EvaluationReports(ctx, participantID, ids)
	if err != nil {
		return g, err
	}
	for i := len(state.GPMI.Evaluations) - 1; i >= 0; i-- {
		e := state.GPMI.Evaluations[i]
		ev := EvaluationWithReport{HeldOn: e.HeldOn, FaceToFace: e.FaceToFace}
		if r, ok := reports[e.ReportID]; ok {
			ev.Report = &r
		}
		g.Evaluations = append(g.Evaluations, ev)
	}
	var amendmentIDs, changed []string
	for _, a := range state.GPMI.Amendments {
		amendmentIDs = append(amendmentIDs, a.AmendmentID)
		changed = append(append(changed, a.Added...), a.Ended...)
	}
	texts, err := s.store.Amendments(ctx, participantID, amendmentIDs)
	if err != nil {
		return g, err
	}
	all, err := s.store.Agreements(ctx, participantID, changed)
	if err != nil {
		return g, err
	}
	byID := map[string]store.GPMIAgreement{}
	for _, a := range all {
		byID[a.ID] = a
	}
	pick := func(ids []string) []store.GPMIAgreement {
		out := []store.GPMIAgreement{}
		for _, id := range ids {
			if a, ok := byID[id]; ok {
				out = append(out, a)
			}
		}
		return out
	}
	g.Amendments = []AmendmentView{}
	for i := len(state.GPMI.Amendments) - 1; i >= 0; i-- {
		a := state.GPMI.Amendments[i]
		t := texts[a.AmendmentID]
		g.Amendments = append(g.Amendments, AmendmentView{AmendedOn: a.AmendedOn, RequestedBy: t.RequestedBy, Text: t.Text, CreatedBy: t.CreatedBy,
			Added: pick(a.Added), Ended: pick(a.Ended)})
	}
	return g, nil
}
