package apperr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"herald/backend/secrets"
)

func TestFormat(t *testing.T) {
	mem := secrets.NewMemory()
	mem.Fail = errors.New("failed to unlock correct collection")
	lockedErr := secrets.New(mem, "x", time.Second).Set(context.Background(), "k", "v")
	mem2 := secrets.NewMemory()
	mem2.Fail = errors.New("org.freedesktop.secrets was not provided")
	absentErr := secrets.New(mem2, "x", time.Second).Set(context.Background(), "k", "v")

	cases := []struct {
		name     string
		err      error
		code     string
		hintWord string
	}{
		{"app error", fmt.Errorf("save: %w", Invalid("instance", "%q is not a URL", "foo")), CodeInvalid, ""},
		{"locked keyring", fmt.Errorf("connect: %w", lockedErr), CodeKeyringLocked, "Unlock"},
		{"no keyring", absentErr, CodeKeyringUnavailable, "keyring"},
		{"cancelled", fmt.Errorf("sign in: %w", context.Canceled), CodeCancelled, ""},
		{"anything else", errors.New("boom"), CodeInternal, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Format(tc.err).(Payload)
			if p.Code != tc.code || p.Message == "" || !strings.Contains(p.Hint, tc.hintWord) {
				t.Errorf("Format(%v) = %+v, want code %s and a hint with %q", tc.err, p, tc.code, tc.hintWord)
			}
		})
	}
	if p := Format(Invalid("instance", "bad")).(Payload); p.Field != "instance" {
		t.Errorf("field = %q", p.Field)
	}
}

func TestFormatScrubsSecrets(t *testing.T) {
	err := fmt.Errorf(`token exchange: 400 {"access_token":"abcdef123456"} via https://x/cb?code=zzz999`)
	p := Format(err).(Payload)
	if strings.Contains(p.Message, "abcdef123456") || strings.Contains(p.Message, "zzz999") {
		t.Errorf("message leaks a secret: %s", p.Message)
	}
}
