// Package storetest gives tests a fresh, migrated database: embedded SQLite always, and
// PostgreSQL when WATCHPOST_TEST_POSTGRES_URL names a server (each test gets its own
// database, dropped afterwards). With WATCHPOST_REQUIRE_ALL=1 a missing PostgreSQL fails
// the test instead of skipping it, which is how CI runs.
//
// Migrating a PostgreSQL database takes most of a second, so migrated ones are copies of
// a template (watchpost_template_<digest of the migrations' source>), made once and kept
// on the test server; a change to any migration makes a new one.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/watchpost/watchpost/store"
)

// Backend is one database kind a test can run on.
type Backend struct {
	Name string
	// URL makes a fresh, empty database and returns its URL; it is removed after the test.
	URL func(t testing.TB) string
	// Migrated makes a fresh database with every migration applied (on SQLite, an empty
	// file: migrating it on open takes milliseconds).
	Migrated func(t testing.TB) string
}

// Backends lists SQLite and PostgreSQL.
func Backends() []Backend {
	return []Backend{
		{Name: "sqlite", URL: SQLiteURL, Migrated: MigratedSQLiteURL},
		{Name: "postgres", URL: PostgresURL, Migrated: MigratedPostgresURL},
	}
}

// Each runs fn once per backend as parallel subtests, each with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, b.Migrated(t)))
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
	if store.IsPostgres(url) {
		// Tests run several at once on one server (see Main): each keeps few connections,
		// enough for the races they stage, so together they stay under max_connections.
		db.SetMaxOpenConns(10)
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

// MigratedSQLiteURL returns a new database file in the test's temporary folder, a copy
// of a migrated template: copying it costs a tenth of the 22 ms that migrating an empty
// file does, which hundreds of tests a run pay.
func MigratedSQLiteURL(t testing.TB) string {
	t.Helper()
	sqliteTemplate.once.Do(func() {
		path, err := makeSQLiteTemplate()
		if err == nil {
			sqliteTemplate.data, err = os.ReadFile(path)
		}
		sqliteTemplate.err = err
	})
	if sqliteTemplate.err != nil {
		t.Fatalf("SQLite template: %v", sqliteTemplate.err)
	}
	path := SQLiteURL(t)
	if err := os.WriteFile(path, sqliteTemplate.data, 0o600); err != nil {
		t.Fatalf("copy the SQLite template: %v", err)
	}
	return path
}

// sqliteTemplate is the migrated SQLite file this test binary copies, read once.
var sqliteTemplate struct {
	once sync.Once
	data []byte
	err  error
}

// makeSQLiteTemplate returns the migrated SQLite file for today's migrations, kept in the
// temporary folder as watchpost-template-<digest>.db (like the PostgreSQL template, made
// once and remade when a migration changes). It is migrated under another name, closed
// (which folds its write-ahead log into the file, so the file alone is the database) and
// renamed when complete, so that no binary copies a half-made one.
func makeSQLiteTemplate() (string, error) {
	digest, err := migrationsDigest()
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "watchpost-template-"+digest+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	dir, err := os.MkdirTemp("", "watchpost-template-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	building := filepath.Join(dir, "template.db")
	db, err := store.Open(building)
	if err != nil {
		return "", err
	}
	err = store.Migrate(context.Background(), db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return path, os.Rename(building, path)
}

// PostgresURL creates an empty database on the test server and drops it after the test.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgres(t, "")
}

// MigratedPostgresURL gives the test a migrated database on the test server: a copy of
// the template, or, in a test binary run through Main, one an earlier test of the binary
// left, emptied (see reuse). It is dropped, or emptied for the next test, afterwards.
func MigratedPostgresURL(t testing.TB) string {
	t.Helper()
	admin := adminURL(t)
	template.once.Do(func() { template.name, template.err = makeTemplate(admin) })
	if template.err != nil {
		t.Fatalf("template database: %v", template.err)
	}
	if !reuse.on {
		return newPostgres(t, template.name)
	}
	name := reuse.take()
	if name == "" {
		name = createDatabase(t, admin, template.name)
	}
	t.Cleanup(func() {
		if err := emptyDatabase(withDatabase(admin, name)); err != nil {
			t.Logf("test database %s not reused: %v", name, err)
			dropDatabase(t, admin, name)
			return
		}
		reuse.give(name)
	})
	return withDatabase(admin, name)
}

// reuse keeps the migrated databases a test binary's finished tests leave, emptied, for
// its next tests: emptying the tables costs PostgreSQL a fifth of the CPU of copying the
// template and dropping the copy (0.05 s against 0.2 s, a test). Only binaries run through
// Main reuse them, because Main drops them when the binary ends.
var reuse databasePool

type databasePool struct {
	sync.Mutex
	on   bool
	free []string
}

func (r *databasePool) take() string {
	r.Lock()
	defer r.Unlock()
	if len(r.free) == 0 {
		return ""
	}
	name := r.free[len(r.free)-1]
	r.free = r.free[:len(r.free)-1]
	return name
}

func (r *databasePool) give(name string) {
	r.Lock()
	defer r.Unlock()
	r.free = append(r.free, name)
}

// dropReused drops the databases reuse kept, once the binary's tests are done.
func dropReused() {
	admin := os.Getenv("WATCHPOST_TEST_POSTGRES_URL")
	for _, name := range reuse.free {
		_ = adminExec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	reuse.free = nil
}

// emptyDatabase ends every other connection to the database at url and empties each of
// its tables but the migrations' record, restarting their sequences: the database is then
// as the template made it. A database whose tables are not the template's (a test changed
// the schema) is refused, to be dropped instead.
func emptyDatabase(url string) error {
	ctx := context.Background()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url)))
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		return err
	}
	var tables, schema string
	if err := conn.QueryRowContext(ctx, `SELECT
		coalesce(string_agg(quote_ident(tablename), ', ' ORDER BY tablename) FILTER (WHERE tablename NOT LIKE 'bun_migration%'), ''),
		coalesce(string_agg(tablename, ' ' ORDER BY tablename), '')
		FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables, &schema); err != nil {
		return err
	}
	template.Lock()
	if template.tables == "" {
		template.tables = schema
	}
	same := template.tables == schema
	template.Unlock()
	if !same || tables == "" {
		return fmt.Errorf("its tables are not the template's")
	}
	_, err = conn.ExecContext(ctx, "TRUNCATE "+tables+" RESTART IDENTITY CASCADE")
	return err
}

// adminURL is the test server's URL, or skips (fails under WATCHPOST_REQUIRE_ALL=1).
func adminURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("WATCHPOST_TEST_POSTGRES_URL")
	if admin == "" {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatal("WATCHPOST_TEST_POSTGRES_URL is not set, and WATCHPOST_REQUIRE_ALL=1 requires PostgreSQL")
		}
		t.Skip("PostgreSQL tests skipped: set WATCHPOST_TEST_POSTGRES_URL")
	}
	return admin
}

// newPostgres creates a database, a copy of from when it is not "", and drops it after
// the test.
func newPostgres(t testing.TB, from string) string {
	t.Helper()
	admin := adminURL(t)
	name := createDatabase(t, admin, from)
	t.Cleanup(func() { dropDatabase(t, admin, name) })
	return withDatabase(admin, name)
}

// createDatabase creates a database with a new name, a copy of from when it is not "".
func createDatabase(t testing.TB, admin, from string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "watchpost_test_" + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if from != "" {
		create += " TEMPLATE " + from
	}
	if err := adminExec(admin, create, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	return name
}

func dropDatabase(t testing.TB, admin, name string) {
	if err := adminExec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("drop test database: %v", err)
	}
}

// adminExec runs statements on the test server. Nothing here waits for a WAL flush, nor
// do commits in a test database (ALTER DATABASE ... SET): a test database need not
// survive a crash, and tests then run several times faster on a slow disk.
func adminExec(admin string, statements ...string) error {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "SET synchronous_commit = off"); err != nil {
		return err
	}
	for _, st := range statements {
		if _, err := conn.ExecContext(context.Background(), st); err != nil {
			return err
		}
	}
	return nil
}

// template is this test binary's migrated template database.
var template struct {
	once sync.Once
	name string
	err  error

	sync.Mutex
	tables string // its tables' names, as emptyDatabase first found them
}

// templateLockKey serialises making the template across test binaries run at once.
const templateLockKey = 7_204_331_191

// makeTemplate returns the template for today's migrations, making it if no test binary
// has yet. Nobody stays connected to it, so it can be copied.
func makeTemplate(admin string) (string, error) {
	digest, err := migrationsDigest()
	if err != nil {
		return "", err
	}
	name := "watchpost_template_" + digest
	ctx := context.Background()
	pool := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
	defer pool.Close()
	conn, err := pool.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", templateLockKey) //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Made under another name and renamed when complete, so a failure halfway leaves no
	// template that looks finished.
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	db, err := store.Open(withDatabase(admin, building))
	if err != nil {
		return "", err
	}
	err = store.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

// migrationsDigest is a short hash of the migrations' source files.
func migrationsDigest() (string, error) {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot find the migrations folder")
	}
	files, err := filepath.Glob(filepath.Join(filepath.Dir(here), "..", "..", "migrations", "*.go"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no migrations found next to %s", here)
	}
	sum := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		sum.Write([]byte(filepath.Base(f)))
		sum.Write(b)
	}
	return hex.EncodeToString(sum.Sum(nil))[:12], nil
}

// withDatabase returns the server URL admin pointing at database name.
func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic("WATCHPOST_TEST_POSTGRES_URL: " + err.Error())
	}
	u.Path = "/" + name
	return u.String()
}
