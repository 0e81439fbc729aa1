package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"herald/backend/logging"
	"herald/backend/network"
	"herald/backend/oauth"
	"herald/backend/secrets"
)

// Codes of FlowError, shared with apperr.
const (
	CodeInvalid  = "invalid_input"
	CodeNotFound = "not_found"
	CodeConflict = "conflict"
	CodeNetwork  = "network_error"
	CodeKeyring  = "keyring_unavailable"
	CodeExpired  = "expired"
	CodeInternal = "internal"
)

// FlowError is a connect failure the user can act on.
type FlowError struct {
	Code    string
	Message string
	Hint    string
	Field   string
	Err     error
}

func (e *FlowError) Error() string      { return e.Message }
func (e *FlowError) Unwrap() error      { return e.Err }
func (e *FlowError) ErrorCode() string  { return e.Code }
func (e *FlowError) ErrorHint() string  { return e.Hint }
func (e *FlowError) ErrorField() string { return e.Field }

var errSessionGone = &FlowError{Code: CodeExpired, Message: "This sign-in has expired or was already finished.",
	Hint: "Start again with Add channels."}

// ErrorView is an error as the connect dialog shows it.
type ErrorView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
	Field   string `json:"field"`
}

// viewContext is what view quotes: the network and what the person typed.
type viewContext struct {
	network network.Descriptor
	// instance is the server as typed (or stored, when refreshing a
	// channel); empty when the network's default was used.
	instance string
}

// view explains err to the user: what happened and what to do. It quotes
// only what the person typed: never the address as Herald normalized it
// (lower-cased, punycode), a request URL or an account's DID.
func view(err error, c viewContext) *ErrorView {
	if err == nil {
		return nil
	}
	networkName := c.network.Name
	var fe *FlowError
	var ne *network.Error
	var de *oauth.DeniedError
	var se *secrets.Error
	v := &ErrorView{Code: CodeInternal, Message: logging.Redact(err.Error())}
	switch {
	case errors.As(err, &fe):
		v = &ErrorView{Code: fe.Code, Message: fe.Message, Hint: fe.Hint, Field: fe.Field}
	case errors.As(err, &de):
		v.Code, v.Message = CodeCancelled, de.Error()
		v.Hint = "Start again and choose Allow when " + networkName + " asks."
	case errors.Is(err, oauth.ErrTimeout):
		v.Code, v.Message = CodeExpired, "No sign-in arrived within 5 minutes, so nothing was connected."
		v.Hint = "If you closed the browser tab, start again. If the browser did not open, copy the sign-in link shown in Herald."
	case errors.Is(err, oauth.ErrStateMismatch):
		v.Code, v.Message = CodeInvalid, "The browser returned from a different sign-in attempt, so Herald ignored it."
		v.Hint = "Close old sign-in tabs and start again."
	case errors.Is(err, oauth.ErrMissingCode):
		v.Code, v.Message = CodeInvalid, networkName+" returned without an authorization, so nothing was connected."
		v.Hint = "Start again."
	case errors.Is(err, oauth.ErrPortInUse):
		v.Code, v.Hint = CodeInvalid, "Another program uses the port Herald needs for the sign-in; close it and try again."
	case errors.As(err, &se):
		v.Code, v.Message, v.Hint = CodeKeyring, fmt.Sprintf("Herald could not %s the sign-in in your system keyring: %v. Nothing was connected.", se.Op, se.Kind), se.Hint
	case errors.As(err, &ne):
		v.Message = logging.Redact(ne.Message)
		switch ne.Class {
		case network.ClassInvalidInput:
			v.Code, v.Field = CodeInvalid, ne.Field
			if ne.Field == network.FieldInstance {
				v.Message = fmt.Sprintf("Herald could not sign in at %s: %s.", where(c), strings.TrimSuffix(v.Message, "."))
				v.Hint = instanceHint(c.network)
			} else {
				v.Message = sentence(v.Message)
			}
		case network.ClassTransient:
			v.Code = CodeNetwork
			v.Message = fmt.Sprintf("Herald could not reach %s: %s.", where(c), strings.TrimSuffix(v.Message, "."))
			v.Hint = "Check your internet connection and the server address, then try again."
		case network.ClassRateLimited:
			v.Code, v.Hint = CodeNetwork, networkName+" is limiting requests; wait a few minutes and try again."
		case network.ClassAuthDead:
			v.Code, v.Hint = CodeInvalid, "Check what you typed and try again."
		case network.ClassScopeMissing:
			v.Code, v.Hint = CodeInvalid, "Sign in again and grant every permission Herald asks for."
		default:
			v.Code = CodeNetwork
		}
	case errors.Is(err, context.DeadlineExceeded):
		v.Code, v.Message, v.Hint = CodeNetwork, "The network took too long to answer.", "Try again in a moment."
	}
	return v
}

// CodeCancelled means the user or the network ended the sign-in.
const CodeCancelled = "cancelled"

// where names the server as the person typed it, or the network when
// they left it to the default.
func where(c viewContext) string {
	if s := strings.TrimSpace(c.instance); s != "" {
		return "“" + s + "”"
	}
	return c.network.Name
}

// instanceHint says what to type instead: "Check the spelling, or use the
// server's address, like mastodon.social."
func instanceHint(d network.Descriptor) string {
	if d.InstanceFormat == "" {
		return "Check the spelling of the address."
	}
	return "Check the spelling, or use " + lower(strings.TrimSuffix(d.InstanceFormat, ".")) + "."
}

// sentence capitalizes a network's message and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}
