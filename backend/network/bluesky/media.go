package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // image.DecodeConfig reads the size of attached images
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"herald/backend/network"
)

// Bluesky's media limits: app.bsky.embed.images allows 4 images of at most
// 1,000,000 bytes each (the lexicon's maxSize).
const (
	maxImages     = 4
	maxImageBytes = 1_000_000
	// maxVideoBytes is Bluesky's video limit, declared for the composer;
	// Herald does not publish video to Bluesky yet.
	maxVideoBytes = 50_000_000
)

// imageTypes are the image formats the Bluesky app uploads.
func imageTypes() []string { return []string{"image/jpeg", "image/png", "image/webp", "image/gif"} }

// imagesEmbed is app.bsky.embed.images.
type imagesEmbed struct {
	Type   string       `json:"$type"`
	Images []embedImage `json:"images"`
}

// embedImage is app.bsky.embed.images#image. alt is required by the
// lexicon, so an image without a description sends "".
type embedImage struct {
	Image       json.RawMessage `json:"image"` // the blob ref exactly as uploadBlob returned it
	Alt         string          `json:"alt"`
	AspectRatio *aspectRatio    `json:"aspectRatio,omitempty"`
}

// aspectRatio is app.bsky.embed.defs#aspectRatio; both sides are ≥ 1.
type aspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// checkMedia refuses, before anything is sent, attachments Bluesky would
// refuse: the user learns which file and why, and no half-made post exists.
func checkMedia(op string, media []network.Media) error {
	if len(media) > maxImages {
		return mediaError(op, fmt.Sprintf("a Bluesky post holds at most %d images; this one has %d", maxImages, len(media)))
	}
	for _, m := range media {
		name := filepath.Base(m.Path)
		mime := strings.ToLower(strings.TrimSpace(m.MIME))
		switch {
		case strings.HasPrefix(mime, "video/"):
			return mediaError(op, "Herald cannot publish videos to Bluesky yet; remove "+name+" or post it from the Bluesky app")
		case !slices.Contains(imageTypes(), mime):
			return mediaError(op, fmt.Sprintf("Bluesky accepts JPEG, PNG, WebP and GIF images; %s is %s", name, orUnknown(mime)))
		case m.Size > maxImageBytes:
			return imageTooLarge(op, name, m.Size)
		}
	}
	return nil
}

func orUnknown(mime string) string {
	if mime == "" {
		return "of an unknown type"
	}
	return mime
}

func mediaError(op, msg string) *network.Error {
	return &network.Error{Network: ID, Op: op, Class: network.ClassMediaRejected, Message: msg}
}

func imageTooLarge(op, name string, size int64) *network.Error {
	return mediaError(op, fmt.Sprintf("%s is %s; Bluesky accepts images of at most 1 MB (1,000,000 bytes). "+
		"Resize or compress it and try again", name, megabytes(size)))
}

func megabytes(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1_000_000) }

// readImage reads an attachment, refusing it unread when it is too large:
// the file on disk, not only the size Herald recorded, is what counts.
func readImage(op string, m network.Media) ([]byte, error) {
	name := filepath.Base(m.Path)
	f, err := os.Open(m.Path)
	if err != nil {
		return nil, mediaError(op, "Herald cannot read the image "+name+"; attach it again ("+err.Error()+")")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxImageBytes {
		return nil, imageTooLarge(op, name, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxImageBytes+1))
	if err != nil {
		return nil, mediaError(op, "Herald cannot read the image "+name+" ("+err.Error()+")")
	}
	if len(data) > maxImageBytes {
		return nil, imageTooLarge(op, name, int64(len(data)))
	}
	return data, nil
}

// uploadImages uploads each attachment and returns the embed for the post.
// Blobs are content-addressed, so uploading again on a retry is harmless.
func (cl *Client) uploadImages(ctx context.Context, op string, s repoSession, media []network.Media) (*imagesEmbed, error) {
	if len(media) == 0 {
		return nil, nil
	}
	embed := &imagesEmbed{Type: "app.bsky.embed.images"}
	for _, m := range media {
		data, err := readImage(op, m)
		if err != nil {
			return nil, err
		}
		blob, err := cl.uploadBlob(ctx, op, s, strings.ToLower(strings.TrimSpace(m.MIME)), data)
		if err != nil {
			return nil, err
		}
		img := embedImage{Image: blob, Alt: m.AltText}
		w, h := m.Width, m.Height
		if w <= 0 || h <= 0 {
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
				w, h = cfg.Width, cfg.Height
			}
		}
		if w > 0 && h > 0 {
			img.AspectRatio = &aspectRatio{Width: w, Height: h}
		}
		embed.Images = append(embed.Images, img)
	}
	return embed, nil
}

// uploadBlob sends the raw bytes with their MIME type as Content-Type.
// https://docs.bsky.app/docs/api/com-atproto-repo-upload-blob
func (cl *Client) uploadBlob(ctx context.Context, op string, s repoSession, mime string, data []byte) (json.RawMessage, error) {
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	err := cl.do(ctx, call{op: op, method: http.MethodPost, host: s.host, nsid: "com.atproto.repo.uploadBlob",
		raw: data, rawType: mime, token: s.token, use: accessToken, subject: "the image"}, &out)
	if ne, ok := asError(err); ok && ne.Class == network.ClassContentRejected {
		ne.Class = network.ClassMediaRejected // any refusal of an upload is about the file
	}
	if err != nil {
		return nil, err
	}
	var ref struct {
		Ref struct {
			Link string `json:"$link"`
		} `json:"ref"`
	}
	if json.Unmarshal(out.Blob, &ref) != nil || ref.Ref.Link == "" {
		return nil, &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
			Message: "Bluesky's answer to the image upload named no blob"}
	}
	return out.Blob, nil
}

// embedMedia reads what a post's embed shows: images and a video, also
// inside a quote post with media (app.bsky.embed.recordWithMedia).
func embedMedia(raw json.RawMessage) (count int, alts []string) {
	var e struct {
		Type   string `json:"$type"`
		Images []struct {
			Alt string `json:"alt"`
		} `json:"images"`
		Alt   *string         `json:"alt"` // app.bsky.embed.video
		Media json.RawMessage `json:"media"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &e) != nil {
		return 0, nil
	}
	switch e.Type {
	case "app.bsky.embed.images":
		for _, img := range e.Images {
			alts = append(alts, img.Alt)
		}
		return len(e.Images), alts
	case "app.bsky.embed.video":
		alt := ""
		if e.Alt != nil {
			alt = *e.Alt
		}
		return 1, []string{alt}
	case "app.bsky.embed.recordWithMedia":
		return embedMedia(e.Media)
	}
	return 0, nil
}
