package domain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

func TestArgon2Hasher(t *testing.T) {
	h := domain.NewArgon2Hasher(cheap, 0, time.Second)
	hash, err := h.Hash(context.Background(), "correct horse battery staple")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$"), hash)

	ok, rehash, err := h.Verify(context.Background(), "correct horse battery staple", hash)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.False(t, rehash)
	ok, _, err = h.Verify(context.Background(), "correct horse battery stapler", hash)
	require.NoError(t, err)
	assert.False(t, ok)

	other, err := h.Hash(context.Background(), "correct horse battery staple")
	require.NoError(t, err)
	assert.NotEqual(t, hash, other, "salted")

	stronger := domain.NewArgon2Hasher(domain.Argon2Params{MemoryKiB: 2048, Time: 1, Threads: 1}, 0, time.Second)
	ok, rehash, err = stronger.Verify(context.Background(), "correct horse battery staple", hash)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, rehash, "parameters changed")

	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "plain"} {
		_, _, err := h.Verify(context.Background(), "x", bad)
		assert.Error(t, err, bad)
	}
}

// TestArgon2PoolIsBounded fills the pool and checks that the next caller gets ErrBusy
// after its wait instead of another hash running.
func TestArgon2PoolIsBounded(t *testing.T) {
	slow := domain.Argon2Params{MemoryKiB: 64 * 1024, Time: 3, Threads: 1}
	h := domain.NewArgon2Hasher(slow, 1, time.Nanosecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h.Hash(context.Background(), "first holds the only slot")
	}()
	busy := false
	for !busy {
		_, err := h.Hash(context.Background(), "second")
		busy = err == domain.ErrBusy
		select {
		case <-done:
			if !busy {
				t.Skip("the first hash finished before the second could be refused")
			}
		default:
		}
	}
	<-done
	assert.True(t, busy)
}

// BenchmarkArgon2VerifyParallel measures H, the hash limit of this machine with the
// production parameters: verifications per second with every core busy.
func BenchmarkArgon2VerifyParallel(b *testing.B) {
	h := domain.NewArgon2Hasher(domain.DefaultArgon2, 0, time.Minute)
	hash, err := h.Hash(context.Background(), domain.DemoPassword)
	require.NoError(b, err)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(context.Background(), domain.DemoPassword, hash); !ok || err != nil {
				b.Fatal("verify failed", err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}
