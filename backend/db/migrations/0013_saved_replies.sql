-- Saved replies: answers the user writes once and reuses in the inbox,
-- with {name}, {handle} and {post_url} filled in for the item being
-- answered. Written only by backend/store/saved_replies.go.
CREATE TABLE saved_replies (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX saved_replies_name ON saved_replies (name COLLATE NOCASE);
