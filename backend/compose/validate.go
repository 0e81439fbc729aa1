package compose

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"herald/backend/network"
)

// Variant is one target channel's version of a post, as the composer
// holds it.
type Variant struct {
	Text string `json:"text"`
	// Thread holds the follow-ups, each published as a reply to the one
	// before.
	Thread []string `json:"thread"`
	// FirstComment is a reply published right after the post; "" for none.
	FirstComment string      `json:"firstComment"`
	Media        []MediaInfo `json:"media"`
	// Options are network-specific (network.Post.Options). Only
	// OptionContentWarning affects validation.
	Options map[string]string `json:"options"`
}

// MediaInfo describes one attachment as far as validation needs it.
type MediaInfo struct {
	Name    string `json:"name"` // file name, used in messages
	MIME    string `json:"mime"`
	Size    int64  `json:"size"` // bytes; 0 or less when unknown
	AltText string `json:"altText"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// OptionContentWarning is the Variant.Options key of the content warning
// (Mastodon's spoiler_text). Mastodon counts it into the post's length, so
// Validate does too whenever it is set; networks without content warnings
// never get the option from the composer.
const OptionContentWarning = "content_warning"

// Severity says whether an Issue blocks publishing.
type Severity string

const (
	// SeverityError blocks publishing: the network would reject the post.
	SeverityError Severity = "error"
	// SeverityWarning is advice (missing alt text); the post can go out.
	SeverityWarning Severity = "warning"
)

// Issue codes. The UI may key on them; Message is the text to show.
const (
	CodeEmpty              = "empty"                // no text and no media, or a blank follow-up/comment
	CodeTooLong            = "too_long"             // over MaxChars
	CodeTooManyBytes       = "too_many_bytes"       // over MaxBytes
	CodeThreadNotSupported = "thread_not_supported" // follow-ups on a network with MaxThread 0
	CodeThreadTooLong      = "thread_too_long"      // more follow-ups than MaxThread
	CodeTooManyMedia       = "too_many_media"       // more attachments than MaxMedia
	CodeMediaType          = "media_type"           // MIME type not accepted
	CodeMediaTooBig        = "media_too_big"        // over MaxImageBytes / MaxVideoBytes
	CodeVideoNotAlone      = "video_not_alone"      // a video (or audio) sharing a post (VideoAlone)
	CodeAltTooLong         = "alt_too_long"         // alt text over MaxAltText
	CodeAltMissing         = "alt_missing"          // warning: an image without alt text
	CodeAltIgnored         = "alt_ignored"          // warning: alt text on a network without it
)

// Issue is one problem with a variant.
type Issue struct {
	// Field locates the problem: "text", "thread[2]", "first_comment",
	// "media", "media[1]", "media[1].alt" (indexes are 0-based).
	Field    string   `json:"field"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	// Message is a full sentence for the UI, with the numbers and the
	// network's name.
	Message string `json:"message"`
	// Limit is the network's limit the issue is about, where the composer
	// offers a fix that needs it: MaxMedia for too_many_media ("remove the
	// 5th image"), MaxThread for thread_too_long. 0 otherwise.
	Limit int `json:"limit,omitempty"`
}

// Result is a variant's validation: the counts the composer shows and the
// issues, in order (text, thread, first comment, media).
type Result struct {
	Text         Count   `json:"text"`
	Thread       []Count `json:"thread"`                 // one per follow-up, never nil
	FirstComment *Count  `json:"firstComment,omitempty"` // nil when there is none
	Issues       []Issue `json:"issues"`                 // never nil
	// OK is true when no issue is an error: the variant can be published.
	OK bool `json:"ok"`
}

// Validate checks v against r. networkName names the channel's network in
// messages ("Bluesky", "Mastodon on mastodon.social").
//
// The rules:
//   - The post needs text or at least one attachment; whitespace is not
//     text. Each follow-up and a first comment, when given, need text.
//   - Text, each follow-up and the first comment are counted by CountText
//     and must fit MaxChars and MaxBytes (0: no limit). A content warning
//     (OptionContentWarning) counts into the post's own length.
//   - MaxThread == 0: no follow-ups; otherwise at most MaxThread.
//   - At most MaxMedia attachments; each of a type in MediaTypes (when the
//     list is not empty); images within MaxImageBytes, video and audio
//     within MaxVideoBytes (0: no limit); with VideoAlone a video or audio
//     file must be the only attachment.
//   - Alt text within MaxAltText graphemes; an image without alt text is a
//     warning; alt text on a network with MaxAltText == 0 is a warning
//     that it will not be published.
//
// Only error issues clear OK; warnings never block publishing.
func Validate(r network.Rules, networkName string, v Variant) Result {
	if strings.TrimSpace(networkName) == "" {
		networkName = "the network"
	}
	val := validator{r: r, net: networkName}
	res := Result{}

	cw := v.Options[OptionContentWarning]
	res.Text = countWith(r, cw, v.Text)
	if isBlank(v.Text) && len(v.Media) == 0 {
		val.add("text", SeverityError, CodeEmpty,
			"This post is empty; %s needs some text or at least one attachment.", networkName)
	} else {
		val.length("text", "This post", res.Text, cw != "")
	}

	res.Thread = make([]Count, len(v.Thread)) // [] rather than null in JSON
	threadAllowed := r.MaxThread > 0
	for i, t := range v.Thread {
		res.Thread[i] = CountText(r, t)
		blank := isBlank(t)
		if !threadAllowed || !blank && !overLimit(res.Thread[i]) {
			continue // without threads, one thread_not_supported below says it all
		}
		field, subject := fmt.Sprintf("thread[%d]", i), fmt.Sprintf("Follow-up %d", i+1)
		if blank {
			val.add(field, SeverityError, CodeEmpty, "%s is empty; write something or remove it.", subject)
			continue
		}
		val.length(field, subject, res.Thread[i], false)
	}
	switch n := len(v.Thread); {
	case n > 0 && !threadAllowed:
		what := "the follow-up or publish it as a separate post"
		if n > 1 {
			what = fmt.Sprintf("the %s or publish them as separate posts", plural(n, "follow-up", "follow-ups"))
		}
		val.add("thread", SeverityError, CodeThreadNotSupported, "%s does not support threads; remove %s.", val.netStart(), what)
	case threadAllowed && n > r.MaxThread:
		val.add("thread", SeverityError, CodeThreadTooLong,
			"This thread has %s; %s allows at most %s.",
			plural(n, "follow-up", "follow-ups"), networkName, plural(r.MaxThread, "follow-up", "follow-ups"))
		val.limit(r.MaxThread)
	}

	if v.FirstComment != "" {
		fc := CountText(r, v.FirstComment)
		res.FirstComment = &fc
		if isBlank(v.FirstComment) {
			val.add("first_comment", SeverityError, CodeEmpty,
				"The first comment is empty; write something or remove it.")
		} else {
			val.length("first_comment", "The first comment", fc, false)
		}
	}

	val.media(v.Media)

	res.Issues = val.issues
	if res.Issues == nil {
		res.Issues = []Issue{}
	}
	res.OK = true
	for _, is := range val.issues {
		if is.Severity == SeverityError {
			res.OK = false
			break
		}
	}
	return res
}

// validator collects issues for one Validate call.
type validator struct {
	r      network.Rules
	net    string
	issues []Issue
}

// netStart is the network's name at the start of a sentence.
func (v *validator) netStart() string {
	r, size := utf8.DecodeRuneInString(v.net)
	return string(unicode.ToUpper(r)) + v.net[size:]
}

func (v *validator) add(field string, sev Severity, code, format string, args ...any) {
	v.issues = append(v.issues, Issue{Field: field, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// limit sets the Limit of the issue added last.
func (v *validator) limit(n int) {
	v.issues[len(v.issues)-1].Limit = n
}

// length checks a count against the character and byte limits.
func (v *validator) length(field, subject string, c Count, withWarning bool) {
	if c.Max > 0 && c.Chars > c.Max {
		including := ""
		if withWarning {
			including = " including the content warning"
		}
		var links string
		if v.r.URLWeight > 0 && c.URLs > 0 {
			links = fmt.Sprintf(" (links count as %d)", v.r.URLWeight)
		}
		v.add(field, SeverityError, CodeTooLong, "%s is %s%s; %s allows %s%s.",
			subject, plural(c.Chars, "character", "characters"), including, v.net, number(c.Max), links)
	}
	if c.MaxBytes > 0 && c.Bytes > c.MaxBytes {
		v.add(field, SeverityError, CodeTooManyBytes,
			"%s is %s; %s allows %s (emoji and most non-Latin letters take 2 to 4 bytes each).",
			subject, plural(c.Bytes, "byte", "bytes"), v.net, plural(c.MaxBytes, "byte", "bytes"))
	}
}

func overLimit(c Count) bool {
	return c.Max > 0 && c.Chars > c.Max || c.MaxBytes > 0 && c.Bytes > c.MaxBytes
}

// isBlank: nothing but white space (Unicode White_Space, as Rails' blank?).
func isBlank(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}
