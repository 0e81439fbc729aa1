package model

import "testing"

func TestChannelLabelTellsSameNamesApart(t *testing.T) {
	tests := []struct {
		ch   Channel
		want string
	}{
		{Channel{DisplayName: "Shop", Handle: "shop@mastodon.social", Network: "mastodon"}, "Shop (@shop@mastodon.social, mastodon)"},
		{Channel{DisplayName: "Shop", Handle: "shop.bsky.social", Network: "bluesky"}, "Shop (@shop.bsky.social, bluesky)"},
		{Channel{Handle: "@cafe@example.social", Network: "mastodon"}, "@cafe@example.social (mastodon)"},
		{Channel{DisplayName: "Café", Network: "mastodon"}, "Café (mastodon)"},
		{Channel{Network: "mastodon"}, ""},
	}
	for _, tt := range tests {
		if got := tt.ch.Label(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.ch, got, tt.want)
		}
	}
}
