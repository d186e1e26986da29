package filecheck_test

import (
	"sync/atomic"
	"testing"

	"github.com/traject-ocmw/traject/filecheck"
)

// Each calls every index once, whatever the number of cores, and none
// when there is nothing to do.
func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1001} {
		calls := make([]atomic.Int32, n)
		filecheck.Each(n, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Errorf("n=%d: index %d called %d times", n, i, got)
			}
		}
	}
}
