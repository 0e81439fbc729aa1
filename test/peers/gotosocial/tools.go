//go:build tools

// Package tools pins GoToSocial, the real Mastodon-API server the
// end-to-end tests run against.
package tools

import _ "github.com/superseriousbusiness/gotosocial/cmd/gotosocial"
