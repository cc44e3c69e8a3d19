// Package migrations holds the database schema changes, applied in order by bun/migrate.
// Each change is a Go file named after its timestamp; it builds its tables from the
// domain models so SQLite and PostgreSQL get the same schema through one code path.
package migrations

import (
	"reflect"
	"strings"

	"github.com/uptrace/bun/migrate"
)

// Migrations is the ordered set of schema changes.
var Migrations = migrate.NewMigrations()

func tableType(model any) reflect.Type { return reflect.TypeOf(model).Elem() }

func joinCols(cols []string) string { return strings.Join(cols, "_") }
