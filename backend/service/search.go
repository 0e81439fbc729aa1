package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"herald/backend/apperr"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/ratebudget"
	"herald/backend/store"
)

// Search limits: a typeahead answers the @mention autocompletion, a full
// search the Search view.
const (
	MaxSearchQuery   = 100
	TypeaheadResults = 8
	SearchResults    = 40
)

// ErrorReporter hands a network error to health, which alone decides
// whether it disconnects the channel (health.Monitor).
type ErrorReporter interface {
	ReportErrorAt(ctx context.Context, channelID, gen int64, err error) bool
}

// credentialRenewer renews a credential whose short-lived access token the
// network refused (credentials.Manager).
type credentialRenewer interface {
	Renew(ctx context.Context, ch model.Channel, stale network.Credential) (network.Credential, error)
}

// Search finds public accounts on a channel's network, for the Search view
// and the @mention autocompletion.
type Search struct {
	channels *store.Channels
	creds    FreshCredentials
	networks *network.Registry
	health   ErrorReporter
	now      func() time.Time
}

// SearchDeps are the service's collaborators.
type SearchDeps struct {
	Channels    *store.Channels
	Credentials FreshCredentials
	Networks    *network.Registry
	Health      ErrorReporter
	Now         func() time.Time
}

// NewSearch builds the service.
func NewSearch(d SearchDeps) *Search {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Search{channels: d.Channels, creds: d.Credentials, networks: d.Networks, health: d.Health, now: d.Now}
}

// SearchChannel is a channel whose network can search accounts. Available
// is false (with the Reason) while the search cannot run through it.
type SearchChannel struct {
	ChannelID   int64  `json:"channelId"`
	ChannelName string `json:"channelName"`
	Handle      string `json:"handle"`
	AvatarURL   string `json:"avatarUrl"`
	Network     string `json:"network"`
	NetworkName string `json:"networkName"`
	Available   bool   `json:"available"`
	Reason      string `json:"reason"`
}

// ProfileView is an account found by a search, with the channel it was
// found through.
type ProfileView struct {
	RemoteID    string `json:"remoteId"`
	Handle      string `json:"handle"`
	Mention     string `json:"mention"` // exactly what to type to mention it
	DisplayName string `json:"displayName"`
	Bio         string `json:"bio"`
	AvatarURL   string `json:"avatarUrl"`
	ProfileURL  string `json:"profileUrl"`
	Followers   *int64 `json:"followers,omitempty"`
	Following   *int64 `json:"following,omitempty"`
	Posts       *int64 `json:"posts,omitempty"`
	ChannelID   int64  `json:"channelId"`
	ChannelName string `json:"channelName"`
	Network     string `json:"network"`
	NetworkName string `json:"networkName"`
}

// searcher returns the channel's network as an account searcher.
func (s *Search) searcher(ch model.Channel) (network.AccountSearcher, bool) {
	n, ok := s.networks.Get(ch.Network)
	if !ok {
		return nil, false
	}
	as, ok := n.(network.AccountSearcher)
	return as, ok
}

// unavailable says why a search cannot run through ch ("" when it can).
func unavailable(ch model.Channel) string {
	switch {
	case ch.RemovedAt != nil:
		return "This channel was removed from Herald."
	case ch.Status == model.ChannelDisconnected:
		return "This channel is disconnected; reconnect it in Channels to search through it."
	}
	return ""
}

// SearchableChannels lists the channels whose network can search
// accounts, in the channel list's order; a disconnected one is listed as
// not available, with the reason.
func (s *Search) SearchableChannels() ([]SearchChannel, error) {
	chs, err := s.channels.List(context.Background())
	if err != nil {
		return nil, err
	}
	out := []SearchChannel{}
	for _, ch := range chs {
		if _, ok := s.searcher(ch); !ok {
			continue
		}
		reason := unavailable(ch)
		out = append(out, SearchChannel{ChannelID: ch.ID, ChannelName: channelName(ch), Handle: ch.Handle, AvatarURL: ch.AvatarURL,
			Network: ch.Network, NetworkName: networkTitle(s.networks, ch.Network), Available: reason == "", Reason: reason})
	}
	return out, nil
}

// SearchAccounts finds public accounts matching query on the network of
// channelID, as that channel. typeahead is the cheap form for the @mention
// autocompletion (at most TypeaheadResults); a full search returns at most
// SearchResults. An empty query finds nothing and asks nothing.
func (s *Search) SearchAccounts(channelID int64, query string, typeahead bool) ([]ProfileView, error) {
	ctx := context.Background()
	query = strings.TrimSpace(query)
	if query == "" {
		return []ProfileView{}, nil
	}
	if n := utf8.RuneCountInString(query); n > MaxSearchQuery {
		return nil, apperr.Invalid("query", "The search is %d characters long; search with at most %d.", n, MaxSearchQuery)
	}
	ch, err := s.channels.Get(ctx, channelID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &apperr.Error{Code: apperr.CodeNotFound, Message: "This channel no longer exists.",
			Hint: "Choose another channel to search through."}
	}
	if err != nil {
		return nil, err
	}
	as, ok := s.searcher(ch)
	if !ok {
		return nil, &apperr.Error{Code: apperr.CodeUnavailable,
			Message: fmt.Sprintf("Searching accounts is not supported on %s.", networkTitle(s.networks, ch.Network)),
			Hint:    "Search through a Mastodon or Bluesky channel instead."}
	}
	if reason := unavailable(ch); reason != "" {
		hint := "Reconnect it in Channels, or choose another channel."
		if ch.RemovedAt != nil {
			hint = "Choose another channel to search through."
		}
		return nil, &apperr.Error{Code: apperr.CodeConflict, Message: reason, Hint: hint}
	}
	limit := SearchResults
	if typeahead {
		limit = TypeaheadResults
	}
	// The user is waiting, but a search must never take what publishing
	// needs: it spends as the inbox does.
	nctx := ratebudget.WithChannel(ctx, ch.ID, ratebudget.Ingest)
	cred, err := s.creds.Fresh(nctx, ch)
	if err != nil {
		return nil, s.failed(ch, err)
	}
	found, err := as.SearchAccounts(nctx, ch.Instance, cred, query, typeahead, limit)
	if network.ClassOf(err) == network.ClassTokenExpired {
		if r, ok := s.creds.(credentialRenewer); ok {
			if cred, err = r.Renew(nctx, ch, cred); err == nil {
				found, err = as.SearchAccounts(nctx, ch.Instance, cred, query, typeahead, limit)
			}
		}
	}
	if err != nil {
		if s.health != nil {
			s.health.ReportErrorAt(ctx, ch.ID, cred.Generation, err)
		}
		return nil, s.failed(ch, err)
	}
	if len(found) > limit {
		found = found[:limit]
	}
	out := make([]ProfileView, 0, len(found))
	for _, p := range found {
		out = append(out, ProfileView{RemoteID: p.RemoteID, Handle: p.Handle, Mention: p.Mention, DisplayName: p.DisplayName,
			Bio: p.Bio, AvatarURL: p.AvatarURL, ProfileURL: p.ProfileURL, Followers: p.Followers, Following: p.Following,
			Posts: p.Posts, ChannelID: ch.ID, ChannelName: channelName(ch), Network: ch.Network,
			NetworkName: networkTitle(s.networks, ch.Network)})
	}
	return out, nil
}

// failed turns a network error into the user's words: the network's own
// message, scrubbed, and what to do next.
func (s *Search) failed(ch model.Channel, err error) error {
	var ne *network.Error
	if !errors.As(err, &ne) {
		// Keyring errors and the like: apperr.Format knows their words.
		return fmt.Errorf("search through %s: %w", channelName(ch), err)
	}
	name := networkTitle(s.networks, ch.Network)
	msg := strings.TrimRight(network.SafeMessage(err), ". ")
	e := &apperr.Error{Code: apperr.CodeUnavailable, Err: err}
	switch ne.Class {
	case network.ClassRateLimited:
		e.Message = fmt.Sprintf("%s asks Herald to wait before searching again: %s.", name, msg)
		if ne.Status == 0 {
			// No answer: Herald's own request budget held the search back.
			e.Message = fmt.Sprintf("Herald is keeping %s's remaining requests for publishing: %s.", channelName(ch), msg)
		}
		e.Hint = "Search again in a few minutes."
		if until, ok := network.RetryAfter(err); ok && until.After(s.now()) {
			mins := int(math.Ceil(until.Sub(s.now()).Minutes()))
			unit := "minutes"
			if mins == 1 {
				unit = "minute"
			}
			e.Hint = fmt.Sprintf("Search again in %d %s (after %s UTC).", mins, unit, until.UTC().Format("15:04"))
		}
	case network.ClassAuthDead:
		e.Code = apperr.CodeConflict
		e.Message = fmt.Sprintf("%s no longer accepts %s's sign-in: %s.", name, channelName(ch), msg)
		e.Hint = "Reconnect the channel in Channels, then search again."
	case network.ClassScopeMissing:
		e.Code = apperr.CodeConflict
		e.Message = fmt.Sprintf("%s did not give Herald permission to search as %s: %s.", name, channelName(ch), msg)
		e.Hint = "Reconnect the channel in Channels to grant it, then search again."
	case network.ClassInvalidInput, network.ClassContentRejected:
		e.Code = apperr.CodeInvalid
		e.Field = "query"
		e.Message = fmt.Sprintf("%s refused this search: %s.", name, msg)
		e.Hint = "Search with other words, a name or a handle."
	default:
		e.Message = fmt.Sprintf("%s could not search just now: %s.", name, msg)
		e.Hint = "Try again in a moment; if it keeps failing, check the channel in Channels."
	}
	return e
}
