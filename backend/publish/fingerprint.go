package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"

	"herald/backend/model"
	"herald/backend/network"
)

// fingerprint identifies what an attempt sends: the text of every item as
// sent, each attachment's content hash and alt text, and how many items
// were already out (where in a thread it resumed). It is kept with the
// attempt, so the ledger says what an attempt of unknown outcome would
// have put on the channel even after the draft changes.
func fingerprint(p network.Post, t model.PostTarget) string {
	h := sha256.New()
	field := func(s string) {
		_, _ = io.WriteString(h, strconv.Itoa(len(s)))
		_, _ = io.WriteString(h, ":")
		_, _ = io.WriteString(h, s)
	}
	field(p.Text)
	for _, item := range p.Thread {
		field(item)
	}
	for _, m := range t.Media {
		field(m.SHA256)
		field(m.AltText)
	}
	field(strconv.Itoa(len(p.Done)))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
