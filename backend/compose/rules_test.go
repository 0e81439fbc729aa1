package compose

import (
	"strings"
	"testing"

	"herald/backend/network"
)

// The rules are written out here on purpose: the network packages own the
// real values (and Mastodon servers report their own); these are the
// documented defaults, so the tests read against known numbers.

const (
	mastodonName = "Mastodon on mastodon.social"
	blueskyName  = "Bluesky"
)

func mastodonRules() network.Rules {
	return network.Rules{
		MaxChars:          500,
		URLWeight:         23,
		MentionDomainFree: true,
		MaxMedia:          4,
		MaxImageBytes:     16 << 20,
		MaxVideoBytes:     99 << 20,
		MediaTypes: []string{
			"image/jpeg", "image/png", "image/gif", "image/webp",
			"video/mp4", "video/quicktime", "video/webm",
		},
		MaxAltText: 1500,
		MaxThread:  25, // Herald's own cap
		VideoAlone: true,
	}
}

func blueskyRules() network.Rules {
	return network.Rules{
		MaxChars:      300,
		MaxBytes:      3000,
		MaxMedia:      4,
		MaxImageBytes: 1_000_000,
		MaxVideoBytes: 50_000_000,
		MediaTypes:    []string{"image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4"},
		MaxAltText:    2000,
		MaxThread:     25,
		VideoAlone:    true,
	}
}

// Helpers shared by the tests.

func codes(res Result) []string {
	var out []string
	for _, is := range res.Issues {
		out = append(out, is.Field+":"+is.Code+":"+string(is.Severity))
	}
	return out
}

func findIssue(res Result, code string) (Issue, bool) {
	for _, is := range res.Issues {
		if is.Code == code {
			return is, true
		}
	}
	return Issue{}, false
}

func mustIssue(t *testing.T, res Result, field, code string, sev Severity) Issue {
	t.Helper()
	for _, is := range res.Issues {
		if is.Field == field && is.Code == code {
			if is.Severity != sev {
				t.Fatalf("%s %s: severity %s, want %s", field, code, is.Severity, sev)
			}
			return is
		}
	}
	t.Fatalf("no %s issue on %s; got %v", code, field, codes(res))
	return Issue{}
}

func hasErrors(res Result) bool {
	for _, is := range res.Issues {
		if is.Severity == SeverityError {
			return true
		}
	}
	return false
}

func checkMessage(t *testing.T, is Issue, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(is.Message, w) {
			t.Errorf("message %q does not contain %q", is.Message, w)
		}
	}
	if !strings.HasSuffix(is.Message, ".") {
		t.Errorf("message %q is not a full sentence", is.Message)
	}
}
