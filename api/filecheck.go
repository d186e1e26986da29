package api

import (
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
)

// The file check of a dossier and the centre's month of claims, as the
// federal inspection and the subsidy claims judge them.

// getFileCheck answers a dossier's file check as of ?as_of= (YYYY-MM-DD,
// default today).
func (s *server) getFileCheck(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	rep, err := s.work.FileCheck(r.Context(), s.caller(r), id, r.URL.Query().Get("as_of"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_file_check", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// listClaims answers a month's claim lines (?month=YYYY-MM, required) as
// the event log stood at the end of ?as_of=, as JSON or, with ?format=csv
// or xlsx, the GPMI lines (codes and ISO days, for the finance system)
// through the export package, as the page's downloads.
func (s *server) listClaims(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		badQuery(w, r, domain.Problem("format", domain.OneOf, "json", "csv", "xlsx"))
		return
	}
	month := q.Get("month")
	if month == "" {
		badQuery(w, r, domain.Problem("month", domain.Required))
		return
	}
	claims, err := s.work.Claims(r.Context(), s.caller(r), month, q.Get("as_of"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	centre := principalFrom(r.Context()).CentreID
	if !s.audited(w, r, "read_claims", "centre", centre, "ok") {
		return
	}
	table := claims.Table("traject", casework.ClaimCodes)
	name := "traject-claims-" + centre + "-" + month
	switch format {
	case "csv":
		s.download(w, r, "text/csv; charset=utf-8", name+".csv", table.WriteCSV)
	case "xlsx":
		s.download(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", func(w io.Writer) error { return table.WriteXLSX(w) })
	default:
		writeJSON(w, http.StatusOK, claims)
	}
}

// listExtensions answers the dossier's GPMI extensions, the latest first.
func (s *server) listExtensions(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	list, err := s.store.Extensions(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_gpmi", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"extensions": list})
}

// recordExtension records that the GPMI was extended, with its
// motivation (201).
func (s *server) recordExtension(w http.ResponseWriter, r *http.Request) {
	var req casework.ExtensionInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	x, err := s.work.RecordExtension(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/gpmi-extensions")
	writeJSON(w, http.StatusCreated, x)
}
