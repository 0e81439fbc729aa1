package mastodon

import (
	"context"

	"herald/backend/network"
)

// Mastodon's defaults for what Limits does not carry, and Herald's own
// thread cap.
const (
	// DefaultImageSizeLimit and DefaultVideoSizeLimit are Mastodon's
	// (16 MB and 99 MB, in Rails' binary megabytes).
	DefaultImageSizeLimit = 16 << 20
	DefaultVideoSizeLimit = 99 << 20
	// DefaultDescriptionLimit is Mastodon's and GoToSocial's alt text limit
	// (MediaAttachment::MAX_DESCRIPTION_LENGTH, media-description-max-chars).
	DefaultDescriptionLimit = 1500
	// MaxThread is how many follow-ups Herald posts under one post: a
	// bound on a runaway thread, not a server rule.
	MaxThread = 25
)

// defaultMediaTypes are the types every Mastodon version since 3.x takes;
// a server that lists its own replaces them.
var defaultMediaTypes = []string{
	"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif",
	"video/mp4", "video/webm", "video/quicktime",
}

// DefaultRules are Mastodon's out-of-the-box limits, used until a
// channel's own server has been asked (Rules).
func DefaultRules() network.Rules {
	return rulesFrom(Limits{
		MaxCharacters:            DefaultMaxCharacters,
		MaxMediaAttachments:      DefaultMaxMediaAttachments,
		CharactersReservedPerURL: DefaultCharactersReservedPerURL,
	})
}

// Rules reads the server's own limits (InstanceLimits): each Mastodon
// server sets its character and media limits, and GoToSocial's defaults
// differ from Mastodon's.
func (c *Client) Rules(ctx context.Context, instance string) (network.Rules, error) {
	l, err := c.InstanceLimits(ctx, instance)
	if err != nil {
		return network.Rules{}, err
	}
	return rulesFrom(l), nil
}

func rulesFrom(l Limits) network.Rules {
	types := l.SupportedMIMETypes
	if len(types) == 0 {
		types = defaultMediaTypes
	}
	r := network.Rules{
		MaxChars:          firstPositive(l.MaxCharacters, DefaultMaxCharacters),
		URLWeight:         firstPositive(l.CharactersReservedPerURL, DefaultCharactersReservedPerURL),
		MentionDomainFree: true,
		MaxMedia:          firstPositive(l.MaxMediaAttachments, DefaultMaxMediaAttachments),
		MaxImageBytes:     firstPositive64(l.ImageSizeLimit, DefaultImageSizeLimit),
		MaxVideoBytes:     firstPositive64(l.VideoSizeLimit, DefaultVideoSizeLimit),
		MediaTypes:        append([]string(nil), types...),
		MaxAltText:        firstPositive(l.DescriptionLimit, DefaultDescriptionLimit),
		MaxThread:         MaxThread,
		VideoAlone:        true,
	}
	if l.CountsAsWritten {
		r.URLWeight, r.MentionDomainFree = 0, false
	}
	return r
}

func firstPositive64(vs ...int64) int64 {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 0
}
