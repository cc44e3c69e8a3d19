package domain

import (
	"errors"
	"fmt"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Errors that callers branch on. The store returns ErrNotFound, ErrConflict and
// ErrUnavailable; services
// return the rest.
var (
	ErrNotFound            = errors.New("not found")
	ErrConflict            = errors.New("conflict")
	ErrInvalidCredentials  = errors.New("invalid username, e-mail or password")
	ErrTempPasswordExpired = errors.New("temporary password expired")
	ErrBusy                = errors.New("server busy")
	ErrInvalidToken        = errors.New("invalid or expired link")
	ErrSessionEnded        = errors.New("session ended")
	// ErrUnavailable says the database cannot be reached right now; try again shortly.
	ErrUnavailable = errors.New("database unavailable")
)

// ValidationError carries a message per form field; forms show them beside the fields,
// in the reader's language. Fields holds catalogue message ids (i18n/locales), Data the
// placeholder pairs of a field's message ("Min", 12), if it has any.
type ValidationError struct {
	Fields map[string]string
	Data   map[string][]any
}

// Error is the English text, for logs and the command line.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid input: %v", e.Text(i18n.English))
}

// Add sets the message of one field, with its placeholder pairs.
func (e *ValidationError) Add(field, id string, kv ...any) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	e.Fields[field] = id
	if len(kv) > 0 {
		if e.Data == nil {
			e.Data = map[string][]any{}
		}
		e.Data[field] = kv
	}
}

// Text translates every field's message into l.
func (e *ValidationError) Text(l i18n.Lang) map[string]string {
	out := make(map[string]string, len(e.Fields))
	for f, id := range e.Fields {
		out[f] = l.T(id, e.Data[f]...)
	}
	return out
}

// Invalid builds a ValidationError for one field: a catalogue message id and its
// placeholder pairs.
func Invalid(field, id string, kv ...any) *ValidationError {
	e := &ValidationError{}
	e.Add(field, id, kv...)
	return e
}

// LockedError says sign-in for this identifier is locked until Until. Repeat is set when
// it was locked again soon after an earlier lock, so the user is sent to the administrator.
// Left is the time that remained when the lockout rule answered, by the domain's clock.
type LockedError struct {
	Until  time.Time
	Left   time.Duration
	Repeat bool
}

func (e *LockedError) Error() string { return "sign-in temporarily locked" }

// MinutesLeft rounds the remaining lock time up to whole minutes, never below one.
func (e *LockedError) MinutesLeft() int {
	m := int((e.Left + time.Minute - 1) / time.Minute)
	return max(m, 1)
}

// SecondsLeft rounds the remaining lock time up to whole seconds, never below one.
func (e *LockedError) SecondsLeft() int {
	s := int((e.Left + time.Second - 1) / time.Second)
	return max(s, 1)
}

// InvalidCredentialsError is a wrong identifier or password (errors.Is matches
// ErrInvalidCredentials). AttemptsLeft is how many more failures the lockout rule allows
// before it locks, the same whether or not an account matched.
type InvalidCredentialsError struct {
	AttemptsLeft int
	LockMinutes  int
}

func (e *InvalidCredentialsError) Error() string { return ErrInvalidCredentials.Error() }

// Is makes errors.Is(err, ErrInvalidCredentials) true.
func (e *InvalidCredentialsError) Is(target error) bool { return target == ErrInvalidCredentials }

// LastTry says one more wrong password locks sign-in: the answer warns about it.
func (e *InvalidCredentialsError) LastTry() bool { return e.AttemptsLeft == 1 }

// ThrottledError says this client address failed to sign in too often across accounts
// (password spraying); it is refused without a password check, whatever account it names.
type ThrottledError struct {
	Left  time.Duration
	Until time.Time // when the pause ends
}

func (e *ThrottledError) Error() string { return "too many failed sign-ins from this address" }

// SecondsLeft rounds the remaining time up to whole seconds, never below one.
func (e *ThrottledError) SecondsLeft() int {
	s := int((e.Left + time.Second - 1) / time.Second)
	return max(s, 1)
}

// MinutesLeft rounds the remaining time up to whole minutes, never below one: what the
// answer says of when the pause ends.
func (e *ThrottledError) MinutesLeft() int {
	m := int((e.Left + time.Minute - 1) / time.Minute)
	return max(m, 1)
}
