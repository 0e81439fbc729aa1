package inbox

import (
	"context"
	"net/http"
	"testing"
	"time"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

// fixedCreds hands out the credential the test signed in with.
type fixedCreds struct{ cred network.Credential }

func (c fixedCreds) Fresh(context.Context, model.Channel) (network.Credential, error) {
	return c.cred, nil
}

func (c fixedCreds) Renew(context.Context, model.Channel, network.Credential) (network.Credential, error) {
	return c.cred, nil
}

// TestSyncThroughTheNetworkClients runs the sync with the real Mastodon
// and Bluesky clients against their fakes: the first sync stores the
// backlog read and silent, activity after it arrives once, unread and
// notified, what is not for the inbox (a favourite, a follow) never does,
// and a deletion on the network is reflected by the refresh.
func TestSyncThroughTheNetworkClients(t *testing.T) {
	cases := []struct {
		name string
		fake func(t *testing.T) (networktest.InboxFake, network.Network)
	}{
		{"mastodon", func(t *testing.T) (networktest.InboxFake, network.Network) {
			s := mastodontest.NewServer(t)
			return s, mastodon.New(mastodon.Options{HTTP: &http.Client{Timeout: 10 * time.Second}})
		}},
		{"bluesky", func(t *testing.T) (networktest.InboxFake, network.Network) {
			s := blueskytest.NewServer(t)
			return s, bluesky.New(bluesky.Options{HTTP: &http.Client{Timeout: 10 * time.Second}, Entryway: s.URL(), PLCDirectory: s.URL()})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, n := tc.fake(t)
			cred, err := networktest.Connect(t, n, fake)
			if err != nil {
				t.Fatal(err)
			}
			r := newRig(t, n, nil)
			r.ch.Network, r.ch.Instance = n.Descriptor().ID, fake.Instance()
			if err := r.g.Save(&r.ch).Error; err != nil {
				t.Fatal(err)
			}
			r.s.d.Credentials = fixedCreds{cred: cred}

			post := fake.OwnPost(t, "We open a new shop today")
			backlog := []string{fake.Mention(t, "hello @shop"), fake.Reply(t, post, "Congratulations!")}
			fake.Noise(t)
			r.syncNow()
			if got := r.rows(); got != int64(len(backlog)) {
				t.Fatalf("first sync stored %d items, want the %d of the backlog", got, len(backlog))
			}
			var unread int64
			r.g.Model(&model.InboxItem{}).Where("read_at IS NULL").Count(&unread)
			if unread != 0 || r.notes.count() != 0 {
				t.Fatalf("backlog: %d unread, %d notifications; want none", unread, r.notes.count())
			}

			reply := fake.Reply(t, post, "Is it open on Sunday?")
			message := fake.Message(t, "Can I ask you something in private?")
			fake.Noise(t)
			r.syncNow()
			r.syncNow() // nothing new: nothing stored twice
			if got := r.rows(); got != int64(len(backlog))+2 {
				t.Fatalf("after new activity %d items, want %d", got, len(backlog)+2)
			}
			var rows []model.InboxItem
			if err := r.g.Where("read_at IS NULL").Order("remote_id").Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			kinds := map[string]string{}
			for _, row := range rows {
				kinds[row.RemoteID] = string(row.Kind)
			}
			if kinds[reply] != string(network.InboxReply) || kinds[message] != string(network.InboxMessage) || len(kinds) != 2 {
				t.Fatalf("unread items = %v; want the reply %s and the message %s", kinds, reply, message)
			}
			if r.notes.count() != 2 {
				t.Fatalf("%d notifications for 2 new items", r.notes.count())
			}

			// A deletion on the network reaches Herald with the next refresh.
			fake.Delete(t, backlog[0])
			r.clock = r.clock.Add(RefreshEvery + time.Minute)
			r.syncNow()
			var gone model.InboxItem
			if err := r.g.Where("remote_id = ?", backlog[0]).Take(&gone).Error; err != nil {
				t.Fatal(err)
			}
			if gone.DeletedAt == nil {
				t.Errorf("the mention deleted on the network is not marked deleted")
			}
		})
	}
}
