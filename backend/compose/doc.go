// Package compose validates a post variant against the rules of the
// channel it targets, live, as the user types.
//
// Everything here is pure and cheap: no I/O, no package-level mutable
// state, and the only shared values are compiled regular expressions, which
// are safe for concurrent use. The composer calls [Validate] on every
// (debounced) keystroke for every target channel; a 5,000-character post
// with a few links takes about 50 µs per channel (BenchmarkValidate5000);
// a text over its limit is walked once more up to the limit, to say where
// the part that fits ends (Count.Fits).
//
// What counts as a character follows the networks themselves:
//
//   - A character is a Unicode extended grapheme cluster (uniseg): "é"
//     written as e + combining accent, "👍🏽" and a ZWJ family emoji each
//     count 1. Mastodon counts `mb_chars.grapheme_length` and Bluesky's
//     lexicon limits `maxGraphemes`.
//   - With [network.Rules.URLWeight] > 0 (Mastodon) a link counts as that
//     many characters whatever its length, and with
//     [network.Rules.MentionDomainFree] "@user@example.social" counts as
//     "@user". Which links and mentions qualify follows Mastodon's
//     StatusLengthValidator; see links.go and mentions.go for the details
//     and sources.
//   - With URLWeight == 0 (Bluesky) links count as written, and
//     [network.Rules.MaxBytes] adds a UTF-8 byte limit.
//
// Media, thread and first-comment rules are described on [Validate].
package compose
