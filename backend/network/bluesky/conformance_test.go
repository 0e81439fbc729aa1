package bluesky_test

import (
	"net/http"
	"testing"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

func TestConformance(t *testing.T) {
	s := blueskytest.NewServer(t)
	networktest.Run(t, networktest.Options{
		New: func(c *http.Client) network.Network {
			return bluesky.New(bluesky.Options{HTTP: c, Entryway: s.URL(), PLCDirectory: s.URL()})
		},
		Fake: s,
	})
}
