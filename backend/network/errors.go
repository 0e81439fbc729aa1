package network

import (
	"errors"
	"fmt"
	"time"

	"herald/backend/logging"
)

// Class is the shared classification of a network failure. Only
// ClassAuthDead disconnects a channel.
type Class string

const (
	ClassAuthDead        Class = "auth_dead"           // credentials revoked or expired for good
	ClassScopeMissing    Class = "scope_missing"       // signed in, but a permission is missing
	ClassAPIRetired      Class = "api_version_retired" // the API version Herald speaks is gone
	ClassRateLimited     Class = "rate_limited"        // wait until ResetAt
	ClassContentRejected Class = "content_rejected"    // the post itself was refused
	ClassMediaRejected   Class = "media_rejected"      // an attachment was refused
	ClassTransient       Class = "transient"           // network blip, 5xx: try again later
	ClassInvalidInput    Class = "invalid_input"       // what the user typed is wrong (bad server, password)
	// ClassTokenExpired: the short-lived access token expired; refresh the
	// credential and retry. Never shown to the user, never a disconnect.
	ClassTokenExpired Class = "token_expired"
)

// Inputs of a sign-in an Error can be about (Error.Field).
const (
	FieldInstance   = "instance"
	FieldIdentifier = "identifier"
	FieldSecret     = "secret"
)

// Error is a classified network failure. Message is safe to show: no
// credentials, and none of Herald's own workings a person did not type
// (request URLs, an address converted to punycode, DIDs). Status, Code and
// Err keep the network's own words and the raw detail for logs.
type Error struct {
	Network string
	Op      string
	Class   Class
	Status  int
	Code    string // the network's error code or name
	Message string
	// Field names the sign-in input the error is about, when it is about
	// one: FieldInstance, FieldIdentifier or FieldSecret.
	Field   string
	ResetAt time.Time // when rate limited, if the network said
	// Sent is true when the request may have reached the network (a timeout
	// after sending): the outcome is unknown.
	Sent bool
	Err  error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s: %s", e.Network, e.Op, e.Message)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err, or ClassTransient for an error that was
// never classified (the safe default: retry later, never disconnect).
func ClassOf(err error) Class {
	var ne *Error
	if errors.As(err, &ne) {
		return ne.Class
	}
	return ClassTransient
}

// IsAuthDead reports whether err means the channel's credentials are dead.
func IsAuthDead(err error) bool { return ClassOf(err) == ClassAuthDead }

// RetryAfter returns when to try again for a rate-limited error.
func RetryAfter(err error) (time.Time, bool) {
	var ne *Error
	if errors.As(err, &ne) && ne.Class == ClassRateLimited && !ne.ResetAt.IsZero() {
		return ne.ResetAt, true
	}
	return time.Time{}, false
}

// SafeMessage is an error in the user's words, scrubbed of credentials: a
// network error's Message, else the error's text. Every caller that shows
// or stores a network failure goes through it.
func SafeMessage(err error) string {
	var ne *Error
	if errors.As(err, &ne) && ne.Message != "" {
		return logging.Redact(ne.Message)
	}
	return logging.Redact(err.Error())
}
