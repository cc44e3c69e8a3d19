package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestDriverErrorsByCode provokes real driver errors and checks they are recognised by
// their codes: a duplicate key is ErrConflict on both databases, a connection the server
// ended (SQLSTATE 57P01) is ErrUnavailable, and a plain bad query is neither.
func TestDriverErrorsByCode(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(b.URL(t))
			require.NoError(t, err)
			defer db.Close()
			_, err = db.ExecContext(ctx, "CREATE TABLE t (k TEXT PRIMARY KEY, u TEXT UNIQUE)")
			require.NoError(t, err)
			_, err = db.ExecContext(ctx, "INSERT INTO t VALUES ('a', 'x')")
			require.NoError(t, err)
			_, err = db.ExecContext(ctx, "INSERT INTO t VALUES ('a', 'y')")
			assert.ErrorIs(t, store.MapErr(err), domain.ErrConflict, "primary key")
			_, err = db.ExecContext(ctx, "INSERT INTO t VALUES ('b', 'x')")
			assert.ErrorIs(t, store.MapErr(err), domain.ErrConflict, "unique column")

			_, err = db.ExecContext(ctx, "SELECT nope FROM t")
			require.Error(t, err)
			assert.NotErrorIs(t, store.MapErr(err), domain.ErrConflict)
			assert.NotErrorIs(t, store.MapErr(err), domain.ErrUnavailable)

			if b.Name == "postgres" {
				conn, err := db.Conn(ctx)
				require.NoError(t, err)
				defer conn.Close()
				_, err = conn.ExecContext(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
				require.Error(t, err)
				assert.ErrorIs(t, store.MapErr(err), domain.ErrUnavailable, "%v", err)
			}
		})
	}
}
