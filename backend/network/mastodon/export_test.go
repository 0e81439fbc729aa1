package mastodon

// Unexported helpers under test.
var (
	HTMLToText    = htmlToText
	NormalizeText = normalizeText
)
