// Package assets holds the static files (stylesheet, scripts, icons) embedded in the binary.
package assets

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:generate sh ./vendor.sh

//go:embed css js vendor favicon.svg
var files embed.FS

// FS serves the embedded files.
func FS() http.FileSystem { return http.FS(files) }

// Read returns one embedded file.
func Read(name string) ([]byte, error) { return fs.ReadFile(files, name) }
