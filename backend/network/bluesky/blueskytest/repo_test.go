package blueskytest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"herald/backend/network/bluesky/blueskytest"
	"herald/backend/network/networktest"
)

const (
	rkeyA = "3lbtnxy2mrk2a"
	rkeyB = "3lbtnxy2mrk2b"
)

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func createInput(rkey string, record map[string]any) map[string]any {
	in := map[string]any{"repo": blueskytest.DID, "collection": blueskytest.Collection, "record": record}
	if rkey != "" {
		in["rkey"] = rkey
	}
	return in
}

func post(text string) map[string]any {
	return map[string]any{"$type": blueskytest.Collection, "text": text, "createdAt": "2025-01-02T03:04:05.678Z"}
}

// retyped is a copy of blob with one field changed.
func retyped(blob map[string]any, key string, v any) map[string]any {
	out := maps.Clone(blob)
	out[key] = v
	return out
}

func upload(t *testing.T, s *blueskytest.Server, token, mime string, size int) map[string]any {
	t.Helper()
	a := xrpc(t, s, http.MethodPost, "com.atproto.repo.uploadBlob", token, mime, strings.Repeat("x", size))
	if a.status != http.StatusOK {
		t.Fatalf("uploadBlob: %d %v", a.status, a.body)
	}
	return a.body["blob"].(map[string]any)
}

func TestUploadBlobWireFormat(t *testing.T) {
	s := blueskytest.NewServer(t)
	access, _ := session(t, s)
	b := upload(t, s, access, "image/png", 10)
	ref, _ := b["ref"].(map[string]any)
	if b["$type"] != "blob" || b["mimeType"] != "image/png" || b["size"] != float64(10) || ref == nil ||
		!strings.HasPrefix(ref["$link"].(string), "bafkrei") {
		t.Errorf("blob = %v", b)
	}
	if data, mime, ok := s.Blob(ref["$link"].(string)); !ok || mime != "image/png" || len(data) != 10 {
		t.Errorf("stored blob %v %q %d", ok, mime, len(data))
	}
	if a := xrpc(t, s, http.MethodPost, "com.atproto.repo.uploadBlob", access, "", "x"); a.status != http.StatusBadRequest {
		t.Errorf("upload without Content-Type = %d", a.status)
	}
	if a := xrpc(t, s, http.MethodPost, "com.atproto.repo.uploadBlob", "", "image/png", "x"); a.status != http.StatusUnauthorized {
		t.Errorf("upload without a token = %d", a.status)
	}
}

func TestCreateRecordWireFormat(t *testing.T) {
	s := blueskytest.NewServer(t)
	access, _ := session(t, s)
	okBlob := upload(t, s, access, "image/jpeg", 100)
	bigBlob := upload(t, s, access, "image/jpeg", 1_000_001)
	pdfBlob := upload(t, s, access, "application/pdf", 101) // other bytes: blobs are content-addressed
	withImages := func(images ...map[string]any) map[string]any {
		p := post("pictures")
		p["embed"] = map[string]any{"$type": "app.bsky.embed.images", "images": images}
		return p
	}
	img := func(blob map[string]any) map[string]any { return map[string]any{"image": blob, "alt": ""} }
	without := func(key string) map[string]any { p := post("x"); delete(p, key); return p }

	a := xrpc(t, s, http.MethodPost, "com.atproto.repo.createRecord", access, "application/json",
		jsonBody(t, createInput(rkeyA, withImages(map[string]any{"image": okBlob, "alt": "a cat", "aspectRatio": map[string]int{"width": 4, "height": 3}}))))
	if a.status != http.StatusOK || a.body["uri"] != "at://"+blueskytest.DID+"/app.bsky.feed.post/"+rkeyA ||
		!strings.HasPrefix(a.body["cid"].(string), "bafyrei") || a.body["validationStatus"] != "valid" || a.body["commit"] == nil {
		t.Fatalf("createRecord = %d %v", a.status, a.body)
	}
	if r := s.Records()[0]; r.RKey != rkeyA || len(r.Images) != 1 || r.Images[0].Alt != "a cat" || *r.Images[0].AspectRatio != (blueskytest.AspectRatio{Width: 4, Height: 3}) {
		t.Errorf("stored %+v", r)
	}
	if p := s.Posts()[0]; p.MediaCount != 1 || p.AltTexts[0] != "a cat" || p.Text != "pictures" || p.CreatedAt.IsZero() {
		t.Errorf("Posts()[0] = %+v", p)
	}

	cases := []struct {
		name   string
		input  map[string]any
		status int
		error  string
		says   string
	}{
		{"the rkey is taken: the reference PDS's bare 500", createInput(rkeyA, post("again")), 500, "InternalServerError", "Internal Server Error"},
		{"rkey that is not a TID", createInput("not-a-tid", post("x")), 400, "InvalidRequest", "TID"},
		{"another account's repo", map[string]any{"repo": "did:plc:someoneelse2345678901234", "collection": blueskytest.Collection, "record": post("x")}, 401, "AuthenticationRequired", ""},
		{"no text", createInput("", without("text")), 400, "InvalidRequest", `must have the property "text"`},
		{"no createdAt", createInput("", without("createdAt")), 400, "InvalidRequest", `"createdAt"`},
		{"bad createdAt", createInput("", map[string]any{"text": "x", "createdAt": "yesterday"}), 400, "InvalidRequest", "datetime"},
		{"301 graphemes", createInput("", post(strings.Repeat("é", 301))), 400, "InvalidRequest", "300 graphemes"},
		{"3001 bytes", createInput("", post(strings.Repeat("👍🏽", 376))), 400, "InvalidRequest", "3000 characters"},
		{"four languages", createInput("", map[string]any{"text": "x", "createdAt": "2025-01-02T03:04:05Z", "langs": []string{"a", "b", "c", "d"}}), 400, "InvalidRequest", "langs"},
		{"a reply without cids", createInput("", map[string]any{"text": "x", "createdAt": "2025-01-02T03:04:05Z",
			"reply": map[string]any{"root": map[string]string{"uri": "at://x/y/z"}, "parent": map[string]string{"uri": "at://x/y/z"}}}), 400, "InvalidRequest", "strong reference"},
		{"image without alt", createInput("", withImages(map[string]any{"image": okBlob})), 400, "InvalidRequest", `"alt"`},
		{"five images", createInput("", withImages(img(okBlob), img(okBlob), img(okBlob), img(okBlob), img(okBlob))), 400, "InvalidRequest", "more than 4"},
		{"image over 1,000,000 bytes", createInput("", withImages(img(bigBlob))), 400, "BlobTooLarge", "too large"},
		{"not an image", createInput("", withImages(img(pdfBlob))), 400, "InvalidMimeType", "application/pdf"},
		{"blob referenced with another type", createInput("", withImages(img(retyped(okBlob, "mimeType", "image/png")))), 400, "InvalidMimeType", "does not match"},
		{"blob referenced with another size", createInput("", withImages(img(retyped(okBlob, "size", 99)))), 400, "InvalidSize", "does not match"},
		{"unknown blob", createInput("", withImages(img(map[string]any{"$type": "blob", "ref": map[string]string{"$link": "bafkreinope"}, "mimeType": "image/png", "size": 1}))), 400, "BlobNotFound", "bafkreinope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.RecordCount()
			a := xrpc(t, s, http.MethodPost, "com.atproto.repo.createRecord", access, "application/json", jsonBody(t, tc.input))
			msg, _ := a.body["message"].(string)
			if a.status != tc.status || a.body["error"] != tc.error || !strings.Contains(msg, tc.says) {
				t.Errorf("createRecord = %d %v, want %d %s saying %q", a.status, a.body, tc.status, tc.error, tc.says)
			}
			if s.RecordCount() != before {
				t.Error("a refused record was stored")
			}
		})
	}

	t.Run("explicit duplicate error", func(t *testing.T) {
		s.SetDuplicateRecordError(http.StatusBadRequest, "RecordAlreadyExists", "Record already exists")
		a := xrpc(t, s, http.MethodPost, "com.atproto.repo.createRecord", access, "application/json", jsonBody(t, createInput(rkeyA, post("again"))))
		if a.status != http.StatusBadRequest || a.body["error"] != "RecordAlreadyExists" {
			t.Errorf("duplicate = %d %v", a.status, a.body)
		}
	})
}

func TestInjectPublish(t *testing.T) {
	s := blueskytest.NewServer(t)
	access, _ := session(t, s)
	create := func(rkey string) answer {
		return xrpc(t, s, http.MethodPost, "com.atproto.repo.createRecord", access, "application/json", jsonBody(t, createInput(rkey, post("x"))))
	}
	cases := []struct {
		fault  networktest.PublishFault
		status int
		error  string
	}{
		{networktest.PublishRateLimited, 429, "RateLimitExceeded"},
		{networktest.PublishServerError, 503, "NotEnoughResources"},
		{networktest.PublishRejectContent, 400, "InvalidRequest"},
		{networktest.PublishUnauthorized, 401, "InvalidToken"},
	}
	for _, tc := range cases {
		s.InjectPublish(tc.fault)
		a := create("")
		if a.status != tc.status || a.body["error"] != tc.error || s.RecordCount() != 0 {
			t.Errorf("fault %d: %d %v, %d records", tc.fault, a.status, a.body, s.RecordCount())
		}
		if tc.fault == networktest.PublishRateLimited {
			reset, err := strconv.ParseInt(a.header.Get("RateLimit-Reset"), 10, 64)
			if err != nil || time.Unix(reset, 0).Before(time.Now()) || a.header.Get("RateLimit-Remaining") != "0" {
				t.Errorf("rate limit headers %v", a.header)
			}
		}
	}
	if a := create(""); a.status != http.StatusOK {
		t.Errorf("a fault applies once; the next create = %d %v", a.status, a.body)
	}

	s.InjectPublish(networktest.PublishDropAfterCommit)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL()+"/xrpc/com.atproto.repo.createRecord",
		strings.NewReader(jsonBody(t, createInput(rkeyB, post("dropped")))))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the dropped create was answered: %d", resp.StatusCode)
	}
	if _, ok := s.Record("at://" + blueskytest.DID + "/app.bsky.feed.post/" + rkeyB); !ok {
		t.Error("the dropped create was not committed")
	}
}

func TestGetAndListRecords(t *testing.T) {
	s := blueskytest.NewServer(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var uris []string
	for i := range 5 {
		at := base.Add(time.Duration(i) * time.Minute)
		s.SetClock(func() time.Time { return at })
		uris = append(uris, s.PutPost("", "post "+strconv.Itoa(i), at).URI)
	}
	s.SetClock(time.Now)

	q := "?repo=" + blueskytest.DID + "&collection=app.bsky.feed.post"
	rkey := uris[2][strings.LastIndexByte(uris[2], '/')+1:]
	a := xrpc(t, s, http.MethodGet, "com.atproto.repo.getRecord"+q+"&rkey="+rkey, "", "", "")
	value, _ := a.body["value"].(map[string]any)
	if a.status != http.StatusOK || a.body["uri"] != uris[2] || a.body["cid"] == "" || value["text"] != "post 2" {
		t.Errorf("getRecord = %d %v", a.status, a.body)
	}
	a = xrpc(t, s, http.MethodGet, "com.atproto.repo.getRecord"+q+"&rkey=3zzzzzzzzzzzz", "", "", "")
	if a.status != http.StatusBadRequest || a.body["error"] != "RecordNotFound" {
		t.Errorf("getRecord of a missing record = %d %v", a.status, a.body)
	}

	var got []string
	cursor := ""
	for page := 0; page < 5; page++ {
		a = xrpc(t, s, http.MethodGet, "com.atproto.repo.listRecords"+q+"&limit=2&cursor="+cursor, "", "", "")
		records, _ := a.body["records"].([]any)
		for _, r := range records {
			got = append(got, r.(map[string]any)["uri"].(string))
		}
		next, _ := a.body["cursor"].(string)
		if len(records) == 0 || next == "" {
			break
		}
		cursor = next
	}
	want := []string{uris[4], uris[3], uris[2], uris[1], uris[0]}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("listRecords pages = %v, want newest first %v", got, want)
	}
	if a = xrpc(t, s, http.MethodGet, "com.atproto.repo.listRecords"+q+"&limit=101", "", "", ""); a.status != http.StatusBadRequest {
		t.Errorf("limit 101 = %d", a.status)
	}
}
