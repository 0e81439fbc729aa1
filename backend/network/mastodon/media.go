package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"herald/backend/network"
)

// maxMediaPoll is the longest wait between two checks of an attachment
// that is still processing.
const maxMediaPoll = 5 * time.Second

// uploadAll uploads p's attachments in order and returns their ids, each
// processed and ready to attach.
func (c *Client) uploadAll(ctx context.Context, base string, cred network.Credential, media []network.Media) ([]string, error) {
	ids := make([]string, 0, len(media))
	for i, m := range media {
		id, err := c.upload(ctx, base, cred, m)
		if err != nil {
			var ne *network.Error
			if errors.As(err, &ne) && len(media) > 1 {
				ne.Message = fmt.Sprintf("attachment %d of %d: %s", i+1, len(media), ne.Message)
			}
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// upload sends one attachment with its alt text and waits until the
// server has processed it. Servers older than Mastodon 3.1.3 have no v2
// endpoint; v1 answers once the file is processed.
//
// https://docs.joinmastodon.org/methods/media/#v2
// https://docs.joinmastodon.org/methods/media/#v1
func (c *Client) upload(ctx context.Context, base string, cred network.Credential, m network.Media) (string, error) {
	const op = "upload media"
	id, code, err := c.postMedia(ctx, op, base+"/api/v2/media", cred, m)
	var ne *network.Error
	if errors.As(err, &ne) && ne.Status == http.StatusNotFound {
		id, code, err = c.postMedia(ctx, op, base+"/api/v1/media", cred, m)
	}
	if err != nil {
		return "", err
	}
	// 200: processed (GoToSocial always answers 200, with url null as the
	// v2 API asks). 202: still processing, url null until it is done.
	if code == http.StatusAccepted {
		if err := c.waitForMedia(ctx, base, cred, id); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (c *Client) postMedia(ctx context.Context, op, endpoint string, cred network.Credential, m network.Media) (id string, code int, err error) {
	f, err := os.Open(m.Path)
	if err != nil {
		return "", 0, mediaError(op, "the attachment file could not be read; attach it again", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return "", 0, mediaError(op, "the attachment is not a readable file; attach it again", err)
	}
	head, tail, contentType, err := multipartFrame(m)
	if err != nil {
		return "", 0, mediaError(op, "the attachment could not be prepared", err)
	}
	var a mediaAttachment
	code, err = c.callReq(ctx, op, request{
		method: http.MethodPost, url: endpoint, token: cred.AccessToken,
		body:        io.MultiReader(bytes.NewReader(head), io.LimitReader(f, st.Size()), bytes.NewReader(tail)),
		contentType: contentType,
		length:      int64(len(head)) + st.Size() + int64(len(tail)),
		write:       true,
	}, &a)
	if err != nil {
		return "", code, mediaClass(err)
	}
	if a.ID == "" {
		return "", code, &network.Error{Network: ID, Op: op, Class: network.ClassTransient, Status: code,
			Message: "the server accepted the attachment but returned no id; try again later"}
	}
	return a.ID, code, nil
}

// multipartFrame builds the multipart body around the file: everything
// before its bytes (the description field and the file's part header) and
// the closing boundary after. The file itself is streamed, so a large
// video is never held in memory, and the length is known up front.
func multipartFrame(m network.Media) (head, tail []byte, contentType string, err error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if m.AltText != "" {
		if err := w.WriteField("description", m.AltText); err != nil {
			return nil, nil, "", err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(filepath.Base(m.Path))))
	h.Set("Content-Type", mediaType(m))
	if _, err := w.CreatePart(h); err != nil {
		return nil, nil, "", err
	}
	n := buf.Len()
	if err := w.Close(); err != nil {
		return nil, nil, "", err
	}
	all := buf.Bytes()
	return all[:n:n], all[n:], w.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

// mediaType is the attachment's MIME type: as recorded, else from the
// file's extension. The server checks the bytes itself.
func mediaType(m network.Media) string {
	if m.MIME != "" {
		return m.MIME
	}
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(m.Path))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// waitForMedia polls until the server has processed the attachment (200),
// while it answers 206, within c.mediaWait.
//
// https://docs.joinmastodon.org/methods/media/#get
func (c *Client) waitForMedia(parent context.Context, base string, cred network.Credential, id string) error {
	const op = "process media"
	ctx, cancel := context.WithTimeout(parent, c.mediaWait)
	defer cancel()
	wait := c.mediaPoll
	for {
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return c.mediaWaitError(parent, op)
		case <-timer.C:
		}
		code, err := c.callReq(ctx, op, request{method: http.MethodGet, url: base + "/api/v1/media/" + url.PathEscape(id), token: cred.AccessToken}, nil)
		if err != nil {
			if ctx.Err() != nil {
				return c.mediaWaitError(parent, op)
			}
			return mediaClass(err)
		}
		if code == http.StatusOK {
			return nil
		}
		wait = min(wait*2, maxMediaPoll)
	}
}

// mediaWaitError says why waiting stopped: the caller gave up (parent is
// done), or the server took longer than Herald waits.
func (c *Client) mediaWaitError(parent context.Context, op string) error {
	if err := parent.Err(); err != nil {
		return network.TransportError(ID, op, err)
	}
	return &network.Error{Network: ID, Op: op, Class: network.ClassTransient,
		Message: fmt.Sprintf("the server was still processing the attachment after %s; Herald will try again later", c.mediaWait.Round(time.Second))}
}

// mediaClass makes a refusal of an attachment media_rejected: on the media
// endpoints a 4xx other than sign-in, permission and rate limit problems is
// about the file (Mastodon 422 "File content type is invalid", GoToSocial
// 400 "media exceeds configured max size").
func mediaClass(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) && ne.Class == network.ClassContentRejected {
		ne.Class = network.ClassMediaRejected
		ne.Message = strings.Replace(ne.Message, "the server refused the request", "the server refused the attachment", 1)
		ne.Message = strings.Replace(ne.Message, "the server rejected the post", "the server refused the attachment", 1)
	}
	return err
}

func mediaError(op, msg string, err error) *network.Error {
	return &network.Error{Network: ID, Op: op, Class: network.ClassMediaRejected, Code: "file_unreadable", Message: msg, Err: err}
}
