package testenv

import (
	"log/slog"
	"testing"

	sdklog "go.temporal.io/sdk/log"
)

// sdkLogger sends the Temporal SDK's warnings and errors to the test log.
func sdkLogger(t testing.TB) sdklog.Logger {
	return sdklog.NewStructuredLogger(loggerAt(t, slog.LevelWarn).With("component", "temporal-sdk"))
}
