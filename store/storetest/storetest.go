// Package storetest gives tests a fresh, migrated database: embedded SQLite always, and
// PostgreSQL when WATCHPOST_TEST_POSTGRES_URL names a server (each test gets its own
// database, dropped afterwards). With WATCHPOST_REQUIRE_ALL=1 a missing PostgreSQL fails
// the test instead of skipping it, which is how CI runs.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/watchpost/watchpost/store"
)

// Backend is one database kind a test can run on.
type Backend struct {
	Name string
	// URL makes a fresh, empty database and returns its URL; it is removed after the test.
	URL func(t testing.TB) string
}

// Backends lists SQLite and PostgreSQL.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", URL: SQLiteURL}, {Name: "postgres", URL: PostgresURL}}
}

// Each runs fn once per backend as a subtest, with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, Open(t, b.URL(t)))
		})
	}
}

// Open opens and migrates the database at url, closing it after the test.
func Open(t testing.TB, url string) *store.Store {
	t.Helper()
	db, err := store.Open(url)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return store.New(db)
}

// SQLiteURL returns a new database file in the test's temporary folder.
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "watchpost.db")
}

// PostgresURL creates a database on the test server and drops it after the test.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("WATCHPOST_TEST_POSTGRES_URL")
	if admin == "" {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatal("WATCHPOST_TEST_POSTGRES_URL is not set, and WATCHPOST_REQUIRE_ALL=1 requires PostgreSQL")
		}
		t.Skip("PostgreSQL tests skipped: set WATCHPOST_TEST_POSTGRES_URL")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "watchpost_test_" + hex.EncodeToString(b)
	conn := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
	defer conn.Close()
	if _, err := conn.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
		defer c.Close()
		if _, err := c.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("WATCHPOST_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
