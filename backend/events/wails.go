package events

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Wails emits through the Wails runtime. It needs the context Wails hands
// to OnStartup (any other context makes the runtime abort the process), so
// events emitted before Attach are dropped rather than risked.
type Wails struct {
	ctx atomic.Pointer[context.Context]

	mu    sync.Mutex
	local map[string][]func()
}

// Also runs fn (in its own goroutine) whenever an event named name is
// emitted: backend parts outside the window (the tray) follow changes.
func (w *Wails) Also(name string, fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.local == nil {
		w.local = map[string][]func(){}
	}
	w.local[name] = append(w.local[name], fn)
}

// Attach gives the adapter the Wails lifecycle context.
func (w *Wails) Attach(ctx context.Context) { w.ctx.Store(&ctx) }

// Detach stops emitting, at shutdown.
func (w *Wails) Detach() { w.ctx.Store(nil) }

func (w *Wails) Emit(name string, payload any) {
	if p := w.ctx.Load(); p != nil {
		runtime.EventsEmit(*p, name, payload)
	}
	w.mu.Lock()
	fns := w.local[name]
	w.mu.Unlock()
	for _, fn := range fns {
		go fn()
	}
}
