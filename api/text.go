package api

import (
	"net/http"
	"strconv"

	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/store"
)

// Every text that enters the API is checked here, once: a NUL byte, another
// control character or invalid UTF-8 in a query parameter or a JSON string
// is refused with 422 naming the field, before any handler (or PostgreSQL,
// which refuses a NUL byte with an error of its own) sees it.

// cleanQuery refuses a request whose query string holds unclean text.
func cleanQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var bad []domain.FieldProblem
		for name, values := range r.URL.Query() {
			if !store.CleanText(name) {
				bad = append(bad, domain.Problem(strconv.Quote(name), domain.NotParameter))
				continue
			}
			for _, v := range values {
				if !store.CleanText(v) {
					bad = append(bad, domain.Problem(name, domain.NotText))
					break
				}
			}
		}
		if len(bad) > 0 {
			invalid(w, r, bad...)
			return
		}
		next.ServeHTTP(w, r)
	})
}
