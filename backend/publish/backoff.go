package publish

import "sync"

// backoffs remembers, per channel, whether the engine may have left targets
// waiting out a transient failure or a rate limit since it last brought
// that channel's retries forward. A success on a channel known to have none
// then costs no database statement: in a burst of a thousand due posts that
// statement, run after every success, was most of the engine's work.
//
// A channel the engine has not seen counts as "may have" (targets may have
// backed off before this process started), and each change is numbered so
// that a failure recorded while the retries are being brought forward is
// not forgotten.
type backoffs struct {
	mu    sync.Mutex
	dirty map[int64]uint64 // changes recorded per channel
	clean map[int64]uint64 // the change count a bring-forward covered
}

func newBackoffs() *backoffs {
	return &backoffs{dirty: map[int64]uint64{}, clean: map[int64]uint64{}}
}

// mark records that a channel may have a target in backoff now.
func (b *backoffs) mark(channelID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dirty[channelID]++
}

// pending says whether the channel may have targets in backoff, and the
// change count to pass to cleared once they have been brought forward.
func (b *backoffs) pending(channelID int64) (bool, uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.dirty[channelID]
	covered, seen := b.clean[channelID]
	return !seen || covered != n, n
}

// cleared records that every target in backoff up to change n was brought
// forward.
func (b *backoffs) cleared(channelID int64, n uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, seen := b.clean[channelID]; !seen || n > c {
		b.clean[channelID] = n
	}
}
