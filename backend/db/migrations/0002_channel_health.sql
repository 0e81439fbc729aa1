-- Channel health: the timeline of every state change, the last liveness
-- check, re-authorization reminders, and removal that keeps history.
-- Additive only (see 0001).

ALTER TABLE channels ADD COLUMN access_expires_at DATETIME;       -- when the short-lived access token lapses (refreshed before)
ALTER TABLE channels ADD COLUMN reminded_at DATETIME;             -- last re-authorization reminder
ALTER TABLE channels ADD COLUMN last_check_class TEXT NOT NULL DEFAULT '';   -- '' when the last check passed
ALTER TABLE channels ADD COLUMN last_check_message TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN removed_at DATETIME;              -- removed by the user, history kept

CREATE TABLE channel_health (
    id         INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    at         DATETIME NOT NULL,
    kind       TEXT NOT NULL,              -- connected, refreshed, token_refreshed, disconnected, reconnected, attention, check_failed, recovered, reminder, removed, restored
    class      TEXT NOT NULL DEFAULT '',   -- network error class, when there was an error
    message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX channel_health_channel ON channel_health (channel_id, at);
