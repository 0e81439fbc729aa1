package queue

import (
	"context"
	"time"

	"gorm.io/gorm"

	"herald/backend/model"
)

// NextFreeFor returns a channel's next free queue slot after `after`: its
// weekly slots, less the due times its scheduled or publishing targets
// already take. except (a target id, or 0 for none) is left out of the
// taken times, so a target being queued again does not block itself.
// ok is false when the channel has no queue slots.
func NextFreeFor(ctx context.Context, db *gorm.DB, channelID, except int64, after time.Time) (at time.Time, ok bool, err error) {
	var slots []model.QueueSlot
	if err := db.WithContext(ctx).Where("channel_id = ?", channelID).Find(&slots).Error; err != nil {
		return time.Time{}, false, err
	}
	q := db.WithContext(ctx).Model(&model.PostTarget{}).Where("channel_id = ?", channelID)
	if except != 0 {
		q = q.Where("id != ?", except)
	}
	var taken []time.Time
	if err := q.Where("due_at > ? AND status IN ('scheduled','claimed')", after.UTC()).Pluck("due_at", &taken).Error; err != nil {
		return time.Time{}, false, err
	}
	at, ok = NextFree(slots, taken, after)
	return at, ok, nil
}
