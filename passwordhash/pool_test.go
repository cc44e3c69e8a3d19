package passwordhash_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
)

var cheap = passwordhash.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestPool(t *testing.T) {
	h := passwordhash.NewPool(cheap, 0, time.Second)
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

	stronger := passwordhash.NewPool(passwordhash.Params{MemoryKiB: 2048, Time: 1, Threads: 1}, 0, time.Second)
	ok, rehash, err = stronger.Verify(context.Background(), "correct horse battery staple", hash)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.True(t, rehash, "parameters changed")

	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "plain"} {
		_, _, err := h.Verify(context.Background(), "x", bad)
		assert.Error(t, err, bad)
	}
}

// TestArgon2HasherAgreesWithXCrypto: hashes made by golang.org/x/crypto/argon2 (as
// every stored hash so far was) verify through the pool, with parameters that fit a
// slot's memory and with parameters that need more than it holds; and the pool's own
// hashes are what x/crypto computes.
func TestArgon2HasherAgreesWithXCrypto(t *testing.T) {
	ctx := context.Background()
	h := passwordhash.NewPool(passwordhash.Params{MemoryKiB: 2048, Time: 2, Threads: 1}, 2, time.Second)
	salt := []byte("sixteen byte sal")
	phc := func(m, tm uint32, p uint8, key []byte) string {
		b64 := base64.RawStdEncoding
		return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, tm, p, b64.EncodeToString(salt), b64.EncodeToString(key))
	}
	for _, p := range []passwordhash.Params{{2048, 2, 1}, {1024, 1, 1}, {1500, 3, 2}, {4096, 1, 1}, {3000, 2, 4}} {
		for i := range 3 { // the same slots again: reused memory
			pw := fmt.Sprintf("password %d", i)
			stored := phc(p.MemoryKiB, p.Time, p.Threads, argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32))
			ok, _, err := h.Verify(ctx, pw, stored)
			require.NoError(t, err)
			assert.True(t, ok, "%+v", p)
			ok, _, err = h.Verify(ctx, pw+"!", stored)
			require.NoError(t, err)
			assert.False(t, ok, "%+v", p)
		}
	}
	made, err := h.Hash(ctx, "mine")
	require.NoError(t, err)
	parts := strings.Split(made, "$")
	gotSalt, _ := base64.RawStdEncoding.DecodeString(parts[4])
	want := base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("mine"), gotSalt, 2, 2048, 1, 32))
	assert.Equal(t, want, parts[5])

	_, _, err = h.Verify(ctx, "x", phc(1024, 1, 0, []byte("0123456789abcdef0123456789abcdef")))
	assert.Error(t, err, "p=0 is refused, not a panic")
}

// BenchmarkArgon2VerifyParallel measures H, the hash limit of this machine with the
// production parameters: verifications per second with every core busy.
func BenchmarkArgon2VerifyParallel(b *testing.B) {
	h := passwordhash.NewPool(passwordhash.Default, 0, time.Minute)
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
