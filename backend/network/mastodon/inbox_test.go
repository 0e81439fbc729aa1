package mastodon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

func TestHTMLToTextLinks(t *testing.T) {
	in := `<p>Read <a href="https://example.com/a" rel="nofollow">example.com/a</a> &amp; ` +
		`<a href="https://x.example/@bob" class="u-url mention">@<span>bob</span></a> ` +
		`<a href="https://x.example/tags/go" class="mention hashtag">#go</a></p>` +
		`<script>alert("x")</script><style>p{color:red}</style><p>bye<br>now <a href="javascript:alert(1)">click</a></p>`
	text, links := mastodon.HTMLToTextLinks(in)
	if want := "Read example.com/a & @bob #go\n\nbye\nnow click"; text != want {
		t.Errorf("text = %q, want %q", text, want)
	}
	if !slices.Equal(links, []string{"https://example.com/a"}) {
		t.Errorf("links = %q, want only the web link", links)
	}
}

// A Link header pointing at another server is never followed: the token
// would go with it.
func TestReadInboxDoesNotFollowForeignLinks(t *testing.T) {
	var foreign atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	}))
	defer elsewhere.Close()
	fake := mastodontest.NewServer(t)
	c := mastodon.New(mastodon.Options{HTTP: fake.Client()})
	cred := fake.Credential(fake.Account().ID, "")
	m := fake.Mention(t, "hello")
	fake.Handle("GET /api/v1/conversations", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<`+elsewhere.URL+`/api/v1/conversations?max_id=1>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	})
	fake.Handle("GET /api/v1/notifications", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<`+elsewhere.URL+`/api/v1/notifications?max_id=1>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"5","type":"mention","created_at":"2025-01-01T00:00:00.000Z","account":{"id":"2"},` +
			`"status":{"id":"` + m + `","created_at":"2025-01-01T00:00:00.000Z","content":"<p>hello</p>","visibility":"public","account":{"id":"2","acct":"bob"}}}]`))
	})
	p, err := c.ReadInbox(context.Background(), fake.Instance(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if foreign.Load() != 0 {
		t.Errorf("the reader followed a Link to another server %d times", foreign.Load())
	}
	if len(p.Items) != 1 || p.Items[0].RemoteID != m || p.Cursors["notifications"] != "5" {
		t.Errorf("page = %+v", p)
	}
}

// A thread longer than Herald's bound is cut to 1,000 items that keep the
// item asked for, and marked Truncated.
func TestReadThreadIsBounded(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := mastodon.New(mastodon.Options{HTTP: fake.Client()})
	cred := fake.Credential(fake.Account().ID, "")
	parent := fake.OwnPost(t, "root")
	var last string
	for i := range 1005 {
		last = fake.Reply(t, parent, "reply "+strings.Repeat("x", i%3))
		parent = last
	}
	th, err := c.ReadThread(context.Background(), fake.Instance(), cred, last)
	if err != nil {
		t.Fatal(err)
	}
	if !th.Truncated || len(th.Items) != 1000 || th.Items[len(th.Items)-1].RemoteID != last {
		t.Errorf("thread of 1,006: %d items, truncated %v, last %s (want %s)", len(th.Items), th.Truncated, th.Items[len(th.Items)-1].RemoteID, last)
	}
	_, err = c.ReadThread(context.Background(), fake.Instance(), cred, "999999999999")
	if network.ClassOf(err) != network.ClassContentRejected {
		t.Errorf("thread of a missing post = %v", err)
	}
}

// A first sync cut short returns nothing and no cursor: resuming from its
// newest item would skip the older backlog.
func TestFirstSyncCutShortStartsOver(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := mastodon.New(mastodon.Options{HTTP: fake.Client()})
	cred := fake.Credential(fake.Account().ID, "")
	fake.SetPageLimit(2)
	for range 5 {
		fake.Mention(t, "backlog")
	}
	fake.InjectInbox(networktest.InboxServerError, 1)
	p, err := c.ReadInbox(context.Background(), fake.Instance(), cred, nil)
	if err == nil || len(p.Items) != 0 || p.Cursors["notifications"] != "" {
		t.Fatalf("first sync failing on page 2 = %d items, cursors %v, %v; want nothing and the error", len(p.Items), p.Cursors, err)
	}
	p, err = c.ReadInbox(context.Background(), fake.Instance(), cred, nil)
	if err != nil || len(p.Items) != 5 {
		t.Fatalf("first sync again = %d items, %v; want the 5", len(p.Items), err)
	}
}
