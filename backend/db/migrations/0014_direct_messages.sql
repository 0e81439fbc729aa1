-- A direct message to an item's author that starts a conversation (not a
-- reply in an existing one): post_targets.direct_to is the author's
-- account id on the network (a Mastodon account id, a Bluesky DID).
ALTER TABLE post_targets ADD COLUMN direct_to TEXT NOT NULL DEFAULT '';
