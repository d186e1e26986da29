package casework

import (
	"context"
	"slices"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// hostEditors may register, change, archive and merge a centre's host
// organisations.
var hostEditors = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}

func (c Caller) editsHosts() error {
	if c.CentreID == "" || !slices.Contains(hostEditors, c.Role) {
		return ErrForbidden
	}
	return nil
}

// SaveHost registers a host organisation with the caller's centre's
// agreement (id empty) or replaces what the centre holds of one, after
// store.CheckHost; it answers the host's ID. A host the centre does not
// work with is not found, before its input is looked at.
func (s *Service) SaveHost(ctx context.Context, c Caller, id string, in store.HostInput) (string, error) {
	if err := c.editsHosts(); err != nil {
		return "", err
	}
	if id != "" {
		if _, err := s.store.Hosts(ctx, c.CentreID, id); err != nil {
			return "", err
		}
	}
	if problems := store.CheckHost(&in); len(problems) > 0 {
		return "", &InvalidError{Fields: problems}
	}
	if id == "" {
		err := s.audited(ctx, c, "create_host", "host", "", func() (string, error) {
			var err error
			id, err = s.store.CreateHost(ctx, c.CentreID, in)
			return id, err
		})
		return id, err
	}
	return id, s.audited(ctx, c, "change_host", "host", id, func() (string, error) {
		return "", s.store.ReplaceHost(ctx, c.CentreID, id, in)
	})
}

// ArchiveHost ends the centre's agreement with a host organisation;
// refused while the centre's contracts run there.
func (s *Service) ArchiveHost(ctx context.Context, c Caller, id string) error {
	if err := c.editsHosts(); err != nil {
		return err
	}
	return s.audited(ctx, c, "archive_host", "host", id, func() (string, error) {
		return "", s.store.ArchiveHost(ctx, c.CentreID, id)
	})
}

// MergeHost merges the caller's centre's record of a host organisation
// (from) into another record of the same organisation (into): every
// contract that names from moves first, each by its workflow's update
// (named after the merge, so a retry moves none twice), then the records
// merge in the store. A merge cut short is finished by trying it again.
func (s *Service) MergeHost(ctx context.Context, c Caller, from, into string) error {
	if err := c.editsHosts(); err != nil {
		return err
	}
	entry, err := s.Intend(ctx, c, "merge_host:"+into, "host", from)
	if err != nil {
		return err
	}
	err = s.mergeHost(ctx, c, from, into)
	s.Settle(ctx, entry, Explain(err).Outcome, into)
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
