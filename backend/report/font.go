package report

import (
	_ "embed"
	"encoding/binary"
	"strings"
	"sync"
	"unicode"
)

// The reports are set in DejaVu Sans, embedded in the binary (its licence
// is fonts/LICENSE): Latin, Greek, Cyrillic and most symbols print as
// written on every computer, and no font is read from the system.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// fallback stands for a character the font has no glyph for (emoji, CJK
// scripts): the text stays readable and shows where something was left
// out.
const fallback = '?'

var (
	glyphsOnce sync.Once
	glyphs     map[rune]bool
)

// covered says whether both embedded fonts have a glyph for r.
func covered(r rune) bool {
	glyphsOnce.Do(func() {
		regular, bold := cmap(fontRegular), cmap(fontBold)
		glyphs = make(map[rune]bool, len(regular))
		for r := range regular {
			if bold[r] {
				glyphs[r] = true
			}
		}
	})
	return glyphs[r]
}

// printable makes text safe to draw: control characters become spaces,
// joiners and variation selectors (parts of emoji) are dropped, and each
// character the font lacks becomes the fallback.
func printable(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r):
		case r == 0x200D || (r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F):
		case covered(r):
			b.WriteRune(r)
		default:
			b.WriteRune(fallback)
		}
	}
	return b.String()
}

// cmap reads the characters a TrueType font maps to a glyph, from its
// Unicode BMP table (platform 3, encoding 1, format 4). A font it cannot
// read yields nothing, and every character then falls back.
func cmap(font []byte) map[rune]bool {
	out := map[rune]bool{}
	u16 := func(at int) int {
		if at < 0 || at+2 > len(font) {
			return -1
		}
		return int(binary.BigEndian.Uint16(font[at:]))
	}
	u32 := func(at int) int {
		if at < 0 || at+4 > len(font) {
			return -1
		}
		return int(binary.BigEndian.Uint32(font[at:]))
	}
	table := -1
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return out
		}
		if string(font[rec:rec+4]) == "cmap" {
			table = u32(rec + 8)
		}
	}
	if table < 0 {
		return out
	}
	sub := -1
	for i, n := 0, u16(table+2); i < n; i++ {
		rec := table + 4 + 8*i
		if u16(rec) == 3 && u16(rec+2) == 1 {
			sub = table + u32(rec+4)
		}
	}
	if sub < 0 || u16(sub) != 4 {
		return out
	}
	segs := u16(sub+6) / 2
	ends := sub + 14
	starts := ends + 2*segs + 2
	deltas := starts + 2*segs
	offsets := deltas + 2*segs
	for i := 0; i < segs; i++ {
		end, start, delta, off := u16(ends+2*i), u16(starts+2*i), u16(deltas+2*i), u16(offsets+2*i)
		if end < 0 || start < 0 || delta < 0 || off < 0 {
			return out
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			g := 0
			if off == 0 {
				g = (c + delta) & 0xFFFF
			} else if v := u16(offsets + 2*i + off + 2*(c-start)); v > 0 {
				g = (v + delta) & 0xFFFF
			}
			if g != 0 {
				out[rune(c)] = true
			}
		}
	}
	return out
}
