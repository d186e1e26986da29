package workflows

import (
	"github.com/traject-ocmw/traject/domain"
	"go.temporal.io/sdk/temporal"
)

// Refusals are non-retryable application errors whose type the API maps to
// an HTTP status; invalid data carries the problem fields as details.

func notAllowed(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeNotAllowed, nil)
}

func notPermitted(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeNotPermitted, nil)
}

func conflict(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeConflict, nil)
}

func invalidData(msg string, problems []domain.FieldProblem) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeInvalidData, nil, problems)
}
