package blueskytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"herald/backend/network"
	"herald/backend/network/networktest"
)

// Collection is the NSID of post records.
const Collection = "app.bsky.feed.post"

// blobUploadLimit is the reference PDS's default limit for one upload; the
// 1,000,000-byte image limit is checked when a post references the blob.
const blobUploadLimit = 5 << 20

// StrongRef is com.atproto.repo.strongRef.
type StrongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Reply is a post's reply reference.
type Reply struct {
	Root   StrongRef `json:"root"`
	Parent StrongRef `json:"parent"`
}

// Facet is one app.bsky.richtext.facet, with its first feature.
type Facet struct {
	ByteStart, ByteEnd int
	Type               string // "app.bsky.richtext.facet#link", "…#mention"
	URI                string // of a link
	DID                string // of a mention
}

// AspectRatio is app.bsky.embed.defs#aspectRatio.
type AspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Image is one image of an app.bsky.embed.images embed.
type Image struct {
	Alt         string
	AspectRatio *AspectRatio
	BlobCID     string
	MIMEType    string
	Size        int64
}

// Record is a post record in the fake's repo.
type Record struct {
	URI, CID, RKey string
	Text           string
	CreatedAt      string
	Langs          []string
	Reply          *Reply
	Facets         []Facet
	Images         []Image
	Value          json.RawMessage // the record as written
}

type blob struct {
	mime string
	data []byte
}

// repoState is the account's repository and blob store. Guarded by
// Server.mu.
type repoState struct {
	blobs   map[string]blob
	records []*Record          // in the order they were created
	byRKey  map[string]*Record // post records by rkey
	handles map[string]string  // other accounts, for mentions
	lastTID uint64
	fault   networktest.PublishFault
	// The answer to a createRecord whose rkey is taken.
	dupStatus        int
	dupName, dupText string
}

func newRepoState() repoState {
	return repoState{
		blobs: map[string]blob{}, byRKey: map[string]*Record{}, handles: map[string]string{},
		// What the reference PDS answers today: the repo's "There is already
		// a value at key" escapes as a bare 500
		// (bluesky-social/atproto#3718, bluesky-social/indigo#873).
		dupStatus: http.StatusInternalServerError, dupName: "InternalServerError", dupText: "Internal Server Error",
	}
}

// InjectPublish sets how the next createRecord is answered
// (networktest.PublishFake); the fault applies once.
func (s *Server) InjectPublish(f networktest.PublishFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo.fault = f
}

// SetDuplicateRecordError sets the answer to a createRecord whose rkey is
// already taken. The default is the reference PDS's 500
// InternalServerError; a PDS with the explicit error proposed in
// bluesky-social/atproto#4728 can be played with, say, 400
// "RecordAlreadyExists".
func (s *Server) SetDuplicateRecordError(status int, name, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo.dupStatus, s.repo.dupName, s.repo.dupText = status, name, message
}

// AddHandle makes another account's handle resolve to did, so a post can
// mention it.
func (s *Server) AddHandle(handle, did string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo.handles[strings.ToLower(handle)] = did
}

// Posts returns the account's posts, oldest first (networktest.PublishFake).
func (s *Server) Posts() []network.RemotePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]network.RemotePost, 0, len(s.repo.records))
	for _, r := range s.repo.records {
		created, _ := time.Parse(time.RFC3339Nano, r.CreatedAt)
		p := network.RemotePost{ID: r.URI, URL: "https://bsky.app/profile/" + Handle + "/post/" + r.RKey,
			Text: r.Text, CreatedAt: created, MediaCount: len(r.Images)}
		for _, img := range r.Images {
			p.AltTexts = append(p.AltTexts, img.Alt)
		}
		out = append(out, p)
	}
	return out
}

// Records returns copies of the post records, oldest first.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.repo.records))
	for _, r := range s.repo.records {
		out = append(out, *r)
	}
	return out
}

// RecordCount is how many post records the repo holds.
func (s *Server) RecordCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.repo.records)
}

// Record returns the post at uri.
func (s *Server) Record(uri string) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.repo.records {
		if r.URI == uri {
			return *r, true
		}
	}
	return Record{}, false
}

// Blob returns an uploaded blob and its MIME type.
func (s *Server) Blob(cid string) ([]byte, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.repo.blobs[cid]
	return b.data, b.mime, ok
}

// PutPost writes a post directly, as another client (or an older Herald)
// would have made it; an empty rkey gets one from the fake's clock.
func (s *Server) PutPost(rkey, text string, createdAt time.Time) Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rkey == "" {
		rkey = s.nextTID()
	}
	raw, _ := json.Marshal(map[string]any{"$type": Collection, "text": text,
		"createdAt": createdAt.UTC().Format("2006-01-02T15:04:05.000Z")})
	var in postInput
	_ = json.Unmarshal(raw, &in)
	return *s.commit(rkey, raw, in)
}

// DeletePost removes the post at uri, as deleting it in the app does.
func (s *Server) DeletePost(uri string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.repo.records {
		if r.URI == uri {
			s.repo.records = slices.Delete(s.repo.records, i, i+1)
			delete(s.repo.byRKey, r.RKey)
			return true
		}
	}
	return false
}

// commit stores a validated post. Callers hold s.mu.
func (s *Server) commit(rkey string, raw json.RawMessage, p postInput) *Record {
	rec := &Record{
		URI: "at://" + DID + "/" + Collection + "/" + rkey, CID: fakeCID("bafyrei", append([]byte(rkey), raw...)),
		RKey: rkey, Langs: p.Langs, Reply: p.Reply, Value: append(json.RawMessage(nil), raw...),
	}
	if p.Text != nil {
		rec.Text = *p.Text
	}
	if p.CreatedAt != nil {
		rec.CreatedAt = *p.CreatedAt
	}
	for _, f := range p.Facets {
		ff := Facet{ByteStart: f.Index.ByteStart, ByteEnd: f.Index.ByteEnd}
		if len(f.Features) > 0 {
			ff.Type, ff.URI, ff.DID = f.Features[0].Type, f.Features[0].URI, f.Features[0].DID
		}
		rec.Facets = append(rec.Facets, ff)
	}
	if p.Embed != nil {
		for _, img := range p.Embed.Images {
			im := Image{AspectRatio: img.AspectRatio}
			if img.Alt != nil {
				im.Alt = *img.Alt
			}
			if img.Image != nil {
				im.BlobCID, im.MIMEType, im.Size = img.Image.Ref.Link, img.Image.MIMEType, img.Image.Size
			}
			rec.Images = append(rec.Images, im)
		}
	}
	s.repo.records = append(s.repo.records, rec)
	s.repo.byRKey[rkey] = rec
	return rec
}
