package blueskytest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"herald/backend/network/networktest"
)

// uploadBlob: https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob
func (s *Server) uploadBlob(w http.ResponseWriter, r *http.Request, _ caller) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Request encoding (Content-Type) required but not provided")
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, blobUploadLimit+1))
	if err != nil {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Could not read the upload")
		return
	}
	if len(data) > blobUploadLimit {
		WriteError(w, http.StatusRequestEntityTooLarge, "PayloadTooLarge", "request entity too large")
		return
	}
	cid := fakeCID("bafkrei", data)
	s.mu.Lock()
	s.repo.blobs[cid] = blob{mime: mt, data: data}
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"blob": blobRef(cid, mt, len(data))})
}

func blobRef(cid, mime string, size int) map[string]any {
	return map[string]any{"$type": "blob", "ref": map[string]string{"$link": cid}, "mimeType": mime, "size": size}
}

// createRecord: https://docs.bsky.app/docs/api/com-atproto-repo-create-record
func (s *Server) createRecord(w http.ResponseWriter, r *http.Request, c caller) {
	s.mu.Lock()
	fault := s.repo.fault
	s.repo.fault = networktest.PublishOK
	s.mu.Unlock()
	if s.writePublishFault(w, fault) {
		return
	}
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		RKey       string          `json:"rkey"`
		Validate   *bool           `json:"validate"`
		Record     json.RawMessage `json:"record"`
		SwapCommit string          `json:"swapCommit"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	switch {
	case in.Repo == "" || in.Collection == "" || len(in.Record) == 0:
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Input must have the properties repo, collection and record")
		return
	case in.Repo != c.did && strings.ToLower(in.Repo) != Handle:
		WriteError(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
		return
	case isSideCollection(in.Collection):
		if in.Repo != c.did {
			WriteError(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.writeSideLocked(w, in.Collection, in.RKey, in.Record, true)
		return
	case in.Collection != Collection:
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "The fake stores only "+Collection+" records, not "+in.Collection)
		return
	case in.RKey != "" && !validTID(in.RKey):
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid record key for "+Collection+": "+in.RKey+" (must be a TID)")
		return
	}
	var post postInput
	if err := json.Unmarshal(in.Record, &post); err != nil {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid "+Collection+" record: Record must be an object")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if xe := s.validatePost(post); xe != nil {
		WriteError(w, xe.status, xe.name, xe.message)
		return
	}
	rkey := in.RKey
	if rkey == "" {
		rkey = s.nextTID()
	}
	if _, taken := s.repo.byRKey[rkey]; taken {
		WriteError(w, s.repo.dupStatus, s.repo.dupName, s.repo.dupText)
		return
	}
	rec := s.commit(rkey, in.Record, post)
	if fault == networktest.PublishDropAfterCommit {
		// Committed, but the client never hears of it.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"uri": rec.URI, "cid": rec.CID,
		"commit":           map[string]string{"cid": fakeCID("bafyrei", []byte(rec.CID+"commit")), "rev": s.nextTID()},
		"validationStatus": "valid",
	})
}

// writePublishFault answers with an injected createRecord failure.
func (s *Server) writePublishFault(w http.ResponseWriter, f networktest.PublishFault) bool {
	switch f {
	case networktest.PublishRateLimited:
		// Writes are budgeted per account: 5,000 points an hour.
		// https://docs.bsky.app/docs/advanced-guides/rate-limits
		s.mu.Lock()
		reset := s.now().Unix() + 600
		s.mu.Unlock()
		h := w.Header()
		h.Set("RateLimit-Limit", "5000")
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.FormatInt(reset, 10))
		h.Set("RateLimit-Policy", "5000;w=3600")
		WriteError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
	case networktest.PublishServerError:
		w.Header().Set("Retry-After", "30")
		WriteError(w, http.StatusServiceUnavailable, "NotEnoughResources", "Service Unavailable")
	case networktest.PublishRejectContent:
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes")
	case networktest.PublishUnauthorized:
		WriteError(w, http.StatusUnauthorized, "InvalidToken", "Token has been revoked")
	default:
		return false
	}
	return true
}

// getRecord: https://docs.bsky.app/docs/api/com-atproto-repo-get-record
func (s *Server) getRecord(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	repo, collection, rkey := q.Get("repo"), q.Get("collection"), q.Get("rkey")
	if repo == "" || collection == "" || rkey == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the properties "repo", "collection" and "rkey"`)
		return
	}
	uri := "at://" + repo + "/" + collection + "/" + rkey
	s.mu.Lock()
	if isSideCollection(collection) {
		out, found := s.getSideRecordLocked("at://" + DID + "/" + collection + "/" + rkey)
		s.mu.Unlock()
		if !found || (repo != DID && strings.ToLower(repo) != Handle) {
			WriteError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+uri)
			return
		}
		WriteJSON(w, http.StatusOK, out)
		return
	}
	rec, ok := s.repo.byRKey[rkey]
	if ok && (collection != Collection || (repo != DID && strings.ToLower(repo) != Handle)) {
		ok = false
	}
	var out map[string]any
	if ok {
		out = map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value}
	}
	s.mu.Unlock()
	if !ok {
		WriteError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+uri)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// listRecords: https://docs.bsky.app/docs/api/com-atproto-repo-list-records
// Newest record key first; the cursor is the last rkey of the page.
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	repo, collection := q.Get("repo"), q.Get("collection")
	if repo == "" || collection == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the properties "repo" and "collection"`)
		return
	}
	if repo != DID && strings.ToLower(repo) != Handle {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+repo)
		return
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Error: limit must be an integer from 1 to 100")
			return
		}
		limit = n
	}
	cursor, reverse := q.Get("cursor"), q.Get("reverse") == "true"
	s.mu.Lock()
	var recs []*Record
	if collection == Collection {
		recs = slices.Clone(s.repo.records)
	}
	s.mu.Unlock()
	slices.SortFunc(recs, func(a, b *Record) int {
		if reverse {
			return strings.Compare(a.RKey, b.RKey)
		}
		return strings.Compare(b.RKey, a.RKey)
	})
	page := []map[string]any{}
	for _, rec := range recs {
		if cursor != "" && ((!reverse && rec.RKey >= cursor) || (reverse && rec.RKey <= cursor)) {
			continue
		}
		if len(page) == limit {
			break
		}
		page = append(page, map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value})
	}
	out := map[string]any{"records": page}
	if n := len(page); n > 0 {
		uri := page[n-1]["uri"].(string)
		out["cursor"] = uri[strings.LastIndexByte(uri, '/')+1:]
	}
	WriteJSON(w, http.StatusOK, out)
}
