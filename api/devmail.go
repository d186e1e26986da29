package api

import (
	"net/http"
	"strconv"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/mailcapture"
)

// devMail lists what the in-process SMTP server captured. It is mounted in
// dev mode only: in production mail leaves through a real relay.
func devMail(mail *mailcapture.Server) http.Handler {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		msgs := mail.Messages()
		if msgs == nil {
			msgs = []mailcapture.Message{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
	})
	r.Get("/{seq}", func(w http.ResponseWriter, r *http.Request) {
		seq, err := strconv.Atoi(chi.URLParam(r, "seq"))
		if err != nil {
			badQuery(w, r, domain.Problem("seq", domain.NotWhole))
			return
		}
		m, ok := mail.Message(seq)
		if !ok {
			problem(w, r, store.ErrNotFound)
			return
		}
		w.Header().Set("Content-Type", "message/rfc822")
		_, _ = w.Write(m.Raw)
	})
	return r
}
