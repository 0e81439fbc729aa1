-- Inbox rules and the per-channel notification switch. Rule rows are
-- written only by backend/store/inbox_rules.go; the rules run inside the
-- transaction that stores a page of new items (store.Inbox.StorePage), so
-- no item is ever stored without them. Additive only (see 0001).

-- One row per rule. The conditions that are set must all hold ('' and
-- NULL: any); the actions that are set are applied to a new item that
-- matches. Rules run in position order; for the team, the first matching
-- rule that names one wins.
CREATE TABLE inbox_rules (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    position      INTEGER NOT NULL,             -- run order, smallest first (kept 1..n by the store)
    enabled       INTEGER NOT NULL DEFAULT 1,
    text_contains TEXT NOT NULL DEFAULT '',     -- a phrase, compared without case
    author_is     TEXT NOT NULL DEFAULT '',     -- a handle, without its leading @, compared without case
    kind          TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'mention', 'reply', 'quote', 'message')),
    -- A channel deleted with its history takes its rules with it; a
    -- removed channel (history kept) keeps them, and they match nothing.
    channel_id    INTEGER REFERENCES channels (id) ON DELETE CASCADE,
    add_label     TEXT NOT NULL DEFAULT '',
    mark_done     INTEGER NOT NULL DEFAULT 0,
    -- A deleted team drops the action, not the rule.
    team_id       INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    notify        INTEGER NOT NULL DEFAULT 0,   -- notify even when the channel's notifications are off
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX inbox_rules_order ON inbox_rules (position, id);

-- 1: new inbox items of this channel raise no desktop notification (a
-- rule with "notify" still does). 0, the default, notifies.
ALTER TABLE channels ADD COLUMN inbox_muted INTEGER NOT NULL DEFAULT 0;

