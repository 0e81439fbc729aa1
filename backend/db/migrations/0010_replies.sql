-- A reply (to a comment, a mention, a direct message) is a post like any
-- other, so it goes out through the same exactly-once engine: one target,
-- on the channel the item came to, that names what it answers.
--
-- posts.kind: 'post' (made in the composer) or 'reply' (made in the
-- inbox). post_targets.reply_to: the network id of the item answered (a
-- Mastodon status id, a Bluesky at:// URI, a Bluesky chat message
-- "chat:<convo>/<message>"). post_targets.inbox_item_id: the inbox item
-- the reply was written from, so its conversation shows the reply's state
-- and its first-reply time is recorded when the reply is published; NULL
-- once the item is gone (a removed channel's inbox).
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post';
ALTER TABLE post_targets ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE post_targets ADD COLUMN inbox_item_id INTEGER REFERENCES inbox_items(id) ON DELETE SET NULL;
CREATE INDEX post_targets_inbox_item ON post_targets (inbox_item_id) WHERE inbox_item_id IS NOT NULL;
