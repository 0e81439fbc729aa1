package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Opener shows a URL to the user, normally in their web browser. Tests of
// callers pass a fake that follows the redirect itself.
type Opener interface {
	Open(ctx context.Context, url string) error
}

// defaultOpenGrace is how long Open waits for a browser command to fail.
// Openers (xdg-open, open, rundll32) exit at once; a browser named in
// $BROWSER may stay in the foreground for as long as it runs, and that
// must not hold up the sign-in.
const defaultOpenGrace = 3 * time.Second

// SystemOpener opens URLs the way the desktop expects: each command in
// $BROWSER first (as xdg-open and Python's webbrowser do), then xdg-open
// on Linux and the BSDs, open on macOS, and rundll32's
// url.dll,FileProtocolHandler on Windows.
//
// $BROWSER is a list separated by os.PathListSeparator (":" on Unix, ";"
// on Windows). Each entry is a command with optional arguments (single
// or double quotes group words); "%s" in an argument is replaced by the
// URL, otherwise the URL is appended as the last argument. No shell is
// involved, so the URL is always one argument.
type SystemOpener struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string

	grace time.Duration // tests shorten it; 0 means defaultOpenGrace
}

var _ Opener = SystemOpener{}

// Open starts the first command that works and returns once it exits
// successfully or is still running after a short grace period (a
// foreground browser). ctx bounds that wait; cancelling never kills a
// browser that was started. Only http and https URLs are opened: the URL
// becomes a command argument, and other schemes could run local files.
//
// A process that outlives Open is reaped by a goroutine that ends when
// the process exits; nothing else is left behind.
func (o SystemOpener) Open(ctx context.Context, rawURL string) error {
	if err := checkOpenURL(rawURL); err != nil {
		return err
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	grace := o.grace
	if grace <= 0 {
		grace = defaultOpenGrace
	}

	cmds := browserEnvCommands(getenv("BROWSER"), string(os.PathListSeparator), rawURL)
	if name, args, ok := systemCommand(runtime.GOOS); ok {
		cmds = append(cmds, append([]string{name}, append(args, rawURL)...))
	}
	if len(cmds) == 0 {
		return &flowError{kind: ErrNoBrowser, msg: fmt.Sprintf(
			"Could not open your web browser: %s has no default browser command and $BROWSER is not set. Copy this link into your browser to continue.",
			runtime.GOOS)}
	}

	var (
		errs    []error
		reasons []string // short, for the user; errs keeps the detail
	)
	for _, c := range cmds {
		err := launch(ctx, c, grace)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("oauth: opening the browser: %w", ctx.Err())
		}
		// Only the program name: the arguments hold the URL, which holds
		// the state.
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			reasons = append(reasons, c[0]+" is not installed")
		} else {
			reasons = append(reasons, fmt.Sprintf("%s failed: %v", c[0], err))
		}
		errs = append(errs, fmt.Errorf("%s: %w", c[0], err))
	}
	joined := errors.Join(errs...)
	return &flowError{kind: ErrNoBrowser, err: joined, msg: fmt.Sprintf(
		"Could not open your web browser (%s). Copy this link into your browser to continue.",
		strings.Join(reasons, "; "))}
}

// checkOpenURL accepts absolute http(s) URLs only.
func checkOpenURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("oauth: refusing to open %q: only http and https links are opened", truncate(rawURL, 40))
	}
	return nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// systemCommand is the platform's "open this URL" command, without the URL.
func systemCommand(goos string) (name string, args []string, ok bool) {
	switch goos {
	case "darwin":
		return "open", nil, true
	case "windows":
		// rundll32 hands the URL to the registered handler without cmd.exe,
		// so & and ^ in the URL are not interpreted.
		return "rundll32", []string{"url.dll,FileProtocolHandler"}, true
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos":
		return "xdg-open", nil, true
	default:
		return "", nil, false
	}
}

// browserEnvCommands turns $BROWSER into argument vectors with the URL in
// place.
func browserEnvCommands(env, sep, rawURL string) [][]string {
	var cmds [][]string
	for _, entry := range strings.Split(env, sep) {
		args := splitArgs(entry)
		if len(args) == 0 {
			continue
		}
		placed := false
		for i, a := range args {
			if strings.Contains(a, "%s") {
				args[i] = strings.ReplaceAll(a, "%s", rawURL)
				placed = true
			}
		}
		if !placed {
			args = append(args, rawURL)
		}
		cmds = append(cmds, args)
	}
	return cmds
}

// splitArgs splits on spaces and tabs, grouping words in single or double
// quotes (for paths like "C:\Program Files\...\firefox.exe"). Backslashes
// are literal, as Windows paths need.
func splitArgs(s string) []string {
	var (
		args   []string
		cur    strings.Builder
		inWord bool
		quote  rune
		flush  = func() {
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		}
	)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flush()
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	flush()
	return args
}

// launch starts argv and reports a failure seen within grace.
func launch(ctx context.Context, argv []string, grace time.Duration) error {
	// WithoutCancel: cancelling the sign-in must not kill the user's
	// browser, which this command may have become.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	// Reaps the process whenever it exits, so it never lingers as a
	// zombie; lives exactly as long as the process.
	go func() { exited <- cmd.Wait() }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-exited:
		return err
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
