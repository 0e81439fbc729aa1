package mastodon_test

import (
	"context"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/mastodon"
	"herald/backend/network/mastodon/mastodontest"
	"herald/backend/network/networktest"
)

// A reply answers the status it names; when the answer to the request is
// lost, FindPublished finds the reply (and not a post with the same text
// that answers something else), so the retry does not post it twice.
func TestReplyIsFoundAfterALostAnswer(t *testing.T) {
	fake := mastodontest.NewServer(t)
	c := mastodon.New(mastodon.Options{HTTP: fake.Client()})
	cred := fake.Credential(fake.Account().ID, "")
	ctx := context.Background()
	own := fake.OwnPost(t, "We are open today")
	theirs := fake.Reply(t, own, "Until when?")
	// The same text as a top-level post must not be taken for the reply.
	if _, err := c.Publish(ctx, fake.Instance(), cred, network.Post{Text: "@other Until six.", IdempotencyKey: "top"}); err != nil {
		t.Fatal(err)
	}
	p := network.Post{Text: "@other Until six.", ReplyTo: theirs, IdempotencyKey: "reply-1", CreatedAt: time.Now()}
	fake.InjectPublish(networktest.PublishDropAfterCommit)
	since := time.Now().Add(-time.Minute)
	if _, err := c.Publish(ctx, fake.Instance(), cred, p); err == nil {
		t.Fatal("a dropped answer reported success")
	}
	got, found, err := c.FindPublished(ctx, fake.Instance(), cred, p, since)
	if err != nil || !found {
		t.Fatalf("FindPublished = %v, %v", found, err)
	}
	st, err := c.Lookup(ctx, fake.Instance(), cred, got.RemoteID)
	if err != nil {
		t.Fatal(err)
	}
	th, err := c.ReadThread(ctx, fake.Instance(), cred, theirs)
	if err != nil {
		t.Fatal(err)
	}
	replies := 0
	for _, it := range th.Items {
		if it.ParentID == theirs && it.RemoteID == st.ID {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("the thread holds %d copies of the reply, want 1: %+v", replies, th.Items)
	}
}
