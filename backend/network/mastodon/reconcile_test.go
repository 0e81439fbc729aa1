package mastodon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

func TestLookup(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c, cred := publisher(t, fake, mastodon.Options{})
	ctx := context.Background()
	text := "Hello @alice@" + fake.Host() + " & friends\n\nRead https://example.com/a/rather/long/path/to/an/article #golang"
	got, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: text,
		Media: []network.Media{{Path: pngPath(t), MIME: "image/png", AltText: "alt one"}}})
	if err != nil {
		t.Fatal(err)
	}
	rp, err := c.Lookup(ctx, fake.Instance(), cred, got.RemoteID)
	if err != nil {
		t.Fatal(err)
	}
	// The server's HTML shows the mention without its domain.
	want := "Hello @alice & friends\n\nRead https://example.com/a/rather/long/path/to/an/article #golang"
	if rp.ID != got.RemoteID || rp.URL != got.URL || rp.Text != want || rp.MediaCount != 1 ||
		!reflect.DeepEqual(rp.AltTexts, []string{"alt one"}) || time.Since(rp.CreatedAt) > time.Minute {
		t.Errorf("Lookup = %+v\nwant text %q", rp, want)
	}

	_, err = c.Lookup(ctx, fake.Instance(), cred, "999999999999")
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Code != "not_found" || ne.Class != network.ClassContentRejected {
		t.Errorf("Lookup of a missing status = %v, want content_rejected not_found", err)
	}
	if _, err := c.Lookup(ctx, fake.Instance(), cred, "../admin"); network.ClassOf(err) != network.ClassInvalidInput {
		t.Errorf("Lookup of a malformed id = %v, want invalid input", err)
	}
}

func TestLookupPrefersTheSourceText(t *testing.T) {
	fake := mastodontest.NewServer(t)
	fake.Handle("GET /api/v1/statuses/{id}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// GoToSocial sends the source text of a status.
		_, _ = w.Write([]byte(`{"id":"1","created_at":"2025-01-02T03:04:05.000Z","url":null,"uri":"https://gts.example/users/a/statuses/1",
			"content":"<p>Hi <a href=\"x\">@bob</a></p>","text":"Hi @bob@other.example","media_attachments":[{"id":"9","type":"image","description":null}]}`))
	})
	c, cred := publisher(t, fake, mastodon.Options{})
	rp, err := c.Lookup(context.Background(), fake.Instance(), cred, "1")
	if err != nil {
		t.Fatal(err)
	}
	if rp.Text != "Hi @bob@other.example" || rp.URL != "https://gts.example/users/a/statuses/1" || rp.MediaCount != 1 ||
		!reflect.DeepEqual(rp.AltTexts, []string{""}) || !rp.CreatedAt.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Lookup = %+v", rp)
	}
}

func TestFindPublished(t *testing.T) {
	ctx := context.Background()
	thread := func(text string) network.Post {
		return network.Post{Text: text, Thread: []string{"second", "third"}, FirstComment: "comment", IdempotencyKey: "key " + text, CreatedAt: time.Now()}
	}

	t.Run("finds the whole thread", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		p := thread("Hello @bob@elsewhere.example and @alice@" + fake.Host() + "\n\nsee https://example.com/x")
		made, err := c.Publish(ctx, fake.Instance(), cred, p)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := c.FindPublished(ctx, fake.Instance(), cred, p, p.CreatedAt)
		if err != nil || !ok || !reflect.DeepEqual(got, made) {
			t.Fatalf("FindPublished = %+v, %v, %v; want %+v", got, ok, err, made)
		}
	})

	t.Run("a dropped second item: the post and nothing after", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.IgnoreIdempotencyKey(true)
		c, cred := publisher(t, fake, mastodon.Options{})
		p := thread("Dropped midway")
		first := p
		first.Thread, first.FirstComment = nil, ""
		made, err := c.Publish(ctx, fake.Instance(), cred, first)
		if err != nil {
			t.Fatal(err)
		}
		fake.InjectPublish(networktest.PublishDropAfterCommit)
		p.Done = made.ItemIDs
		if _, err := c.Publish(ctx, fake.Instance(), cred, p); err == nil {
			t.Fatal("the dropped answer was not reported")
		}
		got, ok, err := c.FindPublished(ctx, fake.Instance(), cred, p, p.CreatedAt)
		sts := fake.Statuses()
		if err != nil || !ok || !reflect.DeepEqual(got.ItemIDs, []string{sts[0].ID, sts[1].ID}) || got.RemoteID != sts[0].ID || got.URL == "" {
			t.Fatalf("FindPublished = %+v, %v, %v; want the post and the dropped item", got, ok, err)
		}
		// Resuming from what reconcile found makes only the rest.
		p.Done = got.ItemIDs
		if _, err := c.Publish(ctx, fake.Instance(), cred, p); err != nil || fake.StatusCount() != 4 {
			t.Fatalf("resume = %v with %d statuses, want 4", err, fake.StatusCount())
		}
		// Nothing further was made since Done: not found.
		p.Done = []string{sts[0].ID}
		fresh := mastodontest.NewServer(t)
		c2, cred2 := publisher(t, fresh, mastodon.Options{})
		if _, ok, err := c2.FindPublished(ctx, fresh.Instance(), cred2, p, p.CreatedAt); ok || err != nil {
			t.Errorf("FindPublished with nothing after Done = %v, %v; want not found", ok, err)
		}
	})

	t.Run("what does not match", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		img := pngPath(t)
		p := network.Post{Text: "With a picture", Media: []network.Media{{Path: img, MIME: "image/png"}}, CreatedAt: time.Now()}
		if _, err := c.Publish(ctx, fake.Instance(), cred, p); err != nil {
			t.Fatal(err)
		}
		for name, q := range map[string]network.Post{
			"other text":        {Text: "With a picture!", Media: p.Media},
			"other media count": {Text: "With a picture"},
		} {
			if _, ok, err := c.FindPublished(ctx, fake.Instance(), cred, q, p.CreatedAt); ok || err != nil {
				t.Errorf("%s: FindPublished = %v, %v; want not found", name, ok, err)
			}
		}
		if _, ok, _ := c.FindPublished(ctx, fake.Instance(), cred, p, time.Now().Add(time.Hour)); ok {
			t.Error("a post older than since was found")
		}
		if _, ok, _ := c.FindPublished(ctx, fake.Instance(), cred, p, time.Now().Add(time.Minute)); !ok {
			t.Error("a post within the clock-skew allowance was not found")
		}
	})

	t.Run("a repeat: the original is found", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.IgnoreIdempotencyKey(true)
		c, cred := publisher(t, fake, mastodon.Options{})
		p := network.Post{Text: "Twice", IdempotencyKey: "same", CreatedAt: time.Now()}
		a, _ := c.Publish(ctx, fake.Instance(), cred, p)
		if _, err := c.Publish(ctx, fake.Instance(), cred, p); err != nil || fake.StatusCount() != 2 {
			t.Fatalf("a fake ignoring Idempotency-Key made %d statuses (%v)", fake.StatusCount(), err)
		}
		got, ok, err := c.FindPublished(ctx, fake.Instance(), cred, p, p.CreatedAt)
		if err != nil || !ok || got.RemoteID != a.RemoteID {
			t.Errorf("FindPublished = %+v, %v, %v; want the first, %s", got, ok, err, a.RemoteID)
		}
	})

	t.Run("behind more than a page of newer posts", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.IgnoreIdempotencyKey(true)
		c, cred := publisher(t, fake, mastodon.Options{})
		p := thread("The original")
		made, err := c.Publish(ctx, fake.Instance(), cred, p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 95 {
			if _, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: fmt.Sprintf("later %d", i), CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		got, ok, err := c.FindPublished(ctx, fake.Instance(), cred, p, p.CreatedAt)
		if err != nil || !ok || !reflect.DeepEqual(got, made) {
			t.Fatalf("FindPublished = %+v, %v, %v; want the original thread, three pages back", got, ok, err)
		}
	})

	t.Run("more posts since than Herald reads: unknown, not absent", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		p := network.Post{Text: "Lost in the crowd", CreatedAt: time.Now()}
		for i := range 401 {
			if _, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: fmt.Sprintf("crowd %d", i), CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		_, ok, err := c.FindPublished(ctx, fake.Instance(), cred, p, p.CreatedAt)
		if ok || err == nil || network.ClassOf(err) != network.ClassTransient || !strings.Contains(err.Error(), "cannot tell") {
			t.Fatalf("FindPublished = %v, %v; want an error saying Herald cannot tell", ok, err)
		}
	})

	t.Run("a revoked token is auth_dead", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{})
		fake.RevokeAll()
		_, _, err := c.FindPublished(ctx, fake.Instance(), cred, network.Post{Text: "x"}, time.Now())
		if !network.IsAuthDead(err) {
			t.Errorf("FindPublished = %v, want auth_dead", err)
		}
	})
}

func TestIdempotencyKeyHonouredByTheFake(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c, cred := publisher(t, fake, mastodon.Options{})
	ctx := context.Background()
	p := network.Post{Text: "Once", IdempotencyKey: "k1"}
	a, err1 := c.Publish(ctx, fake.Instance(), cred, p)
	b, err2 := c.Publish(ctx, fake.Instance(), cred, p)
	if err1 != nil || err2 != nil || a.RemoteID != b.RemoteID || fake.StatusCount() != 1 {
		t.Fatalf("two publishes with one key = %v/%v, %v/%v, %d statuses; want the same status", a.RemoteID, err1, b.RemoteID, err2, fake.StatusCount())
	}
	// Mastodon forgets a key after an hour.
	fake.SetNow(func() time.Time { return time.Now().Add(61 * time.Minute) })
	if c2, _ := c.Publish(ctx, fake.Instance(), cred, p); c2.RemoteID == a.RemoteID || fake.StatusCount() != 2 {
		t.Errorf("after an hour the key still deduplicated (%d statuses)", fake.StatusCount())
	}
}

func TestSchedule(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	clock := func() time.Time { return now }

	t.Run("with media, listed, fired", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.SetNow(clock)
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		at := now.Add(time.Hour)
		p := network.Post{Text: "Later", IdempotencyKey: "s1", Options: map[string]string{"content_warning": "cw"},
			Media: []network.Media{{Path: pngPath(t), MIME: "image/png", AltText: "later pic"}}}
		sch, err := c.Schedule(ctx, fake.Instance(), cred, p, at)
		if err != nil {
			t.Fatal(err)
		}
		if sch.ID == "" || !sch.ScheduledAt.Equal(at) || sch.Text != "Later" || fake.StatusCount() != 0 {
			t.Fatalf("Schedule = %+v", sch)
		}
		// A retry with the same key is the same scheduled status on Mastodon.
		again, err := c.Schedule(ctx, fake.Instance(), cred, p, at)
		if err != nil || again.ID != sch.ID || len(fake.Scheduled()) != 1 {
			t.Errorf("repeat Schedule = %+v, %v; %d scheduled", again, err, len(fake.Scheduled()))
		}
		made := fake.FireScheduled(at)
		if len(made) != 1 || made[0].SpoilerText != "cw" || len(made[0].MediaIDs) != 1 || fake.Posts()[0].AltTexts[0] != "later pic" {
			t.Fatalf("FireScheduled = %+v", made)
		}
		if list, err := c.ListScheduled(ctx, fake.Instance(), cred); err != nil || len(list) != 0 {
			t.Errorf("ListScheduled after firing = %+v, %v", list, err)
		}
	})

	t.Run("more than a page is listed in full", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.SetNow(clock)
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		for i := range 45 {
			if _, err := c.Schedule(ctx, fake.Instance(), cred, network.Post{Text: "p"}, now.Add(time.Duration(10+i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		list, err := c.ListScheduled(ctx, fake.Instance(), cred)
		if err != nil || len(list) != 45 || fake.Calls("/api/v1/scheduled_statuses") != 2 {
			t.Fatalf("ListScheduled = %d, %v in %d requests; want 45 in 2", len(list), err, fake.Calls("/api/v1/scheduled_statuses"))
		}
	})

	t.Run("refused before sending", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		for name, tc := range map[string]struct {
			p    network.Post
			at   time.Time
			code string
		}{
			"too soon":      {network.Post{Text: "x"}, now.Add(4 * time.Minute), ""},
			"a thread":      {network.Post{Text: "x", Thread: []string{"y"}}, now.Add(time.Hour), "unsupported"},
			"first comment": {network.Post{Text: "x", FirstComment: "y"}, now.Add(time.Hour), "unsupported"},
			"empty":         {network.Post{}, now.Add(time.Hour), ""},
		} {
			_, err := c.Schedule(ctx, fake.Instance(), cred, tc.p, tc.at)
			var ne *network.Error
			if !errors.As(err, &ne) || ne.Class != network.ClassInvalidInput || ne.Code != tc.code {
				t.Errorf("%s: Schedule = %v, want invalid input (code %q)", name, err, tc.code)
			}
		}
		if fake.Calls("/api/v1/statuses") != 0 {
			t.Error("a refused schedule reached the server")
		}
	})

	t.Run("cancel a post that is gone", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		err := c.CancelScheduled(ctx, fake.Instance(), cred, "12345")
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Code != "not_found" {
			t.Errorf("CancelScheduled of a missing post = %v, want not_found", err)
		}
	})

	t.Run("a server without scheduled statuses (GoToSocial)", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		// GoToSocial 0.17.3: 501 for scheduled_at, no scheduled_statuses route.
		fake.Handle("POST /api/v1/statuses", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotImplemented)
			_, _ = w.Write([]byte(`{"error":"Not Implemented: scheduled_at is not yet implemented"}`))
		})
		fake.Handle("GET /api/v1/scheduled_statuses", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"Not Found"}`))
		})
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		_, err := c.Schedule(ctx, fake.Instance(), cred, network.Post{Text: "x"}, now.Add(time.Hour))
		checkUnsupported(t, "Schedule", err)
		_, err = c.ListScheduled(ctx, fake.Instance(), cred)
		checkUnsupported(t, "ListScheduled", err)
	})

	t.Run("a server that ignores scheduled_at and posts at once", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.Handle("POST /api/v1/statuses", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"77","created_at":"2030-05-06T07:08:09.000Z","uri":"https://x/77","content":"<p>x</p>"}`))
		})
		c, cred := publisher(t, fake, mastodon.Options{Now: clock})
		_, err := c.Schedule(ctx, fake.Instance(), cred, network.Post{Text: "x"}, now.Add(time.Hour))
		var ne *network.Error
		if !errors.As(err, &ne) || ne.Code != "published_now" || !strings.Contains(ne.Message, "77") {
			t.Errorf("Schedule = %v, want published_now naming the post", err)
		}
		var early *network.PublishedEarlyError
		if !errors.As(err, &early) || early.Published.RemoteID != "77" || early.Published.URL != "https://x/77" {
			t.Errorf("Schedule = %#v, want the post that went out early", err)
		}
	})
}

func checkUnsupported(t *testing.T, what string, err error) {
	t.Helper()
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Code != "unsupported" || ne.Class != network.ClassInvalidInput ||
		!errors.Is(err, mastodon.ErrScheduleUnsupported) || !strings.Contains(ne.Message, "does not support scheduled posts") {
		t.Errorf("%s on a server without scheduling = %v, want invalid input, code unsupported, ErrScheduleUnsupported", what, err)
	}
}

func TestRules(t *testing.T) {
	d := mastodon.New(mastodon.Options{}).Descriptor()
	if d.Rules.MaxChars != 500 || d.Rules.URLWeight != 23 || d.Rules.MaxMedia != 4 || d.Rules.MaxImageBytes != 16<<20 ||
		d.Rules.MaxVideoBytes != 99<<20 || d.Rules.MaxAltText != 1500 || !d.Rules.MentionDomainFree || !d.Rules.VideoAlone || d.Rules.MaxThread != 25 {
		t.Errorf("Descriptor().Rules = %+v, want Mastodon's defaults", d.Rules)
	}
	for _, c := range []network.Capability{network.CapPublish, network.CapMedia, network.CapAltText, network.CapThreads,
		network.CapFirstComment, network.CapContentWarning, network.CapVisibility, network.CapNativeSchedule} {
		if !d.Has(c) {
			t.Errorf("capability %s not declared", c)
		}
	}

	fake := mastodontest.NewServer(t)
	fake.SetLimits(mastodontest.Limits{MaxCharacters: 5000, MaxMediaAttachments: 6, CharactersReservedPerURL: 25,
		ImageSizeLimit: 10 << 20, SupportedMIMETypes: []string{"image/png", "video/mp4"}, DescriptionLimit: 2000})
	c, _ := publisher(t, fake, mastodon.Options{})
	got, err := c.Rules(context.Background(), fake.Instance())
	if err != nil {
		t.Fatal(err)
	}
	want := network.Rules{MaxChars: 5000, URLWeight: 25, MentionDomainFree: true, MaxMedia: 6, MaxImageBytes: 10 << 20,
		MaxVideoBytes: 99 << 20, MediaTypes: []string{"image/png", "video/mp4"}, MaxAltText: 2000, MaxThread: 25, VideoAlone: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rules = %+v\nwant %+v", got, want)
	}

	// GoToSocial counts links and mention domains as written.
	fake.Handle("GET /api/v2/instance", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"domain":"gts.example","source_url":"https://github.com/superseriousbusiness/gotosocial",
			"configuration":{"statuses":{"max_characters":5000,"max_media_attachments":6,"characters_reserved_per_url":25}}}`))
	})
	got, err = c.Rules(context.Background(), fake.Instance())
	if err != nil || got.MaxChars != 5000 || got.URLWeight != 0 || got.MentionDomainFree || got.MaxMedia != 6 {
		t.Errorf("GoToSocial Rules = %+v, %v; want links and mentions counted as written", got, err)
	}
}
