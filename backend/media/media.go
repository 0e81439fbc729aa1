// Package media copies attachments into Herald's media folder, so a draft
// stays valid when the original file moves or is deleted. Files are stored
// by content hash: the same picture attached twice is stored once.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders for DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// MaxSize is the largest attachment Herald accepts at all; networks have
// their own, smaller limits, checked by the composer.
const MaxSize = 512 << 20

// ErrTooBig is returned for a file over MaxSize.
var ErrTooBig = errors.New("the file is larger than 512 MB")

// File is an imported attachment.
type File struct {
	Path         string // relative to the media folder, with forward slashes
	OriginalName string
	MIME         string
	Size         int64
	SHA256       string
	Width        int
	Height       int
}

// Library is the media folder.
type Library struct {
	dir string
}

// NewLibrary returns the library rooted at dir.
func NewLibrary(dir string) *Library { return &Library{dir: dir} }

// Dir is the media folder.
func (l *Library) Dir() string { return l.dir }

// Abs returns the absolute path of a stored file.
func (l *Library) Abs(rel string) string { return filepath.Join(l.dir, filepath.FromSlash(rel)) }

// ImportFile copies a file from disk.
func (l *Library) ImportFile(src string) (File, error) {
	f, err := os.Open(src)
	if err != nil {
		return File{}, fmt.Errorf("open %s: %w", filepath.Base(src), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return File{}, err
	}
	if st.IsDir() {
		return File{}, fmt.Errorf("%s is a folder, not a file", filepath.Base(src))
	}
	if st.Size() > MaxSize {
		return File{}, fmt.Errorf("%s: %w", filepath.Base(src), ErrTooBig)
	}
	return l.Import(filepath.Base(src), f)
}

// Import stores the content of r under its hash.
func (l *Library) Import(name string, r io.Reader) (File, error) {
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return File{}, fmt.Errorf("create media folder: %w", err)
	}
	tmp, err := os.CreateTemp(l.dir, ".import-*")
	if err != nil {
		return File{}, fmt.Errorf("copy %s into Herald: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	head := &prefix{max: 512}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), io.LimitReader(r, MaxSize+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return File{}, fmt.Errorf("copy %s into Herald: %w", name, err)
	}
	if n > MaxSize {
		return File{}, fmt.Errorf("%s: %w", name, ErrTooBig)
	}
	if n == 0 {
		return File{}, fmt.Errorf("%s is empty", name)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	mt := detect(name, head.b)
	ext := extFor(mt, name)
	rel := path.Join(sum[:2], sum+ext)
	abs := l.Abs(rel)
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return File{}, err
	}
	if _, err := os.Stat(abs); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(tmp.Name(), abs); err != nil {
			return File{}, fmt.Errorf("store %s: %w", name, err)
		}
	}
	f := File{Path: rel, OriginalName: name, MIME: mt, Size: n, SHA256: sum}
	if strings.HasPrefix(mt, "image/") {
		if fh, err := os.Open(abs); err == nil {
			if cfg, _, err := image.DecodeConfig(fh); err == nil {
				f.Width, f.Height = cfg.Width, cfg.Height
			}
			fh.Close()
		}
	}
	return f, nil
}

// detect trusts the content over the name, except for types the sniffer
// does not know (it reports video/quicktime as octet-stream).
func detect(name string, head []byte) string {
	sniffed := http.DetectContentType(head)
	if i := strings.IndexByte(sniffed, ';'); i >= 0 {
		sniffed = sniffed[:i]
	}
	if sniffed != "application/octet-stream" && sniffed != "text/plain" {
		return sniffed
	}
	if byExt := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); byExt != "" {
		if i := strings.IndexByte(byExt, ';'); i >= 0 {
			byExt = byExt[:i]
		}
		return byExt
	}
	return sniffed
}

func extFor(mt, name string) string {
	switch mt {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "video/mp4":
		return ".mp4"
	case "video/quicktime":
		return ".mov"
	case "video/webm":
		return ".webm"
	}
	return strings.ToLower(filepath.Ext(name))
}

type prefix struct {
	b   []byte
	max int
}

func (p *prefix) Write(b []byte) (int, error) {
	if room := p.max - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// ReadAll returns a stored file's bytes (previews).
func (l *Library) ReadAll(rel string) ([]byte, error) {
	clean := path.Clean("/" + rel)[1:]
	if clean != rel || strings.Contains(rel, "..") {
		return nil, fmt.Errorf("not a media path: %q", rel)
	}
	b, err := os.ReadFile(l.Abs(clean))
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}
