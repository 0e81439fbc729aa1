package compose

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rivo/uniseg"

	"herald/backend/network"
)

// jsSlice is text.slice(0, n) in JavaScript: n UTF-16 code units.
func jsSlice(text string, n int) string {
	return string(utf16.Decode(utf16.Encode([]rune(text))[:n]))
}

func TestFits(t *testing.T) {
	five := network.Rules{MaxChars: 5, URLWeight: 23, MentionDomainFree: true}
	tests := []struct {
		name  string
		r     network.Rules
		cw    string
		text  string
		fits  string // the part of text that fits
		chars int
	}{
		{"within", blueskyRules(), "", "hello", "hello", 5},
		{"plain over", network.Rules{MaxChars: 5}, "", "hello world", "hello", 11},
		{"a family emoji is one character", network.Rules{MaxChars: 3}, "", "ab" + family + "cd", "ab" + family, 5},
		// "😀" is 2 UTF-16 units: Fits counts what JavaScript indexes.
		{"astral characters", network.Rules{MaxChars: 2}, "", "😀😀😀", "😀😀", 3},
		{"a weighted link past the limit is over whole", network.Rules{MaxChars: 25, URLWeight: 23}, "", "abc https://example.com/a", "abc ", 27},
		{"a mention domain weighs nothing", five, "", "@bob@example.org hi", "@bob@example.org ", 7},
		{"the content warning uses up the limit first", five, "abc", "defgh", "de", 8},
		{"a content warning over on its own", five, "abcdefg", "hi", "", 9},
		// 120 "é" are 240 bytes: the byte limit is the stricter one.
		{"bytes", network.Rules{MaxChars: 300, MaxBytes: 101}, "", strings.Repeat("é", 120), strings.Repeat("é", 50), 120},
		{"a cluster is over when any byte is", network.Rules{MaxBytes: 24}, "", "a" + family, "a", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := countWith(tt.r, tt.cw, tt.text)
			if c.Chars != tt.chars {
				t.Fatalf("Chars = %d, want %d", c.Chars, tt.chars)
			}
			if got := jsSlice(tt.text, c.Fits); got != tt.fits {
				t.Errorf("fits %q (%d), want %q", got, c.Fits, tt.fits)
			}
		})
	}
}

// TestFitsIsTheLongestPrefix: for texts without links or mentions, the
// part that fits counts within the limit and one character more does not.
func TestFitsIsTheLongestPrefix(t *testing.T) {
	texts := []string{
		strings.Repeat("a", 40), strings.Repeat("e\u0301", 30), strings.Repeat("👍🏽 ", 20),
		strings.Repeat(family, 12), "🇫🇷🇩🇪🇮🇹🇪🇸" + strings.Repeat("x", 30), strings.Repeat("한국어 ", 12),
	}
	for _, text := range texts {
		for max := 1; max < 30; max += 3 {
			r := network.Rules{MaxChars: max}
			c := CountText(r, text)
			fit := jsSlice(text, c.Fits)
			if got := CountText(r, fit).Chars; got > max {
				t.Errorf("%q at %d: the part that fits counts %d", text, max, got)
			}
			if c.Chars > max && CountText(r, text[:len(fit)+len(firstCluster(text[len(fit):]))]).Chars <= max {
				t.Errorf("%q at %d: one more character would still fit", text, max)
			}
		}
	}
}

func firstCluster(s string) string {
	c, _, _, _ := uniseg.FirstGraphemeClusterInString(s, -1)
	return c
}
