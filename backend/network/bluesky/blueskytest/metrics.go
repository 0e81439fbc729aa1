package blueskytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/network/networktest"
)

// The measuring side of the fake: the counts the AppView shows on posts
// (getPosts, getAuthorFeed) and profiles (getProfile, getProfiles), the
// account's author feed with its reposts and pinned post, and a directory
// of accounts that searchActors and searchActorsTypeahead find.

// Actor is an account of the fake's directory, found by the account
// searches.
type Actor struct {
	DID, Handle, DisplayName, Description, Avatar string
	Followers, Follows, Posts                     int
}

// repost is the account's repost of another account's post.
type repost struct {
	uri     string // of the repost record
	subject string // the post reposted
	at      time.Time
}

// metricsState is guarded by Server.mu.
type metricsState struct {
	likes     map[string]int // by post uri: other accounts' likes
	reposts   map[string]int // other accounts' reposts
	bookmarks map[string]int
	followers int // follows beyond the profile's base count
	own       []repost
	pinned    string
	actors    []Actor // the search directory, besides the two accounts
}

func newMetricsState() metricsState {
	return metricsState{likes: map[string]int{}, reposts: map[string]int{}, bookmarks: map[string]int{}}
}

// Base counts of the account's profile, before Follow.
const (
	baseFollowers = 12
	baseFollows   = 3
)

// OwnPostAt writes a post of the account dated at, both its createdAt and
// the time the fake indexed it (networktest.MetricsFake). With reply it
// answers a post the other account makes first.
func (s *Server) OwnPostAt(t testing.TB, text string, at time.Time, reply bool) string {
	t.Helper()
	var parent Post
	if reply {
		parent = s.PostAsOther("Something to answer", "", "")
	}
	at = at.UTC().Truncate(time.Millisecond)
	rec := map[string]any{"$type": Collection, "text": text, "createdAt": at.Format("2006-01-02T15:04:05.000Z"), "langs": []string{"en"}}
	if reply {
		ref := map[string]string{"uri": parent.URI, "cid": parent.CID}
		rec["reply"] = map[string]any{"root": ref, "parent": ref}
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var in postInput
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.commit(s.nextTID(), raw, in)
	p := &Post{URI: r.URI, CID: r.CID, AuthorDID: DID, Text: text, CreatedAt: at, IndexedAt: at, FromRepo: true}
	if reply {
		p.Parent, p.ParentCID, p.Root, p.RootCID = parent.URI, parent.CID, parent.URI, parent.CID
	}
	s.inbox.posts[r.URI] = p
	return r.URI
}

// RepostOther makes the other account post text and the account repost
// it now (networktest.MetricsFake).
func (s *Server) RepostOther(t testing.TB, text string) {
	t.Helper()
	p := s.PostAsOther(text, "", "")
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.indexTime()
	s.metrics.own = append(s.metrics.own, repost{uri: "at://" + DID + "/app.bsky.feed.repost/" + s.nextTID(), subject: p.URI, at: at})
}

// Engage makes other accounts like, repost, answer and quote the post
// (networktest.MetricsFake); the AppView's counts follow.
func (s *Server) Engage(t testing.TB, uri string, e networktest.Engagement) {
	t.Helper()
	s.mu.Lock()
	_, ok := s.inbox.posts[uri]
	if ok {
		s.metrics.likes[uri] += e.Likes
		s.metrics.reposts[uri] += e.Shares
	}
	s.mu.Unlock()
	if !ok {
		t.Fatalf("blueskytest: no post %s to engage with", uri)
	}
	for i := range e.Replies {
		s.PostAsOther(fmt.Sprintf("Answer %d", i+1), uri, "")
	}
	for i := range e.Quotes {
		s.PostAsOther(fmt.Sprintf("Quoting this %d", i+1), "", uri)
	}
}

// Unlike takes one of the other accounts' likes of the post back.
func (s *Server) Unlike(t testing.TB, uri string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metrics.likes[uri] == 0 {
		t.Fatalf("blueskytest: no like of %s to take back", uri)
	}
	s.metrics.likes[uri]--
}

// Follow makes n more accounts follow the account.
func (s *Server) Follow(t testing.TB, n int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.followers += n
}

// Bookmark makes n accounts bookmark the post.
func (s *Server) Bookmark(uri string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.bookmarks[uri] += n
}

// Pin makes the post the account's pinned post ("" unpins): getAuthorFeed
// with includePins lists it first once more.
func (s *Server) Pin(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.pinned = uri
}

// AddActor adds an account to the directory the searches find.
func (s *Server) AddActor(a Actor) {
	s.AddHandle(a.Handle, a.DID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics.actors = append(s.metrics.actors, a)
}

// directoryLocked is every account the fake knows, the account first.
// Callers hold s.mu.
func (s *Server) directoryLocked() []Actor {
	out := []Actor{
		{DID: DID, Handle: Handle, DisplayName: DisplayName, Description: "The account Herald's tests post as.",
			Avatar:    "https://cdn.bsky.app/img/avatar/plain/" + DID + "/bafkreiherald@jpeg",
			Followers: baseFollowers + s.metrics.followers, Follows: baseFollows, Posts: len(s.repo.records)},
		{DID: OtherDID, Handle: OtherHandle, DisplayName: "Someone Else", Description: "Mentions, replies and messages.",
			Avatar:    "https://cdn.bsky.app/img/avatar/plain/" + OtherDID + "/bafkreiavatar@jpeg",
			Followers: 40, Follows: 50, Posts: len(s.inbox.posts)},
	}
	for _, a := range s.metrics.actors {
		out = append(out, s.withCountsLocked(a))
	}
	return out
}

// actorLocked finds an account by DID or handle. Callers hold s.mu.
func (s *Server) actorLocked(id string) (Actor, bool) {
	id = strings.ToLower(id)
	for _, a := range s.directoryLocked() {
		if strings.ToLower(a.DID) == id || strings.ToLower(a.Handle) == id {
			return a, true
		}
	}
	return Actor{}, false
}

// profileView is app.bsky.actor.defs#profileViewBasic, #profileView
// (with the description) or #profileViewDetailed (with the counts).
func (a Actor) profileView(kind string) map[string]any {
	out := map[string]any{"did": a.DID, "handle": a.Handle, "labels": []any{}}
	if a.DisplayName != "" {
		out["displayName"] = a.DisplayName
	}
	if a.Avatar != "" {
		out["avatar"] = a.Avatar
	}
	if kind != "basic" {
		if a.Description != "" {
			out["description"] = a.Description
		}
		out["indexedAt"] = "2025-01-01T00:00:00.000Z"
	}
	if kind == "detailed" {
		out["followersCount"], out["followsCount"], out["postsCount"] = a.Followers, a.Follows, a.Posts
		out["createdAt"] = "2024-06-01T00:00:00.000Z"
	}
	return out
}

// countsLocked are the AppView's counts of a post. Callers hold s.mu.
func (s *Server) countsLocked(uri string) map[string]any {
	replies, quotes := 0, 0
	for _, o := range s.inbox.posts {
		if o.Parent == uri {
			replies++
		}
		if o.Quote == uri {
			quotes++
		}
	}
	likes := s.metrics.likes[uri]
	if s.viewerRecordLocked(collectionLike, func(v map[string]any) bool { return subjectURI(v) == uri }) != "" {
		likes++
	}
	reposts := s.metrics.reposts[uri]
	for _, r := range s.metrics.own {
		if r.subject == uri {
			reposts++
		}
	}
	for _, rs := range s.public.reposts {
		for _, r := range rs {
			if r.subject == uri {
				reposts++
			}
		}
	}
	return map[string]any{"replyCount": replies, "repostCount": reposts, "likeCount": likes, "quoteCount": quotes,
		"bookmarkCount": s.metrics.bookmarks[uri]}
}

// getProfiles: at most 25 actors; those the fake does not know, taken
// down or deactivated are left out.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-get-profiles
func (s *Server) getProfiles(w http.ResponseWriter, r *http.Request, _ caller) {
	actors := r.URL.Query()["actors"]
	if len(actors) == 0 || len(actors) > 25 {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Error: actors must not have more than 25 elements")
		return
	}
	s.mu.Lock()
	out := []map[string]any{}
	for _, id := range actors {
		if a, ok := s.actorLocked(id); ok {
			if _, _, _, refused := actorRefusal(s.public.states[a.DID], false); !refused {
				out = append(out, a.profileView("detailed"))
			}
		}
	}
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"profiles": out})
}

// searchActors finds accounts whose handle, name or description holds q;
// the cursor is an offset.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-search-actors
func (s *Server) searchActors(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	limit, ok := s.limit(w, q.Get("limit"), 25, 100)
	if !ok {
		return
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Malformed cursor")
			return
		}
		offset = n
	}
	term := strings.ToLower(strings.TrimSpace(q.Get("q")))
	out := map[string]any{"actors": []any{}}
	if term == "" {
		WriteJSON(w, http.StatusOK, out)
		return
	}
	s.mu.Lock()
	var found []Actor
	for _, a := range s.directoryLocked() {
		if strings.Contains(strings.ToLower(a.Handle), term) || strings.Contains(strings.ToLower(a.DisplayName), term) ||
			strings.Contains(strings.ToLower(a.Description), term) {
			found = append(found, a)
		}
	}
	s.mu.Unlock()
	actors := []any{}
	for i := offset; i < len(found) && len(actors) < limit; i++ {
		actors = append(actors, found[i].profileView("view"))
	}
	out["actors"] = actors
	if offset+len(actors) < len(found) {
		out["cursor"] = strconv.Itoa(offset + len(actors))
	}
	WriteJSON(w, http.StatusOK, out)
}

// searchActorsTypeahead finds accounts whose handle, or a word of whose
// name, starts with q.
//
// https://docs.bsky.app/docs/api/app-bsky-actor-search-actors-typeahead
func (s *Server) searchActorsTypeahead(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	limit, ok := s.limit(w, q.Get("limit"), 10, 100)
	if !ok {
		return
	}
	term := strings.ToLower(strings.TrimSpace(q.Get("q")))
	actors := []any{}
	s.mu.Lock()
	for _, a := range s.directoryLocked() {
		if term == "" || len(actors) == limit {
			break
		}
		match := strings.HasPrefix(strings.ToLower(a.Handle), term)
		for _, word := range strings.Fields(strings.ToLower(a.DisplayName)) {
			match = match || strings.HasPrefix(word, term)
		}
		if match {
			actors = append(actors, a.profileView("basic"))
		}
	}
	s.mu.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"actors": actors})
}

// feedEntry is one entry of the author feed, ordered by sortAt, then id.
type feedEntry struct {
	sortAt time.Time
	id     string // the post's or the repost's uri
	item   map[string]any
}

// getAuthorFeed: an account's posts and reposts, newest first by the
// earlier of a post's createdAt and indexedAt (as the AppView sorts it);
// the cursor is "<unix ms>::<id>" of the last entry. Any account of the
// directory has a feed (the account's own with its pinned post); one
// taken down, deactivated or blocking is refused (actorRefusal).
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed
func (s *Server) getAuthorFeed(w http.ResponseWriter, r *http.Request, _ caller) {
	q := r.URL.Query()
	actor := strings.ToLower(q.Get("actor"))
	if actor == "" {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the property "actor"`)
		return
	}
	s.mu.Lock()
	author, found := s.actorLocked(actor)
	st := s.public.states[author.DID]
	s.mu.Unlock()
	if !found {
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
		return
	}
	if status, name, msg, refused := actorRefusal(st, true); refused {
		WriteError(w, status, name, msg)
		return
	}
	own := author.DID == DID
	limit, ok := s.limit(w, q.Get("limit"), 50, 100)
	if !ok {
		return
	}
	filter := q.Get("filter")
	switch filter {
	case "":
		filter = "posts_with_replies"
	case "posts_with_replies", "posts_no_replies":
	default:
		WriteError(w, http.StatusBadRequest, "InvalidRequest", "The fake supports the filters posts_with_replies and posts_no_replies, not "+filter)
		return
	}
	var after *feedEntry
	if c := q.Get("cursor"); c != "" {
		ms, id, found := strings.Cut(c, "::")
		n, err := strconv.ParseInt(ms, 10, 64)
		if !found || err != nil {
			WriteError(w, http.StatusBadRequest, "InvalidRequest", "Malformed cursor")
			return
		}
		after = &feedEntry{sortAt: time.UnixMilli(n).UTC(), id: id}
	}
	s.mu.Lock()
	var posts []*Post
	reposts := s.public.reposts[author.DID]
	if own {
		for _, rec := range s.repo.records {
			posts = append(posts, s.postLocked(rec.URI))
		}
		reposts = s.metrics.own
	} else {
		for _, p := range s.inbox.posts {
			if p.AuthorDID == author.DID {
				posts = append(posts, p)
			}
		}
	}
	var entries []feedEntry
	for _, p := range posts {
		if filter == "posts_no_replies" && p.Parent != "" {
			continue
		}
		sortAt := p.IndexedAt
		if !p.CreatedAt.IsZero() && p.CreatedAt.Before(sortAt) {
			sortAt = p.CreatedAt
		}
		entries = append(entries, feedEntry{sortAt: sortAt.UTC().Truncate(time.Millisecond), id: p.URI, item: s.feedItemLocked(p)})
	}
	self := Actor{DID: author.DID, Handle: author.Handle, DisplayName: author.DisplayName}
	for _, rp := range reposts {
		p := s.postLocked(rp.subject)
		if p == nil {
			continue
		}
		item := s.feedItemLocked(p)
		item["reason"] = map[string]any{"$type": "app.bsky.feed.defs#reasonRepost", "by": self.profileView("basic"),
			"uri": rp.uri, "indexedAt": rp.at.Format("2006-01-02T15:04:05.000Z")}
		entries = append(entries, feedEntry{sortAt: rp.at, id: rp.uri, item: item})
	}
	var pinned map[string]any
	if p := s.postLocked(s.metrics.pinned); own && p != nil && after == nil && q.Get("includePins") == "true" {
		pinned = s.feedItemLocked(p)
		pinned["reason"] = map[string]any{"$type": "app.bsky.feed.defs#reasonPin"}
	}
	s.mu.Unlock()
	slices.SortFunc(entries, func(a, b feedEntry) int {
		if c := b.sortAt.Compare(a.sortAt); c != 0 {
			return c
		}
		return strings.Compare(b.id, a.id)
	})
	feed := []any{}
	if pinned != nil {
		feed = append(feed, pinned)
	}
	var last *feedEntry
	more := false
	for i := range entries {
		e := &entries[i]
		if after != nil && (e.sortAt.After(after.sortAt) || (e.sortAt.Equal(after.sortAt) && e.id >= after.id)) {
			continue
		}
		if len(feed) >= limit {
			more = true
			break
		}
		feed = append(feed, e.item)
		last = e
	}
	out := map[string]any{"feed": feed}
	if more && last != nil {
		out["cursor"] = strconv.FormatInt(last.sortAt.UnixMilli(), 10) + "::" + last.id
	}
	WriteJSON(w, http.StatusOK, out)
}

// feedItemLocked is app.bsky.feed.defs#feedViewPost of p, with the posts
// it answers. Callers hold s.mu.
func (s *Server) feedItemLocked(p *Post) map[string]any {
	item := map[string]any{"post": s.postViewLocked(p)}
	if p.Parent != "" {
		ref := func(uri string) map[string]any {
			if pp := s.postLocked(uri); pp != nil {
				v := s.postViewLocked(pp)
				v["$type"] = "app.bsky.feed.defs#postView"
				return v
			}
			return map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": true}
		}
		item["reply"] = map[string]any{"root": ref(p.Root), "parent": ref(p.Parent)}
	}
	return item
}
