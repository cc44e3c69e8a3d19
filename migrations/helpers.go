package migrations

import (
	"reflect"
	"strings"
)

func tableType(model any) reflect.Type { return reflect.TypeOf(model).Elem() }

func joinCols(cols []string) string { return strings.Join(cols, "_") }
