package connect

import (
	"context"
	"errors"
	"fmt"

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

// view explains err to the user: what happened and what to do.
func view(err error, networkName, instance string) *ErrorView {
	if err == nil {
		return nil
	}
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
			v.Code, v.Field = CodeInvalid, "instance"
		case network.ClassTransient:
			v.Code = CodeNetwork
			v.Message = fmt.Sprintf("Herald could not reach %s: %s.", hostOr(instance, networkName), v.Message)
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

func hostOr(instance, fallback string) string {
	if instance != "" {
		return instance
	}
	return fallback
}
