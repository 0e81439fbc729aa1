-- What the user did on the network from the inbox, so the conversation
-- shows it and offers to take it back: an item liked or hidden (a
-- Bluesky reply under the channel's post), an author muted or blocked.
-- Per channel: muting is what one account does to another.
ALTER TABLE inbox_items ADD COLUMN liked_at DATETIME;
ALTER TABLE inbox_items ADD COLUMN hidden_at DATETIME;
CREATE TABLE inbox_authors (
  channel_id       INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  author_remote_id TEXT NOT NULL,
  muted_at         DATETIME,
  blocked_at       DATETIME,
  updated_at       DATETIME NOT NULL,
  PRIMARY KEY (channel_id, author_remote_id)
);
