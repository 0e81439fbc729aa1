package bluesky_test

import (
	"net/http"
	"testing"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

func TestMetricsConformance(t *testing.T) {
	s := blueskytest.NewServer(t)
	networktest.RunMetrics(t, networktest.MetricsOptions{
		New: func(c *http.Client) network.Network {
			return bluesky.New(bluesky.Options{HTTP: c, Entryway: s.URL(), PLCDirectory: s.URL()})
		},
		Fake: s,
	})
}
