package api

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/filecheck"
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
// the event log stood at the end of ?as_of=, as JSON or, with
// ?format=csv, the GPMI lines as CSV with semicolons (for Excel).
func (s *server) listClaims(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		badQuery(w, r, domain.Problem("format", domain.OneOf, "json", "csv"))
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
	if format != "csv" {
		writeJSON(w, http.StatusOK, claims)
		return
	}
	s.download(w, r, "text/csv; charset=utf-8", "traject-claims-"+centre+"-"+month+".csv", func(w io.Writer) error {
		return writeClaimsCSV(w, claims.GPMI)
	})
}

// writeClaimsCSV writes the GPMI lines with semicolons, as Excel in Belgium
// opens them; codes of reasons stay codes here, for the finance system.
func writeClaimsCSV(w io.Writer, lines []filecheck.ClaimLine) error {
	c := csv.NewWriter(w)
	c.Comma = ';'
	if err := c.Write([]string{"national_number", "family_name", "given_name", "qualifies", "code", "reason", "signed_on"}); err != nil {
		return err
	}
	for _, l := range lines {
		signed := ""
		if l.SignedOn != nil {
			signed = l.SignedOn.Format(time.DateOnly)
		}
		if err := c.Write([]string{l.NationalNumber, l.FamilyName, l.GivenName, strconv.FormatBool(l.Qualifies), l.Code, l.Reason, signed}); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
