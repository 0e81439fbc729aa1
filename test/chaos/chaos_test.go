//go:build chaos

// Package chaos kills the publisher with SIGKILL at random moments while
// it publishes many posts through a proxy that drops connections, loses
// answers after the server committed, rate-limits, fails with 5xx and
// revokes tokens — then restarts it until every post is settled, and
// counts on the server that each went out exactly once.
//
//	go test -tags chaos -count=1 -v ./test/chaos/
package chaos

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/notify"
	"herald/backend/publish"
	"herald/backend/store"
)

const (
	channels = 5
	posts    = 300 // a fifth of them are three-part threads
)

// proxy sits between Herald and the fake server and misbehaves on the
// requests that create statuses.
type proxy struct {
	rp      *httputil.ReverseProxy
	rng     *rand.Rand
	mu      sync.Mutex
	counts  map[string]*atomic.Int64
	revoked atomic.Bool
}

func (p *proxy) roll() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64()
}

func (p *proxy) count(what string) {
	p.mu.Lock()
	c, ok := p.counts[what]
	if !ok {
		c = &atomic.Int64{}
		p.counts[what] = c
	}
	p.mu.Unlock()
	c.Add(1)
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		p.rp.ServeHTTP(w, r)
		return
	}
	switch x := p.roll(); {
	case x < 0.08: // the connection drops before the server sees anything
		p.count("drop_before")
		hijackClose(w)
	case x < 0.16: // the server commits, the answer never arrives
		p.count("drop_after_commit")
		rec := httptest.NewRecorder()
		p.rp.ServeHTTP(rec, r)
		hijackClose(w)
	case x < 0.21:
		p.count("rate_limited")
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Reset", time.Now().Add(time.Second).UTC().Format(time.RFC3339))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too many requests"}`))
	case x < 0.26:
		p.count("server_error")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`<html>503 Service Unavailable</html>`))
	case x < 0.28:
		p.count("unauthorized")
		p.revoked.Store(true)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
	default:
		p.rp.ServeHTTP(w, r)
	}
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func TestKilledPublisherNeverLosesOrDoublesAPost(t *testing.T) {
	if os.Getenv("HERALD_CHAOS_CHILD") == "1" {
		t.Skip("parent only")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("HERALD_CHAOS_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with HERALD_CHAOS_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 7))

	fake := mastodontest.NewServer(t)
	fake.IgnoreIdempotencyKey(true) // like GoToSocial: only reconciling prevents duplicates
	target, _ := url.Parse(fake.URL())
	px := &proxy{rp: httputil.NewSingleHostReverseProxy(target), rng: rand.New(rand.NewPCG(seed, 11)), counts: map[string]*atomic.Int64{}}
	front := httptest.NewServer(px)
	defer front.Close()

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "herald.db")
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: dbPath, BackupDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	creds := map[string]network.Credential{}
	texts := map[int64][]string{} // target id → texts of its items
	var targetIDs []int64
	now := time.Now().UTC()
	for c := 0; c < channels; c++ {
		acct := fake.Account()
		if c > 0 {
			acct = fake.AddAccount(mastodontest.Account{ID: fmt.Sprint(5000 + c), Username: fmt.Sprintf("shop%d", c)})
		}
		ch := model.Channel{Network: "mastodon", Instance: front.URL, RemoteID: acct.ID, Handle: acct.Username, DisplayName: acct.Username}
		if err := store.NewChannels(g, time.Now).Create(ctx, &ch); err != nil {
			t.Fatal(err)
		}
		creds[fmt.Sprint(ch.ID)] = fake.Credential(acct.ID, "read write")
		for i := 0; i < posts/channels; i++ {
			due := now.Add(time.Duration(rng.IntN(8000)) * time.Millisecond)
			body := fmt.Sprintf("chaos %d post %d/%d %d", seed, c, i, rng.Int())
			items := []string{body}
			thread := "[]"
			if i%5 == 0 {
				items = append(items, body+" (2/3)", body+" (3/3)")
				b, _ := json.Marshal(items[1:])
				thread = string(b)
			}
			p := model.Post{Status: model.PostScheduled, ScheduledAt: &due, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate,
				GraceMinutes: 24 * 60, Origin: "app", CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&p).Error; err != nil {
				t.Fatal(err)
			}
			tg := model.PostTarget{PostID: p.ID, ChannelID: ch.ID, Body: body, Thread: thread, Options: `{"visibility":"public"}`, ItemIDs: "[]",
				Status: model.TargetScheduled, DueAt: &due, NextAttemptAt: &due, IdempotencyKey: fmt.Sprintf("k-%d-%d", seed, p.ID), CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&tg).Error; err != nil {
				t.Fatal(err)
			}
			targetIDs = append(targetIDs, tg.ID)
			texts[tg.ID] = items
		}
	}
	_ = db.Close(g)
	credFile := filepath.Join(dir, "creds.json")
	b, _ := json.Marshal(creds)
	if err := os.WriteFile(credFile, b, 0o600); err != nil {
		t.Fatal(err)
	}

	kills := 0
	deadline := time.Now().Add(4 * time.Minute)
	for run := 0; ; run++ {
		if time.Now().After(deadline) {
			t.Fatal("targets were still unsettled after 4 minutes")
		}
		reconnect(t, dbPath, px) // the user reconnects any channel a 401 disconnected
		unsettled := countUnsettled(t, dbPath)
		if unsettled == 0 {
			break
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestChaosChild$", "-test.v")
		cmd.Env = append(os.Environ(), "HERALD_CHAOS_CHILD=1", "HERALD_CHAOS_DB="+dbPath, "HERALD_CHAOS_CREDS="+credFile)
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go drain(out)
		// Kill at a random moment in most runs; let every fifth run settle.
		if run%5 != 4 {
			time.Sleep(time.Duration(30+rng.IntN(600)) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			kills++
		} else {
			time.Sleep(4 * time.Second)
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
		_ = cmd.Wait()
	}

	// Count on the server side.
	made := map[string]int{}
	for _, s := range fake.StatusesBy("") {
		made[s.Text]++
	}
	g, _, err = db.Open(ctx, db.Options{Path: dbPath, BackupDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	published, failed := 0, 0
	for _, id := range targetIDs {
		var tg model.PostTarget
		if err := g.First(&tg, id).Error; err != nil {
			t.Fatal(err)
		}
		switch tg.Status {
		case model.TargetPublished:
			published++
			for _, text := range texts[id] {
				if made[text] != 1 {
					t.Errorf("target %d is published but %q exists %d times on the server", id, text, made[text])
				}
			}
		case model.TargetFailed:
			failed++
			t.Logf("target %d failed: %s", id, tg.ErrorMessage)
			if tg.ErrorMessage == "" {
				t.Errorf("target %d failed without a reason", id)
			}
			for _, text := range texts[id] {
				if made[text] > 1 {
					t.Errorf("failed target %d: %q exists %d times", id, text, made[text])
				}
			}
		default:
			t.Errorf("target %d ended as %s", id, tg.Status)
		}
	}
	var faults []string
	for k, v := range px.counts {
		faults = append(faults, fmt.Sprintf("%s=%d", k, v.Load()))
	}
	t.Logf("%d targets: %d published exactly once, %d failed with a reason; %d SIGKILLs; faults: %s",
		len(targetIDs), published, failed, kills, strings.Join(faults, " "))
	if published == 0 {
		t.Error("nothing was published")
	}
}

// TestChaosChild is the publisher process the parent kills.
func TestChaosChild(t *testing.T) {
	if os.Getenv("HERALD_CHAOS_CHILD") != "1" {
		t.Skip("run by TestKilledPublisherNeverLosesOrDoublesAPost")
	}
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: os.Getenv("HERALD_CHAOS_DB"), BackupDir: filepath.Dir(os.Getenv("HERALD_CHAOS_DB"))})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(os.Getenv("HERALD_CHAOS_CREDS"))
	if err != nil {
		t.Fatal(err)
	}
	var creds map[string]network.Credential
	if err := json.Unmarshal(raw, &creds); err != nil {
		t.Fatal(err)
	}
	chs := store.NewChannels(g, time.Now)
	log := slog.New(slog.DiscardHandler)
	e := publish.New(publish.Deps{DB: g, Channels: chs, Credentials: staticCreds(creds),
		Networks: network.NewRegistry(mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 2 * time.Second}})),
		Health:   disconnector{chs}, Notifier: notify.Discard{}, Emitter: events.Discard{}, Clock: clockwork.NewRealClock(), Log: log,
		Policy: publish.Policy{Tolerance: time.Hour, Stagger: time.Second, RetryBase: 50 * time.Millisecond, RetryCap: 500 * time.Millisecond,
			MaxAttempts: 6, AttemptTimeout: 5 * time.Second, Batch: 20, Workers: 8}})
	if err := e.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	e.Run(ctx) // until SIGKILL
}

type staticCreds map[string]network.Credential

func (s staticCreds) Fresh(_ context.Context, ch model.Channel) (network.Credential, error) {
	return s[fmt.Sprint(ch.ID)], nil
}

func (s staticCreds) Renew(ctx context.Context, ch model.Channel, _ network.Credential) (network.Credential, error) {
	return s.Fresh(ctx, ch)
}

// disconnector plays the health monitor: a 401 disconnects the channel.
type disconnector struct{ chs *store.Channels }

func (d disconnector) ReportError(ctx context.Context, id int64, err error) {
	if network.IsAuthDead(err) {
		_, _ = d.chs.Transition(ctx, id, model.ChannelDisconnected, "token revoked")
	}
}

// reconnect plays the user: every disconnected channel is reconnected and
// its waiting posts resume.
func reconnect(t *testing.T, dbPath string, px *proxy) {
	t.Helper()
	ctx := context.Background()
	g, _, err := db.Open(ctx, db.Options{Path: dbPath, BackupDir: filepath.Dir(dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	var ids []int64
	g.Model(&model.Channel{}).Where("status = ?", model.ChannelDisconnected).Pluck("id", &ids)
	for _, id := range ids {
		if err := store.NewChannels(g, time.Now).Authorized(ctx, id, store.Profile{Handle: "x"}, nil, nil, true); err != nil {
			t.Fatal(err)
		}
		if _, err := store.NewTargets(g, time.Now).Unblock(ctx, id, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	px.revoked.Store(false)
}

func countUnsettled(t *testing.T, dbPath string) int64 {
	t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: dbPath, BackupDir: filepath.Dir(dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(g)
	var n int64
	g.Model(&model.PostTarget{}).Where("status NOT IN ('published','failed')").Count(&n)
	return n
}

func drain(r interface{ Read([]byte) (int, error) }) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		_ = s.Text()
	}
}
