package domain

import (
	"context"
	"sync/atomic"
	"time"
)

// evenTiming makes answers that must not tell accounts apart (a reset request, a help
// request) take as long for an unknown account as for a known one: it keeps a moving
// average of the work for known accounts and pads every answer to it.
type evenTiming struct {
	nanos atomic.Int64
}

// observe folds the time a known account's request took into the moving average.
func (t *evenTiming) observe(d time.Duration) {
	for {
		old := t.nanos.Load()
		next := int64(d)
		if old != 0 {
			next = old + (int64(d)-old)/8
		}
		if t.nanos.CompareAndSwap(old, next) {
			return
		}
	}
}

// pad makes the answer begun at start take as long as a known account's usually does
// (with a margin), and at least floor.
func (t *evenTiming) pad(ctx context.Context, start time.Time, floor time.Duration) {
	target := max(floor, time.Duration(t.nanos.Load())*5/4)
	wait := target - time.Since(start)
	if wait <= 0 {
		return
	}
	tm := time.NewTimer(wait)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-ctx.Done():
	}
}
