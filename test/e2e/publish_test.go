//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
	"herald/backend/network"
	"herald/test/gts"
)

// TestComposeScheduleAndPublishToGoToSocial connects a GoToSocial account
// through the UI, composes a post with an image and alt text, schedules it
// a minute ahead in the composer, and checks on the server that it went out
// at its time, exactly once, with its image and alt text. Then it schedules
// and reschedules another post on the same channel with the keyboard alone.
func TestComposeScheduleAndPublishToGoToSocial(t *testing.T) {
	server := gts.Start(t)
	_, email, password := server.User()
	app := startHerald(t)
	connectOut := app.playwright(t, "channels.e2e.mjs", "HERALD_E2E_PHASE=connect", "HERALD_E2E_GTS_URL="+server.URL(),
		"HERALD_E2E_GTS_EMAIL="+email, "HERALD_E2E_GTS_PASSWORD="+password)
	channelID := channelIDFrom(t, connectOut)

	img := filepath.Join(t.TempDir(), "shop-window.png")
	writePNG(t, img)
	text := fmt.Sprintf("Spring sale starts Sunday 🌷 (e2e %d)", time.Now().UnixNano())
	alt := "A shop window full of tulips"
	out := app.playwright(t, "publish.e2e.mjs", "HERALD_E2E_PUBLISH=1", "HERALD_E2E_IMAGE="+img, "HERALD_E2E_TEXT="+text,
		"HERALD_E2E_ALT="+alt, "HERALD_E2E_CHANNEL_ID="+strconv.FormatInt(channelID, 10))
	dueAt := valueFrom(t, out, "DUE_AT")
	due, err := time.Parse(time.RFC3339, dueAt)
	if err != nil {
		t.Fatalf("DUE_AT=%q: %v", dueAt, err)
	}

	g := app.openDB(t)
	cred := app.credential(t, g, channelID)
	var account struct{ ID string }
	server.API(t, cred.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &account)
	var statuses []struct {
		ID               string    `json:"id"`
		Text             string    `json:"text"`
		CreatedAt        time.Time `json:"created_at"`
		Visibility       string    `json:"visibility"`
		MediaAttachments []struct {
			Description string `json:"description"`
			Type        string `json:"type"`
		} `json:"media_attachments"`
	}
	server.API(t, cred.AccessToken, "GET", "/api/v1/accounts/"+account.ID+"/statuses?limit=40", nil, &statuses)
	matches := 0
	publishedID := ""
	for _, s := range statuses {
		if !strings.Contains(s.Text, text) {
			continue
		}
		matches++
		publishedID = s.ID
		if late := s.CreatedAt.Sub(due); late < -time.Second || late > 15*time.Second {
			t.Errorf("the post went out at %s, %s after its time %s", s.CreatedAt, late, due)
		}
		if len(s.MediaAttachments) != 1 || s.MediaAttachments[0].Description != alt || s.MediaAttachments[0].Type != "image" {
			t.Errorf("the post's media = %+v, want one image with alt text %q", s.MediaAttachments, alt)
		}
		t.Logf("published %s at %s (%s after its time), visibility %s", s.ID, s.CreatedAt, s.CreatedAt.Sub(due), s.Visibility)
	}
	if matches != 1 {
		t.Fatalf("the post exists %d times on GoToSocial, want exactly 1", matches)
	}
	if n := countAudit(t, g, "post.published", channelID); n != 1 {
		t.Errorf("%d post.published audit entries, want 1", n)
	}

	// The same channel, without a mouse: compose, schedule, pick a new time.
	app.playwright(t, "keyboard.e2e.mjs", "HERALD_E2E_KEYBOARD=1", "HERALD_E2E_CHANNEL_ID="+strconv.FormatInt(channelID, 10))

	bob := checkInbox(t, server, app, g, channelID, publishedID, text)
	checkMeasure(t, server, app, cred, bob, account.ID, publishedID, text)
}

// checkMeasure has the second account (which favourited and answered the
// post in checkInbox) boost it and follow the channel. After "Sync now",
// Content performance must show exactly one favourite, one boost and one
// reply on the post (GoToSocial gives no quote count: absent), and the
// overview one follower.
func checkMeasure(t *testing.T, server *gts.Server, app *herald, channel, bob network.Credential, channelAccount, postID, postText string) {
	t.Helper()
	if code := server.API(t, bob.AccessToken, "POST", "/api/v1/statuses/"+postID+"/reblog", url.Values{}, nil); code != 200 {
		t.Fatalf("bob: reblog = %d", code)
	}
	var rel struct {
		Following bool `json:"following"`
		Requested bool `json:"requested"`
	}
	if code := server.API(t, bob.AccessToken, "POST", "/api/v1/accounts/"+channelAccount+"/follow", url.Values{}, &rel); code != 200 {
		t.Fatalf("bob: follow = %d", code)
	}
	if rel.Requested && !rel.Following {
		// GoToSocial accounts approve their followers: the channel accepts.
		var me struct{ ID string }
		server.API(t, bob.AccessToken, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
		if code := server.API(t, channel.AccessToken, "POST", "/api/v1/follow_requests/"+me.ID+"/authorize", url.Values{}, nil); code != 200 {
			t.Fatalf("channel: authorize bob's follow request = %d", code)
		}
	}
	out := app.playwright(t, "measure.e2e.mjs", "HERALD_E2E_MEASURE=1", "HERALD_E2E_POST_TEXT="+postText,
		`HERALD_E2E_EXPECT={"likes":1,"shares":1,"replies":1,"followers":1}`)
	t.Logf("post %s, followers %s", valueFrom(t, out, "MEASURE_POST"), valueFrom(t, out, "MEASURE_FOLLOWERS"))
}

// checkInbox has a second account answer the post Herald published: a
// reply, a mention, a favourite and a direct message. The inbox, asked to
// check from the UI, must list exactly the reply, the mention and the
// message, once each, with the reply's thread read from the server.
func checkInbox(t *testing.T, server *gts.Server, app *herald, g *gorm.DB, channelID int64, postID, postText string) network.Credential {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	username, _, _ := server.User()
	bobEmail, bobPassword := server.AddUser(t, "bob")
	bob := server.Credential(ctx, t, bobEmail, bobPassword)
	post := func(form url.Values) string {
		t.Helper()
		var st struct{ ID string }
		if code := server.API(t, bob.AccessToken, "POST", "/api/v1/statuses", form, &st); code != 200 || st.ID == "" {
			t.Fatalf("bob: POST /api/v1/statuses %v = %d", form, code)
		}
		return st.ID
	}
	question := post(url.Values{"status": {"@" + username + " will there be tulips?"}, "visibility": {"public"}, "in_reply_to_id": {postID}})
	want := map[string]model.InboxKind{
		question: model.InboxKind(network.InboxReply),
		post(url.Values{"status": {"hello @" + username + ", see you on Sunday"}, "visibility": {"public"}}): model.InboxKind(network.InboxMention),
		post(url.Values{"status": {"@" + username + " a private question"}, "visibility": {"direct"}}):       model.InboxKind(network.InboxMessage),
	}
	if code := server.API(t, bob.AccessToken, "POST", "/api/v1/statuses/"+postID+"/favourite", url.Values{}, nil); code != 200 {
		t.Fatalf("bob: favourite = %d", code)
	}

	replyText := "Yes, tulips and daffodils " + strconv.FormatInt(time.Now().UnixNano()%1_000_000, 10)
	out := app.playwright(t, "inbox.e2e.mjs", "HERALD_E2E_INBOX=1", "HERALD_E2E_POST_TEXT="+postText,
		"HERALD_E2E_EXPECT="+strconv.Itoa(len(want)), "HERALD_E2E_REPLY_TEXT="+replyText)
	if valueFrom(t, out, "INBOX_REPLY") != "sent" {
		t.Fatal("the reply was not shown as sent")
	}
	// The reply is on the server once, under Bob's question.
	var thread struct {
		Descendants []struct {
			ID          string `json:"id"`
			InReplyToID string `json:"in_reply_to_id"`
			Content     string `json:"content"`
		} `json:"descendants"`
	}
	if code := server.API(t, bob.AccessToken, "GET", "/api/v1/statuses/"+question+"/context", nil, &thread); code != 200 {
		t.Fatalf("bob: GET context = %d", code)
	}
	answers := 0
	for _, d := range thread.Descendants {
		if strings.Contains(d.Content, replyText) {
			answers++
			if d.InReplyToID != question {
				t.Errorf("the reply %s answers %s, want Bob's question %s", d.ID, d.InReplyToID, question)
			}
		}
	}
	if answers != 1 {
		t.Errorf("the server holds %d copies of the reply under the question, want 1: %+v", answers, thread.Descendants)
	}
	var first model.InboxItem
	if err := g.Where("channel_id = ? AND remote_id = ?", channelID, question).Take(&first).Error; err != nil || first.FirstReplyAt == nil {
		t.Errorf("the question's first-reply time = %v, %v; want it set", first.FirstReplyAt, err)
	}

	var items []model.InboxItem
	if err := g.Where("channel_id = ?", channelID).Find(&items).Error; err != nil {
		t.Fatal(err)
	}
	got := map[string]model.InboxKind{}
	for _, it := range items {
		if _, dup := got[it.RemoteID]; dup {
			t.Errorf("%s stored twice", it.RemoteID)
		}
		got[it.RemoteID] = it.Kind
	}
	if len(got) != len(want) {
		t.Fatalf("Herald holds %d inbox items %v, want exactly %v", len(got), got, want)
	}
	for id, kind := range want {
		if got[id] != kind {
			t.Errorf("item %s is a %q, want %q", id, got[id], kind)
		}
	}
	return bob
}

func valueFrom(t *testing.T, out, key string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
			return v
		}
	}
	t.Fatalf("the script printed no %s:\n%s", key, out)
	return ""
}

func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := 0; x < 120; x++ {
		for y := 0; y < 80; y++ {
			img.Set(x, y, color.RGBA{R: uint8(200 + x/2), G: uint8(60 + y), B: 120, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
