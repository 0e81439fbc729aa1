//go:build dev

package main

import "strings"

// devArgs drops the flags Wails' dev mode reads itself (-assetdir,
// -devserver, ...) so Herald's own flag parsing does not reject them.
func devArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(name, "=")
		switch name {
		case "assetdir", "devserver", "frontenddevserverurl", "loglevel":
			if !hasValue {
				i++
			}
			continue
		}
		out = append(out, args[i])
	}
	return out
}
