package mastodontest

import (
	"net/http"
	"net/url"
)

// Version is the Mastodon version the fake claims to be.
const Version = "4.3.0"

// Limits are the posting rules the fake's instance endpoints report.
type Limits struct {
	MaxCharacters            int
	MaxMediaAttachments      int
	CharactersReservedPerURL int
	ImageSizeLimit           int64
	VideoSizeLimit           int64
	SupportedMIMETypes       []string
	// DescriptionLimit, when set, is reported as
	// media_attachments.description_limit (newer Mastodon versions) and
	// enforced on uploads; otherwise uploads allow Mastodon's 1500.
	DescriptionLimit int
}

// DefaultLimits are Mastodon's defaults.
func DefaultLimits() Limits {
	return Limits{
		MaxCharacters:            500,
		MaxMediaAttachments:      4,
		CharactersReservedPerURL: 23,
		ImageSizeLimit:           16 << 20,
		VideoSizeLimit:           99 << 20,
		SupportedMIMETypes:       []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"},
	}
}

// SetLimits changes what the instance endpoints report.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Host is the fake's host and port, the domain of its accounts.
func (s *Server) Host() string {
	u, _ := url.Parse(s.srv.URL)
	return u.Host
}

func (s *Server) configuration() map[string]any {
	s.mu.Lock()
	l := s.limits
	s.mu.Unlock()
	media := map[string]any{
		"supported_mime_types":   l.SupportedMIMETypes,
		"image_size_limit":       l.ImageSizeLimit,
		"image_matrix_limit":     33177600,
		"video_size_limit":       l.VideoSizeLimit,
		"video_frame_rate_limit": 120,
		"video_matrix_limit":     8294400,
	}
	if l.DescriptionLimit > 0 {
		media["description_limit"] = l.DescriptionLimit
	}
	return map[string]any{
		"statuses": map[string]any{
			"max_characters":              l.MaxCharacters,
			"max_media_attachments":       l.MaxMediaAttachments,
			"characters_reserved_per_url": l.CharactersReservedPerURL,
		},
		"media_attachments": media,
		"polls": map[string]any{
			"max_options":               4,
			"max_characters_per_option": 50,
			"min_expiration":            300,
			"max_expiration":            2629746,
		},
	}
}

// https://docs.joinmastodon.org/methods/instance/#v1
func (s *Server) instanceV1(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"uri":               s.Host(),
		"title":             "Herald test server",
		"short_description": "A fake Mastodon server for Herald's tests.",
		"description":       "",
		"email":             "admin@" + s.Host(),
		"version":           Version,
		"urls":              map[string]string{"streaming_api": "ws://" + s.Host()},
		"stats":             map[string]int{"user_count": len(s.Accounts()), "status_count": 0, "domain_count": 1},
		"languages":         []string{"en"},
		"registrations":     false,
		"approval_required": false,
		"invites_enabled":   false,
		"configuration":     s.configuration(),
		"rules":             []any{},
	})
}

// https://docs.joinmastodon.org/methods/instance/#v2
func (s *Server) instanceV2(w http.ResponseWriter, _ *http.Request) {
	cfg := s.configuration()
	cfg["urls"] = map[string]string{"streaming": "ws://" + s.Host()}
	cfg["accounts"] = map[string]int{"max_featured_tags": 10}
	cfg["translation"] = map[string]bool{"enabled": false}
	writeJSON(w, http.StatusOK, map[string]any{
		"domain":        s.Host(),
		"title":         "Herald test server",
		"version":       Version,
		"source_url":    "https://github.com/mastodon/mastodon",
		"description":   "A fake Mastodon server for Herald's tests.",
		"usage":         map[string]any{"users": map[string]int{"active_month": len(s.Accounts())}},
		"languages":     []string{"en"},
		"configuration": cfg,
		"registrations": map[string]any{"enabled": false, "approval_required": false, "message": nil},
		"contact":       map[string]any{"email": "admin@" + s.Host()},
		"rules":         []any{},
	})
}
