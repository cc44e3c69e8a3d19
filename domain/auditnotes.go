package domain

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/i18n"
)

// An audit event's detail is kept as notes: catalogue messages (i18n/locales/audit.*.toml)
// with their values, so the audit screens show it in the reader's language. The English
// text is stored beside them (AuditEvent.Detail) for the CSV export, for people reading
// the table directly, and for events written before notes existed.

// Note is one sentence of a detail. A value given as an i18n.Key is itself a message id
// (the way someone signed in) and is translated too; a note without ID is Text shown as
// it is (e-mail addresses and role names, which no language changes).
type Note struct {
	ID   string            `json:"id,omitempty"`
	Args map[string]string `json:"args,omitempty"`
	Keys []string          `json:"keys,omitempty"` // names in Args whose values are message ids
	// Lists holds placeholders whose value is a list of message ids (a role's
	// permissions), shown translated and joined by commas.
	Lists map[string][]string `json:"lists,omitempty"`
	Text  string              `json:"text,omitempty"`
}

// Notes is a detail, sentence by sentence.
type Notes []Note

// note is message id with its placeholder pairs: string, int, i18n.Key or []i18n.Key
// values.
func note(id string, kv ...any) Note {
	n := Note{ID: id, Args: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		switch v := kv[i+1].(type) {
		case i18n.Key:
			n.Args[name] = string(v)
			n.Keys = append(n.Keys, name)
		case int:
			n.Args[name] = strconv.Itoa(v)
		case string:
			n.Args[name] = v
		case []i18n.Key:
			if n.Lists == nil {
				n.Lists = map[string][]string{}
			}
			for _, k := range v {
				n.Lists[name] = append(n.Lists[name], string(k))
			}
		}
	}
	return n
}

// noteText is a note shown as written.
func noteText(s string) Note { return Note{Text: s} }

// viaKey names the way a sign-in came: an Attempt's Via ("web", "support console").
func viaKey(via string) i18n.Key {
	return i18n.Key("audit.via." + strings.NewReplacer(" ", "_", "-", "_").Replace(via))
}

// In is the note in l.
func (n Note) In(l i18n.Lang) string {
	if n.ID == "" {
		return n.Text
	}
	kv := make([]any, 0, 2*(len(n.Args)+len(n.Lists)))
	for name, ids := range n.Lists {
		words := make([]string, len(ids))
		for i, id := range ids {
			words[i] = l.T(id)
		}
		kv = append(kv, name, strings.Join(words, ", "))
	}
	for name, v := range n.Args {
		var val any = v
		switch {
		case slices.Contains(n.Keys, name):
			val = i18n.Key(v)
		case name == "Count":
			if c, err := strconv.Atoi(v); err == nil {
				val = c
			}
		}
		kv = append(kv, name, val)
	}
	return l.T(n.ID, kv...)
}

// In is the detail in l, its sentences joined by semicolons.
func (ns Notes) In(l i18n.Lang) string {
	parts := make([]string, 0, len(ns))
	for _, n := range ns {
		if s := n.In(l); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

func (ns Notes) encode() string {
	if len(ns) == 0 {
		return ""
	}
	b, err := json.Marshal(ns)
	if err != nil {
		return ""
	}
	return string(b)
}

// DetailIn is the event's detail in l: its notes translated, or the stored text for an
// event written before notes (or whose notes do not read).
func (e AuditEvent) DetailIn(l i18n.Lang) string {
	if e.Notes == "" {
		return e.Detail
	}
	var ns Notes
	if err := json.Unmarshal([]byte(e.Notes), &ns); err != nil {
		return e.Detail
	}
	return ns.In(l)
}
