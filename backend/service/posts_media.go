package service

import (
	"encoding/base64"
	"strings"

	"herald/backend/apperr"
	"herald/backend/media"
)

// MediaView is an attachment in the composer.
type MediaView struct {
	Path    string `json:"path"` // Herald's copy, relative to its media folder
	Name    string `json:"name"`
	MIME    string `json:"mime"`
	Size    int64  `json:"size"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	AltText string `json:"altText"`
}

// ImportMediaFiles copies files (from the file dialog or a drop) into
// Herald's media folder.
func (s *Posts) ImportMediaFiles(paths []string) ([]MediaView, error) {
	out := make([]MediaView, 0, len(paths))
	for _, p := range paths {
		f, err := s.media.ImportFile(p)
		if err != nil {
			return out, apperr.Invalid("media", "%v", err)
		}
		out = append(out, mediaView(f))
	}
	return out, nil
}

// ImportMediaData stores a file the window read itself (an <input
// type=file> or a paste), sent as base64.
func (s *Posts) ImportMediaData(name, dataBase64 string) (MediaView, error) {
	raw, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return MediaView{}, apperr.Invalid("media", "%s could not be read (bad encoding).", name)
	}
	f, err := s.media.Import(name, strings.NewReader(string(raw)))
	if err != nil {
		return MediaView{}, apperr.Invalid("media", "%v", err)
	}
	return mediaView(f), nil
}

// MediaPreview returns a stored attachment as a data: URL for the
// composer's previews.
func (s *Posts) MediaPreview(path string) (string, error) {
	b, err := s.media.ReadAll(path)
	if err != nil {
		return "", apperr.NotFound("That attachment is no longer in Herald's media folder.")
	}
	f := MediaView{}
	for _, m := range []string{"image/png", "image/jpeg", "image/gif", "image/webp"} {
		if strings.HasSuffix(path, "."+strings.TrimPrefix(m, "image/")) || (m == "image/jpeg" && strings.HasSuffix(path, ".jpg")) {
			f.MIME = m
		}
	}
	if f.MIME == "" {
		return "", apperr.Invalid("media", "Only images have a preview.")
	}
	return "data:" + f.MIME + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}

func mediaView(f media.File) MediaView {
	return MediaView{Path: f.Path, Name: f.OriginalName, MIME: f.MIME, Size: f.Size, Width: f.Width, Height: f.Height}
}

func extOf(p string) string {
	if i := strings.LastIndex(p, "."); i > strings.LastIndex(p, "/") {
		return p[i:]
	}
	return ""
}
