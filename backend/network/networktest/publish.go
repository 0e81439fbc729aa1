package networktest

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"herald/backend/network"
)

// PublishFault is how the fake answers the next create-post request.
type PublishFault int

const (
	// PublishOK: create the post normally.
	PublishOK PublishFault = iota
	// PublishDropAfterCommit: create the post, then drop the connection
	// before answering — the client cannot know it worked.
	PublishDropAfterCommit
	// PublishRateLimited: 429 with the network's reset header; nothing made.
	PublishRateLimited
	// PublishServerError: 503; nothing made.
	PublishServerError
	// PublishRejectContent: the network's validation error; nothing made.
	PublishRejectContent
	// PublishUnauthorized: the token was revoked; nothing made.
	PublishUnauthorized
)

// PublishFake is a Fake that also accepts posts.
type PublishFake interface {
	Fake
	// Posts returns what the fake's account has published, oldest first,
	// with Text as plain text and AltTexts of the attachments.
	Posts() []network.RemotePost
	// InjectPublish sets how the next create-post request is answered;
	// the fault applies once.
	InjectPublish(f PublishFault)
}

// PublishOptions configure RunPublish.
type PublishOptions struct {
	New  func(client *http.Client) network.Network
	Fake PublishFake
}

// RunPublish is the publishing conformance suite.
func RunPublish(t *testing.T, o PublishOptions) {
	t.Helper()
	n := o.New(&http.Client{Timeout: 10 * time.Second})
	pub, ok := n.(network.Publisher)
	if !ok {
		t.Fatal("the network does not implement network.Publisher")
	}
	d := n.Descriptor()
	if !d.Has(network.CapPublish) {
		t.Error("Publisher implemented but CapPublish not declared")
	}
	if d.Rules.MaxChars == 0 {
		t.Error("Descriptor().Rules.MaxChars is not set")
	}
	ctx := context.Background()
	inst := o.Fake.Instance()
	connect := func(t *testing.T) network.Credential {
		t.Helper()
		o.Fake.Inject(FaultNone)
		o.Fake.InjectPublish(PublishOK)
		cred, err := Connect(t, n, o.Fake)
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	count := func() int { return len(o.Fake.Posts()) }
	key := func(t *testing.T) string { return strings.ReplaceAll(t.Name(), "/", "-") }

	t.Run("text post is published, reported and readable", func(t *testing.T) {
		cred := connect(t)
		before := count()
		var progress []string
		p := network.Post{Text: "Hello from Herald ✨ " + key(t), IdempotencyKey: key(t), CreatedAt: time.Now(),
			Progress: func(i int, id, _ string) { progress = append(progress, id) }}
		got, err := pub.Publish(ctx, inst, cred, p)
		if err != nil {
			t.Fatal(err)
		}
		if got.RemoteID == "" || got.URL == "" || len(got.ItemIDs) != 1 || got.ItemIDs[0] != got.RemoteID {
			t.Errorf("Published = %+v", got)
		}
		if len(progress) != 1 || progress[0] != got.RemoteID {
			t.Errorf("Progress reported %v, want [%s]", progress, got.RemoteID)
		}
		if count() != before+1 {
			t.Fatalf("the fake has %d new posts, want 1", count()-before)
		}
		if v, ok := n.(network.Verifier); ok {
			rp, err := v.Lookup(ctx, inst, cred, got.RemoteID)
			if err != nil {
				t.Fatal(err)
			}
			if rp.ID != got.RemoteID || !strings.Contains(rp.Text, "Hello from Herald ✨") {
				t.Errorf("Lookup = %+v", rp)
			}
		}
	})

	if d.Has(network.CapMedia) {
		t.Run("image with alt text", func(t *testing.T) {
			cred := connect(t)
			img := pngFile(t)
			p := network.Post{Text: "With a picture " + key(t), IdempotencyKey: key(t), CreatedAt: time.Now(),
				Media: []network.Media{{Path: img, MIME: "image/png", Size: fileSize(t, img), AltText: "A blue square", Width: 64, Height: 64}}}
			got, err := pub.Publish(ctx, inst, cred, p)
			if err != nil {
				t.Fatal(err)
			}
			posts := o.Fake.Posts()
			last := posts[len(posts)-1]
			if last.ID != got.RemoteID || last.MediaCount != 1 || len(last.AltTexts) != 1 || last.AltTexts[0] != "A blue square" {
				t.Errorf("published post = %+v", last)
			}
		})
	}

	if d.Has(network.CapThreads) {
		t.Run("thread, and resuming a half-published thread", func(t *testing.T) {
			cred := connect(t)
			before := count()
			var mu sync.Mutex
			var ids []string
			p := network.Post{Text: "1/3 " + key(t), Thread: []string{"2/3", "3/3"}, IdempotencyKey: key(t), CreatedAt: time.Now(),
				Progress: func(i int, id, _ string) { mu.Lock(); ids = append(ids, id); mu.Unlock() }}
			got, err := pub.Publish(ctx, inst, cred, p)
			if err != nil {
				t.Fatal(err)
			}
			if count() != before+3 || len(got.ItemIDs) != 3 || len(ids) != 3 {
				t.Fatalf("thread made %d posts, ItemIDs %v, progress %v", count()-before, got.ItemIDs, ids)
			}
			// An attempt that died after the first item resumes after it.
			p2 := network.Post{Text: "A/2 " + key(t), Thread: []string{"B/2"}, IdempotencyKey: key(t) + "-b", CreatedAt: time.Now()}
			first, err := pub.Publish(ctx, inst, cred, network.Post{Text: p2.Text, IdempotencyKey: p2.IdempotencyKey + "-first", CreatedAt: p2.CreatedAt})
			if err != nil {
				t.Fatal(err)
			}
			before = count()
			p2.Done = []string{first.RemoteID}
			got2, err := pub.Publish(ctx, inst, cred, p2)
			if err != nil {
				t.Fatal(err)
			}
			if count() != before+1 || got2.RemoteID != first.RemoteID || len(got2.ItemIDs) != 2 {
				t.Errorf("resume made %d posts, Published %+v", count()-before, got2)
			}
		})
	}

	t.Run("a dropped answer is unknown, and reconcile finds the post", func(t *testing.T) {
		cred := connect(t)
		before := count()
		p := network.Post{Text: "Maybe published " + key(t), IdempotencyKey: key(t), CreatedAt: time.Now()}
		o.Fake.InjectPublish(PublishDropAfterCommit)
		_, err := pub.Publish(ctx, inst, cred, p)
		var ne *network.Error
		if err == nil || !errorsAs(err, &ne) || !ne.Sent || ne.Class != network.ClassTransient {
			t.Fatalf("Publish with a dropped answer = %v, want a transient error with Sent (unknown outcome)", err)
		}
		if count() != before+1 {
			t.Fatalf("the fake made %d posts", count()-before)
		}
		rec, ok := n.(network.Reconciler)
		if !ok {
			t.Fatal("every publisher must reconcile (network.Reconciler)")
		}
		found, ok, err := rec.FindPublished(ctx, inst, cred, p, p.CreatedAt.Add(-time.Minute))
		if err != nil || !ok || found.RemoteID == "" {
			t.Fatalf("FindPublished = %+v, %v, %v; want the post", found, ok, err)
		}
		other := network.Post{Text: "Never published " + key(t), IdempotencyKey: key(t) + "-other", CreatedAt: time.Now()}
		if _, ok, err := rec.FindPublished(ctx, inst, cred, other, other.CreatedAt.Add(-time.Minute)); err != nil || ok {
			t.Errorf("FindPublished of a post never made = %v, %v; want not found", ok, err)
		}
	})

	faults := []struct {
		name  string
		fault PublishFault
		class network.Class
	}{
		{"rate limit", PublishRateLimited, network.ClassRateLimited},
		{"server error", PublishServerError, network.ClassTransient},
		{"content rejected", PublishRejectContent, network.ClassContentRejected},
		{"revoked token", PublishUnauthorized, network.ClassAuthDead},
	}
	for _, f := range faults {
		t.Run(f.name+" is classified and makes nothing", func(t *testing.T) {
			cred := connect(t)
			before := count()
			o.Fake.InjectPublish(f.fault)
			_, err := pub.Publish(ctx, inst, cred, network.Post{Text: "x " + key(t), IdempotencyKey: key(t), CreatedAt: time.Now()})
			if network.ClassOf(err) != f.class {
				t.Fatalf("Publish = %v (class %s), want %s", err, network.ClassOf(err), f.class)
			}
			var ne *network.Error
			if errorsAs(err, &ne) && ne.Sent && f.class != network.ClassTransient {
				t.Errorf("a refused request is marked as possibly sent")
			}
			if f.class == network.ClassRateLimited {
				if _, ok := network.RetryAfter(err); !ok {
					t.Error("no reset time on a rate limit")
				}
			}
			if count() != before {
				t.Errorf("a refused publish made %d posts", count()-before)
			}
		})
	}

	if v, ok := n.(network.Verifier); ok {
		t.Run("lookup of a missing post is not_found", func(t *testing.T) {
			cred := connect(t)
			_, err := v.Lookup(ctx, inst, cred, missingID(d.ID))
			var ne *network.Error
			if !errorsAs(err, &ne) || ne.Code != "not_found" {
				t.Fatalf("Lookup of a missing post = %v, want Code not_found", err)
			}
		})
	}

	if s, ok := n.(network.NativeScheduler); ok {
		t.Run("native scheduling: schedule, list, cancel", func(t *testing.T) {
			cred := connect(t)
			before := count()
			at := time.Now().Add(s.MinScheduleLead() + 10*time.Minute).UTC().Truncate(time.Second)
			sch, err := s.Schedule(ctx, inst, cred, network.Post{Text: "Later " + key(t), IdempotencyKey: key(t), CreatedAt: time.Now()}, at)
			if err != nil {
				t.Fatal(err)
			}
			if sch.ID == "" || !sch.ScheduledAt.Equal(at) {
				t.Errorf("Schedule = %+v, want at %v", sch, at)
			}
			list, err := s.ListScheduled(ctx, inst, cred)
			if err != nil || !containsScheduled(list, sch.ID) {
				t.Fatalf("ListScheduled = %+v, %v", list, err)
			}
			if err := s.CancelScheduled(ctx, inst, cred, sch.ID); err != nil {
				t.Fatal(err)
			}
			list, _ = s.ListScheduled(ctx, inst, cred)
			if containsScheduled(list, sch.ID) {
				t.Error("the cancelled post is still scheduled")
			}
			if count() != before {
				t.Error("scheduling published a post at once")
			}
		})
	}
}

func containsScheduled(list []network.Scheduled, id string) bool {
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}

func missingID(networkID string) string {
	if networkID == "bluesky" {
		return "at://did:plc:nobody/app.bsky.feed.post/3jzfcijpj2z2a"
	}
	return "999999999999"
}

func errorsAs(err error, target **network.Error) bool { return errors.As(err, target) }

// pngFile writes a small real PNG and returns its path.
func pngFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := 0; x < 64; x++ {
		for y := 0; y < 64; y++ {
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

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
