-- The Queue view pages through each tab in its own order (keyset paging:
-- sort key, then id). Partial indexes in that order let a page read just
-- the rows it shows instead of sorting the whole tab. The expressions
-- match the queries in store.Posts.QueuePage exactly, or SQLite ignores them.

-- Scheduled: soonest first.
CREATE INDEX posts_queue_scheduled ON posts (coalesce(scheduled_at, '9999'), id) WHERE status IN ('scheduled', 'publishing');

-- Drafts: most recently edited first.
CREATE INDEX posts_queue_drafts ON posts (updated_at, id) WHERE status = 'draft';
