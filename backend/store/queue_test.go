package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"herald/backend/db"
	"herald/backend/model"
	"herald/backend/store"
	"herald/test/seed"
)

// queueDB holds 1,500 posts spread over the four tabs, with many equal
// sort times so that paging must break ties by id.
func queueDB(t *testing.T) (*store.Posts, []model.Post) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	g, _, err := db.Open(ctx, db.Options{Path: filepath.Join(dir, "herald.db"), BackupDir: dir, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) })
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := seed.Fill(ctx, g, seed.Options{Network: "mastodon", Instance: "https://m.example", Channels: 3, Posts: 1500,
		From: now.Add(-90 * 24 * time.Hour), Span: 180 * 24 * time.Hour, Now: now, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := g.Model(&model.Post{}).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		edited := now.Add(time.Duration(i%17) * time.Hour) // ties on purpose
		switch i % 5 {
		case 0: // a draft
			g.Exec("UPDATE posts SET status = 'draft', scheduled_at = NULL, updated_at = ? WHERE id = ?", edited, id)
			g.Exec("UPDATE post_targets SET status = 'draft', due_at = NULL, next_attempt_at = NULL, published_at = NULL WHERE post_id = ?", id)
		case 1: // a failure or a skip the user did not ask for
			g.Exec("UPDATE posts SET status = 'failed', updated_at = ? WHERE id = ?", edited, id)
			class := "content_rejected"
			status := "failed"
			if i%3 == 0 {
				status, class = "skipped", "missed_window"
			}
			g.Exec("UPDATE post_targets SET status = ?, error_class = ?, published_at = NULL WHERE post_id = ?", status, class, id)
		case 2: // skipped by the user: not a problem
			g.Exec("UPDATE posts SET status = 'failed', updated_at = ? WHERE id = ?", edited, id)
			g.Exec("UPDATE post_targets SET status = 'skipped', error_class = 'skipped_by_user', published_at = NULL WHERE post_id = ?", id)
		case 3: // published, many at the same minute
			at := now.Add(-time.Duration(i%23) * time.Minute)
			g.Exec("UPDATE posts SET status = 'published', updated_at = ? WHERE id = ?", edited, id)
			g.Exec("UPDATE post_targets SET status = 'published', published_at = ? WHERE post_id = ?", at, id)
		}
	}
	var all []model.Post
	if err := g.Preload("Targets").Order("id").Find(&all).Error; err != nil {
		t.Fatal(err)
	}
	return store.NewPosts(g, func() time.Time { return now }), all
}

func needsAttention(p model.Post) bool {
	if !slices.Contains([]model.PostStatus{"scheduled", "publishing", "partial", "failed"}, p.Status) {
		return false
	}
	for _, t := range p.Targets {
		if t.Status == model.TargetFailed || t.Status == model.TargetBlocked || (t.Status == model.TargetSkipped && t.ErrorClass != "skipped_by_user") {
			return true
		}
	}
	return false
}

func publishedAt(p model.Post) time.Time {
	var latest time.Time
	for _, t := range p.Targets {
		if t.PublishedAt != nil && t.PublishedAt.After(latest) {
			latest = *t.PublishedAt
		}
	}
	if latest.IsZero() {
		return p.UpdatedAt
	}
	return latest
}

// expected lists a tab's post ids in its order, worked out in Go.
func expected(tab store.QueueTab, all []model.Post) []int64 {
	var in []model.Post
	for _, p := range all {
		switch tab {
		case store.TabScheduled:
			if p.Status == model.PostScheduled || p.Status == model.PostPublishing {
				in = append(in, p)
			}
		case store.TabDrafts:
			if p.Status == model.PostDraft {
				in = append(in, p)
			}
		case store.TabAttention:
			if needsAttention(p) {
				in = append(in, p)
			}
		case store.TabPublished:
			if p.Status == model.PostPublished || p.Status == model.PostPartial {
				in = append(in, p)
			}
		}
	}
	desc := func(a, b time.Time, ia, ib int64) int {
		if c := b.Compare(a); c != 0 {
			return c
		}
		return int(ib - ia)
	}
	slices.SortFunc(in, func(a, b model.Post) int {
		switch tab {
		case store.TabScheduled:
			if c := a.ScheduledAt.Compare(*b.ScheduledAt); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		case store.TabPublished:
			return desc(publishedAt(a), publishedAt(b), a.ID, b.ID)
		default:
			return desc(a.UpdatedAt, b.UpdatedAt, a.ID, b.ID)
		}
	})
	ids := make([]int64, len(in))
	for i, p := range in {
		ids[i] = p.ID
	}
	return ids
}

func TestQueuePagesListEveryPostOnceInOrder(t *testing.T) {
	ctx := context.Background()
	posts, all := queueDB(t)
	counts, err := posts.QueueCounts(ctx, store.PostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[store.QueueTab]int64{store.TabScheduled: counts.Scheduled, store.TabDrafts: counts.Drafts,
		store.TabAttention: counts.Attention, store.TabPublished: counts.Published}
	for _, tab := range []store.QueueTab{store.TabScheduled, store.TabDrafts, store.TabAttention, store.TabPublished} {
		t.Run(string(tab), func(t *testing.T) {
			exp := expected(tab, all)
			if len(exp) < 100 {
				t.Fatalf("only %d posts in %s; the test data is too thin", len(exp), tab)
			}
			if want[tab] != int64(len(exp)) {
				t.Errorf("count = %d, want %d", want[tab], len(exp))
			}
			var got []int64
			var after *store.QueueCursor
			for pages := 0; ; pages++ {
				if pages > 200 {
					t.Fatal("paging does not end")
				}
				page, next, err := posts.QueuePage(ctx, tab, store.PostFilter{}, after, 37)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > 37 || (next != nil && len(page) != 37) {
					t.Fatalf("page of %d posts with next %v", len(page), next)
				}
				for _, p := range page {
					got = append(got, p.ID)
					if len(p.Targets) == 0 {
						t.Fatalf("post %d listed without its variants", p.ID)
					}
				}
				if next == nil {
					break
				}
				after = next
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("paged %d posts, want %d in order; first difference at %d", len(got), len(exp), firstDiff(got, exp))
			}
		})
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestQueuePageAndCountsHonourTheFilters(t *testing.T) {
	ctx := context.Background()
	posts, _ := queueDB(t)
	f := store.PostFilter{Text: "Seed post 12"} // 12, 120-129, 1200-1299
	page, next, err := posts.QueuePage(ctx, store.TabDrafts, f, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := posts.QueueCounts(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if next != nil || int64(len(page)) != counts.Drafts || counts.Drafts == 0 {
		t.Fatalf("%d drafts listed (next %v), %d counted", len(page), next, counts.Drafts)
	}
	total := counts.Scheduled + counts.Drafts + counts.Published
	if total > 111 || total < 50 {
		t.Errorf("filtered counts %+v do not fit the 111 matching posts", counts)
	}
	for _, p := range page {
		if p.Status != model.PostDraft {
			t.Errorf("post %d (%s) listed under Drafts", p.ID, p.Status)
		}
	}
}
