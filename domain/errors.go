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
type LockedError struct {
	Until  time.Time
	Repeat bool
}

func (e *LockedError) Error() string { return "sign-in temporarily locked" }

// MinutesLeft rounds the remaining lock time up to whole minutes, never below one.
func (e *LockedError) MinutesLeft(now time.Time) int {
	left := e.Until.Sub(now)
	m := int((left + time.Minute - 1) / time.Minute)
	return max(m, 1)
}
