//go:build bindings

package main

// generatingBindings is true when `wails generate` runs the binary only to
// read the bound methods: nothing may touch the user's files then.
const generatingBindings = true
