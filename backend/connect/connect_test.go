package connect

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/secrets"
	"herald/backend/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	svc    *Service
	db     *gorm.DB
	dbPath string
	mem    *secrets.Memory
	creds  *credentials.Manager
	chs    *store.Channels
	teams  *store.Teams
	audit  *store.Audit
	health *store.Health
	events *events.Catcher
	bsky   *blueskytest.Server
	opener *recordingOpener
}

type recordingOpener struct{ urls []string }

func (o *recordingOpener) Open(_ context.Context, u string) error {
	o.urls = append(o.urls, u)
	return nil
}

func newEnv(t *testing.T, extra ...network.Network) *env {
	t.Helper()
	dir := t.TempDir()
	now := func() time.Time { return t0 }
	path := filepath.Join(dir, "herald.db")
	g, _, err := db.Open(context.Background(), db.Options{Path: path, BackupDir: filepath.Join(dir, "backups"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	bsky := blueskytest.NewServer(t)
	nets := append([]network.Network{bluesky.New(bluesky.Options{Entryway: bsky.URL(), PLCDirectory: bsky.URL()})}, extra...)
	reg := network.NewRegistry(nets...)
	mem := secrets.NewMemory()
	log := slog.New(slog.DiscardHandler)
	e := &env{db: g, dbPath: path, mem: mem, chs: store.NewChannels(g, now), teams: store.NewTeams(g, now),
		audit: store.NewAudit(g, now), health: store.NewHealth(g, now), events: &events.Catcher{}, bsky: bsky, opener: &recordingOpener{}}
	e.creds = credentials.New(secrets.New(mem, "test", time.Second), reg, e.chs, now, log)
	e.svc = New(Deps{DB: g, Channels: e.chs, Health: e.health, Audit: e.audit, Credentials: e.creds, Networks: reg,
		Opener: e.opener, Emitter: e.events, Now: now, Log: log, AuthTimeout: 10 * time.Second})
	t.Cleanup(e.svc.Close)
	return e
}

func (e *env) login(t *testing.T, refreshID int64) Snapshot {
	t.Helper()
	handle, _, pw := e.bsky.Account()
	snap, err := e.svc.LoginPassword(context.Background(), "bluesky", "", handle, pw, refreshID)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestConnectABlueskyChannel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	team, err := e.teams.Create(ctx, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	snap := e.login(t, 0)
	if snap.Stage != StageReady || len(snap.New) != 1 || len(snap.Existing) != 0 {
		t.Fatalf("after sign-in: %+v", snap)
	}
	_, did, _ := e.bsky.Account()
	if snap.New[0].RemoteID != did || snap.New[0].Handle == "" {
		t.Errorf("new account = %+v", snap.New[0])
	}
	res, err := e.svc.Finish(ctx, snap.ID, []string{did}, []int64{team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Connected) != 1 {
		t.Fatalf("Finish = %+v", res)
	}
	ch, err := e.chs.Get(ctx, res.Connected[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if ch.RemoteID != did || ch.Instance != "https://bsky.social" && ch.Instance != e.bsky.URL() || len(ch.Teams) != 1 ||
		ch.Status != model.ChannelConnected || ch.AccessExpiresAt == nil || ch.TokenExpiresAt == nil {
		t.Errorf("channel = %+v", ch)
	}
	cred, err := e.creds.Load(ctx, ch.ID)
	if err != nil || cred.AccessToken == "" || cred.RefreshToken == "" {
		t.Fatalf("keyring credential = %+v, %v", cred, err)
	}
	if err := db.Close(e.db); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(e.dbPath)
	for _, secret := range []string{cred.AccessToken, cred.RefreshToken, blueskytest.AppPassword} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Error("a credential reached the database file")
		}
	}
	g2, _, _ := db.Open(ctx, db.Options{Path: e.dbPath, BackupDir: filepath.Join(filepath.Dir(e.dbPath), "backups")})
	defer db.Close(g2)
	entries, _, _ := store.NewAudit(g2, time.Now).List(ctx, store.AuditFilter{EventLike: "channel.connected"})
	if len(entries) != 1 || entries[0].Teams != "Shop" || entries[0].Actor != model.ActorUser {
		t.Errorf("audit = %+v", entries)
	}
	timeline, _ := store.NewHealth(g2, time.Now).List(ctx, ch.ID, 10)
	if len(timeline) != 1 || timeline[0].Kind != model.HealthConnected {
		t.Errorf("timeline = %+v", timeline)
	}
	if len(e.events.Named(events.ChannelsChanged)) != 1 {
		t.Error("no channels:changed event")
	}
}

func TestAKeyringFailureLeavesNoHalfMadeChannel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	snap := e.login(t, 0)
	e.mem.FailWrites = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	_, did, _ := e.bsky.Account()
	_, err := e.svc.Finish(ctx, snap.ID, []string{did}, nil)
	if !errors.Is(err, secrets.ErrLocked) {
		t.Fatalf("Finish with a locked keyring = %v, want ErrLocked", err)
	}
	if v := view(err, viewContext{network: network.Descriptor{Name: "Bluesky"}}); v.Code != CodeKeyring || !strings.Contains(v.Hint, "Unlock") {
		t.Errorf("error view = %+v", v)
	}
	list, _ := e.chs.List(ctx)
	entries, total, _ := e.audit.List(ctx, store.AuditFilter{})
	if len(list) != 0 || total != 0 {
		t.Errorf("after a failed save: %d channels, %d audit entries (%+v)", len(list), total, entries)
	}
	// Unlocked again, the same session can still finish.
	e.mem.FailWrites = nil
	if _, err := e.svc.Finish(ctx, snap.ID, []string{did}, nil); err != nil {
		t.Fatalf("Finish after unlocking: %v", err)
	}
}

func TestRefreshReplacesTheCredentialInPlace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	team, _ := e.teams.Create(ctx, "Shop")
	snap := e.login(t, 0)
	_, did, _ := e.bsky.Account()
	res, err := e.svc.Finish(ctx, snap.ID, []string{did}, []int64{team.ID})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Connected[0].ID
	before, _ := e.creds.Load(ctx, id)
	if _, err := e.chs.Transition(ctx, id, model.ChannelDisconnected, "revoked"); err != nil {
		t.Fatal(err)
	}

	again := e.login(t, id)
	if again.Stage != StageReady || len(again.Existing) != 1 || again.Existing[0].ChannelID != id || len(again.New) != 0 {
		t.Fatalf("refresh sign-in = %+v", again)
	}
	res, err = e.svc.Finish(ctx, again.ID, []string{did}, nil)
	if err != nil || len(res.Refreshed) != 1 || res.Refreshed[0].ID != id {
		t.Fatalf("Finish refresh = %+v, %v", res, err)
	}
	ch, _ := e.chs.Get(ctx, id)
	after, _ := e.creds.Load(ctx, id)
	if ch.Status != model.ChannelConnected || ch.RefreshedAt == nil || len(ch.Teams) != 1 || after.AccessToken == before.AccessToken {
		t.Errorf("after refresh: channel %+v, new token %v", ch, after.AccessToken != before.AccessToken)
	}
	list, _ := e.chs.List(ctx)
	if len(list) != 1 {
		t.Errorf("refresh created another channel: %d", len(list))
	}
	entries, _, _ := e.audit.List(ctx, store.AuditFilter{EventLike: "channel.reconnected"})
	if len(entries) != 1 {
		t.Errorf("reconnect audit entries = %d", len(entries))
	}
}

func TestRefreshAsAnotherAccountIsRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	other := &model.Channel{Network: "bluesky", Instance: e.bsky.URL(), RemoteID: "did:plc:someoneelse", Handle: "shop.bsky.social", DisplayName: "Shop"}
	if err := e.chs.Create(ctx, other); err != nil {
		t.Fatal(err)
	}
	snap := e.login(t, other.ID)
	if snap.Stage != StageFailed || snap.Error == nil || snap.Error.Code != CodeConflict ||
		!strings.Contains(snap.Error.Message, "shop.bsky.social") || !strings.Contains(snap.Error.Message, "Nothing was changed") {
		t.Fatalf("refresh as another account = %+v %+v", snap, snap.Error)
	}
	if _, err := e.creds.Load(ctx, other.ID); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("a credential was stored for the other channel: %v", err)
	}
}

func TestBadSignInsEndClearlyWithNothingMade(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	handle, _, pw := e.bsky.Account()
	cases := []struct {
		name, identifier, password, field string
		wantCode                          string
	}{
		{"wrong app password", handle, pw + "x", "", CodeInvalid},
		{"handle that does not exist", "nobody-here.bsky.social", pw, "", CodeInvalid},
		{"no handle", "", pw, "identifier", CodeInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := e.svc.LoginPassword(ctx, "bluesky", "", tc.identifier, tc.password, 0)
			if tc.field != "" {
				var fe *FlowError
				if !errors.As(err, &fe) || fe.Field != tc.field {
					t.Fatalf("LoginPassword error = %v, want a field error on %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if snap.Stage != StageFailed || snap.Error == nil || snap.Error.Code != tc.wantCode || snap.Error.Message == "" {
				t.Fatalf("snapshot = %+v, error %+v", snap, snap.Error)
			}
			if strings.Contains(snap.Error.Message, tc.password) {
				t.Error("the error repeats the password")
			}
		})
	}
	t.Run("unreachable server", func(t *testing.T) {
		snap, err := e.svc.LoginPassword(ctx, "bluesky", "http://127.0.0.1:1", handle, pw, 0)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Stage != StageFailed || snap.Error == nil || snap.Error.Hint == "" {
			t.Fatalf("snapshot = %+v, %+v", snap, snap.Error)
		}
	})
	if list, _ := e.chs.List(ctx); len(list) != 0 || e.mem.Len() != 0 {
		t.Errorf("failed sign-ins left %d channels and %d keyring items", len(list), e.mem.Len())
	}
}

func TestRemoveRevokesDeletesTheSecretAndKeepsHistory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	snap := e.login(t, 0)
	_, did, _ := e.bsky.Account()
	res, err := e.svc.Finish(ctx, snap.ID, []string{did}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := res.Connected[0].ID
	post := &model.Post{Title: "kept", Status: model.PostPublished, TimeZone: "UTC", MissedPolicy: model.MissedPublishLate, CreatedAt: t0, UpdatedAt: t0}
	if err := e.db.Create(post).Error; err != nil {
		t.Fatal(err)
	}
	target := &model.PostTarget{PostID: post.ID, ChannelID: id, Body: "hello", Thread: "[]", Options: "{}", Status: model.TargetPublished, IdempotencyKey: "k1", CreatedAt: t0, UpdatedAt: t0}
	if err := e.db.Create(target).Error; err != nil {
		t.Fatal(err)
	}

	e.mem.FailWrites = errors.New("failed to unlock correct collection")
	if _, err := e.svc.Remove(ctx, id, false); err == nil {
		t.Fatal("Remove succeeded although the keyring could not delete the credential")
	}
	if ch, _ := e.chs.Get(ctx, id); ch.RemovedAt != nil {
		t.Fatal("the channel was removed although its credential could not be deleted")
	}
	e.mem.FailWrites = nil

	rr, err := e.svc.Remove(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rr.Revoked || rr.HistoryDeleted {
		t.Errorf("Remove = %+v", rr)
	}
	if e.bsky.Calls("com.atproto.server.deleteSession") != 1 {
		t.Error("the session was not revoked at Bluesky")
	}
	if e.mem.Len() != 0 {
		t.Error("the keyring item was not deleted")
	}
	if list, _ := e.chs.List(ctx); len(list) != 0 {
		t.Error("the removed channel is still listed")
	}
	var n int64
	e.db.Model(&model.PostTarget{}).Where("channel_id = ?", id).Count(&n)
	if n != 1 {
		t.Error("the removed channel's published history was deleted")
	}
	entries, _, _ := e.audit.List(ctx, store.AuditFilter{EventLike: "channel.removed"})
	if len(entries) != 1 || !strings.Contains(entries[0].Details, `"revoked":true`) {
		t.Errorf("audit = %+v", entries)
	}

	// Connecting it again restores the same channel with its history.
	again := e.login(t, 0)
	if len(again.Existing) != 1 || !again.Existing[0].Removed {
		t.Fatalf("after removal the account shows as %+v", again)
	}
	res2, err := e.svc.Finish(ctx, again.ID, []string{did}, nil)
	if err != nil || len(res2.Refreshed) != 1 || res2.Refreshed[0].ID != id {
		t.Fatalf("restore = %+v, %v", res2, err)
	}
	if list, _ := e.chs.List(ctx); len(list) != 1 {
		t.Error("the restored channel is not listed")
	}

	if _, err := e.svc.Remove(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	e.db.Model(&model.PostTarget{}).Where("channel_id = ?", id).Count(&n)
	if n != 0 {
		t.Error("deleting with history kept the posts")
	}
}
