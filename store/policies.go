package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/policy"
)

// LoadPolicy returns the centre's newest policy, or the legal defaults when
// the centre never changed them. Fields a stored version lacks keep their
// default, so adding a deadline to the code never leaves it at zero.
func (s *Store) LoadPolicy(ctx context.Context, centreID string) (policy.Policy, error) {
	return scanPolicy(s.db.QueryRow(ctx, loadPolicySQL, centreID), centreID)
}

// PolicyAt returns the centre's policy as it stood at instant at: the
// newest version saved by then, or the legal defaults when the centre had
// saved none yet (as LoadPolicy with no row). A past month's claims are
// judged with it, so that later changes do not rewrite them.
func (s *Store) PolicyAt(ctx context.Context, centreID string, at time.Time) (policy.Policy, error) {
	return scanPolicy(s.db.QueryRow(ctx, policyAtSQL, centreID, at), centreID)
}

// policyAtSQL reads a centre's newest policy saved by an instant ($1: the
// centre, $2: the instant).
const policyAtSQL = `SELECT doc, version FROM centre_policies WHERE centre_id = $1 AND created_at <= $2 ORDER BY version DESC LIMIT 1`

// loadPolicySQL reads a centre's newest policy ($1: the centre).
const loadPolicySQL = `SELECT doc, version FROM centre_policies WHERE centre_id = $1 ORDER BY version DESC LIMIT 1`

// scanPolicy reads the row of loadPolicySQL: the legal defaults when the
// centre has no policy of its own.
func scanPolicy(row pgx.Row, centreID string) (policy.Policy, error) {
	p := policy.Default()
	var doc []byte
	var version int
	err := row.Scan(&doc, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, classify("load policy of "+centreID, err)
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return p, fmt.Errorf("policy %s v%d: %w", centreID, version, err)
	}
	p.Version = version
	return p, nil
}

// SavePolicy stores a new version of a centre's policy and returns its number.
// A policy that does not validate is refused with its *policy.FieldError.
func (s *Store) SavePolicy(ctx context.Context, centreID string, p policy.Policy, by string) (int, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	var version int
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// Serialise concurrent saves for one centre.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('policy:' || $1))`, centreID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(max(version), 0) + 1 FROM centre_policies WHERE centre_id = $1`, centreID).Scan(&version); err != nil {
			return err
		}
		p.Version = version
		doc, err := json.Marshal(p)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO centre_policies (centre_id, version, doc, created_by) VALUES ($1, $2, $3, NULLIF($4, '')::uuid)`, centreID, version, doc, by)
		return err
	})
	if err != nil {
		return 0, classify("save policy of "+centreID, err)
	}
	return version, nil
}

// PolicyVersion is one stored version of a centre's policy and who made it.
type PolicyVersion struct {
	Version   int
	CreatedAt time.Time
	// By is the display name of who saved it; empty when unknown.
	By  string
	Doc json.RawMessage
}

// PolicyVersions lists a centre's policy versions, the newest first.
func (s *Store) PolicyVersions(ctx context.Context, centreID string) ([]PolicyVersion, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.version, p.created_at, COALESCE(u.display_name, ''), p.doc
		FROM centre_policies p LEFT JOIN staff_users u ON u.id = p.created_by
		WHERE p.centre_id = $1 ORDER BY p.version DESC`, centreID)
	if err != nil {
		return nil, classify("policy versions", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PolicyVersion, error) {
		var v PolicyVersion
		err := row.Scan(&v.Version, &v.CreatedAt, &v.By, &v.Doc)
		return v, err
	})
	return out, classify("policy versions", err)
}
