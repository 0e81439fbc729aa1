package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"herald/backend/network"
)

// status is the part of Mastodon's Status entity Herald reads.
//
// https://docs.joinmastodon.org/entities/Status/
type status struct {
	ID          string            `json:"id"`
	CreatedAt   string            `json:"created_at"` // parsed leniently: an odd date must not lose a post
	InReplyToID *string           `json:"in_reply_to_id"`
	URI         string            `json:"uri"`
	URL         *string           `json:"url"`
	Content     string            `json:"content"`
	Text        *string           `json:"text"` // own source text; Mastodon only on delete, GoToSocial always
	SpoilerText string            `json:"spoiler_text"`
	Visibility  string            `json:"visibility"`
	Media       []mediaAttachment `json:"media_attachments"`
	Reblog      *struct{}         `json:"reblog"`
}

// mediaAttachment is the part of Mastodon's MediaAttachment Herald reads.
//
// https://docs.joinmastodon.org/entities/MediaAttachment/
type mediaAttachment struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	URL         *string `json:"url"`
	Description *string `json:"description"`
}

// link is the status's public page: url, or uri where a server leaves url
// out.
func (s status) link() string {
	if s.URL != nil && *s.URL != "" {
		return *s.URL
	}
	return s.URI
}

// plainText is the status's text: the source text where the server
// returns it, else its HTML content turned back into text.
func (s status) plainText() string {
	if s.Text != nil && *s.Text != "" {
		return *s.Text
	}
	return htmlToText(s.Content)
}

// created is created_at, or the zero time when a server sends something
// that is not an ISO 8601 datetime.
func (s status) created() time.Time {
	t, err := time.Parse(time.RFC3339Nano, s.CreatedAt)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s status) inReplyTo() string {
	if s.InReplyToID == nil {
		return ""
	}
	return *s.InReplyToID
}

func (s status) remote() network.RemotePost {
	rp := network.RemotePost{ID: s.ID, URL: s.link(), Text: s.plainText(), CreatedAt: s.created(), MediaCount: len(s.Media)}
	for _, m := range s.Media {
		alt := ""
		if m.Description != nil {
			alt = *m.Description
		}
		rp.AltTexts = append(rp.AltTexts, alt)
	}
	return rp
}

// Lookup reads a status back to confirm it exists as published.
//
// https://docs.joinmastodon.org/methods/statuses/#get
func (c *Client) Lookup(ctx context.Context, instance string, cred network.Credential, remoteID string) (network.RemotePost, error) {
	const op = "read post"
	base, err := normalize(op, instance)
	if err != nil {
		return network.RemotePost{}, err
	}
	if remoteID == "" || strings.ContainsAny(remoteID, "/?#") {
		return network.RemotePost{}, invalid(op, "the post id is empty or malformed")
	}
	var s status
	err = c.call(ctx, op, http.MethodGet, base+"/api/v1/statuses/"+url.PathEscape(remoteID), cred.AccessToken, nil, &s)
	var ne *network.Error
	if errors.As(err, &ne) && ne.Status == http.StatusNotFound {
		ne.Class, ne.Code = network.ClassContentRejected, "not_found"
		ne.Message = "the post does not exist on the server (deleted, or never made)"
	}
	if err != nil {
		return network.RemotePost{}, err
	}
	return s.remote(), nil
}

// statusID is the id a multiple-statuses answer is matched by.
func (s status) statusID() string { return s.ID }

// readStatuses reads statuses by id: refreshBatch at a time with
// GET /api/v1/statuses?id[]= (Mastodon 4.3 and later), one at a time on a
// server without it (GoToSocial, older Mastodon), which is remembered per
// server. each is called once per id, in the order given, with the status,
// or nil when the server no longer has it (left out of a batch answer, or
// a 404 on its own). The first failed request ends the read: what was read
// before has been handed to each, and the error is returned.
//
// https://docs.joinmastodon.org/methods/statuses/#index
// https://docs.joinmastodon.org/methods/statuses/#get
func readStatuses[T interface{ statusID() string }](ctx context.Context, c *Client, op, base string, cred network.Credential,
	ids []string, each func(id string, s *T)) error {
	for len(ids) > 0 {
		if _, single := c.noBatch.Load(base); single {
			break
		}
		batch := ids[:min(refreshBatch, len(ids))]
		q := url.Values{}
		for _, id := range batch {
			q.Add("id[]", id)
		}
		var found []T
		err := c.call(ctx, op, http.MethodGet, base+"/api/v1/statuses?"+q.Encode(), cred.AccessToken, nil, &found)
		var ne *network.Error
		switch {
		case err == nil:
		case errors.As(err, &ne) && (ne.Status == http.StatusNotFound || ne.Status == http.StatusMethodNotAllowed ||
			ne.Status == http.StatusBadRequest || ne.Status == http.StatusUnprocessableEntity || ne.Status == http.StatusNotImplemented):
			// Not offered here: one by one from now on.
			c.noBatch.Store(base, true)
			continue
		default:
			return err
		}
		byID := make(map[string]*T, len(found))
		for i := range found {
			byID[found[i].statusID()] = &found[i]
		}
		for _, id := range batch {
			each(id, byID[id])
		}
		ids = ids[len(batch):]
	}
	for _, id := range ids {
		var s T
		err := c.call(ctx, op, http.MethodGet, base+"/api/v1/statuses/"+url.PathEscape(id), cred.AccessToken, nil, &s)
		var ne *network.Error
		switch {
		case err == nil:
			each(id, &s)
		case errors.As(err, &ne) && ne.Status == http.StatusNotFound:
			each(id, nil)
		default:
			return err
		}
	}
	return nil
}

// htmlToText turns a status's HTML content into the text a person sees:
// paragraphs become blank lines, <br> a newline, entities are unescaped,
// and every tag goes. Mastodon hides parts of long links in spans; their
// text is kept, so a link reads in full.
func htmlToText(content string) string {
	text, _ := htmlToTextLinks(content)
	return text
}

// htmlToTextLinks is htmlToText that also returns the web links of the
// content (http and https hrefs, once each, mentions and hashtags left
// out: they are the server's own pages). Script and style contents are
// dropped, never shown as text.
func htmlToTextLinks(content string) (string, []string) {
	var b strings.Builder
	var links []string
	skip := 0 // inside <script> or <style>
	z := html.NewTokenizer(strings.NewReader(content))
	breakTo := func(newlines int) {
		s := b.String()
		if s == "" {
			return
		}
		have := len(s) - len(strings.TrimRight(s, "\n"))
		for ; have < newlines; have++ {
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(b.String()), links
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.A:
				if tt == html.StartTagToken && hasAttr {
					if href := linkHref(z); href != "" && !slices.Contains(links, href) {
						links = append(links, href)
					}
				}
			case atom.Br:
				b.WriteByte('\n')
			case atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.Ul, atom.Ol,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				breakTo(2)
			case atom.Li:
				breakTo(1)
			}
		}
	}
}

// linkHref is an <a>'s href when it is a web link a person could follow
// and not a mention or hashtag.
func linkHref(z *html.Tokenizer) string {
	var href, class string
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "href":
			href = string(v)
		case "class":
			class = string(v)
		}
		if !more {
			break
		}
	}
	for _, c := range strings.Fields(class) {
		if c == "mention" || c == "hashtag" {
			return ""
		}
	}
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return href
}
