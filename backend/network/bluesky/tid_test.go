package bluesky

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky/blueskytest"
)

// tidSyntax is the TID syntax of https://atproto.com/specs/tid.
var tidSyntax = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

func TestTIDEncoding(t *testing.T) {
	cases := []struct {
		name string
		v    uint64
		want string
	}{
		{"zero", 0, "2222222222222"},
		{"one", 1, "2222222222223"},
		{"clock id bits only", 0x3ff, "22222222222zz"},
		{"largest with the top bit clear", 1<<63 - 1, "bzzzzzzzzzzzz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := encodeTID(tc.v); got != tc.want {
				t.Errorf("encodeTID(%#x) = %s, want %s", tc.v, got, tc.want)
			}
		})
	}
	// The spec's example reads back to itself.
	at, clock, ok := parseTID("3jzfcijpj2z2a")
	if !ok || at.Year() < 2022 || at.Year() > 2024 {
		t.Fatalf("parseTID(3jzfcijpj2z2a) = %v %d %v", at, clock, ok)
	}
	if got := encodeTID(uint64(at.UnixMicro())<<10 | uint64(clock)); got != "3jzfcijpj2z2a" {
		t.Errorf("round trip = %s", got)
	}
	for _, bad := range []string{"", "3jzfcijpj2z2", "3jzfcijpj2z2aa", "kjzfcijpj2z2a", "3jzfcijpj2z21", "3JZFCIJPJ2Z2A"} {
		if _, _, ok := parseTID(bad); ok {
			t.Errorf("parseTID(%q) accepted", bad)
		}
	}
}

func TestPostRKey(t *testing.T) {
	created := time.Date(2025, 6, 1, 9, 30, 15, 123456789, time.FixedZone("CEST", 2*3600))
	key := "target-42-attempt-key"
	rk := func(t *testing.T, key string, at time.Time, i int) string {
		t.Helper()
		s, err := postRKey(key, at, i)
		if err != nil {
			t.Fatal(err)
		}
		if !tidSyntax.MatchString(s) {
			t.Fatalf("postRKey = %q, not a TID", s)
		}
		return s
	}

	t.Run("format: createdAt in microseconds plus the index, clock id from the key", func(t *testing.T) {
		for i := range 3 {
			at, clock, ok := parseTID(rk(t, key, created, i))
			if !ok {
				t.Fatal("not parseable")
			}
			if want := created.UnixMicro() + int64(i); at.UnixMicro() != want {
				t.Errorf("item %d: timestamp %d, want %d", i, at.UnixMicro(), want)
			}
			sum := sha256.Sum256([]byte(key))
			if want := binary.BigEndian.Uint16(sum[:2]) & 0x3ff; clock != want {
				t.Errorf("item %d: clock id %d, want %d", i, clock, want)
			}
		}
	})
	t.Run("deterministic: the same inputs give the same key", func(t *testing.T) {
		a, b := rk(t, key, created, 1), rk(t, key, created.In(time.UTC), 1)
		if a != b {
			t.Errorf("%s != %s", a, b)
		}
	})
	t.Run("each item and each target has its own key", func(t *testing.T) {
		seen := map[string]string{}
		add := func(what, k string) {
			if prev, dup := seen[k]; dup {
				t.Errorf("%s and %s share the key %s", prev, what, k)
			}
			seen[k] = what
		}
		for i := range 26 {
			add("item "+string(rune('A'+i)), rk(t, key, created, i))
		}
		add("another target", rk(t, "target-43-attempt-key", created, 0))
		add("a millisecond later", rk(t, key, created.Add(time.Millisecond), 0))
	})
	t.Run("sortable: string order is time order, then item order", func(t *testing.T) {
		var keys []string
		for _, at := range []time.Time{created, created.Add(time.Second), created.Add(time.Hour)} {
			for i := range 3 {
				keys = append(keys, rk(t, key, at, i))
			}
		}
		if !sort.StringsAreSorted(keys) {
			t.Errorf("keys out of order: %v", keys)
		}
	})
	t.Run("no first-attempt time, no key", func(t *testing.T) {
		for _, at := range []time.Time{{}, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)} {
			if _, err := postRKey(key, at, 0); err == nil {
				t.Errorf("postRKey(%v) gave a key", at)
			}
		}
	})
}

// TestPublishWritesDerivedRKeys: the records Publish makes are exactly at
// the keys postRKey gives, which is what FindPublished relies on.
func TestPublishWritesDerivedRKeys(t *testing.T) {
	s := blueskytest.NewServer(t)
	cl := New(Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	cred, err := cl.Login(context.Background(), "", blueskytest.Handle, blueskytest.AppPassword)
	if err != nil {
		t.Fatal(err)
	}
	p := network.Post{Text: "one", Thread: []string{"two"}, FirstComment: "three", IdempotencyKey: "k", CreatedAt: time.Now()}
	got, err := cl.Publish(context.Background(), "", cred, p)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range got.ItemIDs {
		want, _ := postRKey(p.IdempotencyKey, p.CreatedAt, i)
		if !strings.HasSuffix(id, "/app.bsky.feed.post/"+want) {
			t.Errorf("item %d is %s, want rkey %s", i, id, want)
		}
	}
}
