package casework

import (
	"context"
	"slices"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// policyRoles may read and change a centre's policy.
var policyRoles = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}

// Policy reads the caller's centre's policy in force.
func (s *Service) Policy(ctx context.Context, c Caller) (policy.Policy, error) {
	if !slices.Contains(policyRoles, c.Role) || c.CentreID == "" {
		return policy.Policy{}, ErrForbidden
	}
	return s.store.LoadPolicy(ctx, c.CentreID)
}

// SavePolicy stores p as the caller's centre's next policy version, which
// applies to deadlines planned after it; a field the policy's validator
// refuses is named (policy.FieldError).
func (s *Service) SavePolicy(ctx context.Context, c Caller, p policy.Policy) (policy.Policy, error) {
	if !slices.Contains(policyRoles, c.Role) || c.CentreID == "" {
		return p, ErrForbidden
	}
	err := s.audited(ctx, c, "change_policy", "centre", c.CentreID, func() (string, error) {
		version, err := s.store.SavePolicy(ctx, c.CentreID, p, c.UserID)
		p.Version = version
		return "", err
	})
	return p, err
}
