package events

import (
	"context"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Wails emits through the Wails runtime. It needs the context Wails hands
// to OnStartup (any other context makes the runtime abort the process), so
// events emitted before Attach are dropped rather than risked.
type Wails struct {
	ctx atomic.Pointer[context.Context]
}

// Attach gives the adapter the Wails lifecycle context.
func (w *Wails) Attach(ctx context.Context) { w.ctx.Store(&ctx) }

// Detach stops emitting, at shutdown.
func (w *Wails) Detach() { w.ctx.Store(nil) }

func (w *Wails) Emit(name string, payload any) {
	if p := w.ctx.Load(); p != nil {
		runtime.EventsEmit(*p, name, payload)
	}
}
