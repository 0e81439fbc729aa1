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
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	exitNoDisplay = 3
	exitDataDir   = 4
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	if generatingBindings {
		// `wails generate` passes its own flags and only reads the bindings.
		return runWindow(newBindingsApp())
	}
	fs := flag.NewFlagSet("herald", flag.ContinueOnError)
	fs.SetOutput(stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(devArgs(args)); err != nil {
		return exitUsage
	}
	if *showVersion {
		fmt.Fprintln(stderr, "Herald", version)
		return exitOK
	}

	if err := checkDisplay(os.Getenv); err != nil {
		fmt.Fprintln(stderr, "herald:", err)
		return exitNoDisplay
	}
	app, err := boot(version, os.Getenv)
	if err != nil {
		var de *config.DirError
		switch {
		case errors.As(err, &de):
			fmt.Fprintln(stderr, "herald:", err)
			return exitDataDir
		case errors.Is(err, instance.ErrRunning):
			fmt.Fprintln(stderr, "herald:", err, "- its window was asked to come to the front.")
			return exitOK
		default:
			fmt.Fprintln(stderr, "herald:", err)
			return exitFailure
		}
	}
	code := runWindow(app)
	app.close()
	if code == exitOK && app.relaunchRequested() {
		if err := relaunch(args); err != nil {
			fmt.Fprintln(stderr, "herald: restart after restoring the backup:", err, "- start Herald again.")
			return exitFailure
		}
	}
	return code
}

func runWindow(app *App) int {
	err := wails.Run(&options.App{
		Title:            "Herald",
		Width:            1200,
		Height:           800,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 250, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnShutdown:       app.shutdown,
		Bind:             app.bindings(),
		ErrorFormatter:   apperr.Format,
		Logger:           app.wailsLogger(),
		LogLevel:         logger.INFO,
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
