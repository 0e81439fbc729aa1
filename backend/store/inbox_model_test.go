package store

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"herald/backend/db"
	"herald/backend/model"
)

// refItem is what the inbox must hold for one (channel, remote id).
type refItem struct {
	text    string
	edited  time.Time
	deleted bool
	status  model.InboxStatus
	read    bool
	labels  map[string]bool
	note    string
	team    int64
	backlog bool
}

// inboxModel is the reference the database is compared with.
type inboxModel struct {
	items map[int64]map[string]*refItem // channel → remote id → item
	// stored: the seq of the last page stored per channel; pages: the
	// remote ids of each stored page.
	stored map[int64]int
	pages  map[int64]map[int][]string
	// backlogDone per channel: a page with Last was stored.
	backlogDone map[int64]bool
}

// TestInboxModel drives the inbox with random sequences of ingested pages
// (repeats, overlaps, edits, deletions, pages that fail halfway), user
// actions and restarts of the database file, and after every step compares
// it with a plain in-memory model: one row per (channel, remote id), the
// user's state never lost by ingest, unread counts equal to a recount, and
// the stored cursor never ahead of the stored items.
func TestInboxModel(t *testing.T) {
	steps := 220
	if raceEnabled {
		steps = 80
	}
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("seed_%d", seed), func(t *testing.T) { runInboxModel(t, seed, steps) })
	}
}

func runInboxModel(t *testing.T, seed int64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	clock := t0
	now := func() time.Time { return clock }
	open := func() *gorm.DB {
		g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: filepath.Join(dir, "backups"), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g := open()
	t.Cleanup(func() { _ = db.Close(g) })
	chans := NewChannels(g, now)
	channelIDs := []int64{}
	for i := 0; i < 2; i++ {
		ch := model.Channel{Network: "mastodon", Instance: "https://m.example", RemoteID: strconv.Itoa(i), Handle: fmt.Sprintf("c%d", i)}
		if err := chans.Create(ctx, &ch); err != nil {
			t.Fatal(err)
		}
		channelIDs = append(channelIDs, ch.ID)
	}
	team, err := NewTeams(g, now).Create(ctx, "Brand")
	if err != nil {
		t.Fatal(err)
	}
	m := inboxModel{items: map[int64]map[string]*refItem{}, stored: map[int64]int{}, pages: map[int64]map[int][]string{}, backlogDone: map[int64]bool{}}
	for _, c := range channelIDs {
		m.items[c] = map[string]*refItem{}
		m.pages[c] = map[int][]string{}
	}
	seq := 0
	inbox := NewInbox(g, now)
	kinds := []model.InboxKind{model.InboxMention, model.InboxReply, model.InboxQuote, model.InboxMessage}

	for step := 0; step < steps; step++ {
		clock = clock.Add(time.Duration(1+rng.Intn(90)) * time.Second)
		c := channelIDs[rng.Intn(len(channelIDs))]
		op := rng.Intn(10)
		var what string
		switch {
		case op < 4: // ingest a page
			seq++
			n := rng.Intn(6)
			page := IngestPage{Cursors: map[string]string{"notifications": strconv.Itoa(seq)}, Last: rng.Intn(3) == 0}
			fail := rng.Intn(6) == 0
			var ids []string
			for j := 0; j < n; j++ {
				rid := "r" + strconv.Itoa(rng.Intn(25)) // a small pool: repeats and overlaps
				in := Incoming{RemoteID: rid, Kind: kinds[len(rid)%4], AuthorHandle: "@a" + rid, Text: "hello " + rid,
					CreatedAt: t0.Add(time.Duration(len(rid)*int(time.Minute)) + time.Duration(rng.Intn(1000))*time.Hour)}
				if ref := m.items[c][rid]; ref != nil {
					in.CreatedAt = time.Time{} // filled below from the stored row: the network's time does not change
				}
				switch rng.Intn(5) {
				case 0:
					in.EditedAt = clock.Add(-time.Duration(rng.Intn(600)) * time.Second)
					in.Text = fmt.Sprintf("edited %s at %d", rid, step)
				case 1:
					in.Deleted = true
				}
				if in.CreatedAt.IsZero() {
					var row model.InboxItem
					if err := g.Where("channel_id = ? AND remote_id = ?", c, rid).Take(&row).Error; err != nil {
						t.Fatalf("step %d: the model holds %s but the database does not: %v", step, rid, err)
					}
					in.CreatedAt = row.CreatedAt
				}
				page.Items = append(page.Items, in)
				ids = append(ids, rid)
			}
			if fail {
				// A page that breaks halfway (an item the schema refuses):
				// nothing of it, and not its cursor, may be stored.
				bad := Incoming{RemoteID: "bad", Kind: model.InboxMention, CreatedAt: t0}
				page.Items = append(page.Items[:len(page.Items)/2], append([]Incoming{bad}, page.Items[len(page.Items)/2:]...)...)
				if err := g.Exec(`CREATE TRIGGER IF NOT EXISTS refuse_bad BEFORE INSERT ON inbox_items WHEN new.remote_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`).Error; err != nil {
					t.Fatal(err)
				}
				if _, err := inbox.StorePage(ctx, c, page); err == nil {
					t.Fatalf("step %d: a page with a refused item was stored", step)
				}
				what = fmt.Sprintf("failed page %d on %d", seq, c)
				break
			}
			res, err := inbox.StorePage(ctx, c, page)
			if err != nil {
				t.Fatalf("step %d: store page: %v", step, err)
			}
			backlog := !m.backlogDone[c]
			newCount := 0
			for _, in := range page.Items {
				ref := m.items[c][in.RemoteID]
				switch {
				case ref == nil && in.Deleted:
					// never stored
				case ref == nil:
					m.items[c][in.RemoteID] = &refItem{text: in.Text, edited: in.EditedAt, status: model.InboxOpen, read: backlog, backlog: backlog, labels: map[string]bool{}}
					newCount++
				case ref.deleted:
				case in.Deleted:
					ref.deleted = true
				case !in.EditedAt.IsZero() && in.EditedAt.UTC().After(ref.edited.UTC()):
					ref.text, ref.edited = in.Text, in.EditedAt
				}
			}
			if len(res.New) != newCount {
				t.Fatalf("step %d: %d new rows reported, the model made %d", step, len(res.New), newCount)
			}
			for _, it := range res.New {
				if it.Backlog != backlog || (it.ReadAt != nil) != backlog {
					t.Fatalf("step %d: new item %s backlog=%v read=%v, want backlog %v", step, it.RemoteID, it.Backlog, it.ReadAt != nil, backlog)
				}
			}
			m.stored[c] = seq
			// Items first seen deleted have nothing to store.
			var stored []string
			for _, rid := range ids {
				if m.items[c][rid] != nil {
					stored = append(stored, rid)
				}
			}
			m.pages[c][seq] = stored
			if page.Last {
				m.backlogDone[c] = true
			}
			what = fmt.Sprintf("page %d on %d (%d items)", seq, c, len(ids))
		case op < 9: // a user action on a random stored item
			rid, ref := pickRef(rng, m.items[c])
			if ref == nil {
				continue
			}
			var id int64
			if err := g.Model(&model.InboxItem{}).Where("channel_id = ? AND remote_id = ?", c, rid).Pluck("id", &id).Error; err != nil {
				t.Fatal(err)
			}
			var err error
			switch rng.Intn(7) {
			case 0:
				_, err = inbox.MarkRead(ctx, id)
				ref.read = true
				what = "read " + rid
			case 1:
				_, err = inbox.MarkUnread(ctx, id)
				ref.read = false
				what = "unread " + rid
			case 2:
				st := []model.InboxStatus{model.InboxOpen, model.InboxDone, model.InboxArchived}[rng.Intn(3)]
				_, err = inbox.SetStatus(ctx, id, st)
				if st != model.InboxOpen && ref.status != st {
					ref.read = true
				}
				ref.status = st
				what = "status " + string(st) + " " + rid
			case 3:
				l := []string{"vip", "bug", "Sales"}[rng.Intn(3)]
				_, err = inbox.AddLabel(ctx, id, l)
				ref.labels[strings.ToLower(l)] = true
				what = "label " + l + " " + rid
			case 4:
				l := []string{"VIP", "bug", "sales"}[rng.Intn(3)]
				_, err = inbox.RemoveLabel(ctx, id, l)
				delete(ref.labels, strings.ToLower(l))
				what = "unlabel " + l + " " + rid
			case 5:
				ref.note = fmt.Sprintf("note %d", step)
				_, err = inbox.SetNote(ctx, id, ref.note)
				what = "note " + rid
			case 6:
				ref.team = []int64{0, team.ID}[rng.Intn(2)]
				_, err = inbox.Assign(ctx, id, ref.team)
				what = "assign " + rid
			}
			if err != nil {
				t.Fatalf("step %d: %s: %v", step, what, err)
			}
		default: // restart: close the file and open it again
			if err := db.Close(g); err != nil {
				t.Fatal(err)
			}
			g = open()
			inbox = NewInbox(g, now)
			what = "restart"
		}
		checkInbox(t, ctx, g, inbox, m, channelIDs, fmt.Sprintf("seed %d step %d (%s)", seed, step, what))
	}
	if err := g.Exec(`INSERT INTO inbox_fts (inbox_fts) VALUES ('integrity-check')`).Error; err != nil {
		t.Fatalf("the full-text index disagrees with the items: %v", err)
	}
}

func pickRef(rng *rand.Rand, items map[string]*refItem) (string, *refItem) {
	if len(items) == 0 {
		return "", nil
	}
	keys := make([]string, 0, len(items))
	for k := range items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	k := keys[rng.Intn(len(keys))]
	return k, items[k]
}

func checkInbox(t *testing.T, ctx context.Context, g *gorm.DB, inbox *Inbox, m inboxModel, channelIDs []int64, at string) {
	t.Helper()
	var dups int64
	if err := g.Raw(`SELECT count(*) FROM (SELECT 1 FROM inbox_items GROUP BY channel_id, remote_id HAVING count(*) > 1)`).Scan(&dups).Error; err != nil {
		t.Fatal(err)
	}
	if dups != 0 {
		t.Fatalf("%s: %d (channel, remote id) pairs stored more than once", at, dups)
	}
	wantUnread := map[int64]int64{}
	var wantTotal int64
	for _, c := range channelIDs {
		var rows []model.InboxItem
		if err := g.Where("channel_id = ?", c).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(m.items[c]) {
			t.Fatalf("%s: channel %d has %d rows, the model %d", at, c, len(rows), len(m.items[c]))
		}
		for _, row := range rows {
			ref := m.items[c][row.RemoteID]
			if ref == nil {
				t.Fatalf("%s: row %s is not in the model", at, row.RemoteID)
			}
			var labels []string
			if err := g.Model(&model.InboxLabel{}).Where("item_id = ?", row.ID).Pluck("lower(label)", &labels).Error; err != nil {
				t.Fatal(err)
			}
			sort.Strings(labels)
			var want []string
			for l := range ref.labels {
				want = append(want, l)
			}
			sort.Strings(want)
			team := int64(0)
			if row.TeamID != nil {
				team = *row.TeamID
			}
			if row.Text != ref.text || (row.DeletedAt != nil) != ref.deleted || row.Status != ref.status || (row.ReadAt != nil) != ref.read ||
				row.Note != ref.note || team != ref.team || row.Backlog != ref.backlog || strings.Join(labels, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: row %s = text %q deleted %v status %s read %v note %q team %d backlog %v labels %v;\nmodel text %q deleted %v status %s read %v note %q team %d backlog %v labels %v",
					at, row.RemoteID, row.Text, row.DeletedAt != nil, row.Status, row.ReadAt != nil, row.Note, team, row.Backlog, labels,
					ref.text, ref.deleted, ref.status, ref.read, ref.note, ref.team, ref.backlog, want)
			}
			if !ref.read && !ref.deleted {
				wantUnread[c]++
				wantTotal++
			}
		}
		// The cursor stands for the last stored page, and every item of
		// every page up to it is stored.
		cur, err := inbox.Cursors(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := strconv.Atoi(cur["notifications"])
		if got != m.stored[c] {
			t.Fatalf("%s: channel %d's cursor is %q, the last stored page %d", at, c, cur["notifications"], m.stored[c])
		}
		for p, ids := range m.pages[c] {
			if p > got {
				t.Fatalf("%s: page %d is recorded stored but the cursor is at %d", at, p, got)
			}
			for _, rid := range ids {
				var n int64
				if err := g.Model(&model.InboxItem{}).Where("channel_id = ? AND remote_id = ?", c, rid).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					t.Fatalf("%s: item %s of stored page %d has %d rows", at, rid, p, n)
				}
			}
		}
	}
	counts, err := inbox.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Total != wantTotal || len(counts.Unread) != len(nonZero(wantUnread)) {
		t.Fatalf("%s: counts %v (total %d), recount %v (total %d)", at, counts.Unread, counts.Total, wantUnread, wantTotal)
	}
	for c, n := range wantUnread {
		if counts.Unread[c] != n {
			t.Fatalf("%s: channel %d unread %d, recount %d", at, c, counts.Unread[c], n)
		}
	}
	// The unread filter lists what the counts count.
	items, _, err := inbox.List(ctx, InboxFilter{UnreadOnly: true, Limit: MaxInboxPage})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(items)) != wantTotal {
		t.Fatalf("%s: the unread filter lists %d, the counts say %d", at, len(items), wantTotal)
	}
}

func nonZero(m map[int64]int64) map[int64]int64 {
	out := map[int64]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
