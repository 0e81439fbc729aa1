// Package events carries notifications from the backend to the window.
// Everything but the Wails adapter depends only on the Emitter interface,
// so the backend runs and tests without a window.
package events

import "sync"

// Event names, namespaced topic:verb.
const (
	ChannelsChanged = "channels:changed"
	ChannelHealth   = "channels:health"
	PostsChanged    = "posts:changed"
	InboxChanged    = "inbox:changed"
	MetricsChanged  = "metrics:changed"
	PublishResult   = "publish:result"
	PauseChanged    = "publish:pause"
	OAuthProgress   = "oauth:progress"
	AuditAppended   = "audit:appended"
	Notice          = "app:notice"
	Navigate        = "app:navigate"
)

// Emitter sends one event with a JSON-serialisable payload to the UI.
type Emitter interface {
	Emit(name string, payload any)
}

// Discard drops every event (headless mode, tools).
type Discard struct{}

func (Discard) Emit(string, any) {}

// Catcher records events for tests.
type Catcher struct {
	mu     sync.Mutex
	events []Caught
}

// Caught is one recorded event.
type Caught struct {
	Name    string
	Payload any
}

func (c *Catcher) Emit(name string, payload any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, Caught{Name: name, Payload: payload})
}

// Named returns the recorded events with the given name, in order.
func (c *Catcher) Named(name string) []Caught {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Caught
	for _, e := range c.events {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// Fanout sends every event to each of its emitters.
type Fanout []Emitter

func (f Fanout) Emit(name string, payload any) {
	for _, e := range f {
		e.Emit(name, payload)
	}
}
