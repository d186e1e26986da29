package activities

import (
	"context"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// Policies reads the centres' deadlines for the workflows. Its method is
// registered as the local activity LoadPolicy, the name recorded histories
// hold.
type Policies struct {
	Store *store.Store
}

// LoadPolicy returns the centre's newest policy, or the legal defaults.
func (a *Policies) LoadPolicy(ctx context.Context, centreID string) (policy.Policy, error) {
	return a.Store.LoadPolicy(ctx, centreID)
}
