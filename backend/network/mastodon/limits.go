package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"herald/backend/network"
)

// Limits are a server's posting rules. Each server sets its own; the
// defaults are Mastodon's, used where a server does not say.
type Limits struct {
	MaxCharacters            int
	MaxMediaAttachments      int
	CharactersReservedPerURL int
	ImageSizeLimit           int64 // bytes; 0 when the server does not say
	VideoSizeLimit           int64 // bytes; 0 when the server does not say
	SupportedMIMETypes       []string
	// DescriptionLimit is the longest alt text the server takes; 0 when
	// the server does not say (newer Mastodon versions publish it).
	DescriptionLimit int
	// CountsAsWritten: the server counts every character of the text as
	// written, links and mention domains in full, whatever
	// CharactersReservedPerURL says (GoToSocial up to at least 0.17).
	CountsAsWritten bool
}

// Mastodon's defaults.
const (
	DefaultMaxCharacters            = 500
	DefaultMaxMediaAttachments      = 4
	DefaultCharactersReservedPerURL = 23
)

// instanceConfig is the configuration block shared by the v2 and (since
// Mastodon 3.4) v1 instance entities; maxTootChars is the older v1 field
// some forks still send instead.
type instanceConfig struct {
	Configuration struct {
		Statuses struct {
			MaxCharacters            int `json:"max_characters"`
			MaxMediaAttachments      int `json:"max_media_attachments"`
			CharactersReservedPerURL int `json:"characters_reserved_per_url"`
		} `json:"statuses"`
		MediaAttachments struct {
			SupportedMIMETypes []string `json:"supported_mime_types"`
			ImageSizeLimit     int64    `json:"image_size_limit"`
			VideoSizeLimit     int64    `json:"video_size_limit"`
			DescriptionLimit   int      `json:"description_limit"`
		} `json:"media_attachments"`
	} `json:"configuration"`
	MaxTootChars int `json:"max_toot_chars"`
	// SourceURL (v2) names the server software's repository.
	SourceURL string `json:"source_url"`
}

// InstanceLimits reads the server's posting limits from GET
// /api/v2/instance, falling back to v1 on servers without v2.
//
// https://docs.joinmastodon.org/methods/instance/#v2
// https://docs.joinmastodon.org/methods/instance/#v1
func (c *Client) InstanceLimits(ctx context.Context, instance string) (Limits, error) {
	const op = "read server limits"
	base, err := normalize(op, instance)
	if err != nil {
		return Limits{}, err
	}
	var cfg instanceConfig
	err = c.call(ctx, op, http.MethodGet, base+"/api/v2/instance", "", nil, &cfg)
	if fallBackToV1(err) {
		cfg = instanceConfig{}
		err = c.call(ctx, op, http.MethodGet, base+"/api/v1/instance", "", nil, &cfg)
	}
	if err != nil {
		return Limits{}, err
	}
	st, media := cfg.Configuration.Statuses, cfg.Configuration.MediaAttachments
	l := Limits{
		MaxCharacters:            firstPositive(st.MaxCharacters, cfg.MaxTootChars, DefaultMaxCharacters),
		MaxMediaAttachments:      firstPositive(st.MaxMediaAttachments, DefaultMaxMediaAttachments),
		CharactersReservedPerURL: firstPositive(st.CharactersReservedPerURL, DefaultCharactersReservedPerURL),
		ImageSizeLimit:           media.ImageSizeLimit,
		VideoSizeLimit:           media.VideoSizeLimit,
		SupportedMIMETypes:       media.SupportedMIMETypes,
		DescriptionLimit:         media.DescriptionLimit,
		CountsAsWritten:          isGoToSocial(cfg.SourceURL),
	}
	return l, nil
}

// fallBackToV1 says whether the v2 failure means "no v2 here" (an older
// server) rather than a problem v1 would share.
func fallBackToV1(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return false
	}
	return ne.Status >= 400 && ne.Status < 500 && ne.Status != http.StatusTooManyRequests ||
		ne.Status >= 200 && ne.Status < 300 // answered, but not with JSON
}

func firstPositive(vs ...int) int {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 0
}

// isGoToSocial recognises GoToSocial by its v2 source_url. Its status
// length check (validateStatusCreateForm) counts the runes of the text and
// content warning as written, although it reports
// characters_reserved_per_url.
func isGoToSocial(sourceURL string) bool {
	return strings.Contains(strings.ToLower(sourceURL), "gotosocial")
}
