package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"herald/backend/model"
)

// Saved replies. saved_replies is written only here.

// Bounds of a saved reply.
const (
	MaxSavedReplies   = 500
	MaxSavedReplyName = 80
	MaxSavedReplyBody = 5000
)

// SavedReplyVariables are the variables a saved reply may hold, filled in
// for the item being answered.
var SavedReplyVariables = []string{"name", "handle", "post_url"}

var variableRE = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

// SavedReplyError says what is wrong with a saved reply, in the user's
// words, and which field.
type SavedReplyError struct {
	Field   string
	Message string
}

func (e *SavedReplyError) Error() string { return e.Message }
func (e *SavedReplyError) Unwrap() error { return ErrInvalidInput }

// checkSavedReply trims and checks name and body; an unknown {variable}
// is refused, so a typo is found when the reply is saved, not when it is
// sent.
func checkSavedReply(name, body string) (string, string, error) {
	name = oneLine(name)
	body = strings.TrimSpace(body)
	switch {
	case name == "":
		return "", "", &SavedReplyError{"name", "Give the saved reply a name."}
	case utf8.RuneCountInString(name) > MaxSavedReplyName:
		return "", "", &SavedReplyError{"name", fmt.Sprintf("A name is at most %d characters.", MaxSavedReplyName)}
	case body == "":
		return "", "", &SavedReplyError{"body", "Write the reply."}
	case utf8.RuneCountInString(body) > MaxSavedReplyBody:
		return "", "", &SavedReplyError{"body", fmt.Sprintf("A saved reply is at most %d characters.", MaxSavedReplyBody)}
	}
	for _, m := range variableRE.FindAllStringSubmatch(body, -1) {
		known := false
		for _, v := range SavedReplyVariables {
			known = known || m[1] == v
		}
		if !known {
			return "", "", &SavedReplyError{"body", fmt.Sprintf("{%s} is not a variable Herald knows; use {name}, {handle} or {post_url}.", m[1])}
		}
	}
	return name, body, nil
}

// SavedReplies lists the saved replies by name.
func (s *Inbox) SavedReplies(ctx context.Context) ([]model.SavedReply, error) {
	var out []model.SavedReply
	if err := s.db.WithContext(ctx).Order("name COLLATE NOCASE, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list saved replies: %w", err)
	}
	return out, nil
}

// SavedReply reads one.
func (s *Inbox) SavedReply(ctx context.Context, id int64) (model.SavedReply, error) {
	var out model.SavedReply
	err := s.db.WithContext(ctx).Take(&out, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return out, fmt.Errorf("saved reply %d: %w", id, ErrNotFound)
	}
	return out, err
}

// SaveReplyText creates (id 0) or changes a saved reply.
func (s *Inbox) SaveReplyText(ctx context.Context, id int64, name, body string) (model.SavedReply, error) {
	name, body, err := checkSavedReply(name, body)
	if err != nil {
		return model.SavedReply{}, err
	}
	now := s.now().UTC()
	db := s.db.WithContext(ctx)
	var taken int64
	if err := db.Model(&model.SavedReply{}).Where("name = ? COLLATE NOCASE AND id <> ?", name, id).Count(&taken).Error; err != nil {
		return model.SavedReply{}, fmt.Errorf("save a saved reply: %w", err)
	}
	if taken > 0 {
		return model.SavedReply{}, &SavedReplyError{"name", fmt.Sprintf("A saved reply is already called “%s”.", name)}
	}
	if id == 0 {
		var n int64
		if err := db.Model(&model.SavedReply{}).Count(&n).Error; err != nil {
			return model.SavedReply{}, err
		}
		if n >= MaxSavedReplies {
			return model.SavedReply{}, &SavedReplyError{"name", fmt.Sprintf("Herald keeps at most %d saved replies; delete one first.", MaxSavedReplies)}
		}
		r := model.SavedReply{Name: name, Body: body, CreatedAt: now, UpdatedAt: now}
		if err := db.Create(&r).Error; err != nil {
			return model.SavedReply{}, fmt.Errorf("create a saved reply: %w", err)
		}
		return r, nil
	}
	res := db.Model(&model.SavedReply{}).Where("id = ?", id).Updates(map[string]any{"name": name, "body": body, "updated_at": now})
	if res.Error != nil {
		return model.SavedReply{}, fmt.Errorf("change saved reply %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return model.SavedReply{}, fmt.Errorf("saved reply %d: %w", id, ErrNotFound)
	}
	return s.SavedReply(ctx, id)
}

// DeleteSavedReply deletes one; deleting one that is gone is not an error.
func (s *Inbox) DeleteSavedReply(ctx context.Context, id int64) (model.SavedReply, error) {
	r, err := s.SavedReply(ctx, id)
	if err != nil {
		return r, err
	}
	if err := s.db.WithContext(ctx).Delete(&model.SavedReply{}, id).Error; err != nil {
		return r, fmt.Errorf("delete saved reply %d: %w", id, err)
	}
	return r, nil
}

// FillReply puts values in for the variables of body; a variable with no
// value is left out and named in missing.
func FillReply(body string, values map[string]string) (text string, missing []string) {
	text = variableRE.ReplaceAllStringFunc(body, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := values[name]
		if !ok {
			return m
		}
		if v == "" {
			missing = append(missing, name)
		}
		return v
	})
	return text, missing
}
