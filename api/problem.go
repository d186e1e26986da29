package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/store"
)

// Problem is an RFC 9457 problem detail. Clients read Type, Reason and each
// field's Code; Title and Detail say it in English; the request ID lets an
// operator find the matching log line.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Reason    string       `json:"reason,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
	// Existing is the centre's dossier of the national number an intake
	// gave (participant-exists): the participant's ID when the caller may
	// open it.
	Existing *ExistingDossier `json:"existing,omitempty"`
	// Current are the personal details as they stand and the edits made
	// since the version an edit named (stale).
	Current *CurrentDetails `json:"current,omitempty"`
}

// ExistingDossier names the dossier an intake found.
type ExistingDossier struct {
	ParticipantID string `json:"participant_id,omitempty"`
	Closed        bool   `json:"closed"`
}

// CurrentDetails are a dossier's personal details and the edits since the
// version a stale edit named (who, when, which fields).
type CurrentDetails struct {
	store.Details
	ChangesSince []store.DetailsChange `json:"changes_since"`
}

// FieldError names one input field that is missing or malformed.
type FieldError struct {
	Field  string   `json:"field"`
	Code   string   `json:"code"`
	Args   []string `json:"args,omitempty"`
	Detail string   `json:"detail"`
}

// problem answers err as casework.Explain says, in English. The cause of a
// 500 never reaches the client (fail logs it).
func problem(w http.ResponseWriter, r *http.Request, err error) {
	answer(w, r, casework.Explain(err))
}

// answer writes a failure as problem+json.
func answer(w http.ResponseWriter, r *http.Request, f casework.Failure) {
	p := Problem{
		Type:      "urn:traject:problem:" + f.Type,
		Title:     http.StatusText(f.Status),
		Status:    f.Status,
		Detail:    messages.T("en", f.Key, anys(f.Args)...),
		Instance:  r.URL.Path,
		RequestID: middleware.GetReqID(r.Context()),
	}
	if reason, ok := strings.CutPrefix(f.Key, "refusal."); ok {
		p.Reason = reason
	}
	for _, fp := range f.Fields {
		p.Errors = append(p.Errors, fieldError(fp))
	}
	if k := f.Known; k != nil {
		p.Existing = &ExistingDossier{Closed: k.Closed}
		if k.Visible {
			p.Existing.ParticipantID = k.ParticipantID
		}
	}
	if st := f.Stale; st != nil {
		p.Current = &CurrentDetails{Details: st.Current, ChangesSince: st.Since}
		if p.Current.ChangesSince == nil {
			p.Current.ChangesSince = []store.DetailsChange{}
		}
		w.Header().Set("ETag", detailsETag(st.Current.Version))
	}
	if f.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(casework.RetryAfter))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(f.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func fieldError(fp domain.FieldProblem) FieldError {
	return FieldError{Field: fp.Field, Code: string(fp.Code), Args: fp.Args, Detail: messages.T("en", "fault."+string(fp.Code), anys(fp.Args)...)}
}

func anys(args []string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

// invalid answers field problems of a request: 422, or 400 for a query's.
func invalid(w http.ResponseWriter, r *http.Request, problems ...domain.FieldProblem) {
	problem(w, r, &casework.InvalidError{Fields: problems})
}

// badQuery answers malformed query parameters (400).
func badQuery(w http.ResponseWriter, r *http.Request, problems ...domain.FieldProblem) {
	problem(w, r, &casework.QueryError{Fields: problems})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
