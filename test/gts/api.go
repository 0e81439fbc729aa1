package gts

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// API calls the server's Mastodon API as accessToken, for tests that check
// what Herald made with the server's own eyes: form (if not nil) is the
// urlencoded body, out (if not nil) receives the JSON answer. It returns
// the HTTP status. An error answer that does not fit out leaves it empty.
func (s *Server) API(t *testing.T, accessToken, method, path string, form url.Values, out any) int {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+accessToken)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		t.Fatalf("%s %s: read the answer: %v", method, path, err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil && resp.StatusCode/100 == 2 {
			t.Fatalf("%s %s answered %d with %q: %v", method, path, resp.StatusCode, snippet(string(raw)), err)
		}
	}
	return resp.StatusCode
}
