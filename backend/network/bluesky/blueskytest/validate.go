package blueskytest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// postInput is what the fake validates of an app.bsky.feed.post.
type postInput struct {
	Type      string   `json:"$type"`
	Text      *string  `json:"text"`
	CreatedAt *string  `json:"createdAt"`
	Langs     []string `json:"langs"`
	Reply     *Reply   `json:"reply"`
	Facets    []struct {
		Index struct {
			ByteStart int `json:"byteStart"`
			ByteEnd   int `json:"byteEnd"`
		} `json:"index"`
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
			DID  string `json:"did"`
		} `json:"features"`
	} `json:"facets"`
	Embed *struct {
		Type   string `json:"$type"`
		Images []struct {
			Alt   *string `json:"alt"`
			Image *struct {
				Type string `json:"$type"`
				Ref  struct {
					Link string `json:"$link"`
				} `json:"ref"`
				MIMEType string `json:"mimeType"`
				Size     int64  `json:"size"`
			} `json:"image"`
			AspectRatio *AspectRatio `json:"aspectRatio"`
		} `json:"images"`
	} `json:"embed"`
}

// validatePost checks a post as the PDS's lexicon validation does, with
// its messages. Callers hold s.mu.
func (s *Server) validatePost(p postInput) *xrpcErr {
	bad := func(msg string) *xrpcErr {
		return &xrpcErr{http.StatusBadRequest, "InvalidRequest", "Invalid " + Collection + " record: " + msg}
	}
	switch {
	case p.Type != "" && p.Type != Collection:
		return &xrpcErr{http.StatusBadRequest, "InvalidRequest", "Invalid $type: expected " + Collection + ", got " + p.Type}
	case p.Text == nil:
		return bad(`Record must have the property "text"`)
	case len(*p.Text) > 3000:
		return bad("Record/text must not be longer than 3000 characters")
	case uniseg.GraphemeClusterCount(*p.Text) > 300:
		return bad("Record/text must not be longer than 300 graphemes")
	case p.CreatedAt == nil:
		return bad(`Record must have the property "createdAt"`)
	case len(p.Langs) > 3:
		return bad("Record/langs must not have more than 3 elements")
	}
	if _, err := time.Parse(time.RFC3339Nano, *p.CreatedAt); err != nil {
		return bad("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
	}
	if p.Reply != nil {
		for name, ref := range map[string]StrongRef{"root": p.Reply.Root, "parent": p.Reply.Parent} {
			if !strings.HasPrefix(ref.URI, "at://") || ref.CID == "" {
				return bad("Record/reply/" + name + " must be a strong reference (uri and cid)")
			}
		}
	}
	for i, f := range p.Facets {
		if f.Index.ByteStart < 0 || f.Index.ByteEnd < 0 || len(f.Features) == 0 {
			return bad(fmt.Sprintf("Record/facets/%d is not a valid facet", i))
		}
	}
	if p.Embed == nil {
		return nil
	}
	if p.Embed.Type != "app.bsky.embed.images" {
		return bad("the fake accepts only app.bsky.embed.images embeds, not " + p.Embed.Type)
	}
	if len(p.Embed.Images) > 4 {
		return bad("Record/embed/images must not have more than 4 elements")
	}
	for i, img := range p.Embed.Images {
		switch {
		case img.Alt == nil:
			return bad(fmt.Sprintf(`Record/embed/images/%d must have the property "alt"`, i))
		case img.Image == nil || img.Image.Type != "blob" || img.Image.Ref.Link == "":
			return bad(fmt.Sprintf("Record/embed/images/%d/image should be a blob ref", i))
		case img.AspectRatio != nil && (img.AspectRatio.Width < 1 || img.AspectRatio.Height < 1):
			return bad(fmt.Sprintf("Record/embed/images/%d/aspectRatio/width and height must be at least 1", i))
		}
		b, ok := s.repo.blobs[img.Image.Ref.Link]
		switch {
		case !ok:
			return &xrpcErr{http.StatusBadRequest, "BlobNotFound", "Could not find blob: " + img.Image.Ref.Link}
		case len(b.data) > 1_000_000:
			return &xrpcErr{http.StatusBadRequest, "BlobTooLarge",
				fmt.Sprintf("This file is too large. It is %d bytes but the maximum size is 1000000 bytes.", len(b.data))}
		case !strings.HasPrefix(b.mime, "image/"):
			return &xrpcErr{http.StatusBadRequest, "InvalidMimeType", "Wrong type of file. It is " + b.mime + " but it must match image/*."}
		case img.Image.MIMEType != b.mime:
			return &xrpcErr{http.StatusBadRequest, "InvalidMimeType",
				"Referenced Mimetype does not match stored blob. Expected: " + b.mime + ", Got: " + img.Image.MIMEType}
		case img.Image.Size != int64(len(b.data)):
			return &xrpcErr{http.StatusBadRequest, "InvalidSize",
				fmt.Sprintf("Referenced Size does not match stored blob. Expected: %d, Got: %d", len(b.data), img.Image.Size)}
		}
	}
	return nil
}
