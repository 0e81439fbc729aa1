package network

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"herald/backend/logging"
)

// HTTPClass is the default class for an HTTP status; networks refine it
// with their own error bodies (Bluesky's ExpiredToken, Facebook's code 190).
func HTTPClass(status int) Class {
	switch {
	case status == http.StatusUnauthorized:
		return ClassAuthDead
	case status == http.StatusForbidden:
		return ClassScopeMissing
	case status == http.StatusTooManyRequests:
		return ClassRateLimited
	case status == http.StatusGone || status == http.StatusUpgradeRequired:
		return ClassAPIRetired
	case status >= 500, status == http.StatusRequestTimeout:
		return ClassTransient
	case status == http.StatusRequestEntityTooLarge || status == http.StatusUnsupportedMediaType:
		return ClassMediaRejected
	case status >= 400:
		return ClassContentRejected
	}
	return ClassTransient
}

// MaybeTaken reports whether an answer to a request that creates something
// may hide a request the server took. A gateway or CDN in front of the
// server gave up waiting for it (502, 504, Cloudflare's 520–524) or the
// server shed load while handling it (503): the request may have been
// processed all the same. Such a write's outcome is unknown, so the error is
// marked Sent and reconciled before any retry, never simply sent again.
func MaybeTaken(status int) bool {
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	// Cloudflare: 520 unknown error, 521 origin down, 522 connection timed
	// out, 523 origin unreachable, 524 a timeout after connecting.
	return status >= 520 && status <= 524
}

// RetryAfterHeader reads Retry-After (seconds or an HTTP date).
func RetryAfterHeader(h http.Header, now time.Time) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// ErrNotSent marks a transport failure that happened before the request
// left Herald (a request budget's wait was cancelled): whatever the cause,
// the network never saw it, so a write needs no reconciling.
var ErrNotSent = errors.New("the request was not sent")

// TransportError classifies a failure to get any HTTP response. A timeout
// or reset after the request was written may have reached the network, so
// Sent is set: the outcome of a write is unknown and must be reconciled.
// The message names neither the request URL nor the host as resolved
// (punycode); err keeps both for logs.
func TransportError(networkID, op string, err error) *Error {
	e := &Error{Network: networkID, Op: op, Class: ClassTransient, Err: err, Sent: true}
	var held *Error
	if errors.As(err, &held) && held.Class == ClassRateLimited {
		// Herald's own request budget held the request back: nothing was
		// sent, and the caller waits as for the network's 429.
		e.Class, e.ResetAt, e.Message, e.Sent = ClassRateLimited, held.ResetAt, held.Message, false
		return e
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var urlErr *url.Error
	switch {
	case errors.Is(err, context.Canceled):
		// Cancelled mid-request (Herald is shutting down): the request may
		// already be on the wire, so its outcome is unknown.
		e.Message = "cancelled"
	case errors.As(err, &dnsErr):
		e.Message, e.Sent = "no server with this name could be found", false
		if dnsErr.IsNotFound {
			e.Class, e.Field = ClassInvalidInput, FieldInstance
		}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.Message, e.Sent = "the server could not be reached", false
	case isTLS(err):
		e.Class, e.Field, e.Sent = ClassInvalidInput, FieldInstance, false
		e.Message = "the server's TLS certificate is not valid (" + tlsReason(err) + ")"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &urlErr) && urlErr.Timeout()):
		e.Message = "the server did not answer in time"
	default:
		cause := err
		if errors.As(err, &urlErr) && urlErr.Err != nil {
			cause = urlErr.Err // without the method and URL
		}
		e.Message = "the connection failed: " + logging.Redact(cause.Error())
	}
	if errors.Is(err, ErrNotSent) {
		e.Sent = false
	}
	return e
}

func isTLS(err error) bool {
	var recordErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	return errors.As(err, &certErr) || errors.As(err, &recordErr) ||
		strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "tls:")
}

// tlsReason says what is wrong with a certificate without repeating the
// names in it (which may be punycode, or another site's).
func tlsReason(err error) string {
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &hostErr):
		return "it was issued for another name"
	case errors.As(err, &authErr):
		return "it is signed by an authority this computer does not trust"
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return "it has expired or is not valid yet"
	case errors.As(err, &invalidErr):
		return "it cannot be used for this server"
	}
	return "the secure connection could not be set up"
}
