//go:build !windows && !darwin

package autostart

// Enabled reports whether Herald starts at login.
func (e Entry) Enabled() (bool, error) {
	p, err := e.desktopFile()
	if err != nil {
		return false, err
	}
	return exists(p), nil
}

// Enable makes Herald start hidden at login.
func (e Entry) Enable() error {
	p, err := e.desktopFile()
	if err != nil {
		return err
	}
	return writeFile(p, e.desktopContent())
}

// Disable stops Herald starting at login.
func (e Entry) Disable() error {
	p, err := e.desktopFile()
	if err != nil {
		return err
	}
	return removeFile(p)
}
