package oauth

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
)

// parseCallback decides what a redirect's query means. It is pure so the
// fuzz target can hammer it. The state is checked first and for every
// outcome: a callback we cannot tie to this sign-in tells us nothing, not
// even that the user declined.
func parseCallback(rawQuery, wantState string) (Result, error) {
	// ParseQuery drops malformed pairs and reports the first; a mangled
	// state is dropped with them and then fails the check below, so the
	// error itself adds nothing.
	q, _ := url.ParseQuery(rawQuery)

	// RFC 6749 §3.1: parameters must not repeat, so two states are not
	// ours even if one matches. An empty wanted state never matches
	// (ConstantTimeCompare says two empty strings are equal).
	states := q["state"]
	if wantState == "" || len(states) != 1 ||
		subtle.ConstantTimeCompare([]byte(states[0]), []byte(wantState)) != 1 {
		return Result{}, &flowError{kind: ErrStateMismatch,
			msg: "The browser came back with a sign-in answer that does not belong to this sign-in, so it was ignored. Start the connection again."}
	}

	if errs, ok := q["error"]; ok {
		d := &DeniedError{Code: cleanNetworkText(errs[0])}
		if desc := q["error_description"]; len(desc) > 0 {
			d.Description = cleanNetworkText(desc[0])
		}
		return Result{}, d
	}

	codes := q["code"]
	if len(codes) != 1 || codes[0] == "" {
		return Result{}, &flowError{kind: ErrMissingCode,
			msg: "The network sent the browser back without an authorization code. Start the connection again."}
	}

	// The code travels in Result.Code only, and the state is the caller's
	// own: Params keeps the rest (iss, scope, ...) for the exchange.
	params := url.Values{}
	for k, v := range q {
		if k != "code" && k != "state" {
			params[k] = v
		}
	}
	return Result{Code: codes[0], Params: params}, nil
}

// serveHTTP answers everything that reaches the listener. Only a GET to
// the callback path from a browser that addressed us by our loopback name
// decides the sign-in; anything else is answered and ignored.
func (l *Loopback) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")

	// A web page that rebinds its own host name to 127.0.0.1 reaches us
	// with its name in Host; the browser following our redirect URI never
	// does. Refusing those keeps random pages from ending the sign-in.
	if !l.hostAllowed(r.Host) {
		l.log.Debug("oauth loopback: request for another host ignored", "status", http.StatusMisdirectedRequest)
		http.Error(w, "misdirected request", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != l.path {
		// Favicons, probes and typos must not end the flow.
		l.log.Debug("oauth loopback: request for another path ignored", "status", http.StatusNotFound)
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		l.log.Debug("oauth loopback: non-GET callback ignored", "method", r.Method)
		h.Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	res, err := parseCallback(r.URL.RawQuery, l.state)
	if !l.decide(res, err, true) {
		// A callback that raced in on a connection opened before the
		// first one closed the listener; the first answer stands.
		l.log.Info("oauth loopback: callback after the sign-in finished ignored")
		l.writePage(w, http.StatusConflict, l.finishedPage())
		return
	}
	// stop waits for this so the browser gets its page before we close.
	defer close(l.answered)
	l.log.Info("oauth loopback: callback received", outcomeAttrs(err)...)
	h.Set("Connection", "close")
	status := http.StatusOK
	if err != nil {
		status = http.StatusBadRequest
	}
	l.writePage(w, status, l.outcomePage(err))
}

// hostAllowed accepts the Host header a browser sends for our redirect
// URI (and localhost, which some browsers substitute).
func (l *Loopback) hostAllowed(host string) bool {
	p := strconv.Itoa(l.port)
	return host == "127.0.0.1:"+p || host == "localhost:"+p
}

// outcomeAttrs describes an outcome for the log without the code or state.
func outcomeAttrs(err error) []any {
	var d *DeniedError
	switch {
	case err == nil:
		return []any{"outcome", "code_received"}
	case asDenied(err, &d):
		return []any{"outcome", "denied", "error_code", d.Code}
	default:
		return []any{"outcome", "rejected", "reason", kindName(err)}
	}
}
