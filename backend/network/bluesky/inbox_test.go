package bluesky_test

import (
	"context"
	"testing"

	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
)

// Reading the inbox uses the session it is given: createSession is
// limited to 30 per 5 minutes and 300 a day per account.
func TestReadInboxNeverSignsInAgain(t *testing.T) {
	s := blueskytest.NewServer(t)
	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	ctx := context.Background()
	handle, _, pw := s.Account()
	cred, err := c.Login(ctx, "", handle, pw)
	if err != nil {
		t.Fatal(err)
	}
	before := s.Calls("com.atproto.server.createSession")
	own := s.OwnPost(t, "root")
	s.Mention(t, "hello")
	s.Message(t, "psst")
	p, err := c.ReadInbox(ctx, "", cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		s.Reply(t, own, "again")
		if p, err = c.ReadInbox(ctx, "", cred, p.Cursors); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ReadThread(ctx, "", cred, own); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefreshInbox(ctx, "", cred, []string{own}); err != nil {
		t.Fatal(err)
	}
	if n := s.Calls("com.atproto.server.createSession") - before; n != 0 {
		t.Errorf("the inbox signed in %d times", n)
	}
}

// A thread deeper than Herald's bound is cut to 1,000 posts that keep the
// post asked for, and marked Truncated.
func TestReadThreadIsBounded(t *testing.T) {
	s := blueskytest.NewServer(t)
	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	ctx := context.Background()
	handle, _, pw := s.Account()
	cred, err := c.Login(ctx, "", handle, pw)
	if err != nil {
		t.Fatal(err)
	}
	parent := s.OwnPost(t, "root")
	var middle string
	for i := range 1200 {
		parent = s.Reply(t, parent, "deeper")
		if i == 600 {
			middle = parent
		}
	}
	th, err := c.ReadThread(ctx, "", cred, middle)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range th.Items {
		found = found || it.RemoteID == middle
	}
	if !th.Truncated || len(th.Items) != 1000 || !found {
		t.Errorf("thread of 1,201: %d items, truncated %v, holds the post %v", len(th.Items), th.Truncated, found)
	}
}
