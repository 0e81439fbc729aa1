package mastodon_test

import (
	"net/http"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

func TestConformance(t *testing.T) {
	networktest.Run(t, networktest.Options{
		New:  func(c *http.Client) network.Network { return mastodon.New(mastodon.Options{HTTP: c}) },
		Fake: mastodontest.NewServer(t),
	})
}

// TestPublishConformance runs the publishing suite against a fake that
// honours Idempotency-Key like Mastodon and one that ignores it like
// GoToSocial, where only reconciling prevents a duplicate.
func TestPublishConformance(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ignore bool
	}{
		{"Idempotency-Key honoured (Mastodon)", false},
		{"Idempotency-Key ignored (GoToSocial)", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := mastodontest.NewServer(t)
			fake.IgnoreIdempotencyKey(tc.ignore)
			networktest.RunPublish(t, networktest.PublishOptions{
				New: func(c *http.Client) network.Network {
					return mastodon.New(mastodon.Options{HTTP: c, MediaPollInterval: time.Millisecond})
				},
				Fake: fake,
			})
		})
	}
}

// TestInboxConformance runs the inbox suite against the fake.
func TestInboxConformance(t *testing.T) {
	networktest.RunInbox(t, networktest.InboxOptions{
		New:  func(c *http.Client) network.Network { return mastodon.New(mastodon.Options{HTTP: c}) },
		Fake: mastodontest.NewServer(t),
	})
}

// TestMetricsConformance runs the metrics suite against the fake, which
// plays Mastodon 4.5 (multiple statuses, quotes_count).
func TestMetricsConformance(t *testing.T) {
	networktest.RunMetrics(t, networktest.MetricsOptions{
		New:  func(c *http.Client) network.Network { return mastodon.New(mastodon.Options{HTTP: c}) },
		Fake: mastodontest.NewServer(t),
	})
}
