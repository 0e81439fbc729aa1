// Package apperr turns backend errors into the {code, message, hint}
// shape the UI shows: what happened, and what to do about it.
package apperr

import (
	"context"
	"errors"
	"fmt"

	"herald/backend/logging"
	"herald/backend/secrets"
)

// Codes the UI can switch on.
const (
	CodeInvalid            = "invalid_input"
	CodeNotFound           = "not_found"
	CodeConflict           = "conflict"
	CodeKeyringUnavailable = "keyring_unavailable"
	CodeKeyringLocked      = "keyring_locked"
	CodeUnavailable        = "unavailable"
	CodeCancelled          = "cancelled"
	CodeInternal           = "internal"
)

// Error is an error with a code and a way forward for the user.
type Error struct {
	Code    string
	Message string
	Hint    string
	Field   string // the input field at fault, for forms
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Invalid reports bad input in a named field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing object.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

// Coded is implemented by errors of other packages that know their code,
// hint and field (connect.FlowError), so apperr needs no import of them.
type Coded interface {
	error
	ErrorCode() string
	ErrorHint() string
	ErrorField() string
}

// Payload is what a rejected binding call carries to the UI.
type Payload struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	Field   string `json:"field,omitempty"`
}

// Format is Wails' ErrorFormatter: every error leaves the backend as a
// Payload, with credentials scrubbed from its text.
func Format(err error) any {
	p := Payload{Code: CodeInternal, Message: err.Error()}
	var ae *Error
	var se *secrets.Error
	var ce Coded
	switch {
	case errors.As(err, &ae):
		p = Payload{Code: ae.Code, Message: ae.Error(), Hint: ae.Hint, Field: ae.Field}
	case errors.As(err, &ce):
		p = Payload{Code: ce.ErrorCode(), Message: ce.Error(), Hint: ce.ErrorHint(), Field: ce.ErrorField()}
	case errors.As(err, &se):
		p.Code = CodeKeyringUnavailable
		if errors.Is(se, secrets.ErrLocked) || errors.Is(se, secrets.ErrTimeout) {
			p.Code = CodeKeyringLocked
		}
		p.Message = fmt.Sprintf("Herald could not %s a credential: %v.", se.Op, se.Kind)
		p.Hint = se.Hint
	case errors.Is(err, context.Canceled):
		p.Code = CodeCancelled
	}
	p.Message = logging.Redact(p.Message)
	p.Hint = logging.Redact(p.Hint)
	return p
}
