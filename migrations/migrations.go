// Package migrations holds the database schema changes, applied in order by bun/migrate.
// Each change is a Go file named after its timestamp. A migration holds its own schema:
// frozen copies of the models as they were when it was written (see v1Portal), or its
// own SQL valid on SQLite and PostgreSQL, never today's domain structs, so that it
// creates the same tables next year as it does today.
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
