-- One owner for a target's state (backend/store/targets.go): every
-- transition is a conditional UPDATE on the current status and version, so
-- two writers that read the same row cannot both move it.
ALTER TABLE post_targets ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Attempts that count against the budget: a rate-limited answer, an
-- attempt cut short by a stop, and a "maybe sent" that reconciliation
-- found absent do not.
ALTER TABLE post_targets ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;
UPDATE post_targets SET tries = attempt_count;

-- What an attempt sent, as a fingerprint (text as sent, media, position):
-- reconciliation looks for that, not for the draft's current text.
ALTER TABLE attempts ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';

-- A 429 parks the whole channel until the network's reset, across restarts.
ALTER TABLE channels ADD COLUMN rate_limited_until DATETIME;
-- Bumped on every reconnect and token rotation: an error that belongs to an
-- older credential cannot disconnect a channel connected again since.
ALTER TABLE channels ADD COLUMN credential_generation INTEGER NOT NULL DEFAULT 0;
