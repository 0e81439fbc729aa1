package shell

import (
	"fmt"

	"herald/backend/events"
	"herald/backend/instance"
)

// Navigate is the payload of events.Navigate: the page the UI opens.
type Navigate struct {
	Path string `json:"path"`
}

// Routes holds where a notification's button or a message from another
// Herald process leads: the window to bring forward, the emitter that
// tells the UI which page to open, and how to wake the publisher.
type Routes struct {
	window  *Window
	emitter events.Emitter
	wake    func() // nil: nothing to wake (recovery mode)
}

// NewRoutes builds the routes. wake may be nil.
func NewRoutes(w *Window, e events.Emitter, wake func()) *Routes {
	return &Routes{window: w, emitter: e, wake: wake}
}

// OpenPost answers a click on a post notification's Open button.
func (r *Routes) OpenPost(postID int64) {
	r.window.Show()
	r.emitter.Emit(events.Navigate, Navigate{Path: fmt.Sprintf("/posts/%d", postID)})
}

// OpenReconnect answers a click on a notification's Reconnect button.
func (r *Routes) OpenReconnect(channelID int64) {
	r.window.Show()
	r.emitter.Emit(events.Navigate, Navigate{Path: fmt.Sprintf("/channels?reconnect=%d", channelID)})
}

// OpenInbox answers a click on an inbox notification's Open button: the
// item's conversation, or the inbox for a summary (itemID 0).
func (r *Routes) OpenInbox(itemID int64) {
	r.window.Show()
	path := "/inbox"
	if itemID > 0 {
		path = fmt.Sprintf("/inbox?item=%d", itemID)
	}
	r.emitter.Emit(events.Navigate, Navigate{Path: path})
}

// OnMessage answers a later process: a second launch, or the command line
// after scheduling a post.
func (r *Routes) OnMessage(msg string) {
	switch msg {
	case instance.MsgShow:
		r.window.Show()
	case instance.MsgWake:
		if r.wake != nil {
			r.wake()
		}
		r.emitter.Emit(events.PostsChanged, nil)
	}
}
