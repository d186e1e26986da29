package casework

import (
	"context"

	"github.com/traject-ocmw/traject/workflows"
)

// MergeHost merges the caller's centre's record of a host organisation
// (from) into another record of the same organisation (into): every
// contract that names from moves first, each by its workflow's update
// (named after the merge, so a retry moves none twice), then the records
// merge in the store. A merge cut short is finished by trying it again.
func (s *Service) MergeHost(ctx context.Context, c Caller, from, into string) error {
	entry, err := s.Intend(ctx, c, "merge_host:"+into, "host", from)
	if err != nil {
		return err
	}
	err = s.mergeHost(ctx, c, from, into)
	s.Settle(ctx, entry, outcome(err), into)
	return err
}

func (s *Service) mergeHost(ctx context.Context, c Caller, from, into string) error {
	if err := s.store.CheckHostMerge(ctx, c.CentreID, from, into); err != nil {
		return err
	}
	participants, err := s.store.ContractsAt(ctx, from)
	if err != nil {
		return err
	}
	for _, id := range participants {
		mc := c
		mc.Key, mc.Route = "merge "+from+" into "+into+" "+id, "merge_host"
		req := workflows.MoveHostRequest{By: c.by(0), From: from, To: into}
		if err := s.send(ctx, mc, workflows.WorkflowID(id), workflows.UpdateMoveContractHost, req, nil); err != nil {
			return err
		}
	}
	return s.store.MergeHost(ctx, c.CentreID, from, into, c.UserID)
}
