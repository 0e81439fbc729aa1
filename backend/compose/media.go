package compose

import (
	"fmt"
	"strings"
)

// media checks the attachments: count, type, size, video-alone, alt text.
func (v *validator) media(media []MediaInfo) {
	r := v.r
	n := len(media)
	switch {
	case n > 0 && r.MaxMedia == 0:
		v.add("media", SeverityError, CodeTooManyMedia,
			"%s does not accept attachments; remove the %s.", v.netStart(), plural(n, "attachment", "attachments"))
	case n > r.MaxMedia:
		v.add("media", SeverityError, CodeTooManyMedia,
			"This post has %s; %s allows %s.", plural(n, "attachment", "attachments"), v.net, number(r.MaxMedia))
		v.limit(r.MaxMedia)
	}

	for i, m := range media {
		field := fmt.Sprintf("media[%d]", i)
		name := strings.TrimSpace(m.Name)
		if name == "" {
			name = fmt.Sprintf("Attachment %d", i+1)
		}
		mime := normalizeMIME(m.MIME)
		kind := mediaKind(mime)

		if len(r.MediaTypes) > 0 && !accepts(r.MediaTypes, mime) {
			accepted := orList(r.MediaTypes)
			if mime == "" {
				v.add(field, SeverityError, CodeMediaType,
					"Herald could not tell what kind of file %s is; %s accepts %s.", name, v.net, accepted)
			} else {
				v.add(field, SeverityError, CodeMediaType,
					"%s is %s, which %s does not accept; it accepts %s.", name, mime, v.net, accepted)
			}
		}

		if limit, per := v.sizeLimit(kind); limit > 0 && m.Size > limit {
			size, max := sizePair(m.Size, limit)
			v.add(field, SeverityError, CodeMediaTooBig, "%s is %s; %s allows %s per %s.", name, size, v.net, max, per)
		}

		if r.VideoAlone && (kind == "video" || kind == "audio") && n > 1 {
			v.add(field, SeverityError, CodeVideoNotAlone,
				"%s is %s, and %s allows %s only on its own; this post has %s.",
				name, article(kind), v.net, article(kind), plural(n, "attachment", "attachments"))
		}

		v.alt(field+".alt", name, kind, m.AltText)
	}
}

// alt checks one attachment's alt text.
func (v *validator) alt(field, name, kind, alt string) {
	blank := isBlank(alt)
	switch {
	case v.r.MaxAltText == 0:
		if !blank {
			v.add(field, SeverityWarning, CodeAltIgnored,
				"%s does not support alt text, so the description of %s will not be published.", v.netStart(), name)
		}
	case blank:
		if kind == "image" {
			v.add(field, SeverityWarning, CodeAltMissing,
				"%s has no description; add alt text so people who use screen readers know what it shows.", name)
		}
	default:
		if g := graphemes(alt); g > v.r.MaxAltText {
			v.add(field, SeverityError, CodeAltTooLong, "The description of %s is %s; %s allows %s.",
				name, plural(g, "character", "characters"), v.net, number(v.r.MaxAltText))
		}
	}
}

// sizeLimit is the byte limit for an attachment of kind and the noun for
// the message. Images have their own limit; video, audio and anything else
// the network accepts fall under the video limit (Mastodon applies its
// video limit to audio too).
func (v *validator) sizeLimit(kind string) (int64, string) {
	switch kind {
	case "image":
		return v.r.MaxImageBytes, "image"
	case "video":
		return v.r.MaxVideoBytes, "video"
	case "audio":
		return v.r.MaxVideoBytes, "audio file"
	default:
		return v.r.MaxVideoBytes, "file"
	}
}

// normalizeMIME lower-cases a MIME type and drops its parameters.
func normalizeMIME(m string) string {
	if i := strings.IndexByte(m, ';'); i >= 0 {
		m = m[:i]
	}
	return strings.ToLower(strings.TrimSpace(m))
}

// mediaKind is the top-level type: "image", "video", "audio", ...
func mediaKind(mime string) string {
	kind, _, _ := strings.Cut(mime, "/")
	return kind
}

func accepts(types []string, mime string) bool {
	if mime == "" {
		return false
	}
	for _, t := range types {
		if strings.EqualFold(strings.TrimSpace(t), mime) {
			return true
		}
	}
	return false
}

func article(kind string) string {
	switch kind {
	case "audio":
		return "an audio file"
	case "image":
		return "an image"
	default:
		return "a " + kind
	}
}
