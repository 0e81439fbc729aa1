// Package oauth runs the browser half of an OAuth sign-in for a desktop
// app, as RFC 8252 describes for native apps: a one-shot HTTP listener on
// the loopback interface receives the authorization redirect, protected by
// a random state and a PKCE (S256) verifier, and a system browser opener
// starts the user on their way.
//
// A connect flow looks like:
//
//	l, err := oauth.Listen(ctx, oauth.Options{})
//	if err != nil { ... }
//	defer l.Close()
//	req, err := connector.BeginAuth(ctx, instance, l.RedirectURI(), l.State(), l.Challenge())
//	if err := opener.Open(ctx, req.AuthURL); err != nil { show the link instead }
//	res, err := l.Wait(ctx)
//	cred, err := connector.Exchange(ctx, instance, req, res.Code, l.Verifier(), l.RedirectURI())
//
// Network packages build the authorization URL; this package never learns
// which network it is talking to.
package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Defaults for Options.
const (
	DefaultPath    = "/callback"
	DefaultTimeout = 5 * time.Minute
	DefaultAppName = "Herald"
)

// Bounds on what the listener tolerates; it serves one browser, once.
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 10 * time.Second
	idleTimeout       = 30 * time.Second
	maxHeaderBytes    = 32 << 10
	// answerGrace bounds how long teardown waits for the deciding
	// callback's page to reach the browser.
	answerGrace = 5 * time.Second
)

// Options configure Listen. The zero value is a sensible default.
type Options struct {
	// Port to bind on 127.0.0.1. 0 picks a free port, which is what RFC
	// 8252 recommends; use a fixed port only where a network accepts just
	// pre-registered redirect URIs (X, Pinterest).
	Port int
	// Path of the redirect URI; DefaultPath when empty. Must start with
	// "/" and match what the network redirects to exactly (X compares
	// trailing slashes too).
	Path string
	// Timeout after which the sign-in gives up, counted from Listen;
	// DefaultTimeout when 0.
	Timeout time.Duration
	// Log receives what happened, never the code, state or verifier; nil
	// discards.
	Log *slog.Logger
	// AppName is named on the pages the browser shows; DefaultAppName when
	// empty.
	AppName string
}

// Result is a successful callback.
type Result struct {
	// Code is the authorization code to exchange, with Verifier, for tokens.
	Code string
	// Params holds the callback's other query parameters (e.g. iss for RFC
	// 9207 issuer checks, scope), without code and state.
	Params url.Values
}

// Loopback is one sign-in's listener, state and PKCE verifier. It answers
// exactly one callback; after that, a timeout, a cancelled Wait or Close,
// the listener is closed. Its methods are safe for concurrent use.
type Loopback struct {
	ln       *onceCloseListener
	srv      *http.Server
	port     int
	path     string
	redirect string
	timeout  time.Duration
	appName  string
	log      *slog.Logger
	tmpl     *template.Template
	csp      string

	state     string
	verifier  string
	challenge string

	timer     *time.Timer
	serveDone chan struct{} // closed when the serving goroutine returns

	decideOnce sync.Once
	done       chan struct{} // closed once the outcome is decided
	answered   chan struct{} // closed once the deciding callback's page is written (or no callback decided)
	res        Result
	err        error

	stopOnce sync.Once
	closeErr error
}

// Listen binds 127.0.0.1 (never all interfaces: the code must not be
// reachable from the network) and starts serving. Bind before building
// the authorization URL, so RedirectURI carries the real port. ctx covers
// the bind only; the listener then lives until the first callback,
// Options.Timeout, a Wait whose ctx ends, or Close. Always Close it.
func Listen(ctx context.Context, o Options) (*Loopback, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("oauth: parsing page template: %w", err)
	}
	state, err := randomState()
	if err != nil {
		return nil, err
	}

	var lc net.ListenConfig
	raw, err := lc.Listen(ctx, "tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)))
	if err != nil {
		if o.Port != 0 && isAddrInUse(err) {
			return nil, &flowError{kind: ErrPortInUse, err: err, msg: fmt.Sprintf(
				"Port %d on 127.0.0.1, which this sign-in must use, is already in use by another program. Close that program and try again.", o.Port)}
		}
		return nil, fmt.Errorf("oauth: listening on 127.0.0.1 port %d: %w", o.Port, err)
	}
	port := raw.Addr().(*net.TCPAddr).Port

	verifier := oauth2.GenerateVerifier()
	l := &Loopback{
		ln:        &onceCloseListener{Listener: raw},
		port:      port,
		path:      o.Path,
		redirect:  "http://127.0.0.1:" + strconv.Itoa(port) + o.Path,
		timeout:   o.Timeout,
		appName:   o.AppName,
		log:       o.Log,
		tmpl:      tmpl,
		csp:       contentSecurityPolicy(),
		state:     state,
		verifier:  verifier,
		challenge: oauth2.S256ChallengeFromVerifier(verifier),
		serveDone: make(chan struct{}),
		done:      make(chan struct{}),
		answered:  make(chan struct{}),
	}
	l.srv = &http.Server{
		Handler:           http.HandlerFunc(l.serveHTTP),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(o.Log.Handler(), slog.LevelDebug),
	}
	// The timer decides even if nobody is in Wait, so a forgotten
	// listener still stops accepting after Timeout.
	l.timer = time.AfterFunc(o.Timeout, l.expire)
	go l.serve()

	l.log.Info("oauth loopback: listening", "port", port, "path", o.Path, "timeout", o.Timeout.String())
	return l, nil
}

func (o Options) withDefaults() (Options, error) {
	if o.Port < 0 || o.Port > 65535 {
		return o, fmt.Errorf("oauth: port %d is out of range", o.Port)
	}
	if o.Path == "" {
		o.Path = DefaultPath
	}
	if !strings.HasPrefix(o.Path, "/") || strings.ContainsAny(o.Path, "?#% \t\r\n") {
		return o, fmt.Errorf("oauth: callback path %q must start with / and need no escaping", o.Path)
	}
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("oauth: timeout %s is negative", o.Timeout)
	case o.Timeout == 0:
		o.Timeout = DefaultTimeout
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.AppName == "" {
		o.AppName = DefaultAppName
	}
	return o, nil
}

// randomState is 32 bytes from crypto/rand, base64url without padding:
// unguessable, and safe in a query string without escaping.
func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oauth: generating state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RedirectURI is http://127.0.0.1:PORT/PATH with the port actually bound.
func (l *Loopback) RedirectURI() string { return l.redirect }

// State is the random state to put in the authorization URL. Never log it.
func (l *Loopback) State() string { return l.state }

// Verifier is the PKCE code verifier for the token exchange. Never log it.
func (l *Loopback) Verifier() string { return l.verifier }

// Challenge is the S256 PKCE challenge of Verifier for the authorization
// URL (code_challenge_method=S256).
func (l *Loopback) Challenge() string { return l.challenge }

// Wait blocks until the sign-in has an outcome and the listener is closed.
// It returns the Result of a valid callback, or an error: ErrStateMismatch,
// *DeniedError, ErrMissingCode, ErrTimeout, ErrClosed, or ctx's error
// (context.Canceled when the user cancels). Calling it again returns the
// same outcome.
func (l *Loopback) Wait(ctx context.Context) (Result, error) {
	select {
	case <-l.done:
	case <-ctx.Done():
		l.decide(Result{}, fmt.Errorf("oauth: waiting for the sign-in: %w", ctx.Err()), false)
	}
	// A failure to close the listener was logged when it happened and
	// does not change the sign-in's outcome.
	_ = l.stop()
	// Whichever outcome won the race to decide is the one to report.
	return l.res, l.err
}

// Close ends the sign-in if it is still waiting (Wait then returns
// ErrClosed), closes the listener and stops every goroutine. It is
// idempotent; later calls return nil.
func (l *Loopback) Close() error {
	l.decide(Result{}, &flowError{kind: ErrClosed, msg: "The sign-in was stopped before the browser came back."}, false)
	return l.stop()
}

// decide records the outcome if none was recorded yet and reports whether
// this call did. It closes the listener at once, so a second callback
// finds nothing listening. fromCallback means the caller will write the
// browser's page and close answered when done.
func (l *Loopback) decide(res Result, err error, fromCallback bool) bool {
	decided := false
	l.decideOnce.Do(func() {
		decided = true
		l.res, l.err = res, err
		if cerr := l.ln.Close(); cerr != nil {
			l.log.Debug("oauth loopback: closing listener", "err", cerr)
		}
		if !fromCallback {
			close(l.answered)
			l.log.Info("oauth loopback: finished without a callback", outcomeAttrs(err)...)
		}
		close(l.done)
	})
	return decided
}

func (l *Loopback) expire() {
	l.decide(Result{}, &flowError{kind: ErrTimeout, msg: fmt.Sprintf(
		"No sign-in arrived within %s, so %s stopped waiting. Start the connection again when you are ready.",
		humanDuration(l.timeout), l.appName)}, false)
}

// serve runs until the listener closes. Serve only returns early on a
// broken listener; that ends the sign-in rather than leaving Wait hanging.
func (l *Loopback) serve() {
	defer close(l.serveDone)
	err := l.srv.Serve(l.ln)
	l.decide(Result{}, fmt.Errorf("oauth: the sign-in listener stopped: %w", err), false)
}

// stop tears everything down once: the timer, the listener, the deciding
// page (given answerGrace to reach the browser), every connection, and
// the serving goroutine. Handlers still running on other connections only
// write to sockets that are now closed, so they end at once.
func (l *Loopback) stop() error {
	l.stopOnce.Do(func() {
		l.timer.Stop()
		l.closeErr = l.ln.Close()
		grace := time.NewTimer(answerGrace)
		select {
		case <-l.answered:
		case <-grace.C:
			l.log.Warn("oauth loopback: the browser did not take its page in time")
		}
		grace.Stop()
		if err := l.srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			l.log.Debug("oauth loopback: closing server", "err", err)
		}
		<-l.serveDone
	})
	return l.closeErr
}

// onceCloseListener lets decide, stop and http.Server all close the
// listener; only the first close acts and its error is kept.
type onceCloseListener struct {
	net.Listener
	once sync.Once
	err  error
}

func (o *onceCloseListener) Close() error {
	o.once.Do(func() { o.err = o.Listener.Close() })
	return o.err
}
