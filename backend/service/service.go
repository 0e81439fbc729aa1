// Package service holds the only structs bound to the window. Each method
// is one user action or query: it takes plain inputs, returns a named DTO
// with camelCase JSON, and leaves all work to the packages below it.
// Errors leave through apperr.Format as {code, message, hint}.
package service

import "time"

// stamp formats a time for the UI: RFC 3339 in UTC, "" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func stampPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return stamp(*t)
}
