-- Herald's background jobs each look for a handful of targets among a
-- history that only grows. Partial indexes hold just the rows a job can
-- find, so a look costs what it finds, not what the database holds. The
-- queries name them with INDEXED BY: a query that could no longer use its
-- index fails loudly in tests instead of quietly scanning.

-- Missed windows (every publishing tick): overdue scheduled targets.
CREATE INDEX post_targets_scheduled_due ON post_targets (due_at) WHERE status = 'scheduled';

-- Read-back (every minute): published targets not yet confirmed.
CREATE INDEX post_targets_unverified ON post_targets (published_at) WHERE status = 'published' AND verified_at IS NULL;

-- Hand-off check (every two minutes): targets given to the network's scheduler.
CREATE INDEX post_targets_handed_off ON post_targets (due_at) WHERE status = 'scheduled' AND handoff_id <> '';

-- Hand-off (every minute): posts the user chose to hand to the network.
CREATE INDEX posts_handoff ON posts (id) WHERE handoff = 1;
