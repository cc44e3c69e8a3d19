package domain

import (
	"errors"
	"fmt"
	"time"
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

// ValidationError carries a message per form field; forms show them beside the fields.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid input: %v", e.Fields) }

// Invalid builds a ValidationError for one field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: message}}
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
	Left time.Duration
}

func (e *ThrottledError) Error() string { return "too many failed sign-ins from this address" }

// SecondsLeft rounds the remaining time up to whole seconds, never below one.
func (e *ThrottledError) SecondsLeft() int {
	s := int((e.Left + time.Second - 1) / time.Second)
	return max(s, 1)
}
