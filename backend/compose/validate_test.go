package compose

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"herald/backend/network"
)

func TestValidateLength(t *testing.T) {
	url := " https://example.com/" + strings.Repeat("p", 100) // 1 + 23 on Mastodon
	tests := []struct {
		name  string
		rules network.Rules
		net   string
		text  string
		codes []string // Field:Code:severity, in order
	}{
		{"mastodon at limit", mastodonRules(), mastodonName, strings.Repeat("a", 500), nil},
		{"mastodon one over", mastodonRules(), mastodonName, strings.Repeat("a", 501), []string{"text:too_long:error"}},
		{"mastodon at limit with a link", mastodonRules(), mastodonName, strings.Repeat("a", 476) + url, nil},
		{"mastodon one over with a link", mastodonRules(), mastodonName, strings.Repeat("a", 477) + url, []string{"text:too_long:error"}},
		{"mastodon mention at limit", mastodonRules(), mastodonName, strings.Repeat("a", 493) + " @alice@a-very-long-domain.example", nil},
		{"mastodon emoji count one each", mastodonRules(), mastodonName, strings.Repeat("👍🏽", 500), nil},
		{"mastodon no byte limit", mastodonRules(), mastodonName, strings.Repeat(family, 500), nil},
		{"bluesky at limit", blueskyRules(), blueskyName, strings.Repeat("a", 300), nil},
		{"bluesky one over", blueskyRules(), blueskyName, strings.Repeat("a", 301), []string{"text:too_long:error"}},
		{"bluesky link as written", blueskyRules(), blueskyName, strings.Repeat("a", 200) + url, []string{"text:too_long:error"}},
		{"bluesky 300 four-byte emoji = 1200 bytes", blueskyRules(), blueskyName, strings.Repeat("😀", 300), nil},
		{"bluesky bytes exactly 3000", blueskyRules(), blueskyName, strings.Repeat(family, 120), nil},
		{"bluesky graphemes pass, bytes fail", blueskyRules(), blueskyName, strings.Repeat(family, 121), []string{"text:too_many_bytes:error"}},
		{"bluesky both over", blueskyRules(), blueskyName, strings.Repeat(family, 301), []string{"text:too_long:error", "text:too_many_bytes:error"}},
		{"CJK counts per character", blueskyRules(), blueskyName, strings.Repeat("日", 300), nil},
		{"no limits at all", network.Rules{}, "Somewhere", strings.Repeat("a", 100000), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Validate(tt.rules, tt.net, Variant{Text: tt.text})
			if got := codes(res); !reflect.DeepEqual(got, tt.codes) {
				t.Fatalf("issues = %v, want %v", got, tt.codes)
			}
			if res.OK != (len(tt.codes) == 0) {
				t.Errorf("OK = %v", res.OK)
			}
		})
	}
}

func TestLengthMessages(t *testing.T) {
	// The sentence from the design brief, to the letter.
	text := strings.Repeat("a", 488) + " https://example.com/" + strings.Repeat("x", 40)
	res := Validate(mastodonRules(), mastodonName, Variant{Text: text})
	is := mustIssue(t, res, "text", CodeTooLong, SeverityError)
	if want := "This post is 512 characters; Mastodon on mastodon.social allows 500 (links count as 23)."; is.Message != want {
		t.Errorf("message\n got %q\nwant %q", is.Message, want)
	}
	if res.Text.Chars != 512 || res.Text.Remaining != -12 || res.Text.URLs != 1 {
		t.Errorf("count = %+v", res.Text)
	}

	res = Validate(mastodonRules(), mastodonName, Variant{Text: strings.Repeat("a", 1501)})
	is = mustIssue(t, res, "text", CodeTooLong, SeverityError)
	if want := "This post is 1,501 characters; Mastodon on mastodon.social allows 500."; is.Message != want {
		t.Errorf("message without links\n got %q\nwant %q", is.Message, want)
	}

	res = Validate(blueskyRules(), blueskyName, Variant{Text: strings.Repeat(family, 121)})
	is = mustIssue(t, res, "text", CodeTooManyBytes, SeverityError)
	checkMessage(t, is, "This post is 3,025 bytes", "Bluesky allows 3,000 bytes")

	res = Validate(blueskyRules(), "", Variant{Text: strings.Repeat("a", 301)})
	is = mustIssue(t, res, "text", CodeTooLong, SeverityError)
	checkMessage(t, is, "the network allows 300")
	res = Validate(network.Rules{MaxChars: 10}, " ", Variant{Text: "1", Thread: []string{"2"}})
	is = mustIssue(t, res, "thread", CodeThreadNotSupported, SeverityError)
	checkMessage(t, is, "The network does not support threads; remove the follow-up or publish it as a separate post")
}

func TestContentWarning(t *testing.T) {
	v := Variant{Text: strings.Repeat("a", 495), Options: map[string]string{OptionContentWarning: "Spoilers ahead"}}
	res := Validate(mastodonRules(), mastodonName, v)
	is := mustIssue(t, res, "text", CodeTooLong, SeverityError)
	checkMessage(t, is, "509 characters including the content warning", "allows 500")
	if res.Text.ContentWarning != 14 || res.Text.Chars != 509 {
		t.Errorf("count = %+v", res.Text)
	}
	v.Text = strings.Repeat("a", 486)
	if res := Validate(mastodonRules(), mastodonName, v); !res.OK {
		t.Errorf("500 with the warning should pass: %v", codes(res))
	}
	// Follow-ups do not carry the post's warning.
	v.Thread = []string{strings.Repeat("b", 500)}
	if res := Validate(mastodonRules(), mastodonName, v); !res.OK || res.Thread[0].Chars != 500 {
		t.Errorf("follow-up: %v %+v", codes(res), res.Thread)
	}
}

func TestEmpty(t *testing.T) {
	img := MediaInfo{Name: "a.png", MIME: "image/png", Size: 1000, AltText: "a cat"}
	tests := []struct {
		name  string
		v     Variant
		codes []string
	}{
		{"nothing", Variant{}, []string{"text:empty:error"}},
		{"whitespace only", Variant{Text: " \n\t\u00a0\u3000"}, []string{"text:empty:error"}},
		{"media only is fine", Variant{Media: []MediaInfo{img}}, nil},
		{"whitespace and media is fine", Variant{Text: "  ", Media: []MediaInfo{img}}, nil},
		{"zero-width space is text", Variant{Text: "\u200b"}, nil},
		{"blank follow-up", Variant{Text: "hi", Thread: []string{"ok", " "}}, []string{"thread[1]:empty:error"}},
		{"blank first comment", Variant{Text: "hi", FirstComment: "\n"}, []string{"first_comment:empty:error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Validate(blueskyRules(), blueskyName, tt.v)
			if got := codes(res); !reflect.DeepEqual(got, tt.codes) {
				t.Fatalf("issues = %v, want %v", got, tt.codes)
			}
		})
	}
	res := Validate(blueskyRules(), blueskyName, Variant{})
	checkMessage(t, res.Issues[0], "This post is empty", "Bluesky needs some text or at least one attachment")
}

func TestThread(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("part %d", i+2)
		}
		return out
	}
	noThreads := blueskyRules()
	noThreads.MaxThread = 0

	tests := []struct {
		name  string
		rules network.Rules
		v     Variant
		codes []string
	}{
		{"at the cap", mastodonRules(), Variant{Text: "1", Thread: many(25)}, nil},
		{"over the cap", mastodonRules(), Variant{Text: "1", Thread: many(26)}, []string{"thread:thread_too_long:error"}},
		{"follow-up too long", blueskyRules(), Variant{Text: "1", Thread: []string{"ok", strings.Repeat("a", 301)}}, []string{"thread[1]:too_long:error"}},
		{"follow-up too many bytes", blueskyRules(), Variant{Text: "1", Thread: []string{strings.Repeat(family, 121)}}, []string{"thread[0]:too_many_bytes:error"}},
		{"follow-up weighs links", mastodonRules(), Variant{Text: "1", Thread: []string{strings.Repeat("a", 477) + " https://example.com/" + strings.Repeat("x", 90)}}, []string{"thread[0]:too_long:error"}},
		{"not supported", noThreads, Variant{Text: "1", Thread: []string{"2", strings.Repeat("a", 400)}}, []string{"thread:thread_not_supported:error"}},
		{"not supported but empty thread is fine", noThreads, Variant{Text: "1", Thread: []string{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Validate(tt.rules, "Net", tt.v)
			if got := codes(res); !reflect.DeepEqual(got, tt.codes) {
				t.Fatalf("issues = %v, want %v", got, tt.codes)
			}
			if len(res.Thread) != len(tt.v.Thread) {
				t.Errorf("%d thread counts for %d follow-ups", len(res.Thread), len(tt.v.Thread))
			}
		})
	}

	res := Validate(noThreads, blueskyName, Variant{Text: "1", Thread: []string{"2", "3"}})
	checkMessage(t, res.Issues[0], "Bluesky does not support threads", "remove the 2 follow-ups")
	res = Validate(mastodonRules(), mastodonName, Variant{Text: "1", Thread: many(27)})
	checkMessage(t, res.Issues[0], "This thread has 27 follow-ups", "Mastodon on mastodon.social allows at most 25 follow-ups")
	res = Validate(blueskyRules(), blueskyName, Variant{Text: "1", Thread: []string{"ok", strings.Repeat("a", 301)}})
	checkMessage(t, res.Issues[0], "Follow-up 2 is 301 characters; Bluesky allows 300")
	if res.Thread[1].Chars != 301 || res.Thread[0].Chars != 2 {
		t.Errorf("thread counts = %+v", res.Thread)
	}
}

func TestFirstComment(t *testing.T) {
	res := Validate(blueskyRules(), blueskyName, Variant{Text: "post", FirstComment: "link in the comment https://example.com"})
	if res.FirstComment == nil || res.FirstComment.Chars != 39 || !res.OK {
		t.Fatalf("first comment = %+v, issues %v", res.FirstComment, codes(res))
	}
	res = Validate(blueskyRules(), blueskyName, Variant{Text: "post", FirstComment: strings.Repeat("a", 301)})
	is := mustIssue(t, res, "first_comment", CodeTooLong, SeverityError)
	checkMessage(t, is, "The first comment is 301 characters; Bluesky allows 300")
	if res := Validate(blueskyRules(), blueskyName, Variant{Text: "post"}); res.FirstComment != nil {
		t.Error("FirstComment should be nil without one")
	}
}

func TestWarningsDoNotBlock(t *testing.T) {
	v := Variant{Text: "look", Media: []MediaInfo{{Name: "cat.jpg", MIME: "image/jpeg", Size: 5000}}}
	res := Validate(mastodonRules(), mastodonName, v)
	mustIssue(t, res, "media[0].alt", CodeAltMissing, SeverityWarning)
	if !res.OK {
		t.Errorf("a warning blocked publishing: %v", codes(res))
	}
	v.Text = strings.Repeat("a", 501)
	if res := Validate(mastodonRules(), mastodonName, v); res.OK {
		t.Error("an error did not block publishing")
	}
}

func TestIssueOrder(t *testing.T) {
	v := Variant{
		Text:         strings.Repeat("a", 301),
		Thread:       []string{strings.Repeat("b", 301)},
		FirstComment: strings.Repeat("c", 301),
		Media:        []MediaInfo{{Name: "x.bmp", MIME: "image/bmp", Size: 10}},
	}
	got := codes(Validate(blueskyRules(), blueskyName, v))
	want := []string{
		"text:too_long:error", "thread[0]:too_long:error", "first_comment:too_long:error",
		"media[0]:media_type:error", "media[0].alt:alt_missing:warning",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("issues = %v, want %v", got, want)
	}
}
