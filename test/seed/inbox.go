package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
	"herald/backend/network"
	"herald/backend/store"
)

// InboxOptions say what inbox to make.
type InboxOptions struct {
	// Channels receive the items, spread evenly.
	Channels []int64
	// Items in all.
	Items int
	// Unread is the share of each channel's items that arrive after its
	// first sync (new, unread); the rest are the backlog that sync found
	// (stored read).
	Unread float64
	// Items are created over [Now-Span, Now), oldest first.
	Span time.Duration
	Now  time.Time
	Seed uint64
}

// inboxPage is how many items go into one stored page, as a sync would
// store a network's page.
const inboxPage = 500

var inboxWords = strings.Fields(`thanks order shipping parcel refund price discount question love great help when where
	how size colour return store open hours delivery late broken account login password sale new product review
	photo video link event ticket today tomorrow weekend morning evening please again still waiting reply answer`)

// Inbox gives channels an inbox through store.Inbox.StorePage, page by
// page as the sync stores them (the search index filled by the same
// triggers): mentions, replies, quotes and direct messages from a crowd of
// authors, some right-to-left text and a few long messages; each channel's
// first new item has a label and a note.
func Inbox(ctx context.Context, db *gorm.DB, o InboxOptions) error {
	if len(o.Channels) == 0 || o.Items <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed+2))
	now := o.Now.UTC()
	inbox := store.NewInbox(db, func() time.Time { return now })
	kinds := []model.InboxKind{model.InboxKind(network.InboxReply), model.InboxKind(network.InboxMention),
		model.InboxKind(network.InboxQuote), model.InboxKind(network.InboxMessage)}
	authors := max(7, o.Items/100)
	long := strings.Repeat("A long message that goes on. ", 80)
	for ci, ch := range o.Channels {
		n := o.Items / len(o.Channels)
		if ci < o.Items%len(o.Channels) {
			n++
		}
		backlog := n - int(float64(n)*o.Unread)
		post := fmt.Sprintf("seed-post-%d", ch)
		item := func(j int) store.Incoming {
			kind := kinds[j%len(kinds)]
			a := rng.IntN(authors)
			var text string
			switch {
			case j%100 == 5:
				text = long
			case j%40 == 2:
				text = "هل يوجد توصيل إلى الرياض؟"
			default:
				words := make([]string, 6+rng.IntN(15))
				for w := range words {
					// Low ranks far more often than high ones, as in real text.
					words[w] = inboxWords[int(float64(len(inboxWords))*rng.Float64()*rng.Float64())]
				}
				text = strings.Join(words, " ")
			}
			in := store.Incoming{
				RemoteID: fmt.Sprintf("seed-%d-%d", ch, j), Kind: kind,
				AuthorRemoteID: fmt.Sprintf("author-%d", a), AuthorHandle: fmt.Sprintf("@fan%d@seed.invalid", a), AuthorName: fmt.Sprintf("Fan %d", a),
				Text: text, URL: fmt.Sprintf("https://seed.invalid/@fan%d/%d-%d", a, ch, j),
				CreatedAt: now.Add(-o.Span + time.Duration(j+1)*o.Span/time.Duration(n+1)).Truncate(time.Millisecond),
			}
			if kind != model.InboxKind(network.InboxMessage) {
				in.ParentRemoteID, in.RootRemoteID = post, post
			} else {
				in.ConversationID = fmt.Sprintf("conv-%d-%d", ch, a%7)
			}
			return in
		}
		// The backlog, then what arrived after the first sync; the last
		// backlog page ends the first sync.
		var firstNew int64
		for from := 0; from < n; {
			end := min(from+inboxPage, n)
			if from < backlog {
				end = min(end, backlog)
			}
			items := make([]store.Incoming, 0, end-from)
			for j := from; j < end; j++ {
				items = append(items, item(j))
			}
			res, err := inbox.StorePage(ctx, ch, store.IngestPage{Items: items,
				Cursors: map[string]string{"notifications": fmt.Sprint(end)}, Last: end >= backlog})
			if err != nil {
				return fmt.Errorf("seed channel %d's inbox: %w", ch, err)
			}
			if firstNew == 0 && from >= backlog && len(res.New) > 0 {
				firstNew = res.New[0].ID
			}
			from = end
		}
		if firstNew != 0 {
			if _, err := inbox.AddLabel(ctx, firstNew, "question"); err != nil {
				return fmt.Errorf("seed a label: %w", err)
			}
			if _, err := inbox.SetNote(ctx, firstNew, "Ask the shop about Sunday hours."); err != nil {
				return fmt.Errorf("seed a note: %w", err)
			}
		}
	}
	return nil
}
