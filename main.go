// Herald is a local-first social media manager. main.go holds only the
// command line and the Wails window options; app.go composes the backend.
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"herald/backend/apperr"
	"herald/backend/config"
	"herald/backend/instance"
	"herald/backend/shell"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// version (the product version in wails.json) and commit (the git commit
// built) are set at build time with -ldflags "-X main.version=... -X
// main.commit=..."; see the Makefile.
var (
	version = "dev"
	commit  = ""
)

// versionLine is what herald --version prints: "Herald 0.1.0 (commit abc123)".
func versionLine(version, commit string) string {
	if commit == "" {
		return "Herald " + version
	}
	return fmt.Sprintf("Herald %s (commit %s)", version, commit)
}

// Exit codes.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	exitNoDisplay = 3
	exitDataDir   = 4
)

const usage = `Herald — a local-first social media manager

Usage:
  herald                      open the window (keeps publishing from the tray when closed)
  herald --hidden             start in the tray without showing the window
  herald --headless           publish without a window, for an always-on machine
  herald channels             list the connected channels
  herald queue                show what is scheduled
  herald schedule --file F    create a post from a JSON file and schedule it
                              (--at 2026-12-01T09:00 --zone Europe/Berlin, --queue, --now, or --draft)
  herald --version            print the version

HERALD_DATA_DIR=/folder keeps all of Herald's files in one folder.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if generatingBindings {
		// `wails generate` passes its own flags and only reads the bindings.
		return runWindow(newBindingsApp())
	}
	args = devArgs(args)
	if len(args) > 0 && !isFlag(args[0]) {
		return runCommand(args[0], args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("herald", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	showVersion := fs.Bool("version", false, "print the version and exit")
	headless := fs.Bool("headless", false, "publish without a window")
	hidden := fs.Bool("hidden", false, "start in the tray")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *showVersion {
		fmt.Fprintln(stdout, versionLine(version, commit))
		return exitOK
	}
	if *headless {
		return runHeadless(stderr)
	}
	if err := checkDisplay(os.Getenv); err != nil {
		fmt.Fprintln(stderr, "herald:", err, "(or run herald --headless to publish without a window)")
		return exitNoDisplay
	}
	app, code := bootOrExplain(modeWindow, stderr)
	if app == nil {
		return code
	}
	app.startHidden = *hidden
	code = runWindow(app)
	app.close()
	if code == exitOK && app.life.RelaunchRequested() {
		if err := shell.Relaunch(args); err != nil {
			fmt.Fprintln(stderr, "herald: restart after restoring the backup:", err, "- start Herald again.")
			return exitFailure
		}
	}
	return code
}

func isFlag(s string) bool { return len(s) > 0 && s[0] == '-' }

// bootOrExplain boots Herald and turns a start-up refusal into a message
// and an exit code.
func bootOrExplain(m mode, stderr io.Writer) (*App, int) {
	app, err := boot(version, commit, os.Getenv, m)
	if err == nil {
		return app, exitOK
	}
	var de *config.DirError
	switch {
	case errors.As(err, &de):
		fmt.Fprintln(stderr, "herald:", err)
		return nil, exitDataDir
	case errors.Is(err, instance.ErrRunning):
		fmt.Fprintln(stderr, "herald:", err, "- its window was asked to come to the front.")
		return nil, exitOK
	default:
		fmt.Fprintln(stderr, "herald:", err)
		return nil, exitFailure
	}
}

func runWindow(app *App) int {
	err := wails.Run(&options.App{
		Title:             "Herald",
		Width:             1200,
		Height:            800,
		MinWidth:          900,
		MinHeight:         600,
		BackgroundColour:  &options.RGBA{R: 248, G: 249, B: 250, A: 255},
		AssetServer:       &assetserver.Options{Assets: assets},
		OnStartup:         app.startup,
		OnDomReady:        app.domReady,
		OnBeforeClose:     app.beforeClose,
		OnShutdown:        app.shutdown,
		Bind:              app.bindings(),
		ErrorFormatter:    apperr.Format,
		Logger:            shell.WailsLogger(app.log),
		LogLevel:          logger.INFO,
		StartHidden:       app.life.StartsHidden(app.startHidden),
		HideWindowOnClose: app.life.CloseToTray(),
		Linux: &linux.Options{
			Icon:             icon,
			ProgramName:      "herald",
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "herald:", err)
		return exitFailure
	}
	return exitOK
}
