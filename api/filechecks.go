package api

import (
	"io"
	"net/http"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
)

// listFileChecks answers the centre's files at risk as of ?as_of=, filtered
// by ?counsellor=, ?element= and ?state=, as JSON or, with ?format=csv or
// xlsx, one row per dossier and element (codes and ISO days, for the
// systems that read them).
func (s *server) listFileChecks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		badQuery(w, r, domain.Problem("format", domain.OneOf, "json", "csv", "xlsx"))
		return
	}
	list, err := s.work.FilesAtRisk(r.Context(), s.caller(r), casework.FileCheckQuery{
		AsOf: q.Get("as_of"), Counsellor: q.Get("counsellor"), Element: q.Get("element"), State: q.Get("state")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	centre := principalFrom(r.Context()).CentreID
	if !s.audited(w, r, "read_file_checks", "centre", centre, "ok") {
		return
	}
	table := list.Table("traject", casework.FileRiskCodes)
	name := "traject-file-checks-" + centre + "-" + list.AsOf.Format("2006-01-02")
	switch format {
	case "csv":
		s.download(w, r, "text/csv; charset=utf-8", name+".csv", table.WriteCSV)
	case "xlsx":
		s.download(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", func(w io.Writer) error { return table.WriteXLSX(w) })
	default:
		writeJSON(w, http.StatusOK, list)
	}
}
