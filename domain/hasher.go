package domain

import "context"

// Hasher turns passwords into hashes and checks them (passwordhash.Pool in production).
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches hash, and whether the hash should be
	// replaced because it was made with other parameters.
	Verify(ctx context.Context, password, hash string) (ok, rehash bool, err error)
}
