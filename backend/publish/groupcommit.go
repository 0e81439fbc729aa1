package publish

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm"

	"herald/backend/store"
)

// groupCommit batches the engine's writes: whoever arrives while no batch
// is being written becomes the leader and commits everything that queued
// meanwhile in one transaction. If a write fails unexpectedly the batch is
// rolled back and each write is committed alone, so one bad write cannot
// take the others with it. Every caller returns only after its write is
// committed, so nothing is acknowledged early; SQLite's single writer then
// does one commit for many targets instead of one each. A write must make
// no change before it returns an expected error (ErrNotClaimed), since the
// batch still commits.
type groupCommit struct {
	db *gorm.DB

	mu      sync.Mutex
	pending []*writeReq
	running bool
}

type writeReq struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan error
}

// maxBatch bounds one transaction.
const maxBatch = 256

func (g *groupCommit) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, r)
	if g.running {
		g.mu.Unlock()
		return <-r.done
	}
	g.running = true
	for len(g.pending) > 0 {
		n := min(len(g.pending), maxBatch)
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.mu.Unlock()
		g.commit(batch)
		g.mu.Lock()
	}
	g.running = false
	g.mu.Unlock()
	return <-r.done
}

func (g *groupCommit) commit(batch []*writeReq) {
	errs := make([]error, len(batch))
	err := g.db.WithContext(context.WithoutCancel(batch[0].ctx)).Transaction(func(tx *gorm.DB) error {
		for i, r := range batch {
			if errs[i] = r.fn(tx); errs[i] != nil && !expected(errs[i]) {
				return errs[i]
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		// An unexpected failure rolled the batch back: write each alone so
		// one bad write cannot take the others with it.
		for i, r := range batch {
			errs[i] = g.db.WithContext(context.WithoutCancel(r.ctx)).Transaction(r.fn)
		}
		err = nil
	}
	for i, r := range batch {
		if err != nil {
			r.done <- err
		} else {
			r.done <- errs[i]
		}
	}
}

// expected errors change nothing and leave the batch intact: a claim that
// moved on (its conditional UPDATE matched no row).
func expected(err error) bool { return errors.Is(err, store.ErrNotClaimed) }
