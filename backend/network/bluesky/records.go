package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"herald/backend/network"
)

// collectionPost is the NSID of a post record.
const collectionPost = "app.bsky.feed.post"

// strongRef is com.atproto.repo.strongRef: a record and the exact version
// of it, as a reply's root and parent must be given.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// replyRef is app.bsky.feed.post#replyRef.
type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

// postRecord is the app.bsky.feed.post record Herald writes.
type postRecord struct {
	Type      string       `json:"$type"`
	Text      string       `json:"text"`
	CreatedAt string       `json:"createdAt"`
	Langs     []string     `json:"langs,omitempty"`
	Facets    []facet      `json:"facets,omitempty"`
	Reply     *replyRef    `json:"reply,omitempty"`
	Embed     *imagesEmbed `json:"embed,omitempty"`
}

// storedPost is a post record as read back, written by Herald or anyone.
type storedPost struct {
	Text      string          `json:"text"`
	CreatedAt string          `json:"createdAt"`
	Reply     *replyRef       `json:"reply"`
	Embed     json.RawMessage `json:"embed"`
}

// recordView is one record of getRecord and listRecords.
type recordView struct {
	URI   string     `json:"uri"`
	CID   string     `json:"cid"`
	Value storedPost `json:"value"`
}

// atURI is at://<repo>/<collection>/<rkey> (https://atproto.com/specs/at-uri-scheme).
type atURI struct {
	repo, collection, rkey string
}

func (u atURI) String() string { return "at://" + u.repo + "/" + u.collection + "/" + u.rkey }

// parseAtURI reads a record's at-uri.
func parseAtURI(s string) (atURI, bool) {
	rest, ok := strings.CutPrefix(s, "at://")
	if !ok {
		return atURI{}, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return atURI{}, false
	}
	return atURI{repo: parts[0], collection: parts[1], rkey: parts[2]}, true
}

// postURL is the post's page on bsky.app.
func postURL(handle, repo, rkey string) string {
	return profileURL(handle, repo) + "/post/" + rkey
}

// repoSession is who a publish or read acts as and where.
type repoSession struct {
	host   string // the PDS
	did    string
	handle string
	token  string
}

// repoSession checks cred and finds the account and its PDS.
func (cl *Client) repoSession(op, instance string, cred network.Credential) (repoSession, error) {
	if err := usable(op, cred); err != nil {
		return repoSession{}, err
	}
	host, err := cl.apiHost(op, instance, cred)
	if err != nil {
		return repoSession{}, err
	}
	did := cred.Extra[ExtraDID]
	if did == "" {
		c, _ := parseJWT(cred.AccessToken)
		did = c.Sub
	}
	if !validDID(did) {
		return repoSession{}, &network.Error{Network: ID, Op: op, Class: network.ClassAuthDead,
			Message: "the stored Bluesky session names no account; reconnect the account"}
	}
	return repoSession{host: host, did: did, handle: cred.Extra[ExtraHandle], token: cred.AccessToken}, nil
}

// url is the bsky.app page of a post in this session's repo.
func (s repoSession) url(u atURI) string {
	handle := ""
	if u.repo == s.did {
		handle = s.handle
	}
	return postURL(handle, u.repo, u.rkey)
}

// createRecord writes a record under rkey.
// https://docs.bsky.app/docs/api/com-atproto-repo-create-record
//
// validate is left out (the PDS then validates records of lexicons it
// knows, as app.bsky.feed.post) and so is swapCommit: it guards against a
// concurrent change of the whole repo, which is not the danger here; the
// fixed rkey is what makes a repeated write harmless.
func (cl *Client) createRecord(ctx context.Context, op string, s repoSession, rkey string, rec postRecord) (strongRef, error) {
	in := struct {
		Repo       string     `json:"repo"`
		Collection string     `json:"collection"`
		RKey       string     `json:"rkey"`
		Record     postRecord `json:"record"`
	}{s.did, collectionPost, rkey, rec}
	var out strongRef
	err := cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "com.atproto.repo.createRecord",
		body: in, token: s.token, use: accessToken, subject: "the post"}, &out)
	if ne, ok := asError(err); ok && network.MaybeTaken(ne.Status) {
		// A gateway gave up or the PDS shed load while the write may still
		// commit: even a getRecord that finds nothing now does not settle it.
		ne.Sent = true
	}
	if err != nil {
		return strongRef{}, err
	}
	if _, ok := parseAtURI(out.URI); !ok || out.CID == "" {
		return strongRef{}, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Sent: true,
			Message: "Bluesky accepted the post but its answer named no record"}
	}
	return out, nil
}

// getPost reads one post record. A missing record is content_rejected with
// Code "not_found".
// https://docs.bsky.app/docs/api/com-atproto-repo-get-record
func (cl *Client) getPost(ctx context.Context, op string, s repoSession, u atURI) (recordView, error) {
	var out recordView
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "com.atproto.repo.getRecord",
		query: url.Values{"repo": {u.repo}, "collection": {u.collection}, "rkey": {u.rkey}},
		token: s.token, use: accessToken}, &out)
	if ne, ok := asError(err); ok && ne.Class == network.ClassContentRejected &&
		(ne.Status == http.StatusBadRequest || ne.Status == http.StatusNotFound) {
		// RecordNotFound ("Could not locate record"), or InvalidRequest
		// for a repo that is not there any more.
		ne.Code, ne.Message = "not_found", "the post "+u.String()+" does not exist on Bluesky (it may have been deleted)"
		return recordView{}, ne
	}
	if err != nil {
		return recordView{}, err
	}
	if out.URI == "" {
		out.URI = u.String()
	}
	return out, nil
}

// isNotFound reports whether err is getPost's missing record.
func isNotFound(err error) bool {
	ne, ok := asError(err)
	return ok && ne.Code == "not_found"
}

// listPosts reads one page of the repo's posts, newest record key first.
// https://docs.bsky.app/docs/api/com-atproto-repo-list-records
func (cl *Client) listPosts(ctx context.Context, op string, s repoSession, limit int, cursor string) ([]recordView, string, error) {
	q := url.Values{"repo": {s.did}, "collection": {collectionPost}, "limit": {strconv.Itoa(limit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var out struct {
		Records []recordView `json:"records"`
		Cursor  string       `json:"cursor"`
	}
	err := cl.do(ctx, call{op: op, method: http.MethodGet, host: s.host, nsid: "com.atproto.repo.listRecords",
		query: q, token: s.token, use: accessToken}, &out)
	return out.Records, out.Cursor, err
}

// recordTime formats a record's createdAt: RFC 3339 in UTC with
// milliseconds, as the Bluesky app writes it.
func recordTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// parseRecordTime reads a createdAt; atproto datetimes are RFC 3339.
func parseRecordTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
