// Package store holds Herald's repositories: ctx-first reads and writes of
// the models over one GORM handle. Times are written in UTC.
package store
