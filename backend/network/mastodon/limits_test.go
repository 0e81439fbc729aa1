package mastodon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

func TestInstanceLimits(t *testing.T) {
	ctx := context.Background()

	t.Run("read from v2", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.SetLimits(mastodontest.Limits{
			MaxCharacters: 5000, MaxMediaAttachments: 6, CharactersReservedPerURL: 30,
			ImageSizeLimit: 10 << 20, VideoSizeLimit: 40 << 20, SupportedMIMETypes: []string{"image/png"},
		})
		got, err := newClient(fake).InstanceLimits(ctx, fake.Instance())
		if err != nil {
			t.Fatal(err)
		}
		want := mastodon.Limits{
			MaxCharacters: 5000, MaxMediaAttachments: 6, CharactersReservedPerURL: 30,
			ImageSizeLimit: 10 << 20, VideoSizeLimit: 40 << 20, SupportedMIMETypes: []string{"image/png"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("InstanceLimits = %+v, want %+v", got, want)
		}
		if fake.Calls("/api/v1/instance") != 0 {
			t.Error("v1 was read although v2 answered")
		}
	})

	t.Run("falls back to v1 on an older server", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.SetLimits(mastodontest.Limits{MaxCharacters: 1000})
		fake.Handle("GET /api/v2/instance", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"Record not found"}`))
		})
		got, err := newClient(fake).InstanceLimits(ctx, fake.Instance())
		if err != nil {
			t.Fatal(err)
		}
		if got.MaxCharacters != 1000 || got.MaxMediaAttachments != 4 || got.CharactersReservedPerURL != 23 {
			t.Errorf("InstanceLimits = %+v, want 1000 characters and Mastodon's defaults for the rest", got)
		}
	})

	t.Run("max_toot_chars from forks, defaults for the rest", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path != "/api/v1/instance" {
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"error":"Not found"}`))
				return
			}
			_, _ = w.Write([]byte(`{"uri":"pleroma.example","title":"P","max_toot_chars":5000}`))
		}))
		defer srv.Close()
		got, err := mastodon.New(mastodon.Options{HTTP: srv.Client()}).InstanceLimits(ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		want := mastodon.Limits{MaxCharacters: 5000, MaxMediaAttachments: 4, CharactersReservedPerURL: 23}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("InstanceLimits = %+v, want %+v", got, want)
		}
	})

	t.Run("a busy server is transient, not a reason to guess", func(t *testing.T) {
		fake := mastodontest.NewServer(t)
		fake.Inject(networktest.FaultServerError)
		_, err := newClient(fake).InstanceLimits(ctx, fake.Instance())
		if network.ClassOf(err) != network.ClassTransient || err == nil {
			t.Fatalf("InstanceLimits on 503 = %v, want transient", err)
		}
		if fake.Calls("/api/v1/instance") != 0 {
			t.Error("fell back to v1 on a 503")
		}
	})
}
