package blueskytest

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"herald/backend/network/networktest"
)

// route is one XRPC method of the fake.
type route struct {
	method string    // GET for queries, POST for procedures
	auth   authLevel // which token the method needs
	signIn bool      // part of signing in: Inject does not fault it
	h      func(w http.ResponseWriter, r *http.Request, c caller)
}

// builtinRoutes is the fake's method table; tests add or replace methods
// with Handle.
func (s *Server) builtinRoutes() map[string]route {
	return map[string]route{
		"com.atproto.repo.uploadBlob":        {method: http.MethodPost, auth: authAccess, h: s.uploadBlob},
		"com.atproto.repo.createRecord":      {method: http.MethodPost, auth: authAccess, h: s.createRecord},
		"com.atproto.repo.getRecord":         {method: http.MethodGet, h: s.getRecord},
		"com.atproto.repo.listRecords":       {method: http.MethodGet, h: s.listRecords},
		"com.atproto.identity.resolveHandle": {method: http.MethodGet, signIn: true, h: s.resolveHandle},
		"com.atproto.server.createSession":   {method: http.MethodPost, signIn: true, h: s.createSession},
		"com.atproto.server.refreshSession":  {method: http.MethodPost, auth: authRefresh, h: s.refreshSession},
		"com.atproto.server.getSession":      {method: http.MethodGet, auth: authAccess, h: s.getSession},
		"com.atproto.server.deleteSession":   {method: http.MethodPost, auth: authRefresh, h: s.deleteSession},
		"app.bsky.actor.getProfile":          {method: http.MethodGet, auth: authAccess, h: s.getProfile},
		"app.bsky.actor.getProfiles":         {method: http.MethodGet, auth: authAccess, h: s.getProfiles},
		"app.bsky.actor.searchActors":        {method: http.MethodGet, auth: authAccess, h: s.searchActors},
		"app.bsky.feed.getAuthorFeed":        {method: http.MethodGet, auth: authAccess, h: s.getAuthorFeed},

		"app.bsky.actor.searchActorsTypeahead": {method: http.MethodGet, auth: authAccess, h: s.searchActorsTypeahead},

		"app.bsky.notification.listNotifications": {method: http.MethodGet, auth: authAccess, h: s.listNotifications},
		"app.bsky.feed.getPostThread":             {method: http.MethodGet, auth: authAccess, h: s.getPostThread},
		"app.bsky.feed.getPosts":                  {method: http.MethodGet, auth: authAccess, h: s.getPosts},
		"chat.bsky.convo.getLog":                  {method: http.MethodGet, auth: authAccess, h: s.getLog},
		"chat.bsky.convo.listConvos":              {method: http.MethodGet, auth: authAccess, h: s.listConvos},
		"com.atproto.repo.putRecord":              {method: http.MethodPost, auth: authAccess, h: s.putRecord},
		"com.atproto.repo.deleteRecord":           {method: http.MethodPost, auth: authAccess, h: s.deleteRecord},
		"app.bsky.graph.muteActor":                {method: http.MethodPost, auth: authAccess, h: s.muteActor(true)},
		"app.bsky.graph.unmuteActor":              {method: http.MethodPost, auth: authAccess, h: s.muteActor(false)},
		"chat.bsky.convo.getConvoForMembers":      {method: http.MethodGet, auth: authAccess, h: s.getConvoForMembers},
		"chat.bsky.convo.sendMessage":             {method: http.MethodPost, auth: authAccess, h: s.sendMessage},
		"chat.bsky.convo.getMessages":             {method: http.MethodGet, auth: authAccess, h: s.getMessages},
	}
}

// serveXRPC applies, in the order a PDS does, rate limits and faults, the
// HTTP method, then the token, and runs the method.
func (s *Server) serveXRPC(w http.ResponseWriter, r *http.Request, nsid string) {
	s.mu.Lock()
	s.calls[nsid]++
	rt, ok := s.routes[nsid]
	fault := s.nsidFaults[nsid]
	if fault == networktest.FaultNone && ok && !rt.signIn {
		fault = s.fault
	}
	if s.writeFault(w, fault) {
		s.mu.Unlock()
		return
	}
	if !ok {
		s.mu.Unlock()
		WriteError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
		return
	}
	if r.Method != rt.method {
		s.mu.Unlock()
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Incorrect HTTP method ("+r.Method+") expected "+rt.method)
		return
	}
	var c caller
	if rt.auth != authNone {
		var xe *xrpcErr
		if c, xe = s.authenticate(r, rt.auth); xe != nil {
			s.mu.Unlock()
			WriteError(w, xe.status, xe.name, xe.message)
			return
		}
	}
	s.mu.Unlock()
	rt.h(w, r, c)
}

// writeFault answers with an injected failure. Callers hold s.mu.
func (s *Server) writeFault(w http.ResponseWriter, f networktest.Fault) bool {
	switch f {
	case networktest.FaultRateLimited:
		// https://docs.bsky.app/docs/advanced-guides/rate-limits
		h := w.Header()
		h.Set("RateLimit-Limit", "3000")
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.FormatInt(s.now().Unix()+300, 10))
		h.Set("RateLimit-Policy", "3000;w=300")
		WriteError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return true
	case networktest.FaultServerError:
		w.Header().Set("Retry-After", "30")
		WriteError(w, http.StatusServiceUnavailable, "NotEnoughResources", "Service Unavailable")
		return true
	}
	return false
}

// WriteError writes an XRPC error body: {"error": name, "message": message}.
func WriteError(w http.ResponseWriter, status int, name, message string) {
	WriteJSON(w, status, map[string]string{"error": name, "message": message})
}

// WriteJSON writes v as a JSON answer.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ReadJSON decodes a procedure's JSON input, answering 400 as the XRPC
// server does when the encoding or the body is wrong.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Wrong request encoding (Content-Type): "+r.Header.Get("Content-Type"))
		return false
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Request body is not valid JSON")
		return false
	}
	return true
}

// resolveHandle: https://docs.bsky.app/docs/api/com-atproto-identity-resolve-handle
func (s *Server) resolveHandle(w http.ResponseWriter, r *http.Request, _ caller) {
	h := strings.ToLower(r.URL.Query().Get("handle"))
	s.mu.Lock()
	did, known := s.repo.handles[h]
	s.mu.Unlock()
	switch {
	case h == "":
		WriteError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the property "handle"`)
	case h == Handle:
		WriteJSON(w, http.StatusOK, map[string]string{"did": DID})
	case known:
		WriteJSON(w, http.StatusOK, map[string]string{"did": did})
	default:
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
	}
}

// createSession: https://docs.bsky.app/docs/api/com-atproto-server-create-session
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, _ caller) {
	var in struct {
		Identifier      string `json:"identifier"`
		Password        string `json:"password"`
		AuthFactorToken string `json:"authFactorToken"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	if in.Identifier == "" || in.Password == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Input must have the properties identifier and password")
		return
	}
	id := strings.ToLower(in.Identifier)
	known := id == Handle || id == DID || id == Email
	var scope string
	switch {
	case known && in.Password == AppPassword:
		scope = scopeAppPass
	case known && in.Password == MainPassword:
		scope = scopeAccess
	default:
		WriteError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status == "takendown" {
		WriteError(w, http.StatusUnauthorized, "AccountTakedown", "Account has been taken down")
		return
	}
	if scope == scopeAccess && s.authFactor && in.AuthFactorToken == "" {
		WriteError(w, http.StatusUnauthorized, "AuthFactorTokenRequired", "A sign in code has been sent to your email address")
		return
	}
	ss := &session{scope: scope}
	s.sessions[rand.Text()] = ss
	access, refresh := s.sessionTokens(ss)
	out := s.sessionBody(access, refresh)
	out["email"], out["emailConfirmed"], out["emailAuthFactor"] = Email, true, s.authFactor
	WriteJSON(w, http.StatusOK, out)
}

// refreshSession: https://docs.bsky.app/docs/api/com-atproto-server-refresh-session
func (s *Server) refreshSession(w http.ResponseWriter, _ *http.Request, c caller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh := s.sessionTokens(c.session) // rotation: the presented token is now spent
	WriteJSON(w, http.StatusOK, s.sessionBody(access, refresh))
}

// getSession: https://docs.bsky.app/docs/api/com-atproto-server-get-session
func (s *Server) getSession(w http.ResponseWriter, _ *http.Request, _ caller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{"handle": Handle, "did": DID, "email": Email, "emailConfirmed": true, "active": s.status == ""}
	if s.status != "" {
		out["status"] = s.status
	}
	WriteJSON(w, http.StatusOK, out)
}

// deleteSession: https://docs.bsky.app/docs/api/com-atproto-server-delete-session
// The reference PDS only deletes the refresh token and lets the access
// token run out; the fake ends both, so a test sees the revoke at once.
func (s *Server) deleteSession(w http.ResponseWriter, _ *http.Request, c caller) {
	s.mu.Lock()
	c.session.revoked = true
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// getProfile: https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request, _ caller) {
	actor := strings.ToLower(r.URL.Query().Get("actor"))
	if actor == strings.ToLower(OtherDID) || actor == OtherHandle {
		s.mu.Lock()
		viewer := map[string]any{"muted": s.side.muted[OtherDID]}
		if b := s.viewerRecordLocked(collectionBlock, func(v map[string]any) bool { return v["subject"] == OtherDID }); b != "" {
			viewer["blocking"] = b
		}
		s.mu.Unlock()
		p := profileJSON(OtherDID)
		p["viewer"] = viewer
		WriteJSON(w, http.StatusOK, p)
		return
	}
	if actor != DID && actor != Handle {
		s.mu.Lock()
		a, found := s.actorLocked(actor)
		st := s.public.states[a.DID]
		s.mu.Unlock()
		if !found {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
			return
		}
		if status, name, msg, refused := actorRefusal(st, false); refused {
			WriteError(w, status, name, msg)
			return
		}
		p := a.profileView("detailed")
		p["viewer"] = viewerState(st, a.DID)
		WriteJSON(w, http.StatusOK, p)
		return
	}
	// The counts follow Follow and the posts in the repo (metrics.go).
	s.mu.Lock()
	self, _ := s.actorLocked(DID)
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, self.profileView("detailed"))
}

// servePLC answers GET {plc}/{did} with the DID document.
// https://web.plc.directory/api/redoc#operation/ResolveDid
func (s *Server) servePLC(w http.ResponseWriter, r *http.Request, did string) {
	s.mu.Lock()
	s.calls[PLC]++
	faulted := s.writeFault(w, s.nsidFaults[PLC])
	s.mu.Unlock()
	switch {
	case faulted:
	case r.Method != http.MethodGet:
		w.WriteHeader(http.StatusMethodNotAllowed)
	case did != DID:
		WriteJSON(w, http.StatusNotFound, map[string]string{"message": "DID not registered: " + did})
	default:
		WriteJSON(w, http.StatusOK, s.didDoc())
	}
}

// didDoc is the account's DID document, naming this server as its PDS.
func (s *Server) didDoc() map[string]any {
	return map[string]any{
		"@context":    []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1", "https://w3id.org/security/suites/secp256k1-2019/v1"},
		"id":          DID,
		"alsoKnownAs": []string{"at://" + Handle},
		"verificationMethod": []map[string]string{{
			"id": DID + "#atproto", "type": "Multikey", "controller": DID,
			"publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF",
		}},
		"service": []map[string]string{{
			"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": s.srv.URL,
		}},
	}
}

// sessionBody is the shared output of createSession and refreshSession.
// Callers hold s.mu.
func (s *Server) sessionBody(access, refresh string) map[string]any {
	out := map[string]any{
		"accessJwt": access, "refreshJwt": refresh, "handle": Handle, "did": DID,
		"didDoc": s.didDoc(), "active": s.status == "",
	}
	if s.status != "" {
		out["status"] = s.status
	}
	return out
}
