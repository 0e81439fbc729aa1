-- The inbox: every mention, reply, quote and direct message a channel
-- receives, the user's work on each (status, read, labels, note, team,
-- first reply), a full-text index, and where each channel's sync stands.
-- Rows are written only by backend/store/inbox.go. Additive only (see 0001).

-- One row per (channel, network item id): the sync upserts on that key, so
-- an item read twice (overlapping pages, a resumed sync) is stored once.
-- The network's fields (text, edited_at, deleted_at) change with the
-- network; the user's fields (status, read_at, team_id, note, labels,
-- first_reply_at) change only through the user's transitions.
CREATE TABLE inbox_items (
    id                 INTEGER PRIMARY KEY,
    channel_id         INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    remote_id          TEXT NOT NULL CHECK (remote_id <> ''),
    kind               TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'quote', 'message')),
    author_remote_id   TEXT NOT NULL DEFAULT '',
    author_handle      TEXT NOT NULL DEFAULT '',
    author_name        TEXT NOT NULL DEFAULT '',
    author_avatar_url  TEXT NOT NULL DEFAULT '',
    author_profile_url TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL DEFAULT '',     -- plain text; the network package removed the markup
    links              TEXT NOT NULL DEFAULT '[]',   -- JSON array of URLs
    url                TEXT NOT NULL DEFAULT '',
    parent_remote_id   TEXT NOT NULL DEFAULT '',
    root_remote_id     TEXT NOT NULL DEFAULT '',
    conversation_id    TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL DEFAULT '',
    created_at         DATETIME NOT NULL,            -- the network's time (UTC)
    received_at        DATETIME NOT NULL,            -- when Herald stored it
    edited_at          DATETIME,
    deleted_at         DATETIME,                     -- removed on the network; the row stays
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'archived')),
    read_at            DATETIME,
    team_id            INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    note               TEXT NOT NULL DEFAULT '',
    first_reply_at     DATETIME,
    backlog            INTEGER NOT NULL DEFAULT 0,   -- 1: found by the channel's first sync (stored read, never notified)
    version            INTEGER NOT NULL DEFAULT 0,   -- grows with every change
    UNIQUE (channel_id, remote_id)
);

-- The list is newest first with keyset paging on (created_at, id); each
-- index below serves one common filter without a sort.
CREATE INDEX inbox_items_newest ON inbox_items (created_at DESC, id DESC);
CREATE INDEX inbox_items_channel ON inbox_items (channel_id, created_at DESC, id DESC);
CREATE INDEX inbox_items_status ON inbox_items (status, created_at DESC, id DESC);
CREATE INDEX inbox_items_kind ON inbox_items (kind, created_at DESC, id DESC);
CREATE INDEX inbox_items_team ON inbox_items (team_id, created_at DESC, id DESC) WHERE team_id IS NOT NULL;
-- Unread items only: the unread filter and the per-channel counts read
-- this, not the whole table. The predicate matches the queries' exactly,
-- or SQLite cannot use it.
CREATE INDEX inbox_items_unread ON inbox_items (channel_id, created_at DESC, id DESC)
  WHERE read_at IS NULL AND deleted_at IS NULL;
-- Thread fallback: the stored items of one conversation.
CREATE INDEX inbox_items_root ON inbox_items (channel_id, root_remote_id) WHERE root_remote_id <> '';

-- Labels in their own table, so "label is X" is an index lookup, not a
-- scan of JSON.
CREATE TABLE inbox_labels (
    item_id INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    label   TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(label)) > 0),
    PRIMARY KEY (item_id, label)
);
CREATE INDEX inbox_labels_label ON inbox_labels (label, item_id);

-- Full-text search over the text and the author, kept in step with
-- inbox_items by the triggers below (external content: the text is stored
-- once).
CREATE VIRTUAL TABLE inbox_fts USING fts5 (
    text, author_handle, author_name,
    content = 'inbox_items', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER inbox_items_fts_insert AFTER INSERT ON inbox_items BEGIN
    INSERT INTO inbox_fts (rowid, text, author_handle, author_name)
    VALUES (new.id, new.text, new.author_handle, new.author_name);
END;
CREATE TRIGGER inbox_items_fts_delete AFTER DELETE ON inbox_items BEGIN
    INSERT INTO inbox_fts (inbox_fts, rowid, text, author_handle, author_name)
    VALUES ('delete', old.id, old.text, old.author_handle, old.author_name);
END;
-- Only a change of an indexed column touches the index: marking read or
-- done does not.
CREATE TRIGGER inbox_items_fts_update AFTER UPDATE OF text, author_handle, author_name ON inbox_items BEGIN
    INSERT INTO inbox_fts (inbox_fts, rowid, text, author_handle, author_name)
    VALUES ('delete', old.id, old.text, old.author_handle, old.author_name);
    INSERT INTO inbox_fts (rowid, text, author_handle, author_name)
    VALUES (new.id, new.text, new.author_handle, new.author_name);
END;

-- Where each channel's inbox sync stands. The cursors are written in the
-- same transaction as the items of the page that produced them, so a stop
-- at any point resumes from the last stored page, never past it.
CREATE TABLE inbox_sync (
    channel_id       INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    cursors          TEXT NOT NULL DEFAULT '{}',   -- JSON: stream → cursor, as the network gave them
    backlog_done     INTEGER NOT NULL DEFAULT 0,   -- 1: the first sync read to the end; new items notify from now on
    last_run_at      DATETIME,
    next_run_at      DATETIME,
    interval_seconds INTEGER NOT NULL DEFAULT 120 CHECK (interval_seconds > 0),
    last_activity_at DATETIME,                     -- newest item found after the backlog
    last_error       TEXT NOT NULL DEFAULT '',     -- the user's words
    skipped_reason   TEXT NOT NULL DEFAULT '',     -- why the last due run did not read (disconnected, paused, rate limited)
    unavailable      TEXT NOT NULL DEFAULT '[]',   -- JSON: streams the credential may not read, with how to fix it
    items_seen       INTEGER NOT NULL DEFAULT 0,   -- items read, repeats included
    items_new        INTEGER NOT NULL DEFAULT 0,   -- rows created
    runs             INTEGER NOT NULL DEFAULT 0,
    last_refresh_at  DATETIME,                     -- last check of recent items for edits and deletions
    updated_at       DATETIME NOT NULL
);
CREATE INDEX inbox_sync_due ON inbox_sync (next_run_at);
