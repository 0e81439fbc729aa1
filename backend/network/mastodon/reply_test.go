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

// Refreshing asks for 20 statuses a request where the server offers it,
// one by one where it does not (GoToSocial, Mastodon before 4.3), and in
// both cases reports a deleted status as deleted and an edit as edited.
func TestRefreshInboxBatchesWhereTheServerCan(t *testing.T) {
	for _, batch := range []bool{true, false} {
		fake := mastodontest.NewServer(t)
		if !batch {
			fake.WithoutMultipleStatuses()
		}
		c := mastodon.New(mastodon.Options{HTTP: fake.Client()})
		cred := fake.Credential(fake.Account().ID, "")
		own := fake.OwnPost(t, "Hello")
		var ids []string
		for range 45 {
			ids = append(ids, fake.Reply(t, own, "hi"))
		}
		fake.Delete(t, ids[3])
		fake.Edit(t, ids[30], "hi (edited)")
		got, err := c.RefreshInbox(context.Background(), fake.Instance(), cred, ids)
		if err != nil || len(got) != len(ids) {
			t.Fatalf("batch %v: %d items, %v", batch, len(got), err)
		}
		byID := map[string]network.InboxItem{}
		for _, it := range got {
			byID[it.RemoteID] = it
		}
		if !byID[ids[3]].Deleted || byID[ids[4]].Deleted || byID[ids[30]].EditedAt.IsZero() {
			t.Errorf("batch %v: deleted %v, kept %v, edited %+v", batch, byID[ids[3]].Deleted, !byID[ids[4]].Deleted, byID[ids[30]])
		}
		multi, single := fake.Calls("/api/v1/statuses"), 0
		for _, id := range ids {
			single += fake.Calls("/api/v1/statuses/" + id)
		}
		if batch && (multi != 3 || single != 0) || !batch && (multi != 1 || single != len(ids)) {
			t.Errorf("batch %v: %d multiple-status requests and %d single ones", batch, multi, single)
		}
	}
}
