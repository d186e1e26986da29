package filecheck

import (
	"runtime"
	"sync"
)

// Each calls do for 0 to n-1, each once, on every core: a centre's files
// are read and judged apart from each other, and 50,000 of them take
// seconds on one core.
func Each(n int, do func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				do(i)
			}
		})
	}
	wg.Wait()
}
