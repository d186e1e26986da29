package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// LifeDomains are the domains a needs analysis and an agreement are about.
var LifeDomains = []string{"work", "training", "language", "housing", "debts", "health", "childcare", "mobility", "other"}

// DomainFinding is what a needs analysis found in one domain: the
// situation, the barriers and the person's own goal.
type DomainFinding struct {
	Domain    string `json:"domain"`
	Situation string `json:"situation"`
	Barriers  string `json:"barriers"`
	Goal      string `json:"goal"`
}

// NeedsAnalysis is a dated needs analysis (sociaal-professionele balans /
// bilan socio-professionnel).
type NeedsAnalysis struct {
	ID        string          `json:"id"`
	DoneOn    string          `json:"done_on"`
	Domains   []DomainFinding `json:"domains"`
	AuthorID  string          `json:"author_id"`
	WrittenAt time.Time       `json:"written_at"`
}

// AddNeedsAnalysis stores a needs analysis; the same ID again is left as
// it is (a retried write).
func (s *Store) AddNeedsAnalysis(ctx context.Context, id, participantID, centreID, authorID string, doneOn time.Time, domains []DomainFinding) error {
	raw, err := json.Marshal(domains)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO needs_analyses (id, participant_id, centre_id, done_on, domains, author_id)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
		id, participantID, centreID, doneOn, raw, authorID)
	return classify("needs analysis", err)
}

// NeedsAnalyses lists a participant's needs analyses, the latest first.
func (s *Store) NeedsAnalyses(ctx context.Context, participantID string) ([]NeedsAnalysis, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id::text, to_char(done_on, 'YYYY-MM-DD'), domains, author_id::text, written_at
		FROM needs_analyses WHERE participant_id = $1 ORDER BY done_on DESC, written_at DESC`, participantID)
	if err != nil {
		return nil, classify("needs analyses", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NeedsAnalysis, error) {
		var a NeedsAnalysis
		var raw []byte
		if err := r.Scan(&a.ID, &a.DoneOn, &raw, &a.AuthorID, &a.WrittenAt); err != nil {
			return a, err
		}
		return a, json.Unmarshal(raw, &a.Domains)
	})
	return out, classify("needs analyses", err)
}

// HasNeedsAnalysis tells whether a participant has a needs analysis.
func (s *Store) HasNeedsAnalysis(ctx context.Context, participantID string) (bool, error) {
	var has bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM needs_analyses WHERE participant_id = $1)`, participantID).Scan(&has)
	return has, classify("needs analyses", err)
}

// GPMIAgreement is one agreement of a GPMI: what the person does, what the
// centre does, by when (optional).
type GPMIAgreement struct {
	ID         string  `json:"id"`
	Domain     string  `json:"domain"`
	PersonDoes string  `json:"person_does"`
	CentreDoes string  `json:"centre_does"`
	DueOn      *string `json:"due_on"`
}

// NewGPMIAgreement is an agreement to store (a zero DueOn: none).
type NewGPMIAgreement struct {
	ID                             string
	Domain, PersonDoes, CentreDoes string
	DueOn                          time.Time
}

// AddAgreements stores a GPMI's agreements before the workflow takes their
// IDs; agreements already stored (a retried signature) are left.
func (s *Store) AddAgreements(ctx context.Context, participantID, centreID string, agreements []NewGPMIAgreement) error {
	batch := &pgx.Batch{}
	for i, a := range agreements {
		batch.Queue(`
			INSERT INTO gpmi_agreements (id, participant_id, centre_id, position, domain, person_does, centre_does, due_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
			a.ID, participantID, centreID, i+1, a.Domain, a.PersonDoes, a.CentreDoes, optionalDate(a.DueOn))
	}
	return classify("agreements", s.db.SendBatch(ctx, batch).Close())
}

// Agreements reads the agreements with the given IDs, in their order.
func (s *Store) Agreements(ctx context.Context, participantID string, ids []string) ([]GPMIAgreement, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT id::text, domain, person_does, centre_does, to_char(due_on, 'YYYY-MM-DD')
		FROM gpmi_agreements WHERE participant_id = $1 AND id = ANY($2::uuid[]) ORDER BY position`, participantID, ids)
	if err != nil {
		return nil, classify("agreements", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[GPMIAgreement])
	return out, classify("agreements", err)
}

// EvaluationReport is an evaluation's report: its text and the progress
// of each agreement (by agreement ID).
type EvaluationReport struct {
	ID        string            `json:"id"`
	Text      string            `json:"text"`
	Progress  map[string]string `json:"progress"`
	AuthorID  string            `json:"author_id"`
	WrittenAt time.Time         `json:"written_at"`
}

// AddEvaluationReport stores an evaluation's report before the workflow
// takes its ID; the same ID again is left as it is.
func (s *Store) AddEvaluationReport(ctx context.Context, id, participantID, centreID, authorID, text string, progress map[string]string) error {
	raw, err := json.Marshal(progress)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO evaluation_reports (id, participant_id, centre_id, body, progress, author_id)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, id, participantID, centreID, text, raw, authorID)
	return classify("evaluation report", err)
}

// EvaluationReports reads a participant's reports with the given IDs.
func (s *Store) EvaluationReports(ctx context.Context, participantID string, ids []string) (map[string]EvaluationReport, error) {
	out := map[string]EvaluationReport{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `
		SELECT id::text, body, progress, author_id::text, written_at
		FROM evaluation_reports WHERE participant_id = $1 AND id = ANY($2::uuid[])`, participantID, ids)
	if err != nil {
		return nil, classify("evaluation reports", err)
	}
	reports, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EvaluationReport, error) {
		var e EvaluationReport
		var raw []byte
		if err := r.Scan(&e.ID, &e.Text, &raw, &e.AuthorID, &e.WrittenAt); err != nil {
			return e, err
		}
		return e, json.Unmarshal(raw, &e.Progress)
	})
	for _, e := range reports {
		out[e.ID] = e
	}
	return out, classify("evaluation reports", err)
}

// Exemption is an exemption's decision as PostgreSQL keeps it.
type Exemption struct {
	ID        string    `json:"id"`
	Ground    string    `json:"ground"`
	Reason    string    `json:"reason"`
	ReviewOn  *string   `json:"review_on"`
	AuthorID  string    `json:"author_id"`
	WrittenAt time.Time `json:"written_at"`
}

// AddExemption stores an exemption's reason before the workflow takes its
// ID; the same ID again is left as it is.
func (s *Store) AddExemption(ctx context.Context, id, participantID, centreID, authorID, ground, reason string, reviewOn time.Time) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO exemptions (id, participant_id, centre_id, ground, reason, review_on, author_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`, id, participantID, centreID, ground, reason, optionalDate(reviewOn), authorID)
	return classify("exemption", err)
}

// ExemptionByID reads one exemption of a participant.
func (s *Store) ExemptionByID(ctx context.Context, participantID, id string) (Exemption, error) {
	var e Exemption
	err := s.db.QueryRow(ctx, `
		SELECT id::text, ground, reason, to_char(review_on, 'YYYY-MM-DD'), author_id::text, written_at
		FROM exemptions WHERE participant_id = $1 AND id = $2`, participantID, id).Scan(&e.ID, &e.Ground, &e.Reason, &e.ReviewOn, &e.AuthorID, &e.WrittenAt)
	return e, classify("exemption", err)
}
