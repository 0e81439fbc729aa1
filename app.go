package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/runtime"
	"gorm.io/gorm"

	"herald/backend/config"
	"herald/backend/connect"
	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/health"
	"herald/backend/instance"
	"herald/backend/logging"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/mastodon"
	"herald/backend/notify"
	"herald/backend/oauth"
	"herald/backend/scheduler"
	"herald/backend/secrets"
	"herald/backend/service"
	"herald/backend/store"
)

// App composes the backend and owns its lifecycle. It is the only place,
// with package events, that talks to the Wails runtime.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	logFile io.Closer
	lock    *instance.Lock
	db      *gorm.DB
	problem error // why the database is not open, if it is not

	emitter  events.Wails
	wailsCtx context.Context
	stop     context.CancelFunc
	relaunch atomic.Bool

	sched    *scheduler.Scheduler
	connect  *connect.Service
	notifier notify.Notifier

	settings *service.Settings
	recovery *service.Recovery
	channels *service.Channels
	teams    *service.Teams
}

// boot does all start-up I/O before any window exists, so a bad data
// folder or a second copy is refused with a message and an exit code.
func boot(version string, getenv config.Env) (*App, error) {
	started := time.Now()
	cfg, err := config.Resolve(version, getenv)
	if err != nil {
		return nil, err
	}
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	log, logFile, err := logging.Open(cfg.LogDir, slog.LevelInfo)
	if err != nil {
		return nil, &config.DirError{Role: "log", Path: cfg.LogDir, Err: err}
	}
	lock, err := instance.Acquire(cfg.DataDir)
	if err != nil {
		if errors.Is(err, instance.ErrRunning) {
			log.Info("second launch handed over to the running instance")
			_ = instance.AskToShow(context.Background(), cfg.DataDir)
		}
		_ = logFile.Close()
		return nil, err
	}
	a := &App{cfg: cfg, log: log, logFile: logFile, lock: lock}
	log.Info("herald starting", "version", version, "data_dir", cfg.DataDir, "portable", cfg.Portable)

	ctx := context.Background()
	gdb, rep, err := db.Open(ctx, db.Options{Path: cfg.DBPath, BackupDir: cfg.BackupDir, Log: log})
	scope := "recovery"
	if err != nil {
		a.problem = err
		log.Error("database could not be opened; starting in recovery mode", "err", err)
	} else {
		a.db = gdb
		log.Info("database ready", "schema_version", rep.SchemaVersion, "applied", rep.Applied)
		if scope, err = store.NewSettings(gdb, time.Now).InstallID(ctx); err != nil {
			a.close()
			return nil, fmt.Errorf("read installation id: %w", err)
		}
	}
	keyring := secrets.New(secrets.OSKeyring{}, scope, secrets.DefaultTimeout)
	a.settings = service.NewSettings(cfg, a.db, keyring, started, time.Now)
	a.recovery = service.NewRecovery(cfg, a.problem, a.requestRelaunch, time.Now)
	if a.db != nil {
		if err := a.compose(keyring); err != nil {
			a.close()
			return nil, err
		}
	}
	return a, nil
}

// networks is the list of networks this build supports.
func networks() *network.Registry {
	return network.NewRegistry(
		mastodon.New(mastodon.Options{}),
		bluesky.New(bluesky.Options{}),
	)
}

// compose builds the channel services and the background jobs over an
// open database.
func (a *App) compose(keyring *secrets.Store) error {
	now := time.Now
	reg := networks()
	channels := store.NewChannels(a.db, now)
	timeline := store.NewHealth(a.db, now)
	audit := store.NewAudit(a.db, now)
	teams := store.NewTeams(a.db, now)
	settings := store.NewSettings(a.db, now)
	creds := credentials.New(keyring, reg, channels, now, a.log)
	a.notifier = notify.NewSystem(a.log)
	emitter := &a.emitter
	monitor := health.New(health.Deps{
		Channels: channels, Timeline: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Notifier: a.notifier, Emitter: emitter, ReminderDays: settings.ReminderDays, Now: now, Log: a.log,
		OnReconnect: a.openReconnect,
	})
	a.connect = connect.New(connect.Deps{
		DB: a.db, Channels: channels, Health: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Opener: oauth.SystemOpener{}, Emitter: emitter, Now: now, Log: a.log,
	})
	a.channels = service.NewChannels(service.ChannelsDeps{
		DB: a.db, Channels: channels, Teams: teams, Timeline: timeline, Audit: audit, Networks: reg,
		Connect: a.connect, Health: monitor, ReminderDays: settings.ReminderDays, Emitter: emitter, Now: now,
	})
	a.teams = service.NewTeams(a.db, teams, audit, emitter)

	sched, err := scheduler.New(a.log, clockwork.NewRealClock())
	if err != nil {
		return err
	}
	jobs := []struct {
		name            string
		interval, delay time.Duration
		fn              func(context.Context)
	}{
		{"channel-health", a.cfg.HealthInterval, time.Minute, monitor.CheckAll},
		{"token-refresh", 5 * time.Minute, 20 * time.Second, func(ctx context.Context) { monitor.RefreshDue(ctx, credentials.RefreshAhead) }},
		{"reauth-reminders", 6 * time.Hour, 2 * time.Minute, monitor.Remind},
	}
	if a.cfg.HealthInterval < time.Minute {
		jobs[0].delay = a.cfg.HealthInterval
	}
	for _, j := range jobs {
		if err := sched.Every(j.name, j.interval, j.delay, j.fn); err != nil {
			return err
		}
	}
	a.sched = sched
	return nil
}

// newBindingsApp builds the services with no dependencies; `wails
// generate` only reflects on their methods.
func newBindingsApp() *App {
	return &App{
		log:      slog.New(slog.DiscardHandler),
		settings: &service.Settings{},
		recovery: &service.Recovery{},
		channels: &service.Channels{},
		teams:    &service.Teams{},
	}
}

// bindings lists every bound service. In recovery mode only the services
// that work without a database are bound; the UI shows the recovery screen.
func (a *App) bindings() []any {
	if a.channels == nil {
		return []any{a.settings, a.recovery}
	}
	return []any{a.settings, a.recovery, a.channels, a.teams}
}

func (a *App) startup(ctx context.Context) {
	a.wailsCtx = ctx
	a.emitter.Attach(ctx)
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	if a.lock != nil {
		a.lock.Listen(bg, a.log, a.showWindow)
	}
	if a.sched != nil {
		a.sched.Start()
	}
}

func (a *App) domReady(context.Context) {
	a.log.Info("window ready")
}

func (a *App) shutdown(context.Context) {
	a.log.Info("herald shutting down")
	if a.sched != nil {
		if err := a.sched.Stop(); err != nil {
			a.log.Error("stop background jobs", "err", err)
		}
	}
	if a.connect != nil {
		a.connect.Close()
	}
	a.emitter.Detach()
	if a.stop != nil {
		a.stop()
	}
}

// Navigate is the payload of events.Navigate.
type Navigate struct {
	Path string `json:"path"`
}

// openReconnect answers a click on a notification's Reconnect button.
func (a *App) openReconnect(channelID int64) {
	a.showWindow()
	a.emitter.Emit(events.Navigate, Navigate{Path: fmt.Sprintf("/channels?reconnect=%d", channelID)})
}

func (a *App) showWindow() {
	if a.wailsCtx == nil {
		return
	}
	runtime.WindowUnminimise(a.wailsCtx)
	runtime.WindowShow(a.wailsCtx)
}

// requestRelaunch quits and starts Herald again (after a restore).
func (a *App) requestRelaunch() {
	a.relaunch.Store(true)
	if a.wailsCtx != nil {
		go func() {
			time.Sleep(500 * time.Millisecond) // let the UI show the result
			runtime.Quit(a.wailsCtx)
		}()
	}
}

func (a *App) relaunchRequested() bool { return a.relaunch.Load() }

// close releases files in reverse order of boot.
func (a *App) close() {
	if c, ok := a.notifier.(interface{ Close() error }); ok {
		_ = c.Close()
	}
	if a.db != nil {
		if err := db.Close(a.db); err != nil {
			a.log.Error("close database", "err", err)
		}
	}
	if a.lock != nil {
		_ = a.lock.Release()
	}
	if a.logFile != nil {
		a.log.Info("herald stopped")
		_ = a.logFile.Close()
	}
}

func relaunch(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	// The new process outlives this one: it must not be tied to a context.
	cmd := exec.CommandContext(context.Background(), exe, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Start()
}

// wailsLogger sends Wails' own log lines to Herald's log file.
func (a *App) wailsLogger() logger.Logger { return wailsLog{a.log.With("component", "wails")} }

type wailsLog struct{ l *slog.Logger }

func (w wailsLog) Print(m string)   { w.l.Info(m) }
func (w wailsLog) Trace(m string)   { w.l.Debug(m) }
func (w wailsLog) Debug(m string)   { w.l.Debug(m) }
func (w wailsLog) Info(m string)    { w.l.Info(m) }
func (w wailsLog) Warning(m string) { w.l.Warn(m) }
func (w wailsLog) Error(m string)   { w.l.Error(m) }
func (w wailsLog) Fatal(m string)   { w.l.Error(m); os.Exit(1) }
