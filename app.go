package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/runtime"
	"gorm.io/gorm"

	"herald/backend/autostart"
	"herald/backend/config"
	"herald/backend/connect"
	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/health"
	"herald/backend/instance"
	"herald/backend/logging"
	"herald/backend/media"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/mastodon"
	"herald/backend/notify"
	"herald/backend/oauth"
	"herald/backend/publish"
	"herald/backend/scheduler"
	"herald/backend/secrets"
	"herald/backend/service"
	"herald/backend/store"
	"herald/backend/tray"
)

// mode is how this process runs.
type mode int

const (
	modeWindow   mode = iota // the desktop window (and tray)
	modeHeadless             // publishing without a window
	modeCLI                  // one command; never publishes, never takes the lock
)

// App composes the backend and owns its lifecycle. It is the only place,
// with package events, that talks to the Wails runtime.
type App struct {
	mode        mode
	startHidden bool
	trayOK      bool
	tray        *tray.Tray
	quitting    atomic.Bool

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
	engine   *publish.Engine

	wg sync.WaitGroup // background loops owned by the app

	settings   *service.Settings
	recovery   *service.Recovery
	channels   *service.Channels
	teams      *service.Teams
	posts      *service.Posts
	publishing *service.Publishing
	audit      *service.Audit
}

// boot does all start-up I/O before any window exists, so a bad data
// folder or a second copy is refused with a message and an exit code.
func boot(version string, getenv config.Env, m mode) (*App, error) {
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
	a := &App{mode: m, cfg: cfg, log: log, logFile: logFile}
	if m != modeCLI {
		lock, err := instance.Acquire(cfg.DataDir)
		if err != nil {
			if errors.Is(err, instance.ErrRunning) {
				log.Info("second launch handed over to the running instance")
				_ = instance.AskToShow(context.Background(), cfg.DataDir)
			}
			_ = logFile.Close()
			return nil, err
		}
		a.lock = lock
		log.Info("herald starting", "version", version, "data_dir", cfg.DataDir, "portable", cfg.Portable, "mode", m)
	}

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
	if exe, err := os.Executable(); err == nil {
		entry := autostart.Entry{Exe: exe}
		if cfg.Portable {
			entry.DataDir = cfg.DataDir
		}
		a.settings.UseLoginItem(entry)
	}
	a.recovery = service.NewRecovery(cfg, a.problem, a.requestRelaunch, time.Now)
	if a.db != nil {
		if err := a.compose(keyring); err != nil {
			a.close()
			return nil, err
		}
		if m == modeWindow {
			a.setupTray()
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
	a.notifier = notify.Discard{}
	if a.mode != modeCLI {
		a.notifier = notify.NewSystem(a.log)
	}
	emitter := &a.emitter
	monitor := health.New(health.Deps{
		Channels: channels, Timeline: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Notifier: a.notifier, Emitter: emitter, ReminderDays: settings.ReminderDays, Now: now, Log: a.log,
		OnReconnect: a.openReconnect,
	})
	a.engine = publish.New(publish.Deps{
		DB: a.db, Channels: channels, Credentials: creds, Networks: reg, Health: monitor, Notifier: a.notifier,
		Emitter: emitter, Clock: clockwork.NewRealClock(), Log: a.log, MediaDir: a.cfg.MediaDir, OnOpenPost: a.openPost,
	})
	if a.mode != modeCLI {
		// Only the process holding the lock may touch in-flight targets.
		if err := a.engine.Recover(context.Background()); err != nil {
			return err
		}
	}
	a.engine.SetPaused(service.LoadPaused(context.Background(), a.db, now))
	targets := store.NewTargets(a.db, now)
	a.connect = connect.New(connect.Deps{
		DB: a.db, Channels: channels, Health: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Opener: oauth.SystemOpener{}, Emitter: emitter, Now: now, Log: a.log,
		Reauthorized: func(ctx context.Context, channelID int64) {
			if ids, err := targets.Unblock(ctx, channelID, now()); err != nil {
				a.log.Error("resume posts waiting for a reconnect", "channel_id", channelID, "err", err)
			} else if len(ids) > 0 {
				a.log.Info("posts waiting for a reconnect resume", "channel_id", channelID, "posts", len(ids))
				a.engine.Wake()
			}
		},
	})
	a.posts = service.NewPosts(service.PostsDeps{DB: a.db, Networks: reg, Engine: a.engine, Media: media.NewLibrary(a.cfg.MediaDir), Emitter: emitter, Now: now})
	a.publishing = service.NewPublishing(a.db, a.engine, emitter, now)
	var chooser service.FileChooser
	if a.mode == modeWindow {
		chooser = saveDialog{a}
	}
	a.audit = service.NewAudit(a.db, chooser, now)
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
		{"publish-sweep", 30 * time.Second, 30 * time.Second, func(context.Context) { a.engine.Wake() }},
		{"handoff", time.Minute, 10 * time.Second, a.engine.HandOff},
		{"handoff-check", 2 * time.Minute, 30 * time.Second, a.engine.CheckHandoffs},
		{"read-back", time.Minute, 45 * time.Second, a.engine.Verify},
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
		log:        slog.New(slog.DiscardHandler),
		settings:   &service.Settings{},
		recovery:   &service.Recovery{},
		channels:   &service.Channels{},
		teams:      &service.Teams{},
		posts:      &service.Posts{},
		publishing: &service.Publishing{},
		audit:      &service.Audit{},
	}
}

// bindings lists every bound service. In recovery mode only the services
// that work without a database are bound; the UI shows the recovery screen.
func (a *App) bindings() []any {
	if a.channels == nil {
		return []any{a.settings, a.recovery}
	}
	return []any{a.settings, a.recovery, a.channels, a.teams, a.posts, a.publishing, a.audit}
}

func (a *App) startup(ctx context.Context) {
	a.wailsCtx = ctx
	a.emitter.Attach(ctx)
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	if a.lock != nil {
		a.lock.Listen(bg, a.log, a.onMessage)
	}
	if a.trayOK && a.publishing != nil {
		a.tray.Start()
		a.emitter.Also(events.PauseChanged, func() { a.tray.Refresh() })
		a.emitter.Also(events.PostsChanged, func() { a.tray.Refresh() })
	}
	a.startBackground(bg)
}

// onMessage answers a later process: a second launch, or the command line
// after scheduling a post.
func (a *App) onMessage(msg string) {
	switch msg {
	case instance.MsgShow:
		a.showWindow()
	case instance.MsgWake:
		if a.engine != nil {
			a.engine.Wake()
		}
		a.emitter.Emit(events.PostsChanged, nil)
	}
}

// setupTray decides, before the window exists, whether Herald can live in
// the tray: then closing the window hides it and publishing goes on.
func (a *App) setupTray() {
	if a.publishing == nil {
		return
	}
	ok, why := tray.Probe(os.Getenv)
	if !ok {
		a.log.Info("no system tray; closing the window quits Herald", "why", why)
		return
	}
	a.trayOK = true
	a.tray = tray.New(a.log, icon, tray.Actions{
		Open: a.showWindow,
		SetPaused: func(p bool) error {
			_, err := a.publishing.SetPaused(p)
			return err
		},
		Quit: func() {
			a.quitting.Store(true)
			if a.wailsCtx != nil {
				runtime.Quit(a.wailsCtx)
			}
		},
		Status: a.trayStatus,
	})
}

func (a *App) trayStatus() (bool, string) {
	st, err := a.publishing.Status()
	if err != nil || st.NextDueAt == "" {
		return st.Paused, ""
	}
	at, err := time.Parse(time.RFC3339, st.NextDueAt)
	if err != nil {
		return st.Paused, ""
	}
	title := st.NextTitle
	if r := []rune(title); len(r) > 30 {
		title = string(r[:30]) + "…"
	}
	return st.Paused, fmt.Sprintf("Next: “%s” at %s", title, at.Local().Format("Mon 15:04"))
}

// beforeClose runs on quit (tray, signal) and, without a tray, when the
// window is closed: then closing stops publishing, so Herald asks first.
func (a *App) beforeClose(ctx context.Context) bool {
	if a.trayOK || a.quitting.Load() || a.publishing == nil {
		return false
	}
	st, err := a.publishing.Status()
	if err != nil || st.Scheduled == 0 || st.Paused {
		return false
	}
	answer, err := runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
		Type:          runtime.QuestionDialog,
		Title:         "Quit Herald?",
		Message:       fmt.Sprintf("%d scheduled post(s) will not be published while Herald is closed. They follow their missed-time setting when Herald starts again.", st.Scheduled),
		Buttons:       []string{"Quit", "Keep running"},
		DefaultButton: "Keep running",
	})
	return err == nil && answer != "Quit" && answer != "Yes"
}

// startBackground starts the scheduler and the publishing loop; they stop
// when ctx ends (shutdown), and stopBackground waits for them.
func (a *App) startBackground(ctx context.Context) {
	if a.sched != nil {
		a.sched.Start()
	}
	if a.engine != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.engine.Run(ctx)
		}()
	}
}

func (a *App) domReady(ctx context.Context) {
	a.log.Info("window ready")
	if a.startHidden && a.trayOK {
		runtime.WindowHide(ctx)
	}
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
	if a.tray != nil {
		a.tray.Stop()
	}
	a.emitter.Detach()
	if a.stop != nil {
		a.stop()
	}
	a.wg.Wait()
}

// openPost answers a click on a post notification's Open button.
func (a *App) openPost(postID int64) {
	a.showWindow()
	a.emitter.Emit(events.Navigate, Navigate{Path: fmt.Sprintf("/posts/%d", postID)})
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

// saveDialog is the window's save-file dialog (the Wails runtime stays here).
type saveDialog struct{ a *App }

func (d saveDialog) SaveFile(title, defaultName string) (string, error) {
	if d.a.wailsCtx == nil {
		return "", errors.New("no window to show a dialog in")
	}
	return runtime.SaveFileDialog(d.a.wailsCtx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}}})
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
