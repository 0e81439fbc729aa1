package bluesky_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

const (
	nsidCreate = "com.atproto.repo.createRecord"
	nsidUpload = "com.atproto.repo.uploadBlob"
	nsidGet    = "com.atproto.repo.getRecord"
)

// publisher is a client signed in to a fresh fake.
type publisher struct {
	c    *bluesky.Client
	s    *blueskytest.Server
	cred network.Credential
}

func newPublisher(t *testing.T) publisher {
	t.Helper()
	s := blueskytest.NewServer(t)
	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	cred, err := c.Login(context.Background(), "", blueskytest.Handle, blueskytest.AppPassword)
	if err != nil {
		t.Fatal(err)
	}
	return publisher{c: c, s: s, cred: cred}
}

func (p publisher) publish(t *testing.T, post network.Post) (network.Published, error) {
	t.Helper()
	return p.c.Publish(context.Background(), "", p.cred, post)
}

func (p publisher) mustPublish(t *testing.T, post network.Post) network.Published {
	t.Helper()
	got, err := p.publish(t, post)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (p publisher) record(t *testing.T, uri string) blueskytest.Record {
	t.Helper()
	r, ok := p.s.Record(uri)
	if !ok {
		t.Fatalf("no record %s", uri)
	}
	return r
}

func networkError(t *testing.T, err error) *network.Error {
	t.Helper()
	var ne *network.Error
	if !errors.As(err, &ne) {
		t.Fatalf("error %v (%T) is not a *network.Error", err, err)
	}
	return ne
}

func rkeyOf(uri string) string { return uri[strings.LastIndexByte(uri, '/')+1:] }

func TestPublishRecord(t *testing.T) {
	p := newPublisher(t)
	p.s.AddHandle("alice.bsky.social", "did:plc:alicealicealicealice2345")
	created := time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("EST", -5*3600))
	text := "Grüße 🦋 from @alice.bsky.social and @nobody.bsky.social: https://herald.example.com/notes!"
	got := p.mustPublish(t, network.Post{Text: text, IdempotencyKey: "rec", CreatedAt: created,
		Options: map[string]string{"language": "de, en"}})

	r := p.record(t, got.RemoteID)
	if r.Text != text || r.CreatedAt != "2025-03-14T20:09:26.535Z" || !slices.Equal(r.Langs, []string{"de", "en"}) {
		t.Errorf("record text %q createdAt %q langs %v", r.Text, r.CreatedAt, r.Langs)
	}
	if !strings.Contains(string(r.Value), `"$type":"app.bsky.feed.post"`) {
		t.Errorf("the record does not name its type: %s", r.Value)
	}
	if r.Reply != nil || len(r.Images) != 0 {
		t.Errorf("a plain post has reply %+v images %+v", r.Reply, r.Images)
	}
	wantFacets := []blueskytest.Facet{
		{ByteStart: strings.Index(text, "@alice"), ByteEnd: strings.Index(text, " and"), Type: "app.bsky.richtext.facet#mention", DID: "did:plc:alicealicealicealice2345"},
		{ByteStart: strings.Index(text, "https://"), ByteEnd: len(text) - 1, Type: "app.bsky.richtext.facet#link", URI: "https://herald.example.com/notes"},
	}
	if !slices.Equal(r.Facets, wantFacets) {
		t.Errorf("facets\n got %+v\nwant %+v (the unknown handle stays text)", r.Facets, wantFacets)
	}
	if want := "https://bsky.app/profile/" + blueskytest.Handle + "/post/" + rkeyOf(got.RemoteID); got.URL != want {
		t.Errorf("URL = %s, want %s", got.URL, want)
	}
	if !strings.HasPrefix(got.RemoteID, "at://"+blueskytest.DID+"/app.bsky.feed.post/") {
		t.Errorf("RemoteID = %s", got.RemoteID)
	}
}

func TestMentionLookupFailureCreatesNothing(t *testing.T) {
	p := newPublisher(t)
	p.s.InjectNSID("com.atproto.identity.resolveHandle", networktest.FaultServerError)
	_, err := p.publish(t, network.Post{Text: "hi @alice.bsky.social", IdempotencyKey: "m", CreatedAt: time.Now()})
	if network.ClassOf(err) != network.ClassTransient || p.s.RecordCount() != 0 {
		t.Fatalf("Publish = %v, %d records; want transient and nothing made", err, p.s.RecordCount())
	}
}

func TestThreadReplyRefs(t *testing.T) {
	p := newPublisher(t)
	type progress struct {
		i        int
		id, link string
	}
	var seen []progress
	post := network.Post{Text: "1/3 a thread", Thread: []string{"2/3", "3/3"}, FirstComment: "Sources in the replies 👇",
		IdempotencyKey: "thread", CreatedAt: time.Now(),
		Progress: func(i int, id, link string) { seen = append(seen, progress{i, id, link}) }}
	got := p.mustPublish(t, post)

	if len(got.ItemIDs) != 4 || got.RemoteID != got.ItemIDs[0] || p.s.RecordCount() != 4 {
		t.Fatalf("Published %+v, %d records", got, p.s.RecordCount())
	}
	root := p.record(t, got.ItemIDs[0])
	ref := func(r blueskytest.Record) blueskytest.StrongRef { return blueskytest.StrongRef{URI: r.URI, CID: r.CID} }
	prev := root
	for i, id := range got.ItemIDs[1:] {
		r := p.record(t, id)
		want := &blueskytest.Reply{Root: ref(root), Parent: ref(prev)}
		if r.Reply == nil || *r.Reply != *want {
			t.Errorf("item %d reply = %+v, want %+v", i+1, r.Reply, want)
		}
		prev = r
	}
	if prev.Text != post.FirstComment {
		t.Errorf("last item is %q, want the first comment", prev.Text)
	}
	for i, pr := range seen {
		wantLink := "https://bsky.app/profile/" + blueskytest.Handle + "/post/" + rkeyOf(got.ItemIDs[i])
		if pr.i != i || pr.id != got.ItemIDs[i] || pr.link != wantLink {
			t.Errorf("progress %d = %+v, want %d %s %s", i, pr, i, got.ItemIDs[i], wantLink)
		}
	}
	if len(seen) != 4 {
		t.Errorf("progress called %d times, want 4", len(seen))
	}
}

// TestResumeReplyRefs: an attempt fails after the first item; the next one
// gets Done and replies to the items already there, read back by getRecord.
func TestResumeReplyRefs(t *testing.T) {
	p := newPublisher(t)
	var done []string
	post := network.Post{Text: "first", Thread: []string{"second", "third"}, IdempotencyKey: "resume", CreatedAt: time.Now(),
		Progress: func(i int, id, _ string) {
			done = append(done, id)
			if i == 0 {
				p.s.InjectPublish(networktest.PublishServerError) // the second item fails
			}
		}}
	if _, err := p.publish(t, post); network.ClassOf(err) != network.ClassTransient {
		t.Fatalf("first attempt = %v, want a transient failure", err)
	}
	if len(done) != 1 || p.s.RecordCount() != 1 {
		t.Fatalf("first attempt made %d records, reported %v", p.s.RecordCount(), done)
	}

	post.Done, post.Progress = done, nil
	reads := p.s.Calls(nsidGet)
	got := p.mustPublish(t, post)
	if p.s.RecordCount() != 3 || got.RemoteID != done[0] || len(got.ItemIDs) != 3 || got.ItemIDs[0] != done[0] {
		t.Fatalf("resume: %d records, Published %+v", p.s.RecordCount(), got)
	}
	if p.s.Calls(nsidGet) == reads {
		t.Error("resume did not read the published item back for its cid")
	}
	first := p.record(t, done[0])
	second, third := p.record(t, got.ItemIDs[1]), p.record(t, got.ItemIDs[2])
	rootRef := blueskytest.StrongRef{URI: first.URI, CID: first.CID}
	if second.Reply == nil || second.Reply.Root != rootRef || second.Reply.Parent != rootRef {
		t.Errorf("second reply = %+v", second.Reply)
	}
	if third.Reply == nil || third.Reply.Root != rootRef || third.Reply.Parent != (blueskytest.StrongRef{URI: second.URI, CID: second.CID}) {
		t.Errorf("third reply = %+v", third.Reply)
	}
}

func TestResumeAfterRootDeleted(t *testing.T) {
	p := newPublisher(t)
	first := p.mustPublish(t, network.Post{Text: "first", IdempotencyKey: "gone-first", CreatedAt: time.Now()})
	p.s.DeletePost(first.RemoteID)
	_, err := p.publish(t, network.Post{Text: "first", Thread: []string{"second"}, IdempotencyKey: "gone", CreatedAt: time.Now(),
		Done: []string{first.RemoteID}})
	if ne := networkError(t, err); ne.Class != network.ClassContentRejected || !strings.Contains(ne.Message, "deleted") {
		t.Fatalf("resume after the root was deleted = %v", err)
	}
}

// TestRetryAfterLostAnswerMakesOneRecord: the first createRecord commits
// but its answer is lost; the retry sends the same rkey, the PDS refuses
// it, and Publish reports the record already there. Whatever the PDS
// answers for a taken key.
func TestRetryAfterLostAnswerMakesOneRecord(t *testing.T) {
	cases := []struct {
		name   string
		status int
		error  string
	}{
		{"reference PDS today: 500", 0, ""},
		{"explicit error (atproto#4728)", http.StatusBadRequest, "RecordAlreadyExists"},
		{"409 Conflict", http.StatusConflict, "Conflict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newPublisher(t)
			if tc.status != 0 {
				p.s.SetDuplicateRecordError(tc.status, tc.error, "Record already exists at the given rkey")
			}
			post := network.Post{Text: "Exactly once ✅", IdempotencyKey: "once", CreatedAt: time.Now()}
			p.s.InjectPublish(networktest.PublishDropAfterCommit)
			_, err := p.publish(t, post)
			if ne := networkError(t, err); !ne.Sent || ne.Class != network.ClassTransient {
				t.Fatalf("lost answer = %+v, want transient and Sent", ne)
			}
			got := p.mustPublish(t, post)
			if n := p.s.RecordCount(); n != 1 {
				t.Fatalf("%d records after the retry, want 1", n)
			}
			if got.RemoteID != p.s.Records()[0].URI || p.s.Calls(nsidCreate) != 2 {
				t.Errorf("retry Published %+v; createRecord called %d times", got, p.s.Calls(nsidCreate))
			}
		})
	}
}

// TestMaybeTakenAnswersAreUnknown: a gateway or overload answer to
// createRecord may hide a record the PDS is still committing, so even a
// getRecord that finds nothing leaves the outcome unknown.
func TestMaybeTakenAnswersAreUnknown(t *testing.T) {
	for _, status := range []int{502, 503, 504, 520, 521, 522, 523, 524} {
		p := newPublisher(t)
		p.s.Handle(nsidCreate, http.MethodPost, func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
		})
		_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "gw", CreatedAt: time.Now()})
		if ne := networkError(t, err); !ne.Sent || ne.Class != network.ClassTransient || ne.Status != status {
			t.Errorf("HTTP %d = %+v, want transient and Sent", status, ne)
		}
	}
	// A plain 500 after which getRecord finds nothing: the PDS finished
	// the request and made nothing, as today.
	p := newPublisher(t)
	p.s.Handle(nsidCreate, http.MethodPost, func(w http.ResponseWriter, _ *http.Request, _ string) {
		blueskytest.WriteError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
	})
	_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "500", CreatedAt: time.Now()})
	if ne := networkError(t, err); ne.Sent || ne.Class != network.ClassTransient {
		t.Errorf("HTTP 500 with nothing under the key = %+v, want transient, not Sent", ne)
	}
}

func TestConnectionLostAfterSendingIsUnknown(t *testing.T) {
	for _, d := range []networktest.Drop{networktest.DropClose, networktest.DropReset} {
		p := newPublisher(t)
		p.s.Handle(nsidCreate, http.MethodPost, func(w http.ResponseWriter, r *http.Request, _ string) {
			networktest.DropAfterBody(w, r, d)
		})
		_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "drop", CreatedAt: time.Now()})
		if ne := networkError(t, err); !ne.Sent || ne.Class != network.ClassTransient {
			t.Errorf("connection dropped (%d) after the body = %+v, want transient and Sent", d, ne)
		}
	}
	p := newPublisher(t)
	p.s.Handle(nsidCreate, http.MethodPost, func(_ http.ResponseWriter, r *http.Request, _ string) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := p.c.Publish(ctx, "", p.cred, network.Post{Text: "x", IdempotencyKey: "slow", CreatedAt: time.Now()})
	if ne := networkError(t, err); !ne.Sent || ne.Class != network.ClassTransient {
		t.Errorf("timed out after sending = %+v, want transient and Sent", ne)
	}
}

// TestRetryOfWholeThreadMakesNoDuplicates: even a retry that does not know
// which items were made (no Done) makes each item once.
func TestRetryOfWholeThreadMakesNoDuplicates(t *testing.T) {
	p := newPublisher(t)
	post := network.Post{Text: "A", Thread: []string{"B", "C"}, FirstComment: "D", IdempotencyKey: "whole", CreatedAt: time.Now(),
		Progress: func(i int, _, _ string) {
			if i == 1 {
				p.s.InjectPublish(networktest.PublishDropAfterCommit) // C is made, its answer lost
			}
		}}
	if _, err := p.publish(t, post); err == nil {
		t.Fatal("the lost answer was not reported")
	}
	post.Progress = nil
	got := p.mustPublish(t, post)
	var texts []string
	for _, r := range p.s.Records() {
		texts = append(texts, r.Text)
	}
	if !slices.Equal(texts, []string{"A", "B", "C", "D"}) || len(got.ItemIDs) != 4 {
		t.Errorf("records %v, Published %+v; want A B C D once each", texts, got)
	}
}

func TestTakenKeyWithOtherTextIsRejected(t *testing.T) {
	p := newPublisher(t)
	post := network.Post{Text: "Original text", IdempotencyKey: "edited", CreatedAt: time.Now()}
	p.mustPublish(t, post)
	post.Text = "Edited after the first attempt"
	_, err := p.publish(t, post)
	ne := networkError(t, err)
	if ne.Class != network.ClassContentRejected || ne.Code != "rkey_taken" || !strings.Contains(ne.Message, "different text") {
		t.Fatalf("Publish over a different post = %+v", ne)
	}
	if p.s.RecordCount() != 1 {
		t.Errorf("%d records, want 1", p.s.RecordCount())
	}
}

func writeImage(t *testing.T, name string, img image.Image, enc func(*bytes.Buffer, image.Image) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func fill(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	return img
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestImagesEmbed(t *testing.T) {
	p := newPublisher(t)
	pngPath := writeImage(t, "wide.png", fill(64, 48), func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	jpgPath := writeImage(t, "tall.jpg", fill(30, 90), func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) })
	got := p.mustPublish(t, network.Post{Text: "Two pictures", IdempotencyKey: "img", CreatedAt: time.Now(), Media: []network.Media{
		{Path: pngPath, MIME: "image/png", Size: size(t, pngPath), AltText: "A gradient, wide", Width: 640, Height: 480},
		{Path: jpgPath, MIME: "image/jpeg", Size: size(t, jpgPath)}, // no alt text, no known size
	}})
	r := p.record(t, got.RemoteID)
	if len(r.Images) != 2 {
		t.Fatalf("images %+v", r.Images)
	}
	want := []struct {
		alt  string
		mime string
		ar   blueskytest.AspectRatio
		path string
	}{
		{"A gradient, wide", "image/png", blueskytest.AspectRatio{Width: 640, Height: 480}, pngPath},
		{"", "image/jpeg", blueskytest.AspectRatio{Width: 30, Height: 90}, jpgPath}, // read from the file
	}
	for i, w := range want {
		img := r.Images[i]
		if img.Alt != w.alt || img.MIMEType != w.mime || img.AspectRatio == nil || *img.AspectRatio != w.ar {
			t.Errorf("image %d = %+v (aspect %+v), want alt %q %s %+v", i, img, img.AspectRatio, w.alt, w.mime, w.ar)
		}
		data, mime, ok := p.s.Blob(img.BlobCID)
		file, _ := os.ReadFile(w.path)
		if !ok || mime != w.mime || !bytes.Equal(data, file) || img.Size != int64(len(file)) {
			t.Errorf("blob %d: stored %v as %q (%d bytes), want the file's %d bytes as %s", i, ok, mime, len(data), len(file), w.mime)
		}
	}
	if !strings.Contains(string(r.Value), `"alt":""`) {
		t.Errorf("an image without a description must still send alt: %s", r.Value)
	}
}

func TestMediaRefusedBeforeUpload(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.jpg")
	if err := os.WriteFile(big, make([]byte, 1_000_001), 0o600); err != nil {
		t.Fatal(err)
	}
	small := writeImage(t, "ok.png", fill(4, 4), func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	okImage := network.Media{Path: small, MIME: "image/png", Size: size(t, small)}
	cases := []struct {
		name  string
		media []network.Media
		says  string
	}{
		{"image over 1,000,000 bytes", []network.Media{okImage, {Path: big, MIME: "image/jpeg", Size: 1_000_001}}, "big.jpg is 1.00 MB"},
		{"the file is larger than recorded", []network.Media{{Path: big, MIME: "image/jpeg", Size: 1000}}, "at most 1 MB"},
		{"video", []network.Media{{Path: big, MIME: "video/mp4", Size: 1_000_001}}, "cannot publish videos"},
		{"unsupported type", []network.Media{{Path: small, MIME: "image/tiff", Size: 10}}, "image/tiff"},
		{"five images", []network.Media{okImage, okImage, okImage, okImage, okImage}, "at most 4 images"},
		{"missing file", []network.Media{{Path: filepath.Join(dir, "gone.png"), MIME: "image/png", Size: 10}}, "gone.png"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newPublisher(t)
			_, err := p.publish(t, network.Post{Text: "media", IdempotencyKey: "media", CreatedAt: time.Now(), Media: tc.media})
			ne := networkError(t, err)
			if ne.Class != network.ClassMediaRejected || !strings.Contains(ne.Message, tc.says) {
				t.Errorf("Publish = %s (%s), want media_rejected saying %q", ne.Message, ne.Class, tc.says)
			}
			if tc.name != "missing file" && p.s.Calls(nsidUpload) != 0 {
				t.Errorf("uploaded %d blobs before refusing", p.s.Calls(nsidUpload))
			}
			if p.s.Calls(nsidCreate) != 0 {
				t.Error("a post was attempted")
			}
		})
	}
}

func TestPublishErrorClasses(t *testing.T) {
	t.Run("text over 300 graphemes: the PDS says why", func(t *testing.T) {
		p := newPublisher(t)
		_, err := p.publish(t, network.Post{Text: strings.Repeat("é", 301), IdempotencyKey: "long", CreatedAt: time.Now()})
		ne := networkError(t, err)
		if ne.Class != network.ClassContentRejected || ne.Sent || !strings.Contains(ne.Message, "300 graphemes") || !strings.Contains(ne.Message, "refused the post") {
			t.Errorf("too long = %+v", ne)
		}
	})
	t.Run("300 graphemes of emoji fit", func(t *testing.T) {
		p := newPublisher(t)
		p.mustPublish(t, network.Post{Text: strings.Repeat("👍🏽", 300), IdempotencyKey: "emoji", CreatedAt: time.Now()})
	})
	t.Run("expired access token: token_expired, renewed by the caller", func(t *testing.T) {
		p := newPublisher(t)
		p.s.ExpireAccessTokens()
		_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "exp", CreatedAt: time.Now()})
		if network.ClassOf(err) != network.ClassTokenExpired || p.s.RecordCount() != 0 {
			t.Errorf("Publish with an expired token = %v", err)
		}
	})
	t.Run("blob refused by the PDS: media_rejected", func(t *testing.T) {
		p := newPublisher(t)
		p.s.Handle(nsidCreate, http.MethodPost, func(w http.ResponseWriter, _ *http.Request, _ string) {
			blueskytest.WriteError(w, http.StatusBadRequest, "BlobTooLarge", "This file is too large. It is 1.2MB but the maximum size is 1MB.")
		})
		_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "blob", CreatedAt: time.Now()})
		if ne := networkError(t, err); ne.Class != network.ClassMediaRejected || !strings.Contains(ne.Message, "too large") {
			t.Errorf("BlobTooLarge = %+v", ne)
		}
	})
	t.Run("no first-attempt time: nothing is sent", func(t *testing.T) {
		p := newPublisher(t)
		_, err := p.publish(t, network.Post{Text: "x", IdempotencyKey: "zero"})
		if network.ClassOf(err) != network.ClassInvalidInput || p.s.Calls(nsidCreate) != 0 {
			t.Errorf("Publish without CreatedAt = %v", err)
		}
	})
	t.Run("a thread item refused names the item", func(t *testing.T) {
		p := newPublisher(t)
		_, err := p.publish(t, network.Post{Text: "ok", Thread: []string{"fine", strings.Repeat("x", 301)}, IdempotencyKey: "item", CreatedAt: time.Now()})
		if ne := networkError(t, err); ne.Op != "publish thread post 3 of 3" {
			t.Errorf("Op = %q", ne.Op)
		}
	})
}

func TestLookup(t *testing.T) {
	p := newPublisher(t)
	img := writeImage(t, "a.png", fill(8, 8), func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	created := time.Now()
	got := p.mustPublish(t, network.Post{Text: "Look me up", IdempotencyKey: "look", CreatedAt: created,
		Media: []network.Media{{Path: img, MIME: "image/png", Size: size(t, img), AltText: "eight by eight"}}})
	rp, err := p.c.Lookup(context.Background(), "", p.cred, got.RemoteID)
	if err != nil {
		t.Fatal(err)
	}
	if rp.ID != got.RemoteID || rp.URL != got.URL || rp.Text != "Look me up" || rp.MediaCount != 1 ||
		!slices.Equal(rp.AltTexts, []string{"eight by eight"}) || !rp.CreatedAt.Equal(created.Truncate(time.Millisecond)) {
		t.Errorf("Lookup = %+v", rp)
	}

	p.s.DeletePost(got.RemoteID)
	_, err = p.c.Lookup(context.Background(), "", p.cred, got.RemoteID)
	if ne := networkError(t, err); ne.Class != network.ClassContentRejected || ne.Code != "not_found" {
		t.Errorf("Lookup of a deleted post = %+v", ne)
	}
	_, err = p.c.Lookup(context.Background(), "", p.cred, "https://bsky.app/profile/x/post/y")
	if network.ClassOf(err) != network.ClassInvalidInput {
		t.Errorf("Lookup of a web URL = %v, want invalid_input", err)
	}
}

func TestFindPublished(t *testing.T) {
	ctx := context.Background()
	t.Run("a thread cut short: the items that exist, for resuming", func(t *testing.T) {
		p := newPublisher(t)
		post := network.Post{Text: "A", Thread: []string{"B", "C"}, IdempotencyKey: "cut", CreatedAt: time.Now(),
			Progress: func(i int, _, _ string) {
				if i == 0 {
					p.s.InjectPublish(networktest.PublishDropAfterCommit)
				}
			}}
		_, _ = p.publish(t, post)
		found, ok, err := p.c.FindPublished(ctx, "", p.cred, post, post.CreatedAt)
		if err != nil || !ok || len(found.ItemIDs) != 2 || found.RemoteID != p.s.Records()[0].URI {
			t.Fatalf("FindPublished = %+v %v %v; want the first two items", found, ok, err)
		}
		post.Done, post.Progress = found.ItemIDs, nil
		if got := p.mustPublish(t, post); len(got.ItemIDs) != 3 || p.s.RecordCount() != 3 {
			t.Errorf("resume after reconcile: %+v, %d records", got, p.s.RecordCount())
		}
	})
	t.Run("a post made without a derived key is found by text and time", func(t *testing.T) {
		p := newPublisher(t)
		created := time.Now()
		old := p.s.PutPost("", "Posted by an older Herald", created)
		for range 150 { // push it to the second page
			p.s.PutPost("", "something else", time.Now())
		}
		post := network.Post{Text: "Posted by an older Herald", IdempotencyKey: "legacy", CreatedAt: created}
		found, ok, err := p.c.FindPublished(ctx, "", p.cred, post, created.Add(-time.Minute))
		if err != nil || !ok || found.RemoteID != old.URI || found.URL == "" {
			t.Fatalf("FindPublished = %+v %v %v; want %s", found, ok, err, old.URI)
		}
	})
	t.Run("the same text posted before the attempt is not it", func(t *testing.T) {
		p := newPublisher(t)
		long := time.Now().Add(-48 * time.Hour)
		p.s.SetClock(func() time.Time { return long })
		p.s.PutPost("", "Good morning", long)
		p.s.SetClock(time.Now)
		post := network.Post{Text: "Good morning", IdempotencyKey: "gm", CreatedAt: time.Now()}
		if _, ok, err := p.c.FindPublished(ctx, "", p.cred, post, post.CreatedAt.Add(-time.Minute)); ok || err != nil {
			t.Errorf("FindPublished = %v %v; the old post is another one", ok, err)
		}
	})
}

func TestDescriptorRules(t *testing.T) {
	d := bluesky.New(bluesky.Options{}).Descriptor()
	r := d.Rules
	if r.MaxChars != 300 || r.MaxBytes != 3000 || r.URLWeight != 0 || r.MaxMedia != 4 || r.MaxImageBytes != 1_000_000 ||
		r.MaxVideoBytes != 50_000_000 || r.MaxAltText != 2000 || r.MaxThread != 25 {
		t.Errorf("Rules = %+v", r)
	}
	if !slices.Equal(r.MediaTypes, []string{"image/jpeg", "image/png", "image/webp", "image/gif"}) {
		t.Errorf("MediaTypes = %v; video stays out until Herald publishes it", r.MediaTypes)
	}
	if !d.Has(network.CapFirstComment) {
		t.Error("the first comment is published as a reply: CapFirstComment")
	}
}
