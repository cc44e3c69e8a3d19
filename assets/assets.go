// Package assets holds the static files (stylesheet, scripts, icons) embedded in the binary,
// and builds their fingerprinted addresses: the one place an asset URL is made.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"strings"
)

//go:generate sh ./vendor.sh

//go:embed css js vendor favicon.svg
var files embed.FS

// Prefix is where the assets are served.
const Prefix = "/assets/"

// File is one embedded asset, ready to serve.
type File struct {
	Body        []byte
	ContentType string
	Version     string // a short hash of Body: the fingerprint in its URL
}

var byName = load()

// cssURL finds the asset references inside stylesheets, so they carry fingerprints too.
var cssURL = regexp.MustCompile(`url\("` + Prefix + `([^"?]+)"\)`)

// load reads every embedded file once, stylesheets last, so that the fingerprints inside
// a stylesheet are known before its own is taken.
func load() map[string]*File {
	out := map[string]*File{}
	var css []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(name) == ".css" {
			css = append(css, name)
			return nil
		}
		body, err := fs.ReadFile(files, name)
		out[name] = newFile(name, body)
		return err
	})
	if err != nil {
		panic(err)
	}
	for _, name := range css {
		body, err := fs.ReadFile(files, name)
		if err != nil {
			panic(err)
		}
		body = cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
			ref := string(cssURL.FindSubmatch(m)[1])
			if f := out[ref]; f != nil {
				return []byte(`url("` + Prefix + ref + "?v=" + f.Version + `")`)
			}
			return m
		})
		out[name] = newFile(name, body)
	}
	return out
}

func newFile(name string, body []byte) *File {
	sum := sha256.Sum256(body)
	ct := mime.TypeByExtension(path.Ext(name))
	if strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") {
		ct = strings.Split(ct, ";")[0] + "; charset=utf-8"
	}
	return &File{Body: body, ContentType: ct, Version: hex.EncodeToString(sum[:6])}
}

// Lookup returns the asset called name (e.g. "css/app.css"), or nil.
func Lookup(name string) *File { return byName[name] }

// URL is the fingerprinted address of the asset called name: it changes whenever the
// file does, so browsers may keep it for a year. It panics on a name that is not
// embedded, which a test of every page catches.
func URL(name string) string {
	f := byName[name]
	if f == nil {
		panic("assets: no file " + name)
	}
	return Prefix + name + "?v=" + f.Version
}
