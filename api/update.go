package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/sdk/client"
)

// errUpdateTimedOut: no worker finished the update within updateWait.
// Sending it again is safe (see updateID), so it is a 503.
var errUpdateTimedOut = errors.New("the update was not finished in time")

// update sends a workflow update and waits for its outcome, for at most
// s.updateWait: a request must not hang while no worker runs.
func (s *server) update(r *http.Request, workflowID, name string, arg, result any) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.updateWait)
	defer cancel()
	handle, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID: updateID(r), WorkflowID: workflowID, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, result)
	}
	// The SDK ends its wait with this error when the context is done, at
	// times a moment before ctx.Err() says so.
	var waited *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if err != nil && r.Context().Err() == nil && (ctx.Err() != nil || errors.As(err, &waited)) {
		return errors.Join(errUpdateTimedOut, err)
	}
	return err
}

// updateID names a workflow update after the request that asks for it: the
// caller, the method and path, and the Idempotency-Key (without one, this
// request's ID). A retry with the same key is the same update, which
// Temporal answers with the first one's outcome instead of applying it
// again, whatever happened to this process or the database in between.
// (Temporal keeps update IDs for the run: a retry that comes after the
// trajectory continued as new is a new update.)
func updateID(r *http.Request) string {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return "request:" + middleware.GetReqID(r.Context())
	}
	sum := sha256.Sum256([]byte(principalFrom(r.Context()).UserID + "\n" + r.Method + " " + r.URL.Path + "\n" + key))
	return "key:" + hex.EncodeToString(sum[:16])
}

// defaultUpdateWait bounds how long a write waits for its update's outcome.
const defaultUpdateWait = 20 * time.Second
