package passwordhash

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/crypto/argon2"

	"github.com/watchpost/watchpost/domain"
)

// TestArgon2idMatchesXCrypto compares the pooled Argon2id with golang.org/x/crypto's on
// many parameter sets, reusing one block array (dirtied first) for all of them: old
// contents must never change a result.
func TestArgon2idMatchesXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mem := make([]a2block, argon2Blocks(19456, 1))
	for i := range mem {
		for w := range mem[i] {
			mem[i][w] = rng.Uint64()
		}
	}
	type params struct {
		time, memory uint32
		threads      uint8
		keyLen       uint32
	}
	cases := []params{
		{2, 19456, 1, 32}, // production
		{1, 8, 1, 32}, {1, 9, 1, 32}, {1, 15, 2, 32}, {3, 64, 1, 16}, {1, 1024, 1, 32}, {2, 1024, 1, 4},
		{1, 64, 4, 32}, {2, 256, 2, 64}, {3, 200, 3, 65}, {1, 512, 1, 100}, {2, 300, 1, 128}, {4, 129, 1, 33},
		{1, 2048, 1, 32}, {2, 4096, 2, 32},
	}
	for range 8 {
		cases = append(cases, params{uint32(1 + rng.IntN(3)), uint32(8 + rng.IntN(3000)), uint8(1 + rng.IntN(4)), uint32(4 + rng.IntN(120))})
	}
	passwords := [][]byte{[]byte("watchpost-demo-2026"), {}, []byte("p"), bytes.Repeat([]byte("é!"), 300)}
	salts := [][]byte{[]byte("0123456789abcdef"), []byte("saltsalt"), bytes.Repeat([]byte{0xff}, 64)}
	for i, c := range cases {
		pw, salt := passwords[i%len(passwords)], salts[i%len(salts)]
		t.Run(fmt.Sprintf("t=%d,m=%d,p=%d,len=%d", c.time, c.memory, c.threads, c.keyLen), func(t *testing.T) {
			if argon2Blocks(c.memory, c.threads) > uint32(len(mem)) {
				t.Fatal("test memory too small")
			}
			want := argon2.IDKey(pw, salt, c.time, c.memory, c.threads, c.keyLen)
			got := argon2idInto(mem, pw, salt, c.time, c.memory, c.threads, c.keyLen)
			if !bytes.Equal(got, want) {
				t.Fatalf("got %x, want %x", got, want)
			}
			// The same memory again, now full of the previous result's blocks.
			if again := argon2idInto(mem, pw, salt, c.time, c.memory, c.threads, c.keyLen); !bytes.Equal(again, want) {
				t.Fatalf("second run got %x, want %x", again, want)
			}
		})
	}
}

// BenchmarkArgon2idInto and BenchmarkArgon2idXCrypto compare one production hash on one
// core: the pooled implementation in reused memory against x/crypto's (assembly on amd64,
// a fresh 19 MiB per hash).
func BenchmarkArgon2idInto(b *testing.B) {
	mem := make([]a2block, argon2Blocks(19456, 1))
	salt := []byte("0123456789abcdef")
	for b.Loop() {
		argon2idInto(mem, []byte("watchpost-demo-2026"), salt, 2, 19456, 1, 32)
	}
}

func BenchmarkArgon2idIntoHuge(b *testing.B) {
	mem := make([]a2block, argon2Blocks(19456, 1))
	adviseHugePages(mem)
	salt := []byte("0123456789abcdef")
	for b.Loop() {
		argon2idInto(mem, []byte("watchpost-demo-2026"), salt, 2, 19456, 1, 32)
	}
}

func BenchmarkArgon2idXCrypto(b *testing.B) {
	salt := []byte("0123456789abcdef")
	for b.Loop() {
		argon2.IDKey([]byte("watchpost-demo-2026"), salt, 2, 19456, 1, 32)
	}
}

// TestArgon2PoolIsBounded holds the pool's only slot, as a running hash does, and checks
// that the next caller gets ErrBusy after its wait instead of another hash running; once
// the slot is back, hashing works again.
func TestArgon2PoolIsBounded(t *testing.T) {
	h := NewPool(Params{MemoryKiB: 64, Time: 1, Threads: 1}, 1, time.Millisecond)
	held := <-h.slots
	_, err := h.Hash(context.Background(), "waits, then is refused")
	assert.ErrorIs(t, err, domain.ErrBusy)
	assert.EqualValues(t, 1, h.Stats().Busy)
	h.slots <- held
	_, err = h.Hash(context.Background(), "runs")
	assert.NoError(t, err)
}
