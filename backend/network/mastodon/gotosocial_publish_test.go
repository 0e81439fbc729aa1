//go:build gotosocial

package mastodon_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/test/gts"
)

// recorder notes the status of every answer, by method and path.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+req.URL.Path+" "+http.StatusText(resp.StatusCode))
		r.mu.Unlock()
	}
	return resp, err
}

func (r *recorder) calls(prefix string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.seen {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// rawStatus is what GoToSocial's own API says about a status.
type rawStatus struct {
	ID          string  `json:"id"`
	InReplyToID *string `json:"in_reply_to_id"`
	Visibility  string  `json:"visibility"`
	SpoilerText string  `json:"spoiler_text"`
	Sensitive   bool    `json:"sensitive"`
	Language    *string `json:"language"`
	Text        string  `json:"text"`
	Content     string  `json:"content"`
	Media       []struct {
		Description *string `json:"description"`
	} `json:"media_attachments"`
}

// testPublishOnGoToSocial publishes through Herald's client to a real
// GoToSocial and reads every result back through GoToSocial's own API.
func testPublishOnGoToSocial(t *testing.T, server *gts.Server, cred network.Credential) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rec := &recorder{}
	c := mastodon.New(mastodon.Options{HTTP: &http.Client{Transport: rec, Timeout: 60 * time.Second}, MediaPollInterval: 200 * time.Millisecond})
	inst := server.URL()
	raw := func(t *testing.T, id string) rawStatus {
		t.Helper()
		var s rawStatus
		if code := server.API(t, cred.AccessToken, http.MethodGet, "/api/v1/statuses/"+id, nil, &s); code != http.StatusOK {
			t.Fatalf("GET /api/v1/statuses/%s = %d", id, code)
		}
		return s
	}

	t.Run("GoToSocial makes a post without visibility unlisted", func(t *testing.T) {
		var s rawStatus
		code := server.API(t, cred.AccessToken, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"no visibility sent"}}, &s)
		if code != http.StatusOK || s.Visibility != "unlisted" {
			t.Fatalf("POST without visibility = %d, visibility %q; want unlisted (why Herald always sends it)", code, s.Visibility)
		}
	})

	since := time.Now()
	text := "Hello from Herald ✨ #herald https://example.com/a/rather/long/path/to/an/article"
	var first network.Published
	t.Run("text post, public, read back", func(t *testing.T) {
		var progress []string
		p := network.Post{Text: text, IdempotencyKey: "gts-text-1", CreatedAt: since,
			Progress: func(_ int, id, _ string) { progress = append(progress, id) }}
		got, err := c.Publish(ctx, inst, cred, p)
		if err != nil {
			t.Fatal(err)
		}
		first = got
		if got.RemoteID == "" || !strings.HasPrefix(got.URL, inst+"/@alice/statuses/") || !reflect.DeepEqual(progress, got.ItemIDs) {
			t.Errorf("Published = %+v, progress %v", got, progress)
		}
		s := raw(t, got.RemoteID)
		if s.Visibility != "public" || s.InReplyToID != nil {
			t.Errorf("GoToSocial has visibility %q, reply to %v; want public, none", s.Visibility, s.InReplyToID)
		}
		if s.Text != text {
			t.Errorf("GoToSocial's text field = %q, want the source text %q", s.Text, text)
		}
		rp, err := c.Lookup(ctx, inst, cred, got.RemoteID)
		if err != nil || rp.Text != text || rp.URL != got.URL || rp.MediaCount != 0 {
			t.Errorf("Lookup = %+v, %v", rp, err)
		}
		if html := mastodon.HTMLToText(s.Content); mastodon.NormalizeText(html) != mastodon.NormalizeText(text) {
			t.Errorf("GoToSocial's HTML %q reads as %q, want %q", s.Content, html, text)
		}
	})

	t.Run("Idempotency-Key is ignored, and reconcile finds the original", func(t *testing.T) {
		if first.RemoteID == "" {
			t.Fatal("the text post above failed: nothing to reconcile against")
		}
		p := network.Post{Text: text, IdempotencyKey: "gts-text-1", CreatedAt: since}
		again, err := c.Publish(ctx, inst, cred, p)
		if err != nil {
			t.Fatal(err)
		}
		if again.RemoteID == first.RemoteID {
			t.Log("this GoToSocial honours Idempotency-Key")
		} else {
			t.Logf("GoToSocial ignored Idempotency-Key: the same key made %s and %s", first.RemoteID, again.RemoteID)
		}
		found, ok, err := c.FindPublished(ctx, inst, cred, p, since)
		if err != nil || !ok || found.RemoteID != first.RemoteID || found.URL != first.URL {
			t.Errorf("FindPublished = %+v, %v, %v; want the original %s", found, ok, err, first.RemoteID)
		}
		if _, ok, err := c.FindPublished(ctx, inst, cred, network.Post{Text: "never posted"}, since); ok || err != nil {
			t.Errorf("FindPublished of a post never made = %v, %v", ok, err)
		}
	})

	t.Run("image with alt text", func(t *testing.T) {
		const alt = "A blue square on a white page, drawn by Herald's test"
		p := network.Post{Text: "With a picture", IdempotencyKey: "gts-image", CreatedAt: time.Now(),
			Media: []network.Media{{Path: bluePNG(t), MIME: "image/png", AltText: alt, Width: 64, Height: 64}}}
		got, err := c.Publish(ctx, inst, cred, p)
		if err != nil {
			t.Fatal(err)
		}
		s := raw(t, got.RemoteID)
		if len(s.Media) != 1 || s.Media[0].Description == nil || *s.Media[0].Description != alt {
			t.Errorf("GoToSocial's attachments %+v, want one with the alt text", s.Media)
		}
		rp, err := c.Lookup(ctx, inst, cred, got.RemoteID)
		if err != nil || rp.MediaCount != 1 || !reflect.DeepEqual(rp.AltTexts, []string{alt}) {
			t.Errorf("Lookup = %+v, %v", rp, err)
		}
		t.Logf("media upload answers: %v; processing checks: %v", rec.calls("POST /api/v2/media"), rec.calls("GET /api/v1/media/"))
	})

	t.Run("a thread and a first comment, each replying to the one before", func(t *testing.T) {
		p := network.Post{Text: "Thread 1/3", Thread: []string{"Thread 2/3", "Thread 3/3"}, FirstComment: "More at https://example.com",
			IdempotencyKey: "gts-thread", CreatedAt: time.Now(), Options: map[string]string{"visibility": "unlisted"}}
		got, err := c.Publish(ctx, inst, cred, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.ItemIDs) != 4 {
			t.Fatalf("ItemIDs = %v", got.ItemIDs)
		}
		for i, id := range got.ItemIDs {
			s := raw(t, id)
			reply := ""
			if s.InReplyToID != nil {
				reply = *s.InReplyToID
			}
			want := ""
			if i > 0 {
				want = got.ItemIDs[i-1]
			}
			if reply != want || s.Visibility != "unlisted" {
				t.Errorf("item %d replies to %q with visibility %q; want %q, unlisted", i, reply, s.Visibility, want)
			}
		}
		found, ok, err := c.FindPublished(ctx, inst, cred, p, p.CreatedAt)
		if err != nil || !ok || !reflect.DeepEqual(found.ItemIDs, got.ItemIDs) {
			t.Errorf("FindPublished = %+v, %v, %v; want all four items %v", found, ok, err, got.ItemIDs)
		}
		// Resume after the second item: only the rest is made.
		p2 := p
		p2.IdempotencyKey, p2.Done = "gts-thread-2", got.ItemIDs[:1]
		p2.Text = "Thread 1/3" // Done[0] stands for it
		resumed, err := c.Publish(ctx, inst, cred, p2)
		if err != nil || len(resumed.ItemIDs) != 4 || resumed.ItemIDs[0] != got.ItemIDs[0] || resumed.URL != got.URL {
			t.Fatalf("resume = %+v, %v", resumed, err)
		}
		if s := raw(t, resumed.ItemIDs[1]); s.InReplyToID == nil || *s.InReplyToID != got.ItemIDs[0] {
			t.Errorf("the resumed item replies to %v, want %s", s.InReplyToID, got.ItemIDs[0])
		}
	})

	t.Run("content warning and language", func(t *testing.T) {
		got, err := c.Publish(ctx, inst, cred, network.Post{Text: "Behind a warning", CreatedAt: time.Now(),
			Options: map[string]string{"content_warning": "Spoilers", "language": "en"}})
		if err != nil {
			t.Fatal(err)
		}
		s := raw(t, got.RemoteID)
		if s.SpoilerText != "Spoilers" || !s.Sensitive || s.Language == nil || *s.Language != "en" {
			t.Errorf("GoToSocial has spoiler %q, sensitive %v, language %v", s.SpoilerText, s.Sensitive, s.Language)
		}
	})

	t.Run("refusals are classified", func(t *testing.T) {
		_, err := c.Publish(ctx, inst, cred, network.Post{Text: strings.Repeat("a", 5001)})
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Class != network.ClassContentRejected || ne.Sent || !strings.Contains(ne.Message, "too long") {
			t.Errorf("Publish of 5001 characters = %v, want content_rejected with GoToSocial's words", err)
		}
		t.Logf("too long: %v", err)
		_, err = c.Lookup(ctx, inst, cred, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
		if !errors.As(err, &ne) || ne.Code != "not_found" {
			t.Errorf("Lookup of a missing status = %v, want not_found", err)
		}
		t.Logf("missing: %v", err)
		_, err = c.Publish(ctx, inst, cred, network.Post{Text: "x", Media: []network.Media{{Path: textFile(t), MIME: "text/plain"}}})
		if network.ClassOf(err) != network.ClassMediaRejected {
			t.Errorf("Publish with a text file as media = %v (class %s), want media_rejected", err, network.ClassOf(err))
		}
		t.Logf("text file as media: %v", err)
	})

	t.Run("scheduled posts are not supported: a clear error", func(t *testing.T) {
		before := statusesCount(t, server, cred)
		_, err := c.Schedule(ctx, inst, cred, network.Post{Text: "Later"}, time.Now().Add(time.Hour))
		if !errors.Is(err, mastodon.ErrScheduleUnsupported) || network.ClassOf(err) != network.ClassInvalidInput {
			t.Errorf("Schedule = %v (class %s), want ErrScheduleUnsupported", err, network.ClassOf(err))
		}
		t.Logf("Schedule: %v; answers %v", err, rec.calls("POST /api/v1/statuses")[len(rec.calls("POST /api/v1/statuses"))-1:])
		_, err = c.ListScheduled(ctx, inst, cred)
		if !errors.Is(err, mastodon.ErrScheduleUnsupported) {
			t.Errorf("ListScheduled = %v, want ErrScheduleUnsupported", err)
		}
		t.Logf("ListScheduled: %v; answers %v", err, rec.calls("GET /api/v1/scheduled_statuses"))
		if after := statusesCount(t, server, cred); after != before {
			t.Errorf("a refused schedule published something (%d → %d statuses)", before, after)
		}
	})

	t.Run("rules are GoToSocial's", func(t *testing.T) {
		r, err := c.Rules(ctx, inst)
		if err != nil {
			t.Fatal(err)
		}
		// GoToSocial reports 25 characters per link but counts links and
		// mention domains as written.
		if r.MaxChars != 5000 || r.URLWeight != 0 || r.MentionDomainFree || r.MaxMedia != 6 || r.MaxAltText != 1500 ||
			len(r.MediaTypes) == 0 || r.MaxImageBytes <= 0 {
			t.Errorf("Rules = %+v", r)
		}
		// Its check, for the record: a 100-character link counts 100.
		long := "https://example.com/" + strings.Repeat("a", 80)
		_, err = c.Publish(ctx, inst, cred, network.Post{Text: strings.Repeat("b", 5000-len(long)+1) + long})
		if network.ClassOf(err) != network.ClassContentRejected {
			t.Errorf("a post over the limit only when its link counts in full = %v, want content_rejected", err)
		}
	})
}

func statusesCount(t *testing.T, server *gts.Server, cred network.Credential) int {
	t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	server.API(t, cred.AccessToken, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, &me)
	var list []map[string]any
	server.API(t, cred.AccessToken, http.MethodGet, "/api/v1/accounts/"+me.ID+"/statuses?limit=40", nil, &list)
	return len(list)
}

func bluePNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := range 64 {
		for y := range 64 {
			img.Set(x, y, color.RGBA{R: 59, G: 91, B: 219, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "square.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func textFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
