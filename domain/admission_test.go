package domain

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// TestAdmissionIsFair fills the pool's only slot, queues two jobs from one source, and
// checks that the source's third job is refused at once while another source still gets
// its turn (issue 11, item 5).
func TestAdmissionIsFair(t *testing.T) {
	h := NewArgon2Hasher(Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 1, time.Minute)
	h.slots <- struct{}{} // the pool is busy with someone else's hash
	hash, err := NewArgon2Hasher(h.params, 1, time.Second).Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	flood := withAdmission(context.Background(), admissionKey{"addr:203.0.113.9", 4}, admissionKey{"session:stolen", 2})
	results := make(chan error, 3)
	for range 2 {
		go func() { _, _, err := h.Verify(flood, "guess", hash); results <- err }()
	}
	for h.Stats().Waiting < 2 {
		select {
		case err := <-results:
			t.Fatalf("a queued job returned early: %v", err)
		default:
			runtime.Gosched()
		}
	}
	start := time.Now()
	if _, _, err := h.Verify(flood, "guess", hash); !errors.Is(err, ErrBusy) {
		t.Fatalf("third job from one session: %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the excess was refused after %v, not at once", d)
	}
	other := withAdmission(context.Background(), admissionKey{"addr:192.0.2.1", 4}, admissionKey{"ident:1:eve", 2})
	go func() { _, _, err := h.Verify(other, "pw", hash); results <- err }()
	for h.Stats().Waiting < 3 {
		runtime.Gosched()
	}
	<-h.slots // the other hash finishes
	for range 3 {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	if s := h.Stats(); s.OverShare != 1 || s.Busy != 0 {
		t.Errorf("stats %+v, want one refusal over share", s)
	}
}
