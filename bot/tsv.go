package bot

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// eachRow reads the corpus files that match glob, in name order, and calls
// fn with every line that is not blank, split at tabs, and the language its
// file's name gives (PREFIX_LANG.tsv, or PREFIX_LANG-N.tsv when the rows of
// one language come from several writers). A line without want columns or
// with an empty last one, and fn's error, stop the reading with the file
// and line named.
func eachRow(fsys fs.FS, glob, prefix string, want int, what string, fn func(lang string, cols []string) error) error {
	paths, err := fs.Glob(fsys, glob)
	if err != nil {
		return err
	}
	slices.Sort(paths)
	for _, p := range paths {
		lang, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(path.Base(p), prefix), ".tsv"), "-")
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for line := 1; sc.Scan(); line++ {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) != want || strings.TrimSpace(cols[want-1]) == "" {
				return fmt.Errorf("%s:%d: want %s", p, line, what)
			}
			if err := fn(lang, cols); err != nil {
				return fmt.Errorf("%s:%d: %w", p, line, err)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}
