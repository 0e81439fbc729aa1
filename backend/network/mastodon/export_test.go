package mastodon

// Unexported helpers under test.
var (
	HTMLToText    = htmlToText
	NormalizeText = normalizeText
)

// HTMLToTextLinks is htmlToTextLinks under test.
var HTMLToTextLinks = htmlToTextLinks
