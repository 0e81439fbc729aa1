// Package notify raises desktop notifications. On Linux it speaks the
// freedesktop Notifications D-Bus interface directly (with action buttons);
// elsewhere it reports that OS notifications are not available and Herald
// relies on its in-app badges.
package notify

import "context"

// Action is a button on a notification.
type Action struct {
	ID    string
	Label string
}

// Notification is one desktop notification.
type Notification struct {
	Title   string
	Body    string
	Actions []Action
	// OnAction runs when the user clicks an action button.
	OnAction func(actionID string)
	// Urgent notifications stay until dismissed.
	Urgent bool
}

// Notifier raises notifications.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// Discard drops notifications (headless tools, tests).
type Discard struct{}

func (Discard) Notify(context.Context, Notification) error { return nil }
