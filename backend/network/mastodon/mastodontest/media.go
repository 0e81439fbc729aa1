package mastodontest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// defaultDescriptionLimit is Mastodon's alt text limit.
const defaultDescriptionLimit = 1500

// Media is an uploaded attachment.
type Media struct {
	ID          string
	AccountID   string
	Type        string // image, video, gifv, audio
	MIME        string
	FileName    string
	Size        int64
	Description string
	StatusID    string // the status it is attached to, once posted
	ScheduledID string // the scheduled status holding it
	pending     int    // GET /api/v1/media/:id answers 206 this many more times
}

// SetMediaProcessing sets how many times GET /api/v1/media/:id answers
// 206 (still processing) for each new upload before 200. POST
// /api/v2/media answers 202 (url null) while an upload is processing; n < 0
// makes it answer 200 at once, as Mastodon 4 does for small images. The
// default is 1: 202, one 206, then 200.
func (s *Server) SetMediaProcessing(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mediaPolls = n
}

// MediaAttachment returns an uploaded attachment by id.
func (s *Server) MediaAttachment(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

// https://docs.joinmastodon.org/methods/media/#v2
func (s *Server) createMediaV2(w http.ResponseWriter, r *http.Request) { s.createMedia(w, r, true) }

// https://docs.joinmastodon.org/methods/media/#v1
func (s *Server) createMediaV1(w http.ResponseWriter, r *http.Request) { s.createMedia(w, r, false) }

func (s *Server) createMedia(w http.ResponseWriter, r *http.Request, async bool) {
	g, ok := s.authenticate(w, r, "write", "write:media")
	if !ok {
		return
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File can't be blank")
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	files := r.MultipartForm.File["file"]
	if len(files) != 1 {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File can't be blank")
		return
	}
	fh := files[0]
	mimeType := strings.ToLower(strings.TrimSpace(fh.Header.Get("Content-Type")))
	description := r.FormValue("description")

	s.mu.Lock()
	l := s.limits
	polls := s.mediaPolls
	s.mu.Unlock()
	descriptionLimit := l.DescriptionLimit
	if descriptionLimit <= 0 {
		descriptionLimit = defaultDescriptionLimit
	}
	kind, _, _ := strings.Cut(mimeType, "/")
	limit := l.ImageSizeLimit
	if kind == "video" || kind == "audio" {
		limit = l.VideoSizeLimit
	}
	switch {
	case !slices.Contains(l.SupportedMIMETypes, mimeType):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: File content type is invalid, File is invalid")
		return
	case limit > 0 && fh.Size > limit:
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: File file size must be less than %d MB", limit>>20))
		return
	case utf8.RuneCountInString(description) > descriptionLimit:
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Description is too long (maximum is %d characters)", descriptionLimit))
		return
	}
	if kind != "video" && kind != "audio" {
		kind = "image"
		if mimeType == "image/gif" {
			kind = "gifv"
		}
	}
	m := &Media{AccountID: g.accountID, Type: kind, MIME: mimeType, FileName: fh.Filename, Size: fh.Size, Description: description}
	if async && polls >= 0 {
		m.pending = polls
	}
	s.mu.Lock()
	m.ID = s.nextID()
	s.media[m.ID] = m
	body := s.mediaJSON(m)
	s.mu.Unlock()
	if async && polls >= 0 {
		body["url"] = nil
		writeJSON(w, http.StatusAccepted, body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// https://docs.joinmastodon.org/methods/media/#get
func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authenticate(w, r, "write", "write:media")
	if !ok {
		return
	}
	s.mu.Lock()
	m, ok := s.media[r.PathValue("id")]
	if !ok || m.AccountID != g.accountID {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	status := http.StatusOK
	body := s.mediaJSON(m)
	if m.pending > 0 {
		m.pending--
		status = http.StatusPartialContent
		body["url"] = nil
	}
	s.mu.Unlock()
	writeJSON(w, status, body)
}

// mediaJSON is a MediaAttachment entity; the caller holds s.mu.
//
// https://docs.joinmastodon.org/entities/MediaAttachment/
func (s *Server) mediaJSON(m *Media) map[string]any {
	file := s.srv.URL + "/system/media_attachments/files/" + m.ID
	var description any
	if m.Description != "" {
		description = m.Description
	}
	return map[string]any{
		"id":          m.ID,
		"type":        m.Type,
		"url":         file + "/original/" + m.FileName,
		"preview_url": file + "/small/" + m.FileName,
		"remote_url":  nil,
		"text_url":    s.srv.URL + "/media/" + m.ID,
		"meta":        map[string]any{},
		"description": description,
		"blurhash":    nil,
	}
}
