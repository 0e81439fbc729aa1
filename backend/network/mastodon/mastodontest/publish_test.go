package mastodontest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"herald/backend/network/mastodon/mastodontest"
)

// api sends an authorised request and decodes the JSON answer into out.
func api(t *testing.T, s *mastodontest.Server, token, method, path, contentType string, body io.Reader, hdr map[string]string, out any) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, resp.Header
}

func upload(t *testing.T, s *mastodontest.Server, token, mimeType, description string) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("description", description)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="a.png"`)
	h.Set("Content-Type", mimeType)
	part, _ := w.CreatePart(h)
	_, _ = part.Write([]byte("\x89PNG fake bytes"))
	_ = w.Close()
	var out map[string]any
	status, _ := api(t, s, token, http.MethodPost, "/api/v2/media", w.FormDataContentType(), &buf, nil, &out)
	return status, out
}

func TestStatusesAcceptJSONAndForm(t *testing.T) {
	s := mastodontest.NewServer(t)
	s.SetMediaProcessing(-1)
	token := s.Credential(s.Account().ID, "").AccessToken
	_, m := upload(t, s, token, "image/png", "alt")
	body, _ := json.Marshal(map[string]any{"status": "JSON <b>post</b>", "media_ids": []string{m["id"].(string)}, "sensitive": true})
	var st map[string]any
	if status, _ := api(t, s, token, http.MethodPost, "/api/v1/statuses", "application/json", bytes.NewReader(body), nil, &st); status != http.StatusOK {
		t.Fatalf("JSON status: %d %v", status, st)
	}
	if st["content"] != "<p>JSON &lt;b&gt;post&lt;/b&gt;</p>" || st["visibility"] != "public" || st["sensitive"] != true ||
		len(st["media_attachments"].([]any)) != 1 || st["text"] != nil {
		t.Errorf("status %v", st)
	}
	form := url.Values{"status": {"reply"}, "in_reply_to_id": {st["id"].(string)}, "visibility": {"unlisted"}}
	var reply map[string]any
	if status, _ := api(t, s, token, http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil, &reply); status != http.StatusOK ||
		reply["in_reply_to_id"] != st["id"] || reply["in_reply_to_account_id"] != s.Account().ID {
		t.Errorf("reply: %d %v", status, reply)
	}
	got := s.Statuses()
	if len(got) != 2 || got[0].Text != "JSON <b>post</b>" || got[1].Visibility != "unlisted" || got[0].Params.Get("visibility") != "" {
		t.Errorf("Statuses() = %+v", got)
	}
}

func TestStatusValidation(t *testing.T) {
	s := mastodontest.NewServer(t)
	token := s.Credential(s.Account().ID, "").AccessToken
	_, pending := upload(t, s, token, "image/png", "") // 202: still processing
	tests := []struct {
		name   string
		form   url.Values
		status int
		msg    string
	}{
		{"blank", url.Values{"status": {" "}}, 422, "Text can't be blank"},
		{"too long", url.Values{"status": {strings.Repeat("é", 501)}}, 422, "character limit of 500"},
		{"bad visibility", url.Values{"status": {"x"}, "visibility": {"everyone"}}, 422, "Visibility"},
		{"media still processing", url.Values{"status": {"x"}, "media_ids[]": {pending["id"].(string)}}, 422, "not finished processing"},
		{"unknown media", url.Values{"status": {"x"}, "media_ids[]": {"1"}}, 422, "Media attachments"},
		{"reply to nothing", url.Values{"status": {"x"}, "in_reply_to_id": {"1"}}, 404, "does not appear to exist"},
		{"scheduled too soon", url.Values{"status": {"x"}, "scheduled_at": {time.Now().Add(time.Minute).UTC().Format(time.RFC3339)}}, 422, "must be in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out map[string]any
			status, _ := api(t, s, token, http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded", strings.NewReader(tt.form.Encode()), nil, &out)
			if msg, _ := out["error"].(string); status != tt.status || !strings.Contains(msg, tt.msg) {
				t.Errorf("%v: %d %v, want %d with %q", tt.form, status, out, tt.status, tt.msg)
			}
		})
	}
	if s.StatusCount() != 0 {
		t.Errorf("refused requests made %d statuses", s.StatusCount())
	}
}

func TestMediaProcessing(t *testing.T) {
	s := mastodontest.NewServer(t)
	token := s.Credential(s.Account().ID, "").AccessToken
	s.SetMediaProcessing(2)
	status, m := upload(t, s, token, "image/png", "a description")
	if status != http.StatusAccepted || m["url"] != nil || m["description"] != "a description" {
		t.Fatalf("upload: %d %v, want 202 with url null", status, m)
	}
	var polls []int
	for range 3 {
		var out map[string]any
		code, _ := api(t, s, token, http.MethodGet, "/api/v1/media/"+m["id"].(string), "", nil, nil, &out)
		polls = append(polls, code)
	}
	if polls[0] != 206 || polls[1] != 206 || polls[2] != 200 {
		t.Errorf("polls answered %v, want [206 206 200]", polls)
	}
	if status, out := upload(t, s, token, "application/pdf", ""); status != 422 || !strings.Contains(out["error"].(string), "content type is invalid") {
		t.Errorf("a PDF: %d %v", status, out)
	}
	other := s.AddAccount(mastodontest.Account{Username: "bob"})
	if code, _ := api(t, s, s.Credential(other.ID, "").AccessToken, http.MethodGet, "/api/v1/media/"+m["id"].(string), "", nil, nil, nil); code != 404 {
		t.Errorf("another account's media: %d, want 404", code)
	}
}

func TestIdempotencyAndAccountStatuses(t *testing.T) {
	s := mastodontest.NewServer(t)
	token := s.Credential(s.Account().ID, "").AccessToken
	post := func(text, key, replyTo string) map[string]any {
		form := url.Values{"status": {text}}
		if replyTo != "" {
			form.Set("in_reply_to_id", replyTo)
		}
		var out map[string]any
		if status, _ := api(t, s, token, http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()),
			map[string]string{"Idempotency-Key": key}, &out); status != 200 {
			t.Fatalf("post: %d %v", status, out)
		}
		return out
	}
	a := post("one", "k", "")
	if b := post("one again", "k", ""); b["id"] != a["id"] || s.StatusCount() != 1 {
		t.Errorf("a repeated key made a new status")
	}
	s.IgnoreIdempotencyKey(true)
	if b := post("one again", "k", ""); b["id"] == a["id"] || s.StatusCount() != 2 {
		t.Errorf("an ignored key still deduplicated")
	}
	post("a reply", "", a["id"].(string))

	var list []map[string]any
	api(t, s, token, http.MethodGet, "/api/v1/accounts/"+s.Account().ID+"/statuses?limit=2", "", nil, nil, &list)
	if len(list) != 2 || list[0]["content"] != "<p>a reply</p>" {
		t.Errorf("newest two: %v", list)
	}
	list = nil
	api(t, s, token, http.MethodGet, "/api/v1/accounts/"+s.Account().ID+"/statuses?exclude_replies=true", "", nil, nil, &list)
	if len(list) != 2 {
		t.Errorf("without replies: %d statuses, want 2", len(list))
	}
}

func TestScheduledStatuses(t *testing.T) {
	s := mastodontest.NewServer(t)
	token := s.Credential(s.Account().ID, "").AccessToken
	at := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	form := url.Values{"status": {"later"}, "scheduled_at": {at.Format(time.RFC3339Nano)}, "visibility": {"private"}}
	var sch map[string]any
	if status, _ := api(t, s, token, http.MethodPost, "/api/v1/statuses", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil, &sch); status != 200 {
		t.Fatalf("schedule: %d %v", status, sch)
	}
	params, _ := sch["params"].(map[string]any)
	if sch["scheduled_at"] != at.Format("2006-01-02T15:04:05.000Z") || params["text"] != "later" || params["visibility"] != "private" || s.StatusCount() != 0 {
		t.Errorf("scheduled status %v", sch)
	}
	var list []map[string]any
	api(t, s, token, http.MethodGet, "/api/v1/scheduled_statuses", "", nil, nil, &list)
	if len(list) != 1 || list[0]["id"] != sch["id"] {
		t.Errorf("list: %v", list)
	}
	if made := s.FireScheduled(at.Add(-time.Second)); len(made) != 0 {
		t.Error("fired before its time")
	}
	if made := s.FireScheduled(at); len(made) != 1 || made[0].Visibility != "private" || made[0].ScheduledID != sch["id"] {
		t.Errorf("FireScheduled = %+v", made)
	}
	if code, _ := api(t, s, token, http.MethodDelete, "/api/v1/scheduled_statuses/"+sch["id"].(string), "", nil, nil, nil); code != 404 {
		t.Errorf("cancel after firing: %d, want 404", code)
	}
}
