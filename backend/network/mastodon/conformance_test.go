package mastodon_test

import (
	"net/http"
	"testing"

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
