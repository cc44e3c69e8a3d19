// Package passwordhash hashes and checks passwords with argon2id through a bounded pool
// of slots that keep their block memory. It implements domain.Hasher.
package passwordhash

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/watchpost/watchpost/domain"
)

// Stats counts the pool's refusals, for logs and metrics.
type Stats struct {
	// Busy is how many hashes waited longer than the pool's MaxWait (answered 503).
	Busy int64
	// Waiting is how many hashes are waiting for a slot right now.
	Waiting int64
	// Hashes is how many hashes ran, and Held the total time their slots were held:
	// Held over (wall time × slots) is how busy the pool was.
	Hashes int64
	Held   time.Duration
}

// Params are the argon2id cost parameters.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Default follows OWASP's recommendation for argon2id.
var Default = Params{MemoryKiB: 19456, Time: 2, Threads: 1}

// Pool hashes with argon2id through a bounded pool: at most Workers hashes run at
// once, so a flood of sign-ins cannot exhaust memory; a caller that waits longer than
// MaxWait gets ErrBusy. (Admission decides who may queue here at all: see Admission.)
//
// Each slot owns the block memory of one hash (MemoryKiB, 19 MiB in production), made
// on its first use and kept: a hash reuses it instead of allocating, zeroing and later
// collecting its own (argon2id.go). The pool so holds at most Workers × MemoryKiB, as
// much as it used at its busiest before, and never more; a hash whose parameters need
// more memory than a slot holds (an old hash made with more) gets its own, once.
type Pool struct {
	params  Params
	slots   chan *slotMemory // a slot is free while its memory is in the channel
	maxWait time.Duration

	busy, waiting  atomic.Int64
	hashes, heldNS atomic.Int64
	metrics        domain.Metrics
}

// NewPool builds a hasher; workers <= 0 means one per CPU core.
func NewPool(p Params, workers int, maxWait time.Duration) *Pool {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	h := &Pool{params: p, slots: make(chan *slotMemory, workers), maxWait: maxWait, metrics: domain.NopMetrics{}}
	for range workers {
		h.slots <- &slotMemory{}
	}
	return h
}

// slotMemory is one pool slot's argon2id block memory, allocated on first use.
type slotMemory struct{ blocks []a2block }

// Stats returns the pool's counters so far.
func (h *Pool) Stats() Stats {
	return Stats{Busy: h.busy.Load(), Waiting: h.waiting.Load(), Hashes: h.hashes.Load(), Held: time.Duration(h.heldNS.Load())}
}

// SetMetrics reports each hash's wait for a slot to m.
func (h *Pool) SetMetrics(m domain.Metrics) { h.metrics = m }

// Slots is how many hashes may run at once.
func (h *Pool) Slots() int { return cap(h.slots) }

// Queued is how many hashes are waiting for a slot now.
func (h *Pool) Queued() int { return int(h.waiting.Load()) }

// Hash returns a PHC-format argon2id hash of password.
func (h *Pool) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := h.derive(ctx, password, salt, h.params)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.MemoryKiB, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks password against a PHC-format argon2id hash.
func (h *Pool) Verify(ctx context.Context, password, hash string) (bool, bool, error) {
	p, salt, want, err := parsePHC(hash)
	if err != nil {
		return false, false, err
	}
	got, err := h.derive(ctx, password, salt, p)
	if err != nil {
		return false, false, err
	}
	ok := subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p != h.params, nil
}

func (h *Pool) derive(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	wait := time.NewTimer(h.maxWait)
	defer wait.Stop()
	queued := time.Now()
	h.waiting.Add(1)
	var mem *slotMemory
	select {
	case mem = <-h.slots:
	case <-wait.C:
		h.waited(queued)
		h.busy.Add(1)
		return nil, domain.ErrBusy
	case <-ctx.Done():
		h.waited(queued)
		return nil, ctx.Err()
	}
	h.waited(queued)
	start := time.Now()
	defer func() {
		h.hashes.Add(1)
		h.heldNS.Add(int64(time.Since(start)))
		h.slots <- mem
	}()
	if p.Time < 1 || p.Threads < 1 {
		return nil, fmt.Errorf("bad argon2 parameters: t=%d p=%d", p.Time, p.Threads)
	}
	if mem.blocks == nil {
		mem.blocks = make([]a2block, argon2Blocks(h.params.MemoryKiB, max(h.params.Threads, 1)))
		adviseHugePages(mem.blocks)
	}
	if argon2Blocks(p.MemoryKiB, p.Threads) > uint32(len(mem.blocks)) {
		return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32), nil
	}
	return argon2idInto(mem.blocks, []byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32), nil
}

// waited ends one caller's wait in the queue.
func (h *Pool) waited(since time.Time) {
	h.waiting.Add(-1)
	h.metrics.HashWait(time.Since(since))
}

func parsePHC(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("bad argon2 parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("bad salt: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("bad key: %w", err)
	}
	return p, salt, key, nil
}
