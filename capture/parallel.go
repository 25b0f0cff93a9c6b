package capture

import (
	"errors"
	"runtime"
	"sync"
)

// Parallel runs fn for 0..n-1 on every core and returns the errors it met. Lists of many
// leads spend their time decoding and formatting, which rows arrive faster than one core does.
func Parallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := fn(i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
