package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"gorm.io/gorm"

	"herald/backend/autostart"
	"herald/backend/config"
	"herald/backend/connect"
	"herald/backend/credentials"
	"herald/backend/db"
	"herald/backend/events"
	"herald/backend/health"
	"herald/backend/inbox"
	"herald/backend/instance"
	"herald/backend/logging"
	"herald/backend/measure"
	"herald/backend/media"
	"herald/backend/network"
	"herald/backend/network/bluesky"
	"herald/backend/network/mastodon"
	"herald/backend/notify"
	"herald/backend/oauth"
	"herald/backend/publish"
	"herald/backend/ratebudget"
	"herald/backend/scheduler"
	"herald/backend/secrets"
	"herald/backend/service"
	"herald/backend/shell"
	"herald/backend/store"
)

// mode is how this process runs.
type mode int

const (
	modeWindow   mode = iota // the desktop window (and tray)
	modeHeadless             // publishing without a window
	modeCLI                  // one command; never publishes, never takes the lock
)

// App composes the backend and owns its start-up and shutdown. The
// window, the tray and notification clicks are package shell's.
type App struct {
	mode        mode
	startHidden bool
	window      *shell.Window
	life        *shell.Lifecycle // how the window closes, quits and relaunches
	tray        *shell.Tray      // nil: no tray icon
	routes      *shell.Routes    // notification clicks, messages from other processes

	cfg     config.Config
	log     *slog.Logger
	logFile io.Closer
	lock    *instance.Lock
	db      *gorm.DB
	problem error // why the database is not open, if it is not

	emitter events.Wails
	stop    context.CancelFunc

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
	inbox      *service.Inbox
	measure    *service.Measure
	search     *service.Search
}

// boot does all start-up I/O before any window exists, so a bad data
// folder or a second copy is refused with a message and an exit code.
func boot(version, commit string, getenv config.Env, m mode) (*App, error) {
	started := time.Now()
	cfg, err := config.Resolve(version, getenv)
	if err != nil {
		return nil, err
	}
	cfg.Commit = commit
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	log, logFile, err := logging.Open(cfg.LogDir, slog.LevelInfo)
	if err != nil {
		return nil, &config.DirError{Role: "log", Path: cfg.LogDir, Err: err}
	}
	a := &App{mode: m, cfg: cfg, log: log, logFile: logFile, window: &shell.Window{}}
	a.routes = shell.NewRoutes(a.window, &a.emitter, func() {
		if a.engine != nil {
			a.engine.Wake()
		}
	})
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
		log.Info("herald starting", "version", version, "commit", commit, "data_dir", cfg.DataDir, "portable", cfg.Portable, "mode", m)
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
	if a.db != nil {
		if err := a.compose(keyring); err != nil {
			a.close()
			return nil, err
		}
	}
	a.setupShell()
	a.recovery = service.NewRecovery(cfg, a.problem, a.life.RequestRelaunch, time.Now)
	return a, nil
}

// setupShell decides, before the window exists, whether Herald can live in
// the tray: then closing the window hides it and publishing goes on.
func (a *App) setupShell() {
	var pub shell.Publishing
	var inbox shell.Inbox // an interface holding a nil *service.Inbox would not be nil
	inTray := false
	if a.publishing != nil {
		pub = a.publishing
		inTray = a.mode == modeWindow && shell.ProbeTray(a.log, os.Getenv)
	}
	if a.inbox != nil {
		inbox = a.inbox
	}
	a.life = shell.NewLifecycle(a.window, pub, inTray)
	if inTray {
		a.tray = shell.NewTray(a.log, icon, a.window, pub, inbox, a.routes, a.life)
	}
}

// networks is the list of networks this build supports; every request
// they make for a channel spends from its budget (budgets may be nil).
func networks(budgets *ratebudget.Budgets) *network.Registry {
	client := func() ratebudget.Doer { return &http.Client{Timeout: 30 * time.Second} }
	return network.NewRegistry(
		mastodon.New(mastodon.Options{HTTP: budgets.Doer(ratebudget.Mastodon(), client())}),
		bluesky.New(bluesky.Options{HTTP: budgets.Doer(ratebudget.Bluesky(), client())}),
	)
}

// compose builds the channel services and the background jobs over an
// open database.
func (a *App) compose(keyring *secrets.Store) error {
	now := time.Now
	budgets, err := ratebudget.New(context.Background(), ratebudget.Options{
		Store: store.NewRateBudgets(a.db, now), Clock: clockwork.NewRealClock(), Log: a.log,
	})
	if err != nil {
		return err
	}
	reg := networks(budgets)
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
	targets := store.NewTargets(a.db, now)
	// A reconnect and a health check that finds a channel working again
	// resume its waiting posts the same way; the engine exists only later.
	var resume func(context.Context, int64)
	monitor := health.New(health.Deps{
		Channels: channels, Timeline: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Notifier: a.notifier, Emitter: emitter, ReminderDays: settings.ReminderDays, Now: now, Log: a.log,
		OnReconnect: a.routes.OpenReconnect, Resume: func(ctx context.Context, id int64) { resume(ctx, id) },
	})
	a.engine = publish.New(publish.Deps{
		DB: a.db, Channels: channels, Credentials: creds, Networks: reg, Health: monitor, Notifier: a.notifier,
		Emitter: emitter, Clock: clockwork.NewRealClock(), Log: a.log, MediaDir: a.cfg.MediaDir, OnOpenPost: a.routes.OpenPost, OnOpenInbox: a.routes.OpenInbox,
	})
	if a.mode != modeCLI {
		// Only the process holding the lock may touch in-flight targets.
		if err := a.engine.Recover(context.Background()); err != nil {
			return err
		}
	}
	a.engine.SetPaused(service.LoadPaused(context.Background(), a.db, now))
	resume = service.ResumeWaiting(targets, a.engine, now, a.log)
	a.connect = connect.New(connect.Deps{
		DB: a.db, Channels: channels, Health: timeline, Audit: audit, Credentials: creds, Networks: reg,
		Opener: oauth.SystemOpener{}, Emitter: emitter, Now: now, Log: a.log, Reauthorized: resume,
	})
	a.posts = service.NewPosts(service.PostsDeps{DB: a.db, Networks: reg, Engine: a.engine, Media: media.NewLibrary(a.cfg.MediaDir), Emitter: emitter, Now: now})
	a.publishing = service.NewPublishing(a.db, a.engine, emitter, now)
	var chooser service.FileChooser
	if a.mode == modeWindow {
		chooser = a.window
	}
	a.audit = service.NewAudit(a.db, chooser, now)
	a.channels = service.NewChannels(service.ChannelsDeps{
		DB: a.db, Channels: channels, Teams: teams, Timeline: timeline, Audit: audit, Networks: reg,
		Connect: a.connect, Health: monitor, ReminderDays: settings.ReminderDays, Emitter: emitter, Now: now,
	})
	a.teams = service.NewTeams(a.db, teams, audit, emitter)
	inboxStore := store.NewInbox(a.db, now)
	syncer := inbox.New(inbox.Deps{
		Store: inboxStore, Channels: channels, Credentials: creds, Health: monitor, RateLimits: store.NewRateLimits(a.db, now),
		Networks: reg, Notifier: a.notifier, Emitter: emitter, Paused: a.engine.Paused, Now: now, Log: a.log,
		OnOpen: a.routes.OpenInbox,
	})
	a.inbox = service.NewInbox(service.InboxDeps{
		DB: a.db, Inbox: inboxStore, Channels: channels, Audit: audit, Sync: syncer, Credentials: creds, Networks: reg, Emitter: emitter,
		Replies: a.posts,
	})
	metrics := store.NewMetrics(a.db, now, measure.EngagementKeys(reg)...)
	measurer := measure.New(measure.Deps{
		Store: metrics, Channels: channels, Credentials: creds, Health: monitor, RateLimits: store.NewRateLimits(a.db, now),
		Networks: reg, Emitter: emitter, Paused: a.engine.Paused, Now: now, Log: a.log,
	})
	a.measure = service.NewMeasure(service.MeasureDeps{
		DB: a.db, Metrics: metrics, Channels: channels, Audit: audit, Sync: measurer, Networks: reg, Emitter: emitter, Chooser: chooser, Now: now,
	})
	a.search = service.NewSearch(service.SearchDeps{Channels: channels, Credentials: creds, Networks: reg, Health: monitor, Now: now})

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
		// Each channel has its own pace (inbox_sync.next_run_at); the tick
		// only reads the channels that are due.
		{"inbox-sync", 30 * time.Second, 40 * time.Second, syncer.Tick},
		// Metrics: each channel's stages have their own due times
		// (metric_sync, content_items.next_poll_at); the tick reads only
		// what is due, after the inbox.
		{"metrics", time.Minute, 90 * time.Second, measurer.Tick},
		// Dashboards written as PDFs into a folder each week or month
		// (dashboards.report_next_at); the window is not needed.
		{"measure-reports", 10 * time.Minute, 2 * time.Minute, func(ctx context.Context) {
			if err := service.RunDueReports(ctx, a.measure); err != nil {
				a.log.Warn("dashboard reports", "err", err)
			}
		}},
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
	w := &shell.Window{}
	return &App{
		log:        slog.New(slog.DiscardHandler),
		window:     w,
		life:       shell.NewLifecycle(w, nil, false),
		settings:   &service.Settings{},
		recovery:   &service.Recovery{},
		channels:   &service.Channels{},
		teams:      &service.Teams{},
		posts:      &service.Posts{},
		publishing: &service.Publishing{},
		audit:      &service.Audit{},
		inbox:      &service.Inbox{},
		measure:    &service.Measure{},
		search:     &service.Search{},
	}
}

// bindings lists every bound service. In recovery mode only the services
// that work without a database are bound; the UI shows the recovery screen.
func (a *App) bindings() []any {
	if a.channels == nil {
		return []any{a.settings, a.recovery}
	}
	return []any{a.settings, a.recovery, a.channels, a.teams, a.posts, a.publishing, a.audit, a.inbox, a.measure, a.search}
}

func (a *App) startup(ctx context.Context) {
	a.window.Attach(shell.WailsUI(ctx))
	a.emitter.Attach(ctx)
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	if a.lock != nil {
		a.lock.Listen(bg, a.log, a.routes.OnMessage)
	}
	a.tray.Start(&a.emitter) // no-op without a tray
	a.startBackground(bg)
}

func (a *App) beforeClose(context.Context) bool { return a.life.BeforeClose() }

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

func (a *App) domReady(context.Context) {
	a.log.Info("window ready")
	a.life.WindowReady(a.startHidden)
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
	a.tray.Stop()
	a.emitter.Detach()
	if a.stop != nil {
		a.stop()
	}
	a.wg.Wait()
}

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
