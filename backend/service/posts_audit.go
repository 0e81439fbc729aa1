package service

import (
	"context"
	"encoding/json"
	"strings"

	"gorm.io/gorm"

	"herald/backend/model"
)

func (s *Posts) auditPost(ctx context.Context, tx *gorm.DB, postID int64, event, summary string, details map[string]any) error {
	d := "{}"
	if details != nil {
		b, _ := json.Marshal(details)
		d = string(b)
	}
	var names []string
	var teams []string
	var chID *int64
	var rows []struct {
		ID          int64
		DisplayName string
		Handle      string
	}
	_ = tx.WithContext(ctx).Raw(`SELECT c.id, c.display_name, c.handle FROM channels c JOIN post_targets t ON t.channel_id = c.id WHERE t.post_id = ? ORDER BY t.position`, postID).Scan(&rows).Error
	for _, r := range rows {
		n := r.DisplayName
		if n == "" {
			n = r.Handle
		}
		names = append(names, n)
	}
	if len(rows) == 1 {
		id := rows[0].ID
		chID = &id
	}
	_ = tx.WithContext(ctx).Raw(`SELECT DISTINCT tm.name FROM teams tm JOIN channel_teams ct ON ct.team_id = tm.id JOIN post_targets t ON t.channel_id = ct.channel_id WHERE t.post_id = ? ORDER BY tm.name`, postID).Scan(&teams).Error
	pid := postID
	return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, ChannelID: chID, ChannelName: strings.Join(names, ", "),
		Teams: strings.Join(teams, ","), PostID: &pid, Summary: summary, Details: d})
}

func titleOf(title string, targets []model.PostTarget) string {
	if title != "" {
		return "“" + title + "”"
	}
	if len(targets) > 0 {
		return snippet(targets[0].Body)
	}
	return "a post"
}

func titleOfPost(p model.Post) string { return titleOf(p.Title, p.Targets) }

func snippet(body string) string {
	r := []rune(strings.TrimSpace(body))
	if len(r) == 0 {
		return "a post"
	}
	if len(r) > 40 {
		return "“" + string(r[:40]) + "…”"
	}
	return "“" + string(r) + "”"
}
