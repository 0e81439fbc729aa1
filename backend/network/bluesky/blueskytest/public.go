package blueskytest

import (
	"net/http"
	"time"
)

// Any account of the directory (AddActor), as the account reads it (a
// watchlist): its profile with counts that follow what it does (posts,
// reposts, followers), its author feed, and what the AppView answers for
// an account taken down, deactivated or blocking.

// ActorState is what happened to an account of the directory.
type ActorState int

const (
	ActorActive      ActorState = iota
	ActorTakenDown              // by Bluesky's moderation
	ActorDeactivated            // by its owner, for now
	ActorBlocksYou              // it blocks the account
	ActorBlocked                // the account blocks it
)

// publicState is guarded by Server.mu.
type publicState struct {
	followers map[string]int      // by DID: follows beyond the Actor's base count
	reposts   map[string][]repost // by DID
	states    map[string]ActorState
}

// SetActorState changes what the AppView says of the account with did.
func (s *Server) SetActorState(did string, st ActorState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.public.states == nil {
		s.public.states = map[string]ActorState{}
	}
	s.public.states[did] = st
}

// PostAsActor makes a post by the directory's account did, dated at (its
// createdAt and when the AppView indexed it); with reply it answers a
// post the other account makes first. Its profile counts it.
func (s *Server) PostAsActor(did, text string, at time.Time, reply bool) string {
	var parent Post
	if reply {
		parent = s.PostAsOther("Something to answer", "", "")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at = at.UTC().Truncate(time.Millisecond)
	p := &Post{URI: "at://" + did + "/" + Collection + "/" + s.nextTID(), AuthorDID: did, Text: text, CreatedAt: at, IndexedAt: at}
	p.CID = fakeCID("bafyrei", []byte(p.URI))
	if reply {
		p.Parent, p.ParentCID, p.Root, p.RootCID = parent.URI, parent.CID, parent.URI, parent.CID
	}
	s.inbox.posts[p.URI] = p
	return p.URI
}

// RepostAsActor makes the directory's account did repost the post uri
// now: its author feed lists the repost.
func (s *Server) RepostAsActor(did, uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.public.reposts == nil {
		s.public.reposts = map[string][]repost{}
	}
	s.public.reposts[did] = append(s.public.reposts[did],
		repost{uri: "at://" + did + "/app.bsky.feed.repost/" + s.nextTID(), subject: uri, at: s.indexTime()})
}

// FollowActor makes n more accounts follow the directory's account did.
func (s *Server) FollowActor(did string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.public.followers == nil {
		s.public.followers = map[string]int{}
	}
	s.public.followers[did] += n
}

// withCountsLocked is an account AddActor added, with the posts and
// followers it gained since. Callers hold s.mu.
func (s *Server) withCountsLocked(a Actor) Actor {
	a.Followers += s.public.followers[a.DID]
	for _, p := range s.inbox.posts {
		if p.AuthorDID == a.DID {
			a.Posts++
		}
	}
	return a
}

// actorRefusal is what the AppView answers for an account that is not
// to be shown: on getProfile, AccountTakedown and AccountDeactivated (a
// block leaves the profile readable, marked in its viewer state); on
// getAuthorFeed, "Profile not found" for both, and BlockedActor or
// BlockedByActor for a block. ok is false for an account shown as usual.
//
// https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed
func actorRefusal(st ActorState, feed bool) (status int, name, message string, ok bool) {
	switch {
	case (st == ActorTakenDown || st == ActorDeactivated) && feed:
		return http.StatusBadRequest, "InvalidRequest", "Profile not found", true
	case st == ActorTakenDown:
		return http.StatusBadRequest, "AccountTakedown", "Account has been suspended", true
	case st == ActorDeactivated:
		return http.StatusBadRequest, "AccountDeactivated", "Account is deactivated", true
	case st == ActorBlocked && feed:
		return http.StatusBadRequest, "BlockedActor", "Requester has blocked actor", true
	case st == ActorBlocksYou && feed:
		return http.StatusBadRequest, "BlockedByActor", "Requester is blocked by actor", true
	}
	return 0, "", "", false
}

// viewerState is the block between the account and an account of the
// directory, as a profile's viewer field shows it.
func viewerState(st ActorState, did string) map[string]any {
	v := map[string]any{"muted": false, "blockedBy": st == ActorBlocksYou}
	if st == ActorBlocked {
		v["blocking"] = "at://" + DID + "/app.bsky.graph.block/3kblock" + did[len(did)-4:]
	}
	return v
}
