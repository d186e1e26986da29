package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The host organisation's own endpoints, under /v1/host: its Article 60
// workers of every centre, and what it records about them. A host user
// sees a worker placed with their host and nothing more (store.HostWorker);
// anyone else's worker is a 404, like an unknown one.

var hostStaff = []domain.Role{domain.RoleHost, domain.RoleHostAdmin}

// listHostWorkers answers the host's workers across centres.
func (s *server) listHostWorkers(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	workers, err := s.store.HostWorkers(r.Context(), p.HostID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "list_host_workers", "host", p.HostID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"workers": workers})
}

// hostWorker finds the caller's host's worker named in the path, and
// answers 404 for anyone else's.
func (s *server) hostWorker(w http.ResponseWriter, r *http.Request) (store.HostWorker, bool) {
	worker, err := s.store.HostWorkerByID(r.Context(), principalFrom(r.Context()).HostID, chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return worker, false
	}
	return worker, true
}

func (s *server) getHostWorker(w http.ResponseWriter, r *http.Request) {
	worker, ok := s.hostWorker(w, r)
	if !ok {
		return
	}
	if !s.auditedIn(w, r, worker.CentreID, "read_host_worker", "participant", worker.ID) {
		return
	}
	writeJSON(w, http.StatusOK, worker)
}

// hostAction sends one of the host's writes on its worker's trajectory (an
// absence, a training done, a check, a problem, a hiring), with the host
// user as the actor, audited in the worker's centre.
func (s *server) hostAction(w http.ResponseWriter, r *http.Request, update string, body casework.Request) {
	worker, ok := s.hostWorker(w, r)
	if !ok {
		return
	}
	if !decode(w, r, body) {
		return
	}
	caller := s.caller(r)
	caller.CentreID = worker.CentreID
	var result any
	if err := s.work.Act(r.Context(), caller, worker.ID, 0, update, body, &result); err != nil {
		s.fail(w, r, err)
		return
	}
	// The host sees its own view of the worker, never the trajectory's.
	updated, err := s.store.HostWorkerByID(r.Context(), principalFrom(r.Context()).HostID, worker.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, updated)
}

func (s *server) recordHostAbsence(w http.ResponseWriter, r *http.Request) {
	s.hostAction(w, r, workflows.UpdateRecordAbsence, &casework.Absence{})
}

func (s *server) recordHostTraining(w http.ResponseWriter, r *http.Request) {
	s.hostAction(w, r, workflows.UpdateRecordTraining, &casework.TrainingDone{})
}

func (s *server) recordHostCheck(w http.ResponseWriter, r *http.Request) {
	s.hostAction(w, r, workflows.UpdateRecordHostCheck, &casework.HostCheck{})
}

func (s *server) signalHostProblem(w http.ResponseWriter, r *http.Request) {
	s.hostAction(w, r, workflows.UpdateSignalProblem, &casework.Signal{})
}

func (s *server) recordHostHiring(w http.ResponseWriter, r *http.Request) {
	s.hostAction(w, r, workflows.UpdateRecordHiring, &casework.Hiring{})
}

// getHostReport answers the host's year as it reports it, across the
// centres it works with: people supported, contracts ended, hired after.
func (s *server) getHostReport(w http.ResponseWriter, r *http.Request) {
	req, from, to, ok := s.periodReader(w, r)
	if !ok {
		return
	}
	req.host = principalFrom(r.Context()).HostID
	rows, err := (stats.Reports{DB: s.store.Pool()}).HostOutcomes(r.Context(), req.host, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, req, map[string]any{"from": from, "to": to, "rows": rows}, stats.HostTable(rows))
}

// listHostAgreements answers the host's current agreements with every
// centre: each function's positions and how many that centre's running
// contracts occupy, and the totals.
func (s *server) listHostAgreements(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	agreements, err := s.store.HostAgreements(r.Context(), p.HostID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "list_host_agreements", "host", p.HostID, "ok") {
		return
	}
	positions, occupied := store.AgreementTotals(agreements)
	writeJSON(w, http.StatusOK, map[string]any{"agreements": agreements, "positions": positions, "occupied": occupied})
}
