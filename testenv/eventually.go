package testenv

import (
	"testing"
	"time"
)

// EventuallyDeadline is how long Eventually waits. It is a deadline for
// something that hung, not a measure of speed: on a loaded machine a wait
// only takes longer.
const EventuallyDeadline = time.Minute

// Eventually checks cond every 50 ms until it holds, and fails the test
// saying what did not happen when it still does not hold after
// EventuallyDeadline. A test waits with it for the very thing it then
// asserts (the outbox row, the read model's version, the message), never
// for a neighbouring event or for a while. cond runs on the test's
// goroutine, so it may call t.Fatal.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(EventuallyDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s: it did not happen", EventuallyDeadline, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
