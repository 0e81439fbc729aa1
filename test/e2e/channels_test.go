//go:build e2e

// Package e2e runs Herald's real dev binary against real peers, with a
// person's part played in Chromium by Playwright. `make test` runs it
// inside xvfb-run and dbus-run-session with an unlocked keyring:
//
//	HERALD_DEV_BIN=build/bin/herald-dev go test -tags e2e ./test/e2e/
package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/secrets"
	"herald/backend/store"
	"herald/test/gts"
)

// TestChannelConnectRevokeReconnect connects a GoToSocial account through
// the real browser sign-in, checks the token is only in the keyring,
// revokes it on the server, waits for the health check to disconnect the
// channel exactly once, and reconnects it in place.
func TestChannelConnectRevokeReconnect(t *testing.T) {
	server := gts.Start(t)
	_, email, password := server.User()
	app := startHerald(t, "HERALD_HEALTH_CHECK_INTERVAL=3s")

	phaseEnv := []string{
		"HERALD_E2E_GTS_URL=" + server.URL(),
		"HERALD_E2E_GTS_EMAIL=" + email,
		"HERALD_E2E_GTS_PASSWORD=" + password,
	}
	out := app.playwright(t, "channels.e2e.mjs", append(phaseEnv, "HERALD_E2E_PHASE=connect")...)
	id := channelIDFrom(t, out)

	g := app.openDB(t)
	ch := getChannel(t, g, id)
	if ch.Network != "mastodon" || ch.Status != model.ChannelConnected || ch.RemoteID == "" {
		t.Fatalf("connected channel = %+v", ch)
	}
	cred := app.credential(t, g, id)
	if cred.AccessToken == "" || cred.ClientSecret == "" {
		t.Fatal("the keyring holds no token for the channel")
	}
	app.assertNotOnDisk(t, cred.AccessToken, cred.ClientSecret)

	server.RevokeToken(t, cred.ClientID, cred.ClientSecret, cred.AccessToken)
	waitFor(t, 60*time.Second, "the health check to disconnect the channel", func() bool {
		return getChannel(t, g, id).Status == model.ChannelDisconnected
	})
	time.Sleep(10 * time.Second) // several more health-check rounds
	if n := countAudit(t, g, "channel.disconnected", id); n != 1 {
		t.Errorf("%d disconnect audit entries, want exactly 1", n)
	}
	if n := countTimeline(t, g, id, model.HealthDisconnected); n != 1 {
		t.Errorf("%d disconnects in the health timeline, want exactly 1", n)
	}

	app.playwright(t, "channels.e2e.mjs", append(phaseEnv, "HERALD_E2E_PHASE=reconnect", "HERALD_E2E_CHANNEL_ID="+strconv.FormatInt(id, 10))...)
	after := getChannel(t, g, id)
	if after.Status != model.ChannelConnected || after.RemoteID != ch.RemoteID {
		t.Fatalf("after reconnect channel = %+v", after)
	}
	var channels int64
	g.Model(&model.Channel{}).Count(&channels)
	if channels != 1 {
		t.Errorf("%d channels after reconnect, want the same single channel", channels)
	}
	fresh := app.credential(t, g, id)
	if fresh.AccessToken == cred.AccessToken {
		t.Error("reconnecting did not store a new token")
	}
	if n := countAudit(t, g, "channel.reconnected", id); n != 1 {
		t.Errorf("%d reconnect audit entries, want 1", n)
	}
	app.assertNotOnDisk(t, fresh.AccessToken, fresh.ClientSecret)
	app.stop(t)
	app.assertNotOnDisk(t, fresh.AccessToken, fresh.ClientSecret)
}

func channelIDFrom(t *testing.T, out string) int64 {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "CHANNEL_ID="); ok {
			id, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				return id
			}
		}
	}
	t.Fatalf("the connect phase printed no CHANNEL_ID:\n%s", out)
	return 0
}

func getChannel(t *testing.T, g *gorm.DB, id int64) model.Channel {
	t.Helper()
	ch, err := store.NewChannels(g, time.Now).Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func countAudit(t *testing.T, g *gorm.DB, event string, channelID int64) int64 {
	t.Helper()
	_, total, err := store.NewAudit(g, time.Now).List(context.Background(), store.AuditFilter{EventLike: event, ChannelID: channelID})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func countTimeline(t *testing.T, g *gorm.DB, channelID int64, kind model.HealthKind) int {
	t.Helper()
	events, err := store.NewHealth(g, time.Now).List(context.Background(), channelID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// credential reads the channel's credential from the real keyring, the way
// Herald does.
func (a *herald) credential(t *testing.T, g *gorm.DB, id int64) network.Credential {
	t.Helper()
	installID, ok, err := store.NewSettings(g, time.Now).Get(context.Background(), store.SettingInstallID)
	if err != nil || !ok {
		t.Fatalf("install id: %v", err)
	}
	keyring := secrets.New(secrets.OSKeyring{}, installID, 10*time.Second)
	c, err := credentials.New(keyring, nil, nil, time.Now, nil).Load(context.Background(), id)
	if err != nil {
		t.Fatalf("read the channel's credential from the keyring: %v", err)
	}
	return c
}

// assertNotOnDisk greps every file Herald wrote (database, WAL, logs,
// backups) for the secrets.
func (a *herald) assertNotOnDisk(t *testing.T, secretValues ...string) {
	t.Helper()
	err := filepath.WalkDir(a.data, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // folders, the instance socket
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil // a WAL file checkpointed away meanwhile
		}
		if err != nil {
			return err
		}
		for _, s := range secretValues {
			if s != "" && bytes.Contains(b, []byte(s)) {
				t.Errorf("a credential was written to %s", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read Herald's files: %v", err)
	}
	for _, s := range secretValues {
		if s != "" && strings.Contains(a.output(), s) {
			t.Error("a credential was printed by Herald")
		}
	}
}

// openDB opens Herald's database alongside the running app (WAL allows it).
func (a *herald) openDB(t *testing.T) *gorm.DB {
	t.Helper()
	g, _, err := db.Open(context.Background(), db.Options{Path: filepath.Join(a.data, "herald.db"), BackupDir: filepath.Join(a.data, "backups")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	return g
}
