package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
)

// column is what the schema test compares: a name, a type family and whether NULL is allowed.
type column struct {
	Type     string
	Nullable bool
}

// TestSchemaMatchesModels migrates an empty database and compares every table, column by
// column, with what the domain structs expect: adding a struct field without a migration
// (or a migration without the field) fails here, on both databases.
func TestSchemaMatchesModels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		db := s.DB()
		tables := map[string]bool{}
		for _, m := range store.Models {
			table := db.Dialect().Tables().Get(reflect.TypeOf(m).Elem())
			tables[table.Name] = true
			want := map[string]column{}
			for _, f := range table.Fields {
				want[f.Name] = column{Type: typeFamily(f.CreateTableSQLType), Nullable: !f.NotNull && !f.IsPK}
			}
			got := dbColumns(t, db, table.Name)
			for name, w := range want {
				g, ok := got[name]
				if !assert.Truef(t, ok, "%s.%s (%T) has no column: add a migration", table.Name, name, m) {
					continue
				}
				assert.Equalf(t, w.Type, g.Type, "%s.%s type", table.Name, name)
				assert.Equalf(t, w.Nullable, g.Nullable, "%s.%s nullable", table.Name, name)
			}
			for name := range got {
				assert.Containsf(t, want, name, "%s.%s is in the database but not in %T", table.Name, name, m)
			}
			uniques := dbUniques(t, db, table.Name)
			for group, fields := range table.Unique {
				var sets [][]string
				if group == "" { // a plain `unique` tag: each column on its own
					for _, f := range fields {
						sets = append(sets, []string{f.Name})
					}
				} else {
					cols := make([]string, len(fields))
					for i, f := range fields {
						cols[i] = f.Name
					}
					sets = append(sets, cols)
				}
				for _, cols := range sets {
					slices.Sort(cols)
					assert.Containsf(t, uniques, strings.Join(cols, ","), "%s: %T wants (%s) unique; no unique index or constraint has exactly those columns",
						table.Name, m, strings.Join(cols, ", "))
				}
			}
		}
		for _, name := range dbTables(t, db) {
			if !strings.HasPrefix(name, "bun_") {
				assert.Truef(t, tables[name], "table %s has no model in store.Models", name)
			}
		}
	})
}

// typeFamily reduces a SQL type to what both databases agree on.
func typeFamily(sqlType string) string {
	t := strings.ToLower(sqlType)
	switch {
	case strings.Contains(t, "int") || strings.Contains(t, "serial"):
		return "integer"
	case strings.Contains(t, "char") || strings.Contains(t, "text"):
		return "text"
	case strings.Contains(t, "bool"):
		return "boolean"
	case strings.Contains(t, "timestamp") || strings.Contains(t, "date"):
		return "time"
	case strings.Contains(t, "real") || strings.Contains(t, "double") || strings.Contains(t, "float") || strings.Contains(t, "numeric"):
		return "float"
	case strings.Contains(t, "blob") || strings.Contains(t, "bytea"):
		return "bytes"
	case strings.Contains(t, "json"):
		return "json"
	}
	return t
}

func dbColumns(t *testing.T, db *bun.DB, table string) map[string]column {
	t.Helper()
	ctx := context.Background()
	cols := map[string]column{}
	if db.Dialect().Name().String() == "pg" {
		var rows []struct {
			ColumnName string `bun:"column_name"`
			DataType   string `bun:"data_type"`
			IsNullable string `bun:"is_nullable"`
		}
		require.NoError(t, db.NewRaw(`SELECT column_name, data_type, is_nullable FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ?`, table).Scan(ctx, &rows))
		for _, r := range rows {
			cols[r.ColumnName] = column{Type: typeFamily(r.DataType), Nullable: r.IsNullable == "YES"}
		}
		return cols
	}
	var rows []struct {
		Name    string `bun:"name"`
		Type    string `bun:"type"`
		NotNull int    `bun:"notnull"`
		PK      int    `bun:"pk"`
	}
	require.NoError(t, db.NewRaw(fmt.Sprintf("SELECT name, type, \"notnull\", pk FROM pragma_table_info('%s')", table)).Scan(ctx, &rows))
	for _, r := range rows {
		// SQLite lets a non-integer primary key hold NULL unless told otherwise; the
		// primary key itself is what the models rely on.
		cols[r.Name] = column{Type: typeFamily(r.Type), Nullable: r.NotNull == 0 && r.PK == 0}
	}
	return cols
}

// dbUniques lists the table's unique indexes and constraints (not its primary key), each
// as its sorted columns joined by commas.
func dbUniques(t *testing.T, db *bun.DB, table string) []string {
	t.Helper()
	ctx := context.Background()
	var rows []struct {
		Index  string `bun:"idx"`
		Column string `bun:"col"`
	}
	if db.Dialect().Name().String() == "pg" {
		require.NoError(t, db.NewRaw(`SELECT ci.relname AS idx, a.attname AS col
			FROM pg_index i
			JOIN pg_class ct ON ct.oid = i.indrelid
			JOIN pg_class ci ON ci.oid = i.indexrelid
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE ct.relname = ? AND ct.relnamespace = current_schema()::regnamespace
			  AND i.indisunique AND NOT i.indisprimary`, table).Scan(ctx, &rows))
	} else {
		require.NoError(t, db.NewRaw(fmt.Sprintf(`SELECT il.name AS idx, ii.name AS col
			FROM pragma_index_list('%s') il, pragma_index_info(il.name) ii
			WHERE il."unique" = 1 AND il.origin != 'pk'`, table)).Scan(ctx, &rows))
	}
	cols := map[string][]string{}
	for _, r := range rows {
		cols[r.Index] = append(cols[r.Index], r.Column)
	}
	var out []string
	for _, c := range cols {
		slices.Sort(c)
		out = append(out, strings.Join(c, ","))
	}
	return out
}

func dbTables(t *testing.T, db *bun.DB) []string {
	t.Helper()
	var names []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect().Name().String() == "pg" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	require.NoError(t, db.NewRaw(q).Scan(context.Background(), &names))
	slices.Sort(names)
	return names
}
