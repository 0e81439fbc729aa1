package main

import (
	"errors"
	"runtime"
)

// checkDisplay refuses early, with a message, where GTK would panic:
// a Linux session with neither X11 nor Wayland.
func checkDisplay(getenv func(string) string) error {
	if runtime.GOOS != "linux" {
		return nil
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	return errors.New("no graphical display found ($DISPLAY and $WAYLAND_DISPLAY are empty). " +
		"Start Herald from a desktop session, or over SSH with X forwarding (ssh -X)")
}
