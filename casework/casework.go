// Package casework is what staff do to a dossier, whoever asks: each
// write's request and checks, the workflow update it becomes, sent once
// (its ID comes from the caller's key), waited for within a bound, and
// audited before it acts. The API and the web pages are its two faces; the
// workflow's validators have the last word.
package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// shippedLetters are the templates traject ships, read once; letters'
// tests check them, so a failure here is a broken build.
var shippedLetters = sync.OnceValue(func() *letters.Book {
	b, err := letters.Default()
	if err != nil {
		panic(err)
	}
	return b
})

// Service sends the writes.
type Service struct {
	store     *store.Store
	temporal  client.Client
	taskQueue string
	loc       *time.Location
	logger    *slog.Logger
	// wait bounds how long a write waits for its update's outcome.
	wait time.Duration
	// letters are the letter templates, checked.
	letters *letters.Book
}

// DefaultUpdateWait bounds a write's wait for its workflow update.
const DefaultUpdateWait = 20 * time.Second

// Options wire the service to its dependencies.
type Options struct {
	Store    *store.Store
	Temporal client.Client
	// TaskQueue is where new trajectories start.
	TaskQueue string
	Logger    *slog.Logger
	// UpdateWait <= 0 is DefaultUpdateWait.
	UpdateWait time.Duration
	// Letters are a centre's own letter templates (letters.Load); nil:
	// the ones traject ships.
	Letters *letters.Book
}

// New returns the service.
func New(o Options) *Service {
	if o.UpdateWait <= 0 {
		o.UpdateWait = DefaultUpdateWait
	}
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		loc = time.UTC
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Letters == nil {
		o.Letters = shippedLetters()
	}
	return &Service{store: o.Store, temporal: o.Temporal, taskQueue: o.TaskQueue, loc: loc, logger: o.Logger, wait: o.UpdateWait, letters: o.Letters}
}

// Caller is who writes, through which request.
type Caller struct {
	UserID, CentreID string
	// HostID is a host organisation's user's host (CentreID then empty).
	HostID    string
	Role      domain.Role
	RequestID string
	// Key names the write for its retries (an Idempotency-Key, a form's
	// token) and Route where it was sent: a retry with the same key on the
	// same route is the same update. Without a key, the request ID.
	Key, Route string
	// Fact names the update after what it records rather than after the
	// request (a worker's day that does not count): whoever sends it,
	// however often, through whichever door, it is one update.
	Fact string
}

func (c Caller) by(expectedVersion int64) workflows.By {
	return workflows.By{ActorID: c.UserID, ActorRole: c.Role, ExpectedVersion: expectedVersion}
}

// updateID names the workflow update after the caller's write. Temporal
// answers a second update with the same ID with the first one's outcome,
// whatever happened to the caller's process or the database in between.
// (It keeps update IDs for a run: after a continue-as-new the ID is new.)
func (c Caller) updateID() string {
	if c.Fact != "" {
		return "fact:" + c.Fact
	}
	if c.Key == "" {
		return "request:" + c.RequestID
	}
	sum := sha256.Sum256([]byte(c.UserID + "\n" + c.Route + "\n" + c.Key))
	return "key:" + hex.EncodeToString(sum[:16])
}

// Request is the body of a write on a dossier.
type Request interface {
	// update returns the update's argument, or the fields at fault, or the
	// error that kept it from checking (a database outage).
	update(ctx context.Context, s *Service, c Caller, participantID string) (any, []FieldProblem, error)
	expected() int64
}

// FieldProblem names a field at fault.
type FieldProblem = store.FieldProblem

// ErrTimedOut: no worker finished the update within the wait. Sending it
// again with the same key is safe: it is the same update.
var ErrTimedOut = errors.New("the update was not finished in time")

// Act checks req and sends it as update to the participant's trajectory,
// or to their sanction procedure when procedure > 0, and decodes the
// outcome into result. Its audit entry is written before anything is: an
// error from the store then means nothing was done. The request's field
// problems come back as *store.InvalidError, the workflow's refusals as
// its *temporal.ApplicationError, and a wait that ran out as ErrTimedOut.
func (s *Service) Act(ctx context.Context, c Caller, participantID string, procedure int, update string, req Request, result any) error {
	workflowID := workflows.WorkflowID(participantID)
	if procedure > 0 {
		workflowID = workflows.SanctionWorkflowID(participantID, procedure)
	}
	action := update
	if tr, ok := req.(*Transition); ok {
		action = "transition:" + tr.To
	}
	entry, err := s.Intend(ctx, c, action, "participant", participantID)
	if err != nil {
		return err
	}
	arg, problems, err := req.update(ctx, s, c, participantID)
	switch {
	case err != nil:
		s.Settle(ctx, entry, "failed", "")
		return err
	case len(problems) > 0:
		s.Settle(ctx, entry, "refused", "")
		return &store.InvalidError{Fields: problems}
	}
	err = s.send(ctx, c, workflowID, update, arg, result)
	s.Settle(ctx, entry, Explain(err).Outcome, "")
	return err
}

// send sends a workflow update and waits for its outcome, for at most the
// service's wait: a request must not hang while no worker runs.
func (s *Service) send(ctx context.Context, c Caller, workflowID, name string, arg, result any) error {
	wctx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	handle, err := s.temporal.UpdateWorkflow(wctx, client.UpdateWorkflowOptions{
		UpdateID: c.updateID(), WorkflowID: workflowID, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(wctx, result)
	}
	// The SDK ends its wait with this error when the context is done, at
	// times a moment before wctx.Err() says so.
	var waited *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if err != nil && ctx.Err() == nil && (wctx.Err() != nil || errors.As(err, &waited)) {
		return errors.Join(ErrTimedOut, err)
	}
	return err
}

// Intend records a write before it acts, as attempted, and answers the
// entry to settle. So no change is ever made without its entry, and a
// change made is never answered with an error because its entry could not
// be written afterwards. When the database went away while the entry was
// written, the insert may have committed all the same: that entry is
// settled as failed (nothing was done) once the database is back.
func (s *Service) Intend(ctx context.Context, c Caller, action, objectType, objectID string) (int64, error) {
	entry, err := s.store.Audit(ctx, store.Access{
		CentreID: c.CentreID, ActorID: c.UserID, ActorRole: string(c.Role),
		Action: action, ObjectType: objectType, ObjectID: objectID,
		RequestID: c.RequestID, Outcome: "attempted",
	})
	if err != nil && c.RequestID != "" {
		s.retry(ctx, "lost audit entry", func(ctx context.Context) error {
			return s.store.SettleLostAudit(ctx, c.RequestID, action)
		})
	}
	return entry, err
}

// settleFor is how long an audit entry's outcome is tried again.
const settleFor = 5 * time.Minute

// Settle sets the outcome of a write's entry (and the ID of an object it
// created). A failure is not the caller's: the change is made and its
// entry exists. It is tried again in the background for settleFor; should
// the process stop first, the entry stays "attempted", which is true.
func (s *Service) Settle(ctx context.Context, entry int64, outcome, objectID string) {
	s.retry(ctx, "audit entry", func(ctx context.Context) error {
		return s.store.CompleteAudit(ctx, entry, outcome, objectID)
	})
}

// retry runs settle now and, while it fails, again every second in the
// background for settleFor, whatever becomes of the request.
func (s *Service) retry(ctx context.Context, what string, settle func(context.Context) error) {
	ctx = context.WithoutCancel(ctx)
	err := settle(ctx)
	if err == nil {
		return
	}
	s.logger.WarnContext(ctx, what+" not settled yet", "err", err)
	go func() {
		for deadline := time.Now().Add(settleFor); time.Now().Before(deadline); {
			time.Sleep(time.Second)
			if err = settle(ctx); err == nil {
				return
			}
		}
		s.logger.ErrorContext(ctx, what+" left as attempted", "err", err)
	}()
}

// date reads YYYY-MM-DD as midnight in Brussels.
func (s *Service) date(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, v, s.loc)
	return t, err == nil
}

// dateField parses a required YYYY-MM-DD field.
func (s *Service) dateField(problems *[]FieldProblem, field, v string) time.Time {
	t, ok := s.date(v)
	if !ok {
		*problems = append(*problems, domain.Problem(field, domain.NotDate))
	}
	return t
}

// audited runs a write between its audit entry, written before it acts,
// and the entry's outcome as the error table tells it; change answers the
// ID of what it created, if anything.
func (s *Service) audited(ctx context.Context, c Caller, action, objectType, objectID string, change func() (string, error)) error {
	entry, err := s.Intend(ctx, c, action, objectType, objectID)
	if err != nil {
		return err
	}
	created, err := change()
	s.Settle(ctx, entry, Explain(err).Outcome, created)
	return err
}
