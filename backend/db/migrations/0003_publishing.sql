-- Publishing: media per variant, queue slots, and what the engine needs to
-- publish exactly once (claims, published item ids for resuming threads,
-- native hand-off, read-back verification). Additive only (see 0001).

ALTER TABLE posts ADD COLUMN handoff INTEGER NOT NULL DEFAULT 0;   -- hand to the network's own scheduler where possible
ALTER TABLE posts ADD COLUMN origin TEXT NOT NULL DEFAULT 'app';    -- app, cli

ALTER TABLE post_targets ADD COLUMN position INTEGER NOT NULL DEFAULT 0;            -- order of variants in the composer
ALTER TABLE post_targets ADD COLUMN item_ids TEXT NOT NULL DEFAULT '[]';            -- remote ids of items already made (post, thread..., comment)
ALTER TABLE post_targets ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';           -- who holds the claim
ALTER TABLE post_targets ADD COLUMN claimed_at DATETIME;
ALTER TABLE post_targets ADD COLUMN reconcile INTEGER NOT NULL DEFAULT 0;            -- 1: the last attempt's outcome is unknown; look before retrying
ALTER TABLE post_targets ADD COLUMN first_attempt_at DATETIME;                      -- stable across retries (idempotency)
ALTER TABLE post_targets ADD COLUMN handoff_id TEXT NOT NULL DEFAULT '';            -- the network's scheduled-post id
ALTER TABLE post_targets ADD COLUMN verified_at DATETIME;                           -- read back after publishing
ALTER TABLE post_targets ADD COLUMN slot_queued INTEGER NOT NULL DEFAULT 0;          -- placed by "next free slot"

CREATE INDEX post_targets_channel_due ON post_targets (channel_id, due_at);
-- The calendar places a target at its published time, else its due time.
CREATE INDEX post_targets_calendar ON post_targets (coalesce(published_at, due_at));

CREATE TABLE target_media (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    path          TEXT NOT NULL,              -- relative to Herald's media folder
    original_name TEXT NOT NULL DEFAULT '',
    mime          TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    alt_text      TEXT NOT NULL DEFAULT '',
    UNIQUE (target_id, position)
);

-- Weekly posting times per channel: "next free slot" fills these.
CREATE TABLE queue_slots (
    id            INTEGER PRIMARY KEY,
    channel_id    INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Sunday
    minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    time_zone     TEXT NOT NULL,
    UNIQUE (channel_id, weekday, minute_of_day)
);
