package compose

import (
	"strconv"
	"strings"
)

// number formats n with thousands separators: 1500 → "1,500".
func number(n int) string {
	return group(strconv.FormatInt(int64(n), 10))
}

func group(digits string) string {
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// plural is "1 character", "512 characters", "1,500 characters".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return number(n) + " " + many
}

// orList joins items as "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// sizePair formats a file size and the limit it exceeds in the same units.
// The units follow the limit: a limit that is a whole number of binary
// megabytes (Mastodon's 16.megabytes) is shown in binary units, as the
// network itself calls it "16 MB"; a decimal one (Bluesky's 1,000,000
// bytes) in decimal units. When rounding would show the two the same, both
// are given in bytes, so the message never reads "1 MB; … allows 1 MB".
func sizePair(size, limit int64) (string, string) {
	base := int64(1000)
	if limit%1024 == 0 && limit%1000 != 0 {
		base = 1024
	}
	s, l := humanBytes(size, base), humanBytes(limit, base)
	if s == l {
		return exactBytes(size), exactBytes(limit)
	}
	return s, l
}

func humanBytes(n, base int64) string {
	units := [...]string{"KB", "MB", "GB", "TB"}
	if n < base {
		return exactBytes(n)
	}
	v := float64(n) / float64(base)
	u := 0
	for v >= float64(base) && u < len(units)-1 {
		v /= float64(base)
		u++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[u]
}

func exactBytes(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return group(strconv.FormatInt(n, 10)) + " bytes"
}
