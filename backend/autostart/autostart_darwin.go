//go:build darwin

package autostart

import (
	"errors"
	"path/filepath"
	"strings"
)

func (e Entry) plist() (string, error) {
	home := e.env("HOME")
	if home == "" {
		return "", errors.New("cannot find your home folder")
	}
	return filepath.Join(home, "Library", "LaunchAgents", "app.herald.plist"), nil
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func (e Entry) plistContent() string {
	env := ""
	if e.DataDir != "" {
		env = "<key>EnvironmentVariables</key><dict><key>HERALD_DATA_DIR</key><string>" + xmlEscape(e.DataDir) + "</string></dict>"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>Label</key><string>app.herald</string>
<key>ProgramArguments</key><array><string>` + xmlEscape(e.Exe) + `</string><string>` + HiddenFlag + `</string></array>
<key>RunAtLoad</key><true/>` + env + `
</dict></plist>
`
}

// Enabled reports whether Herald starts at login.
func (e Entry) Enabled() (bool, error) {
	p, err := e.plist()
	if err != nil {
		return false, err
	}
	return exists(p), nil
}

// Enable makes Herald start hidden at login.
func (e Entry) Enable() error {
	p, err := e.plist()
	if err != nil {
		return err
	}
	return writeFile(p, e.plistContent())
}

// Disable stops Herald starting at login.
func (e Entry) Disable() error {
	p, err := e.plist()
	if err != nil {
		return err
	}
	return removeFile(p)
}
