package bluesky_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky/blueskytest"
)

// The composer's @mention autocompletion inserts "@handle" from a
// typeahead search: published, each becomes a mention facet of the DID the
// handle resolves to, over its UTF-8 bytes, whatever comes before it.
func TestAutocompletedMentionsBecomeFacets(t *testing.T) {
	p := newPublisher(t)
	p.s.AddActor(alice)
	found, err := p.c.SearchAccounts(context.Background(), "", p.cred, "ali", true, 5)
	if err != nil || len(found) != 1 {
		t.Fatalf("typeahead = %+v, %v", found, err)
	}
	text := found[0].Mention + ", thanks! 🦋 Ünd (" + found[0].Mention + ")"
	got := p.mustPublish(t, network.Post{Text: text, IdempotencyKey: "mention", CreatedAt: time.Now()})
	first := strings.Index(text, "@")
	second := strings.LastIndex(text, "@")
	want := []blueskytest.Facet{
		{ByteStart: first, ByteEnd: first + len(found[0].Mention), Type: "app.bsky.richtext.facet#mention", DID: alice.DID},
		{ByteStart: second, ByteEnd: second + len(found[0].Mention), Type: "app.bsky.richtext.facet#mention", DID: alice.DID},
	}
	if r := p.record(t, got.RemoteID); !slices.Equal(r.Facets, want) {
		t.Errorf("facets\n got %+v\nwant %+v", r.Facets, want)
	}
}
