package bluesky_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

func replyClient(t *testing.T) (*blueskytest.Server, *bluesky.Client, network.Credential) {
	t.Helper()
	s := blueskytest.NewServer(t)
	c := bluesky.New(bluesky.Options{Entryway: s.URL(), PLCDirectory: s.URL()})
	handle, _, pw := s.Account()
	cred, err := c.Login(context.Background(), "", handle, pw)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, cred
}

// A reply to someone's reply under the account's post names the account's
// post as root and the reply as parent, and shows in the thread.
func TestReplyPointsAtTheThreadRoot(t *testing.T) {
	s, c, cred := replyClient(t)
	ctx := context.Background()
	own := s.OwnPost(t, "New opening hours")
	theirs := s.Reply(t, own, "Open on Sunday?")
	res, err := c.Publish(ctx, "", cred, network.Post{Text: "Yes, 10 to 4.", ReplyTo: theirs, IdempotencyKey: "reply-1",
		CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rec, ok := s.Record(res.RemoteID)
	if !ok {
		t.Fatalf("no record at %s", res.RemoteID)
	}
	if rec.Reply == nil || rec.Reply.Root.URI != own || rec.Reply.Parent.URI != theirs || rec.Reply.Root.CID == "" || rec.Reply.Parent.CID == "" {
		t.Fatalf("reply reference = %+v, want root %s and parent %s with cids", rec.Reply, own, theirs)
	}
	th, err := c.ReadThread(ctx, "", cred, theirs)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range th.Items {
		found = found || it.RemoteID == res.RemoteID && it.ParentID == theirs
	}
	if !found {
		t.Errorf("the reply is not in the thread: %+v", th.Items)
	}
}

// A reply to a post that was deleted is refused with the reason, and
// nothing is written.
func TestReplyToADeletedPostIsRefused(t *testing.T) {
	s, c, cred := replyClient(t)
	own := s.OwnPost(t, "Hello")
	theirs := s.Reply(t, own, "soon gone")
	s.Delete(t, theirs)
	before := s.RecordCount()
	_, err := c.Publish(context.Background(), "", cred, network.Post{Text: "Thanks!", ReplyTo: theirs, IdempotencyKey: "reply-2", CreatedAt: time.Now()})
	if network.ClassOf(err) != network.ClassContentRejected || !strings.Contains(err.Error(), "no longer exists") {
		t.Fatalf("err = %v, want content_rejected saying the post is gone", err)
	}
	if s.RecordCount() != before {
		t.Error("a record was written")
	}
}

// A reply to a direct message is a chat message in its conversation. When
// the answer is lost, FindPublished finds the message, so the engine's
// retry does not send it again; Lookup reads it back.
func TestReplyToAMessageIsSentOnce(t *testing.T) {
	s, c, cred := replyClient(t)
	ctx := context.Background()
	msg := s.Message(t, "Do you ship abroad?")
	convo, _, _ := strings.Cut(strings.TrimPrefix(msg, "chat:"), "/")
	p := network.Post{Text: "We do, to the EU.", ReplyTo: msg, IdempotencyKey: "reply-3", CreatedAt: time.Now()}
	s.InjectPublish(networktest.PublishDropAfterCommit)
	_, err := c.Publish(ctx, "", cred, p)
	if err == nil {
		t.Fatal("a dropped answer reported success")
	}
	got, found, err := c.FindPublished(ctx, "", cred, p, time.Now().Add(-time.Minute))
	if err != nil || !found {
		t.Fatalf("FindPublished = %v, %v; want the message found", found, err)
	}
	if !strings.HasPrefix(got.RemoteID, "chat:"+convo+"/") {
		t.Errorf("RemoteID = %q, want a message of %s", got.RemoteID, convo)
	}
	if sent := s.SentMessages(convo); len(sent) != 1 || sent[0] != p.Text {
		t.Errorf("sent %q, want exactly the one message", sent)
	}
	rp, err := c.Lookup(ctx, "", cred, got.RemoteID)
	if err != nil || rp.Text != p.Text {
		t.Errorf("Lookup = %+v, %v", rp, err)
	}
	// Not sent: FindPublished says so, and a normal send goes out once.
	p2 := network.Post{Text: "And to the UK.", ReplyTo: msg, IdempotencyKey: "reply-4", CreatedAt: time.Now()}
	if _, found, err := c.FindPublished(ctx, "", cred, p2, time.Now().Add(-time.Minute)); err != nil || found {
		t.Fatalf("FindPublished of an unsent message = %v, %v", found, err)
	}
	res, err := c.Publish(ctx, "", cred, p2)
	if err != nil {
		t.Fatal(err)
	}
	if sent := s.SentMessages(convo); len(sent) != 2 || res.URL != "" {
		t.Errorf("sent %q (url %q)", sent, res.URL)
	}
}

// A message longer than Bluesky's chat limit is refused by the service;
// Herald reports it as the content's problem, not a failure to retry.
func TestAnOverlongMessageIsRejected(t *testing.T) {
	s, c, cred := replyClient(t)
	msg := s.Message(t, "hi")
	_, err := c.Publish(context.Background(), "", cred, network.Post{Text: strings.Repeat("a", 1001), ReplyTo: msg, IdempotencyKey: "reply-5", CreatedAt: time.Now()})
	if cl := network.ClassOf(err); cl != network.ClassContentRejected && cl != network.ClassInvalidInput {
		t.Fatalf("err = %v (class %s), want a refusal of the content", err, cl)
	}
}

// A direct message to an account goes to the account's conversation with
// it (opened by the chat service on first use), and is found again after a
// lost answer, so it is not sent twice.
func TestADirectMessageToAnAccountIsSentOnce(t *testing.T) {
	s, c, cred := replyClient(t)
	ctx := context.Background()
	p := network.Post{Text: "A discount code for you: SPRING", DirectTo: blueskytest.OtherDID, IdempotencyKey: "dm-1", CreatedAt: time.Now()}
	s.InjectPublish(networktest.PublishDropAfterCommit)
	if _, err := c.Publish(ctx, "", cred, p); err == nil {
		t.Fatal("a dropped answer reported success")
	}
	got, found, err := c.FindPublished(ctx, "", cred, p, time.Now().Add(-time.Minute))
	if err != nil || !found {
		t.Fatalf("FindPublished = %v, %v", found, err)
	}
	convos := s.Convos()
	if len(convos) != 1 || !strings.HasPrefix(got.RemoteID, "chat:"+convos[0]+"/") {
		t.Fatalf("conversations %v, message %s", convos, got.RemoteID)
	}
	if sent := s.SentMessages(convos[0]); len(sent) != 1 {
		t.Errorf("sent %q, want one message", sent)
	}
	if _, err := c.Publish(ctx, "", cred, network.Post{Text: "hi", DirectTo: "did:plc:nobodyhere", IdempotencyKey: "dm-2", CreatedAt: time.Now()}); err == nil {
		t.Error("a message to an account that cannot be messaged was sent")
	}
}
