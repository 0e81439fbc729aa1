-- Measure: every reading of a channel's counts and of its posts' counts,
-- kept for as long as the user keeps Herald. Rows are written only by
-- backend/store/metrics.go. Values are stored when they change (and the
-- first time): the value at any moment is the last row at or before it,
-- and metric_sync says up to when each channel was read, so a gap in
-- rows is "unchanged", never "unknown". A metric a network does not give
-- has no row at all: absent, never 0. Additive only (see 0001).

-- The channel's lifetime counts (followers, following, posts).
CREATE TABLE channel_metrics (
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    metric     TEXT NOT NULL,
    taken_at   DATETIME NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (channel_id, metric, taken_at)
) WITHOUT ROWID;

-- Public accounts the user watches (competitors, partners), read through
-- one of the user's channels on the same network: their public counts
-- (watched_metrics) and their recent posts (content_items with watch_id)
-- are kept like the channel's own.
CREATE TABLE watched_accounts (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE, -- read through
    remote_id    TEXT NOT NULL,
    handle       TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    avatar_url   TEXT NOT NULL DEFAULT '',
    profile_url  TEXT NOT NULL DEFAULT '',
    added_at     DATETIME NOT NULL,
    read_at      DATETIME,                        -- last reading of its counts
    next_at      DATETIME,                        -- next one
    listed_to    DATETIME,                        -- newest post a listing saw
    list_next_at DATETIME,                        -- next listing of its posts
    last_error   TEXT NOT NULL DEFAULT '',
    UNIQUE (channel_id, remote_id)
);

-- A watched account's public counts, stored when they change.
CREATE TABLE watched_metrics (
    watch_id INTEGER NOT NULL REFERENCES watched_accounts (id) ON DELETE CASCADE,
    metric   TEXT NOT NULL,
    taken_at DATETIME NOT NULL,
    value    INTEGER NOT NULL,
    PRIMARY KEY (watch_id, metric, taken_at)
) WITHOUT ROWID;

-- The channel's own posts: those Herald published (post_target_id) and
-- those found on the network (written elsewhere, or before Herald); and,
-- with watch_id, the posts of a watched account read through the channel.
-- Everything about the user's own channels reads watch_id IS NULL.
CREATE TABLE content_items (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    watch_id       INTEGER REFERENCES watched_accounts (id) ON DELETE CASCADE,
    remote_id      TEXT NOT NULL,
    url            TEXT NOT NULL DEFAULT '',
    excerpt        TEXT NOT NULL DEFAULT '',      -- the start of the text, for lists
    is_reply       INTEGER NOT NULL DEFAULT 0,
    published_at   DATETIME NOT NULL,             -- the network's time
    published_ts   INTEGER NOT NULL,              -- the same, in Unix seconds (what the dashboards group by)
    post_target_id INTEGER REFERENCES post_targets (id) ON DELETE SET NULL,
    first_seen_at  DATETIME NOT NULL,
    deleted_at     DATETIME,                      -- the network said it no longer exists
    polled_at      DATETIME,                      -- its last reading
    next_poll_at   DATETIME,                      -- NULL: no longer read (past 90 days, deleted)
    quiet_polls    INTEGER NOT NULL DEFAULT 0,    -- readings in a row that changed nothing
    engagement     INTEGER,                       -- the sum of its latest engagement counts; NULL until one is read
    UNIQUE (channel_id, remote_id)
);
CREATE INDEX content_items_due ON content_items (channel_id, next_poll_at) WHERE next_poll_at IS NOT NULL;
-- Covering for posts per day and the best times: no row is visited.
CREATE INDEX content_items_published ON content_items (channel_id, published_ts, is_reply, engagement) WHERE watch_id IS NULL;
CREATE INDEX content_items_watched ON content_items (watch_id, published_ts, is_reply, engagement) WHERE watch_id IS NOT NULL;
CREATE INDEX content_items_target ON content_items (post_target_id) WHERE post_target_id IS NOT NULL;

-- Herald's own published posts are taken into content_items as they are
-- published (the sync looks for the new ones every run).
CREATE INDEX post_targets_published ON post_targets (published_at) WHERE status = 'published';

-- Each change of a post's counts (its growth curve). delta is the change
-- from the post's previous value (the whole value for its first reading)
-- and counted_at (Unix seconds) the moment it is counted at: the post's
-- publication for a first reading, so a backfilled post's lifetime counts
-- land on the day it was published, not the day Herald first read it;
-- the reading's time otherwise. Activity per day sums deltas by
-- counted_at, with channel_id kept here so that needs no join (0 for a
-- watched account's post: it is no channel's activity).
CREATE TABLE content_metrics (
    content_id INTEGER NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
    metric     TEXT NOT NULL,
    taken_at   DATETIME NOT NULL,
    value      INTEGER NOT NULL,
    delta      INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    counted_at INTEGER NOT NULL,
    PRIMARY KEY (content_id, metric, taken_at)
) WITHOUT ROWID;
-- Covering for activity per day: the sum reads the index alone.
CREATE INDEX content_metrics_counted ON content_metrics (channel_id, counted_at, metric, delta);

-- A post's latest counts, for sorting and totals without reading curves.
CREATE TABLE content_latest (
    content_id INTEGER NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
    metric     TEXT NOT NULL,
    value      INTEGER NOT NULL,
    taken_at   DATETIME NOT NULL,                 -- when the value last changed
    PRIMARY KEY (content_id, metric)
) WITHOUT ROWID;
CREATE INDEX content_latest_metric ON content_latest (metric, value);

-- Where each channel's metrics stand.
CREATE TABLE metric_sync (
    channel_id      INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    channel_read_at DATETIME,                     -- last reading of the channel's counts
    channel_next_at DATETIME,                     -- next one
    posts_read_at   DATETIME,                     -- last reading of any of its posts' counts
    listed_to       DATETIME,                     -- newest own post seen by a listing
    list_next_at    DATETIME,                     -- next listing of its recent posts
    backfill_since  DATETIME,                     -- the backfill reads back to here
    backfill_cursor TEXT NOT NULL DEFAULT '',     -- where the backfill stopped ('' : not begun)
    backfilled_at   DATETIME,                     -- the backfill finished
    last_error      TEXT NOT NULL DEFAULT '',     -- the last failure, in the user's words
    last_error_at   DATETIME,
    updated_at      DATETIME NOT NULL
);

-- The user's own dashboards: a grid of widgets over chosen channels or a
-- team and a date range (spec, JSON, read and checked by
-- backend/store/dashboards.go), in the user's order. A dashboard may be
-- written as a PDF to a folder every week or month.
CREATE TABLE dashboards (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    position       INTEGER NOT NULL,
    spec           TEXT NOT NULL DEFAULT '{}',
    report_every   TEXT NOT NULL DEFAULT '' CHECK (report_every IN ('', 'week', 'month')),
    report_dir     TEXT NOT NULL DEFAULT '',
    report_next_at DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX dashboards_order ON dashboards (position, id);
