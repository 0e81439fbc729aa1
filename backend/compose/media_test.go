package compose

import (
	"reflect"
	"strings"
	"testing"

	"herald/backend/network"
)

func img(name string, size int64) MediaInfo {
	return MediaInfo{Name: name, MIME: "image/jpeg", Size: size, AltText: "a description", Width: 800, Height: 600}
}

func video(name string, size int64) MediaInfo {
	return MediaInfo{Name: name, MIME: "video/mp4", Size: size, AltText: "a description"}
}

func TestMediaRules(t *testing.T) {
	noAlt := blueskyRules()
	noAlt.MaxAltText = 0
	noMedia := blueskyRules()
	noMedia.MaxMedia = 0
	anyType := blueskyRules()
	anyType.MediaTypes = nil
	audio := mastodonRules()
	audio.MediaTypes = append(audio.MediaTypes, "audio/mpeg")

	tests := []struct {
		name  string
		rules network.Rules
		media []MediaInfo
		codes []string
	}{
		{"four images", blueskyRules(), []MediaInfo{img("1.jpg", 1), img("2.jpg", 1), img("3.jpg", 1), img("4.jpg", 1)}, nil},
		{"five images", blueskyRules(), []MediaInfo{img("1.jpg", 1), img("2.jpg", 1), img("3.jpg", 1), img("4.jpg", 1), img("5.jpg", 1)},
			[]string{"media:too_many_media:error"}},
		{"no media allowed", noMedia, []MediaInfo{img("1.jpg", 1)}, []string{"media:too_many_media:error"}},
		{"type not accepted", blueskyRules(), []MediaInfo{{Name: "p.heic", MIME: "image/heic", Size: 10, AltText: "x"}},
			[]string{"media[0]:media_type:error"}},
		{"quicktime fine on Mastodon", mastodonRules(), []MediaInfo{{Name: "m.mov", MIME: "video/quicktime", Size: 10}}, nil},
		{"quicktime not on Bluesky", blueskyRules(), []MediaInfo{{Name: "m.mov", MIME: "video/quicktime", Size: 10}},
			[]string{"media[0]:media_type:error"}},
		{"MIME case and parameters ignored", blueskyRules(), []MediaInfo{{Name: "a.png", MIME: " Image/PNG; foo=bar", Size: 10, AltText: "x"}}, nil},
		{"unknown MIME", blueskyRules(), []MediaInfo{{Name: "blob", Size: 10, AltText: "x"}}, []string{"media[0]:media_type:error"}},
		{"no type list accepts anything", anyType, []MediaInfo{{Name: "p.heic", MIME: "image/heic", Size: 10, AltText: "x"}}, nil},
		{"image exactly at the limit", blueskyRules(), []MediaInfo{img("a.jpg", 1_000_000)}, nil},
		{"image one byte over", blueskyRules(), []MediaInfo{img("a.jpg", 1_000_001)}, []string{"media[0]:media_too_big:error"}},
		{"image under Mastodon's 16 MB", mastodonRules(), []MediaInfo{img("a.jpg", 16<<20)}, nil},
		{"image over Mastodon's 16 MB", mastodonRules(), []MediaInfo{img("a.jpg", 16<<20+1)}, []string{"media[0]:media_too_big:error"}},
		{"video at the limit", blueskyRules(), []MediaInfo{video("v.mp4", 50_000_000)}, nil},
		{"video over", blueskyRules(), []MediaInfo{video("v.mp4", 60_000_000)}, []string{"media[0]:media_too_big:error"}},
		{"unknown size is not checked", blueskyRules(), []MediaInfo{img("a.jpg", 0), img("b.jpg", -1)}, nil},
		{"video alone is fine", blueskyRules(), []MediaInfo{video("v.mp4", 10)}, nil},
		{"video with an image", blueskyRules(), []MediaInfo{img("a.jpg", 10), video("v.mp4", 10)},
			[]string{"media[1]:video_not_alone:error"}},
		{"two videos", mastodonRules(), []MediaInfo{video("v.mp4", 10), video("w.mp4", 10)},
			[]string{"media[0]:video_not_alone:error", "media[1]:video_not_alone:error"}},
		{"audio counts as video", audio, []MediaInfo{{Name: "s.mp3", MIME: "audio/mpeg", Size: 10}, img("a.jpg", 10)},
			[]string{"media[0]:video_not_alone:error"}},
		{"video with others allowed without VideoAlone", func() network.Rules { r := blueskyRules(); r.VideoAlone = false; return r }(),
			[]MediaInfo{img("a.jpg", 10), video("v.mp4", 10)}, nil},
		{"alt at the limit", blueskyRules(), []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 1, AltText: strings.Repeat("é", 2000)}}, nil},
		{"alt one over", blueskyRules(), []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 1, AltText: strings.Repeat("é", 2001)}},
			[]string{"media[0].alt:alt_too_long:error"}},
		{"alt counted in graphemes", mastodonRules(), []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 1, AltText: strings.Repeat(family, 1500)}}, nil},
		{"missing alt on an image warns", blueskyRules(), []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 1, AltText: "  "}},
			[]string{"media[0].alt:alt_missing:warning"}},
		{"missing alt on a video is fine", blueskyRules(), []MediaInfo{{Name: "v.mp4", MIME: "video/mp4", Size: 1}}, nil},
		{"alt on a network without it warns", noAlt, []MediaInfo{img("a.jpg", 1)}, []string{"media[0].alt:alt_ignored:warning"}},
		{"no alt on a network without it is fine", noAlt, []MediaInfo{{Name: "a.jpg", MIME: "image/jpeg", Size: 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Validate(tt.rules, blueskyName, Variant{Media: tt.media})
			if got := codes(res); !reflect.DeepEqual(got, tt.codes) {
				t.Fatalf("issues = %v, want %v", got, tt.codes)
			}
			if res.OK == hasErrors(res) {
				t.Errorf("OK = %v with issues %v", res.OK, codes(res))
			}
		})
	}
}

func TestMediaMessages(t *testing.T) {
	bs := func(m ...MediaInfo) Result {
		return Validate(blueskyRules(), blueskyName, Variant{Text: "x", Media: m})
	}

	is := mustIssue(t, bs(img("photo.jpg", 2_400_000)), "media[0]", CodeMediaTooBig, SeverityError)
	if want := "photo.jpg is 2.4 MB; Bluesky allows 1 MB per image."; is.Message != want {
		t.Errorf("got %q, want %q", is.Message, want)
	}
	is = mustIssue(t, bs(img("photo.jpg", 1_000_100)), "media[0]", CodeMediaTooBig, SeverityError)
	checkMessage(t, is, "1,000,100 bytes", "1,000,000 bytes per image")

	is = mustIssue(t, bs(video("clip.mp4", 60_000_000)), "media[0]", CodeMediaTooBig, SeverityError)
	checkMessage(t, is, "clip.mp4 is 60 MB; Bluesky allows 50 MB per video")

	res := Validate(mastodonRules(), mastodonName, Variant{Media: []MediaInfo{img("big.png", 20<<20)}})
	is = mustIssue(t, res, "media[0]", CodeMediaTooBig, SeverityError)
	checkMessage(t, is, "big.png is 20 MB; Mastodon on mastodon.social allows 16 MB per image")

	is = mustIssue(t, bs(MediaInfo{Name: "p.heic", MIME: "image/heic", AltText: "x"}), "media[0]", CodeMediaType, SeverityError)
	if want := "p.heic is image/heic, which Bluesky does not accept; it accepts image/jpeg, image/png, image/webp, image/gif or video/mp4."; is.Message != want {
		t.Errorf("got %q, want %q", is.Message, want)
	}
	is = mustIssue(t, bs(MediaInfo{AltText: "x"}), "media[0]", CodeMediaType, SeverityError)
	checkMessage(t, is, "Herald could not tell what kind of file Attachment 1 is")

	is = mustIssue(t, bs(img("1", 1), img("2", 1), img("3", 1), img("4", 1), img("5", 1)), "media", CodeTooManyMedia, SeverityError)
	checkMessage(t, is, "This post has 5 attachments; Bluesky allows 4")

	is = mustIssue(t, bs(img("a.jpg", 1), video("clip.mp4", 1), img("b.jpg", 1)), "media[1]", CodeVideoNotAlone, SeverityError)
	checkMessage(t, is, "clip.mp4 is a video", "Bluesky allows a video only on its own", "this post has 3 attachments")

	is = mustIssue(t, bs(MediaInfo{Name: "a.jpg", MIME: "image/jpeg", AltText: strings.Repeat("x", 2500)}), "media[0].alt", CodeAltTooLong, SeverityError)
	checkMessage(t, is, "The description of a.jpg is 2,500 characters; Bluesky allows 2,000")

	is = mustIssue(t, bs(MediaInfo{Name: "a.jpg", MIME: "image/jpeg"}), "media[0].alt", CodeAltMissing, SeverityWarning)
	checkMessage(t, is, "a.jpg has no description")
}
