package mastodon_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

// publisher is a client for fake with fast media polling, and a
// credential for its default account.
func publisher(t *testing.T, fake *mastodontest.Server, o mastodon.Options) (*mastodon.Client, network.Credential) {
	t.Helper()
	o.HTTP = fake.Client()
	if o.MediaPollInterval == 0 {
		o.MediaPollInterval = time.Millisecond
	}
	return mastodon.New(o), fake.Credential(fake.Account().ID, "")
}

func pngPath(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{R: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "red \"square\".png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPublishOptions(t *testing.T) {
	tests := []struct {
		name    string
		options map[string]string
		want    map[string]string // request parameters; "" = not sent
	}{
		{"visibility is always sent, public by default", nil,
			map[string]string{"visibility": "public", "spoiler_text": "", "sensitive": "", "language": ""}},
		{"a chosen visibility", map[string]string{"visibility": "unlisted"},
			map[string]string{"visibility": "unlisted"}},
		{"a content warning hides the media too", map[string]string{"content_warning": "Spoilers for Dune"},
			map[string]string{"visibility": "public", "spoiler_text": "Spoilers for Dune", "sensitive": "true"}},
		{"sensitive media without a warning", map[string]string{"sensitive": "true"},
			map[string]string{"spoiler_text": "", "sensitive": "true"}},
		{"explicitly not sensitive", map[string]string{"sensitive": "false"},
			map[string]string{"sensitive": "false"}},
		{"a content warning wins over sensitive=false", map[string]string{"sensitive": "false", "content_warning": "cw"},
			map[string]string{"sensitive": "true", "spoiler_text": "cw"}},
		{"language", map[string]string{"language": "de", "visibility": "private"},
			map[string]string{"language": "de", "visibility": "private"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := mastodontest.NewServer(t)
			c, cred := publisher(t, fake, mastodon.Options{})
			_, err := c.Publish(context.Background(), fake.Instance(), cred, network.Post{Text: "Hello", Options: tt.options})
			if err != nil {
				t.Fatal(err)
			}
			st := fake.Statuses()[0]
			for k, want := range tt.want {
				if got := st.Params.Get(k); got != want {
					t.Errorf("parameter %s = %q, want %q (all: %v)", k, got, want, st.Params)
				}
			}
		})
	}
}

func TestPublishThreadAndFirstComment(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c, cred := publisher(t, fake, mastodon.Options{})
	var progress []string
	p := network.Post{
		Text: "1/3 the post", Thread: []string{"2/3", "3/3"}, FirstComment: "Links in the comments",
		Options: map[string]string{"visibility": "unlisted", "content_warning": "long thread"}, IdempotencyKey: "target-7",
		Progress: func(i int, id, url string) {
			// Called before the next item exists.
			if n := fake.StatusCount(); n != i+1 {
				t.Errorf("Progress(%d) ran with %d statuses on the server, want %d", i, n, i+1)
			}
			if id == "" || !strings.Contains(url, id) {
				t.Errorf("Progress(%d, %q, %q)", i, id, url)
			}
			progress = append(progress, id)
		},
	}
	got, err := c.Publish(context.Background(), fake.Instance(), cred, p)
	if err != nil {
		t.Fatal(err)
	}
	sts := fake.Statuses()
	if len(sts) != 4 || !reflect.DeepEqual(got.ItemIDs, progress) || got.RemoteID != sts[0].ID || got.URL != fake.URL()+"/@alice/"+sts[0].ID {
		t.Fatalf("Publish = %+v, progress %v, %d statuses", got, progress, len(sts))
	}
	wantKeys := []string{"target-7", "target-7-1", "target-7-2", "target-7-3"}
	for i, st := range sts {
		if st.ID != got.ItemIDs[i] {
			t.Errorf("item %d is %s, want %s", i, got.ItemIDs[i], st.ID)
		}
		wantReply := ""
		if i > 0 {
			wantReply = sts[i-1].ID
		}
		if st.InReplyToID != wantReply {
			t.Errorf("item %d replies to %q, want %q", i, st.InReplyToID, wantReply)
		}
		if st.IdempotencyKey != wantKeys[i] {
			t.Errorf("item %d Idempotency-Key = %q, want %q", i, st.IdempotencyKey, wantKeys[i])
		}
		if st.Params.Get("visibility") != "unlisted" || st.SpoilerText != "long thread" || !st.Sensitive {
			t.Errorf("item %d options: visibility %q, spoiler %q, sensitive %v", i, st.Params.Get("visibility"), st.SpoilerText, st.Sensitive)
		}
	}
	if sts[3].Text != "Links in the comments" {
		t.Errorf("first comment text %q", sts[3].Text)
	}
}

func TestPublishResumesAfterDone(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c, cred := publisher(t, fake, mastodon.Options{})
	ctx := context.Background()
	img := pngPath(t)
	full := network.Post{Text: "A", Thread: []string{"B", "C"}, FirstComment: "D", IdempotencyKey: "k",
		Media: []network.Media{{Path: img, MIME: "image/png", AltText: "red"}}}

	// An earlier attempt made A and B, then died.
	first := full
	first.Thread, first.FirstComment = []string{"B"}, ""
	made, err := c.Publish(ctx, fake.Instance(), cred, first)
	if err != nil {
		t.Fatal(err)
	}
	uploads := fake.Calls("/api/v2/media")

	var progress []int
	resume := full
	resume.Done = made.ItemIDs
	resume.Progress = func(i int, _, _ string) { progress = append(progress, i) }
	got, err := c.Publish(ctx, fake.Instance(), cred, resume)
	if err != nil {
		t.Fatal(err)
	}
	sts := fake.Statuses()
	if len(sts) != 4 || len(got.ItemIDs) != 4 || got.RemoteID != made.ItemIDs[0] || got.URL != made.URL {
		t.Fatalf("resume made %d statuses, Published %+v (first attempt %+v)", len(sts)-2, got, made)
	}
	if sts[2].InReplyToID != made.ItemIDs[1] || sts[3].InReplyToID != sts[2].ID {
		t.Errorf("C replies to %s, D to %s; want %s and %s", sts[2].InReplyToID, sts[3].InReplyToID, made.ItemIDs[1], sts[2].ID)
	}
	if sts[2].IdempotencyKey != "k-2" || sts[3].IdempotencyKey != "k-3" {
		t.Errorf("resumed keys %q, %q; want k-2, k-3", sts[2].IdempotencyKey, sts[3].IdempotencyKey)
	}
	if fake.Calls("/api/v2/media") != uploads {
		t.Error("the attachments were uploaded again on resume")
	}
	if !reflect.DeepEqual(progress, []int{2, 3}) {
		t.Errorf("Progress indexes %v, want [2 3]", progress)
	}

	// Everything done: nothing more is made.
	resume.Done = got.ItemIDs
	again, err := c.Publish(ctx, fake.Instance(), cred, resume)
	if err != nil || fake.StatusCount() != 4 || !reflect.DeepEqual(again.ItemIDs, got.ItemIDs) {
		t.Errorf("Publish with every item done = %+v, %v; %d statuses", again, err, fake.StatusCount())
	}
	resume.Done = append(slices.Clone(got.ItemIDs), "extra")
	if _, err := c.Publish(ctx, fake.Instance(), cred, resume); network.ClassOf(err) != network.ClassInvalidInput {
		t.Errorf("Publish with more done than items = %v, want invalid input", err)
	}
}

func TestPublishRefusesEmptyItemsBeforeSending(t *testing.T) {
	tests := []struct {
		name string
		p    network.Post
	}{
		{"no text, no media", network.Post{Text: "  "}},
		{"an empty thread item", network.Post{Text: "a", Thread: []string{"b", " "}}},
		{"a blank first comment", network.Post{Text: "a", FirstComment: "\n"}},
		{"a thread too long", network.Post{Text: "a", Thread: make([]string, mastodon.MaxThread+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := mastodontest.NewServer(t)
			c, cred := publisher(t, fake, mastodon.Options{})
			_, err := c.Publish(context.Background(), fake.Instance(), cred, tt.p)
			if network.ClassOf(err) != network.ClassInvalidInput || fake.Calls("/api/v1/statuses") != 0 {
				t.Errorf("Publish = %v (class %s), %d requests; want invalid input and none", err, network.ClassOf(err), fake.Calls("/api/v1/statuses"))
			}
		})
	}
}

func TestPublishMedia(t *testing.T) {
	tests := []struct {
		name      string
		polls     int // SetMediaProcessing
		wantGets  int
		mediaWait time.Duration
		wantErr   string
	}{
		{"processed at once (200)", -1, 0, 0, ""},
		{"accepted (202), ready at the first check", 0, 1, 0, ""},
		{"accepted, still processing three times (206)", 3, 4, 0, ""},
		{"never finishes: bounded", 1 << 30, -1, 50 * time.Millisecond, "still processing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := mastodontest.NewServer(t)
			fake.SetMediaProcessing(tt.polls)
			c, cred := publisher(t, fake, mastodon.Options{MediaWait: tt.mediaWait})
			img := pngPath(t)
			st, _ := os.Stat(img)
			p := network.Post{Text: "pic", Media: []network.Media{
				{Path: img, MIME: "image/png", AltText: "A red square, \"quoted\" & spaced"},
				{Path: img, AltText: ""}, // MIME from the extension
			}}
			got, err := c.Publish(context.Background(), fake.Instance(), cred, p)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || network.ClassOf(err) != network.ClassTransient || fake.StatusCount() != 0 {
					t.Fatalf("Publish = %v (class %s), %d statuses; want a transient %q and no post", err, network.ClassOf(err), fake.StatusCount(), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantGets >= 0 && fake.Calls("/api/v1/media/"+mediaIDs(fake)[0]) != tt.wantGets {
				t.Errorf("checked the first attachment %d times, want %d", fake.Calls("/api/v1/media/"+mediaIDs(fake)[0]), tt.wantGets)
			}
			rp := fake.Posts()[0]
			if rp.ID != got.RemoteID || rp.MediaCount != 2 || rp.AltTexts[0] != "A red square, \"quoted\" & spaced" || rp.AltTexts[1] != "" {
				t.Errorf("post %+v", rp)
			}
			m, _ := fake.MediaAttachment(mediaIDs(fake)[1])
			if m.MIME != "image/png" || m.Size != st.Size() || m.FileName != `red "square".png` {
				t.Errorf("second upload %+v, want image/png of %d bytes named red \"square\".png", m, st.Size())
			}
		})
	}
}

func mediaIDs(fake *mastodontest.Server) []string { return fake.Statuses()[0].MediaIDs }

func TestPublishMediaRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("a type the server does not take", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x", Media: []network.Media{{Path: pngPath(t), MIME: "image/x-tiff"}}})
		if network.ClassOf(err) != network.ClassMediaRejected || !strings.Contains(err.Error(), "File content type is invalid") || fake.StatusCount() != 0 {
			t.Fatalf("Publish = %v (class %s), want media_rejected with the server's words", err, network.ClassOf(err))
		}
	})
	t.Run("too large for the server (413 from a proxy)", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.Handle("POST /api/v2/media", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		})
		c, cred := publisher(t, fake, mastodon.Options{})
		_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x", Media: []network.Media{{Path: pngPath(t), MIME: "image/png"}}})
		if network.ClassOf(err) != network.ClassMediaRejected {
			t.Fatalf("Publish = %v (class %s), want media_rejected", err, network.ClassOf(err))
		}
	})
	t.Run("the file is gone", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x", Media: []network.Media{{Path: filepath.Join(t.TempDir(), "gone.png")}}})
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Class != network.ClassMediaRejected || ne.Code != "file_unreadable" || ne.Sent || fake.Calls("/api/v2/media") != 0 {
			t.Fatalf("Publish = %#v, want media_rejected file_unreadable and nothing sent", err)
		}
	})
	t.Run("a server without v2 media gets v1", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.Handle("POST /api/v2/media", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"Record not found"}`))
		})
		c, cred := publisher(t, fake, mastodon.Options{})
		_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x", Media: []network.Media{{Path: pngPath(t), MIME: "image/png", AltText: "v1"}}})
		if err != nil || fake.Calls("/api/v1/media") != 1 || fake.Posts()[0].AltTexts[0] != "v1" {
			t.Fatalf("Publish = %v, v1 calls %d", err, fake.Calls("/api/v1/media"))
		}
	})
}

// TestPublishErrors maps the server's answers to create-status.
func TestPublishErrors(t *testing.T) {
	reset := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name     string
		status   int
		ct, body string
		header   map[string]string
		class    network.Class
		sent     bool
		msg      string
	}{
		{"Mastodon's validation error", 422, "application/json", `{"error":"Validation failed: Text character limit of 500 exceeded"}`, nil,
			network.ClassContentRejected, false, "the server rejected the post: Validation failed: Text character limit of 500 exceeded"},
		{"GoToSocial's validation error", 400, "application/json", `{"error":"Bad Request: status too long, 5001 characters provided (including content warning) but limit is 5000"}`, nil,
			network.ClassContentRejected, false, "the server rejected the post: Bad Request: status too long"},
		{"rate limited", 429, "application/json", `{"error":"Too many requests"}`, map[string]string{"X-RateLimit-Reset": "2030-01-02T03:04:05.000Z"},
			network.ClassRateLimited, false, "rate limit"},
		{"revoked token", 401, "application/json", `{"error":"The access token is invalid"}`, nil, network.ClassAuthDead, false, "reconnect"},
		{"overloaded: maybe processed", 503, "text/html", "<h1>503</h1>", nil, network.ClassTransient, true, "trouble"},
		{"crashed: maybe processed", 500, "application/json", `{"error":"Internal server error"}`, nil, network.ClassTransient, true, "trouble"},
		{"bad gateway: maybe processed", 502, "text/html", "<h1>502</h1>", nil, network.ClassTransient, true, "trouble"},
		{"proxy timeout: maybe processed", 504, "text/html", "<h1>504</h1>", nil, network.ClassTransient, true, "trouble"},
		{"Cloudflare 520: maybe processed", 520, "text/html", "<h1>520</h1>", nil, network.ClassTransient, true, "trouble"},
		{"Cloudflare 521: maybe processed", 521, "text/html", "<h1>521</h1>", nil, network.ClassTransient, true, "trouble"},
		{"Cloudflare 522: maybe processed", 522, "text/html", "<h1>522</h1>", nil, network.ClassTransient, true, "trouble"},
		{"Cloudflare 523: maybe processed", 523, "text/html", "<h1>523</h1>", nil, network.ClassTransient, true, "trouble"},
		{"Cloudflare 524: maybe processed", 524, "text/html", "<h1>524</h1>", nil, network.ClassTransient, true, "trouble"},
		{"HTTP version not supported: not processed", 505, "text/html", "<h1>505</h1>", nil, network.ClassTransient, false, "trouble"},
		{"accepted but unreadable", 200, "text/html", "<html>oops</html>", nil, network.ClassTransient, true, "could not be read"},
		{"accepted without an id", 200, "application/json", `{}`, nil, network.ClassTransient, true, "without an id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := mastodontest.NewServer(t)
			fake.Handle("POST /api/v1/statuses", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, cred := publisher(t, fake, mastodon.Options{})
			_, err := c.Publish(context.Background(), fake.Instance(), cred, network.Post{Text: "x", IdempotencyKey: "k"})
			var ne *network.Error
			if !errors.As(err, &ne) || ne.Class != tt.class || ne.Sent != tt.sent || !strings.Contains(ne.Message, tt.msg) {
				t.Fatalf("Publish = %v (%#v), want class %s, Sent %v, message with %q", err, ne, tt.class, tt.sent, tt.msg)
			}
			if tt.class == network.ClassRateLimited {
				if at, ok := network.RetryAfter(err); !ok || !at.Equal(reset) {
					t.Errorf("RetryAfter = %v, %v; want %v", at, ok, reset)
				}
			}
		})
	}
}

func TestPublishConnectionLostAfterSendingIsUnknown(t *testing.T) {
	for _, d := range []networktest.Drop{networktest.DropClose, networktest.DropReset} {
		fake := mastodontest.NewServer(t)
		fake.Handle("POST /api/v1/statuses", func(w http.ResponseWriter, r *http.Request) {
			networktest.DropAfterBody(w, r, d)
		})
		c, cred := publisher(t, fake, mastodon.Options{})
		_, err := c.Publish(context.Background(), fake.Instance(), cred, network.Post{Text: "x", IdempotencyKey: "k"})
		var ne *network.Error
		if !errors.As(err, &ne) || !ne.Sent || ne.Class != network.ClassTransient {
			t.Errorf("Publish with the connection dropped (%d) after the body = %#v, want transient with Sent", d, err)
		}
	}

	// Timed out after the server read the whole post.
	fake := mastodontest.NewServer(t)
	fake.Handle("POST /api/v1/statuses", func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c, cred := publisher(t, fake, mastodon.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x", IdempotencyKey: "k"})
	var ne *network.Error
	if !errors.As(err, &ne) || !ne.Sent || ne.Class != network.ClassTransient {
		t.Errorf("Publish that timed out after sending = %#v, want transient with Sent", err)
	}
}

func TestPublishConnectionRefusedIsNotSent(t *testing.T) {
	fake := mastodontest.NewServer(t)
	cred := fake.Credential(fake.Account().ID, "")
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c := mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 5 * time.Second}})
	_, err = c.Publish(context.Background(), "http://"+addr, cred, network.Post{Text: "x", IdempotencyKey: "k"})
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Class != network.ClassTransient || ne.Sent {
		t.Fatalf("Publish to a closed port = %#v, want transient and not sent", err)
	}
}

func TestPublishDroppedAnswerIsNotResentByTheTransport(t *testing.T) {
	// Go's transport resends a request with an Idempotency-Key on a reused
	// connection that dies; against GoToSocial (which ignores the key)
	// that would be a second post.
	fake := mastodontest.NewServer(t)
	fake.IgnoreIdempotencyKey(true)
	c, cred := publisher(t, fake, mastodon.Options{})
	ctx := context.Background()
	if err := c.Check(ctx, fake.Instance(), cred); err != nil { // warm a keep-alive connection
		t.Fatal(err)
	}
	fake.InjectPublish(networktest.PublishDropAfterCommit)
	p := network.Post{Text: "Maybe", IdempotencyKey: "k", CreatedAt: time.Now()}
	_, err := c.Publish(ctx, fake.Instance(), cred, p)
	var ne *network.Error
	if !errors.As(err, &ne) || !ne.Sent || fake.StatusCount() != 1 {
		t.Fatalf("Publish = %v, %d statuses; want an unknown outcome and exactly one status", err, fake.StatusCount())
	}
}

func TestIdempotencyKeyIsAlwaysSendable(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c, cred := publisher(t, fake, mastodon.Options{})
	key := "target 12\nretry ✨ " + strings.Repeat("x", 300)
	if _, err := c.Publish(context.Background(), fake.Instance(), cred, network.Post{Text: "a", Thread: []string{"b"}, IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	sts := fake.Statuses()
	k0, k1 := sts[0].IdempotencyKey, sts[1].IdempotencyKey
	if len(k0) != 64 || k1 != k0+"-1" {
		t.Errorf("keys %q, %q; want a stable digest and digest-1", k0, k1)
	}
}

func TestPublishCancelledAfterSendingIsUnknown(t *testing.T) {
	fake := mastodontest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake.Handle("POST /api/v1/statuses", func(_ http.ResponseWriter, r *http.Request) {
		// The request arrived whole; Herald gives up before the answer.
		_, _ = io.Copy(io.Discard, r.Body)
		cancel()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c, cred := publisher(t, fake, mastodon.Options{})
	_, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x"})
	var ne *network.Error
	if !errors.As(err, &ne) || !ne.Sent || ne.Class != network.ClassTransient {
		t.Fatalf("Publish cancelled after sending = %#v, want transient with Sent (unknown outcome)", err)
	}

	// Cancelled before anything was sent: nothing can have been made.
	_, err = c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "x"})
	if !errors.As(err, &ne) || ne.Sent {
		t.Fatalf("Publish with a cancelled context = %#v, want not sent", err)
	}
}
