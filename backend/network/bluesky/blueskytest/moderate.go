package blueskytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Records of other collections than posts — likes, blocks, threadgates —
// and the mutes the AppView keeps: what the account does to inbox items
// and their authors. createRecord, putRecord, deleteRecord and getRecord
// handle these collections here; getPosts and getProfile show them to
// the account as viewer state.

const (
	collectionLike       = "app.bsky.feed.like"
	collectionBlock      = "app.bsky.graph.block"
	collectionThreadgate = "app.bsky.feed.threadgate"
)

// sideRecord is one record of another collection in the account's repo.
type sideRecord struct {
	URI, CID string
	Value    map[string]any
}

// sideState is guarded by Server.mu.
type sideState struct {
	records map[string]*sideRecord // by uri
	muted   map[string]bool        // dids
}

func isSideCollection(c string) bool {
	return c == collectionLike || c == collectionBlock || c == collectionThreadgate
}

// Liked returns the uri of the account's like of post uri, if any.
func (s *Server) Liked(uri string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.viewerRecordLocked(collectionLike, func(v map[string]any) bool { return subjectURI(v) == uri })
}

// Blocking returns the uri of the account's block of did, if any.
func (s *Server) Blocking(did string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.viewerRecordLocked(collectionBlock, func(v map[string]any) bool { return v["subject"] == did })
}

// MutedActor reports whether the account muted did.
func (s *Server) MutedActor(did string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.side.muted[did]
}

// HiddenReplies returns the replies the account's threadgate on post
// root hides.
func (s *Server) HiddenReplies(root string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rkey := root[strings.LastIndex(root, "/")+1:]
	rec := s.side.records["at://"+DID+"/"+collectionThreadgate+"/"+rkey]
	if rec == nil {
		return nil
	}
	var out []string
	if hidden, ok := rec.Value["hiddenReplies"].([]any); ok {
		for _, h := range hidden {
			if u, ok := h.(string); ok {
				out = append(out, u)
			}
		}
	}
	return out
}

func subjectURI(v map[string]any) string {
	if sub, ok := v["subject"].(map[string]any); ok {
		u, _ := sub["uri"].(string)
		return u
	}
	return ""
}

// viewerRecordLocked finds a record of a collection matching match.
func (s *Server) viewerRecordLocked(collection string, match func(map[string]any) bool) string {
	for uri, rec := range s.side.records {
		if strings.Contains(uri, "/"+collection+"/") && match(rec.Value) {
			return uri
		}
	}
	return ""
}

// writeSide stores a record of another collection (createRecord and
// putRecord); create refuses a key that is taken. Callers hold s.mu.
func (s *Server) writeSideLocked(w http.ResponseWriter, collection, rkey string, raw json.RawMessage, create bool) {
	var v map[string]any
	if json.Unmarshal(raw, &v) != nil || v["$type"] != collection {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid "+collection+" record: Record/$type must be "+collection)
		return
	}
	switch collection {
	case collectionLike:
		sub, _ := v["subject"].(map[string]any)
		if sub == nil || sub["uri"] == nil || sub["cid"] == nil {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.like record: Record/subject must be a strong reference")
			return
		}
	case collectionBlock:
		if d, _ := v["subject"].(string); !strings.HasPrefix(d, "did:") {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.graph.block record: Record/subject must be a did")
			return
		}
	case collectionThreadgate:
		post, _ := v["post"].(string)
		if post == "" || post[strings.LastIndex(post, "/")+1:] != rkey {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.threadgate record: its key must be the post's")
			return
		}
	}
	if rkey == "" {
		rkey = s.nextTID()
	}
	uri := "at://" + DID + "/" + collection + "/" + rkey
	if s.side.records == nil {
		s.side.records = map[string]*sideRecord{}
	}
	if _, taken := s.side.records[uri]; taken && create {
		WriteError(w, s.repo.dupStatus, s.repo.dupName, s.repo.dupText)
		return
	}
	rec := &sideRecord{URI: uri, CID: "bafyside" + strings.ToLower(s.nextTID()), Value: v}
	s.side.records[uri] = rec
	WriteJSON(w, http.StatusOK, map[string]any{"uri": rec.URI, "cid": rec.CID})
}

// putRecord: https://docs.bsky.app/docs/api/com-atproto-repo-put-record
func (s *Server) putRecord(w http.ResponseWriter, r *http.Request, c caller) {
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		RKey       string          `json:"rkey"`
		Record     json.RawMessage `json:"record"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	if in.Repo != c.did || !isSideCollection(in.Collection) || in.RKey == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "The fake puts only like, block and threadgate records of the account")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writeSideLocked(w, in.Collection, in.RKey, in.Record, false)
}

// deleteRecord: https://docs.bsky.app/docs/api/com-atproto-repo-delete-record
// Deleting what is not there succeeds, as on a PDS.
func (s *Server) deleteRecord(w http.ResponseWriter, r *http.Request, c caller) {
	var in struct {
		Repo       string `json:"repo"`
		Collection string `json:"collection"`
		RKey       string `json:"rkey"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	if in.Repo != c.did || !isSideCollection(in.Collection) {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "The fake deletes only like, block and threadgate records of the account")
		return
	}
	s.mu.Lock()
	delete(s.side.records, "at://"+DID+"/"+in.Collection+"/"+in.RKey)
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{})
}

// muteActor / unmuteActor: https://docs.bsky.app/docs/api/app-bsky-graph-mute-actor
func (s *Server) muteActor(on bool) func(w http.ResponseWriter, r *http.Request, c caller) {
	return func(w http.ResponseWriter, r *http.Request, _ caller) {
		var in struct {
			Actor string `json:"actor"`
		}
		if !ReadJSON(w, r, &in) {
			return
		}
		if !slices.Contains([]string{OtherDID, OtherHandle}, in.Actor) {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Actor not found")
			return
		}
		s.mu.Lock()
		if s.side.muted == nil {
			s.side.muted = map[string]bool{}
		}
		if on {
			s.side.muted[OtherDID] = true
		} else {
			delete(s.side.muted, OtherDID)
		}
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}
}

// getSideRecordLocked answers getRecord for another collection.
func (s *Server) getSideRecordLocked(uri string) (map[string]any, bool) {
	rec, ok := s.side.records[uri]
	if !ok {
		return nil, false
	}
	return map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value}, true
}
