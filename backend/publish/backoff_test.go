package publish

import "testing"

func TestBackoffsAskForABringForwardOnlyWhenOneIsNeeded(t *testing.T) {
	b := newBackoffs()
	if p, _ := b.pending(1); !p {
		t.Fatal("a channel not seen yet may have targets in backoff from before this process")
	}
	_, n := b.pending(1)
	b.cleared(1, n)
	if p, _ := b.pending(1); p {
		t.Fatal("a channel brought forward with no failure since still asks for it")
	}
	b.mark(1)
	p, n := b.pending(1)
	if !p {
		t.Fatal("a failure recorded after the last bring-forward is not pending")
	}
	// A failure recorded while the bring-forward runs is not covered by it.
	b.mark(1)
	b.cleared(1, n)
	if p, _ := b.pending(1); !p {
		t.Fatal("a failure recorded during the bring-forward was forgotten")
	}
	// An older bring-forward finishing late does not undo a newer one.
	_, n2 := b.pending(1)
	b.cleared(1, n2)
	b.cleared(1, n)
	if p, _ := b.pending(1); p {
		t.Fatal("a late, older bring-forward made the channel pending again")
	}
	if p, _ := b.pending(2); !p {
		t.Fatal("channels share their state")
	}
}
