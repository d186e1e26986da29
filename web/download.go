package web

import (
	"bytes"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
)

// download answers a file that write produces: whole or not at all. It is
// written to memory first, so a failure is the error page, never a
// truncated file that looks whole; a client gone while it is sent is
// logged with the request ID.
func (p *pages) download(w http.ResponseWriter, r *http.Request, contentType, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		p.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := buf.WriteTo(w); err != nil {
		p.logger.WarnContext(r.Context(), "download cut short", "request_id", middleware.GetReqID(r.Context()), "err", err)
	}
}
