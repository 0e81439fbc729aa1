package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secret = "s3cr3t-T0KEN-value-123"

func TestRedact(t *testing.T) {
	jwt := "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFiYyJ9.c2lnbmF0dXJl"
	cases := []struct{ name, in string }{
		{"bearer header", "Authorization: Bearer " + secret},
		{"dpop header", "Authorization: DPoP " + secret},
		{"json access token", `{"access_token":"` + secret + `","token_type":"Bearer"}`},
		{"json refresh jwt", `{"refreshJwt": "` + secret + `"}`},
		{"query string", "https://x.example/callback?code=" + secret + "&state=abc"},
		{"form body", "grant_type=authorization_code&client_secret=" + secret + "&code_verifier=" + secret},
		{"app password in json", `{"identifier":"me","password":"` + secret + `"}`},
		{"bare jwt", "session " + jwt + " expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(strings.ReplaceAll(tc.in, "JWT", jwt))
			if strings.Contains(got, secret) || strings.Contains(got, jwt) {
				t.Errorf("Redact(%q) = %q still holds the secret", tc.in, got)
			}
			if !strings.Contains(got, Redacted) {
				t.Errorf("Redact(%q) = %q has no redaction marker", tc.in, got)
			}
		})
	}
	plain := "published post 12 to channel 3 (state=scheduled)"
	if got := Redact(plain); got != plain {
		t.Errorf("Redact(%q) = %q, want it unchanged", plain, got)
	}
}

type creds struct {
	User        string `json:"user"`
	AccessToken string `json:"access_token"`
}

func TestLoggerNeverWritesSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelDebug)
	log.Info("token exchange failed: access_token="+secret,
		"access_token", secret,
		"Authorization", "Bearer "+secret,
		"refreshJwt", secret,
		"err", errors.New(`401 {"error":"invalid","access_token":"`+secret+`"}`),
		"body", `{"password":"`+secret+`"}`,
		"creds", creds{User: "me", AccessToken: secret},
		slog.Group("oauth", "client_secret", secret, "url", "https://x.example/cb?code="+secret),
		"channel_id", 12,
	)
	out := buf.String()
	if strings.Contains(out, secret) {
		t.Fatalf("log line holds the secret:\n%s", out)
	}
	for _, want := range []string{`"channel_id":12`, `"user\":\"me\"`, Redacted} {
		if !strings.Contains(out, want) {
			t.Errorf("log line lost %s:\n%s", want, out)
		}
	}
}

func TestOpenWritesToTheLogDirAndRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), maxSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	log, closer, err := Open(dir, slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("started", "version", "test")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path + ".1"); err != nil || st.Size() != maxSize+1 {
		t.Errorf("rotated file: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), `"msg":"started"`) {
		t.Errorf("new log = %q, %v", b, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("log file mode = %v, want 0600", st.Mode().Perm())
	}
}

func FuzzRedactKeepsSecretsOut(f *testing.F) {
	f.Add(secret)
	f.Add("abcdefgh/+~")
	f.Fuzz(func(t *testing.T, value string) {
		// A credential is printable ASCII without the separators that end
		// it in a header, a query string or JSON.
		if len(value) < 8 || strings.ContainsAny(value, "&\"'=,;") {
			return
		}
		for _, r := range value {
			if r < 0x21 || r > 0x7e {
				return
			}
		}
		for _, in := range []string{"Bearer " + value, `{"access_token":"` + value + `"}`, "x?access_token=" + value} {
			if strings.Contains(Redact(in), value) && !strings.Contains(Redacted, value) {
				t.Fatalf("Redact(%q) kept %q", in, value)
			}
		}
	})
}
