-- Herald schema v1. Times are UTC text in SQLite's format
-- ("2006-01-02 15:04:05.999999999-07:00"), so they sort and compare as text.
-- Migrations are additive: foreign_keys cannot be switched off inside the
-- migration transaction, so a table rebuild would cascade deletes.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- A channel is one account, page or organization on one network. Its id is
-- Herald's and never changes: refreshing a connection replaces only the
-- credentials, which live in the OS keyring, never here.
CREATE TABLE channels (
    id                INTEGER PRIMARY KEY,
    network           TEXT NOT NULL,
    instance          TEXT NOT NULL DEFAULT '',  -- server base URL where the network is federated
    remote_id         TEXT NOT NULL,             -- the network-side channel id
    kind              TEXT NOT NULL DEFAULT 'account',
    handle            TEXT NOT NULL DEFAULT '',
    display_name      TEXT NOT NULL DEFAULT '',
    avatar_url        TEXT NOT NULL DEFAULT '',
    profile_url       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'connected'
                      CHECK (status IN ('connected', 'attention', 'disconnected')),
    status_reason     TEXT NOT NULL DEFAULT '',
    status_changed_at DATETIME NOT NULL,
    token_expires_at  DATETIME,
    connected_at      DATETIME NOT NULL,
    refreshed_at      DATETIME,
    checked_at        DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    UNIQUE (network, instance, remote_id)
);

CREATE TABLE channel_teams (
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, team_id)
);
CREATE INDEX channel_teams_team ON channel_teams (team_id);

-- A post is what the user wrote once; each target is its variant for one
-- channel with its own status and attempt ledger.
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'scheduled', 'publishing', 'published', 'partial', 'failed', 'cancelled')),
    scheduled_at  DATETIME,                      -- UTC
    time_zone     TEXT NOT NULL DEFAULT 'UTC',   -- IANA zone the user chose
    missed_policy TEXT NOT NULL DEFAULT 'publish_late'
                  CHECK (missed_policy IN ('publish_late', 'skip', 'ask')),
    grace_minutes INTEGER NOT NULL DEFAULT 60 CHECK (grace_minutes >= 0),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX posts_scheduled_at ON posts (scheduled_at);

CREATE TABLE post_targets (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    body            TEXT NOT NULL DEFAULT '',
    link            TEXT NOT NULL DEFAULT '',
    thread          TEXT NOT NULL DEFAULT '[]',  -- JSON array of follow-up texts
    first_comment   TEXT NOT NULL DEFAULT '',
    options         TEXT NOT NULL DEFAULT '{}',  -- JSON, network-specific (visibility, content warning, ...)
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'scheduled', 'claimed', 'published', 'failed', 'skipped', 'blocked', 'cancelled')),
    due_at          DATETIME,
    next_attempt_at DATETIME,
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT NOT NULL UNIQUE,
    remote_id       TEXT NOT NULL DEFAULT '',
    remote_url      TEXT NOT NULL DEFAULT '',
    error_class     TEXT NOT NULL DEFAULT '',
    error_message   TEXT NOT NULL DEFAULT '',
    published_at    DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    UNIQUE (post_id, channel_id)
);
CREATE INDEX post_targets_due ON post_targets (status, next_attempt_at);
CREATE INDEX post_targets_channel ON post_targets (channel_id);

CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    started_at    DATETIME NOT NULL,
    finished_at   DATETIME,
    outcome       TEXT NOT NULL DEFAULT 'pending'
                  CHECK (outcome IN ('pending', 'succeeded', 'failed', 'unknown')),
    error_class   TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    remote_id     TEXT NOT NULL DEFAULT '',
    UNIQUE (target_id, number)
);

-- The audit log outlives what it describes: no foreign keys, names copied in.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           DATETIME NOT NULL,
    actor        TEXT NOT NULL,
    event        TEXT NOT NULL,
    channel_id   INTEGER,
    channel_name TEXT NOT NULL DEFAULT '',
    teams        TEXT NOT NULL DEFAULT '',
    post_id      INTEGER,
    summary      TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_channel ON audit_log (channel_id, at);
CREATE INDEX audit_log_event ON audit_log (event, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
