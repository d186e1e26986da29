package workflows

import (
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/domain"
)

// Refusals are non-retryable application errors: their type is the kind
// the doors map to a status (casework's error table), their details a
// domain.Refusal with the reason and the fields. The message is for logs
// and the Temporal UI; people read the reason's message.

func refuse(kind string, reason domain.Reason, args []string, fields []domain.FieldProblem) error {
	msg := string(reason)
	if len(args) > 0 {
		msg += " (" + strings.Join(args, ", ") + ")"
	}
	for _, f := range fields {
		msg += "; " + f.String()
	}
	return temporal.NewNonRetryableApplicationError(msg, kind, nil, domain.Refusal{Reason: reason, Args: args, Fields: fields})
}

func notAllowed(reason domain.Reason, args ...string) error {
	return refuse(ErrTypeNotAllowed, reason, args, nil)
}

func notPermitted(role domain.Role) error {
	return refuse(ErrTypeNotPermitted, domain.ReasonRole, []string{string(role)}, nil)
}

func conflict(version, expected int64) error {
	return refuse(ErrTypeConflict, domain.ReasonStale, []string{itoa64(version), itoa64(expected)}, nil)
}

func invalidData(problems ...domain.FieldProblem) error {
	return refuse(ErrTypeInvalidData, domain.ReasonInvalid, nil, problems)
}

// problems turns field problems into an InvalidData refusal, or nil.
func problems(p []domain.FieldProblem) error {
	if len(p) == 0 {
		return nil
	}
	return invalidData(p...)
}
