package domain

import (
	"sync"
	"sync/atomic"
)

// Admission lets password checks in fairly. Each source of checks (a client address, a
// signed-in session re-entering its password) may have only so many checks in progress
// at once, from the moment the attempt begins until its hash is done; the excess is
// refused at once with ErrBusy, before it touches the database or the hash pool. So a
// flood from a few sources holds only their share of the pool's queue, and everyone
// else's sign-ins still get through. Known and unknown accounts pass the same way.
type Admission struct {
	mu       sync.Mutex
	inflight map[string]int
	refused  atomic.Int64
}

// admissionKey names one source and how many of its checks may be in progress.
type admissionKey struct {
	name  string
	limit int
}

func newAdmission() *Admission { return &Admission{inflight: map[string]int{}} }

// Refused counts the checks refused because their source had its share in progress
// (answered 503, like a full pool), for logs and metrics.
func (a *Admission) Refused() int64 { return a.refused.Load() }

// enter takes one place for each key (keys with no name or no limit do not count), or
// returns ErrBusy and takes none when any key has its share in progress. The caller
// calls release when its check is over.
func (a *Admission) enter(keys ...admissionKey) (release func(), err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var taken []string
	for _, k := range keys {
		if k.name == "" || k.limit <= 0 {
			continue
		}
		if a.inflight[k.name] >= k.limit {
			a.refused.Add(1)
			return nil, ErrBusy
		}
		taken = append(taken, k.name)
	}
	for _, name := range taken {
		a.inflight[name]++
	}
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, name := range taken {
			if a.inflight[name]--; a.inflight[name] <= 0 {
				delete(a.inflight, name)
			}
		}
	}, nil
}
