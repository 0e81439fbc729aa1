package oauth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Error kinds, for errors.Is. The errors Listen, Wait and Open return carry
// a message written for the user (err.Error() is safe to show: it never
// holds the code, the state, the verifier or the authorization URL); these
// sentinels only name the kind.
var (
	// ErrPortInUse: a fixed Port is taken by another program.
	ErrPortInUse = errors.New("oauth: loopback port in use")
	// ErrStateMismatch: the callback's state is missing or not ours.
	ErrStateMismatch = errors.New("oauth: callback state mismatch")
	// ErrMissingCode: the callback had neither a code nor an error.
	ErrMissingCode = errors.New("oauth: callback without an authorization code")
	// ErrTimeout: no callback arrived within Options.Timeout.
	ErrTimeout = errors.New("oauth: no callback before the timeout")
	// ErrClosed: Close was called before a callback arrived.
	ErrClosed = errors.New("oauth: loopback closed")
	// ErrNoBrowser: no browser command could be started.
	ErrNoBrowser = errors.New("oauth: no browser could be opened")
)

// flowError is a user-facing message of a known kind, optionally wrapping
// the low-level cause for logs.
type flowError struct {
	kind error
	msg  string
	err  error
}

func (e *flowError) Error() string        { return e.msg }
func (e *flowError) Is(target error) bool { return target == e.kind }
func (e *flowError) Unwrap() error        { return e.err }

// DeniedError is a callback carrying error= instead of a code: the user
// declined, or the network refused the request. Code and Description are
// the network's words, cleaned of control characters and shortened.
type DeniedError struct {
	Code        string // e.g. "access_denied", "invalid_scope"
	Description string // error_description, may be empty
}

// AccessDenied is the OAuth error code for "the user said no".
const AccessDenied = "access_denied"

func (e *DeniedError) Error() string {
	switch {
	case e.Code == AccessDenied:
		return "You declined access, so nothing was connected."
	case e.Description != "":
		return "The network refused the sign-in: " + e.Description
	case e.Code != "":
		return fmt.Sprintf("The network refused the sign-in (%s).", e.Code)
	default:
		return "The network refused the sign-in."
	}
}

// maxNetworkText bounds text a network sends us that we echo in errors and
// pages; a hostile or broken server must not fill the UI.
const maxNetworkText = 300

// cleanNetworkText makes network-supplied text safe to show on one line:
// valid UTF-8, no control characters, collapsed spaces, bounded length.
func cleanNetworkText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxNetworkText {
		s = string(r[:maxNetworkText]) + "…"
	}
	return s
}

// humanDuration spells a timeout the way a person would say it
// ("5 minutes", "30 seconds"); odd values fall back to Go's notation.
func humanDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	case d >= time.Second && d%time.Second == 0:
		return plural(int64(d/time.Second), "second")
	default:
		return d.String()
	}
}

// asDenied is errors.As for *DeniedError, usable inside a switch.
func asDenied(err error, d **DeniedError) bool { return errors.As(err, d) }

// kindName names an error's kind for logs, where the message (written for
// the user) would be noise.
func kindName(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{
		{ErrStateMismatch, "state_mismatch"},
		{ErrMissingCode, "missing_code"},
		{ErrTimeout, "timeout"},
		{ErrClosed, "closed"},
		{context.Canceled, "cancelled"},
		{context.DeadlineExceeded, "deadline"},
	} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "other"
}
