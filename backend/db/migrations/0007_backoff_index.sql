-- After every successful publish the engine brings the channel's backed-off
-- targets forward (store.Targets.BringForward). Through the overdue index
-- that read every overdue target of every channel, so a burst of 1,000 due
-- posts did a million row reads. Only targets waiting out a transient
-- failure or a rate limit are in this index, so the lookup reads those of
-- one channel: usually none. The predicate matches the query's exactly, or
-- SQLite cannot use it.
CREATE INDEX post_targets_backoff ON post_targets (channel_id, next_attempt_at)
  WHERE status = 'scheduled' AND error_class IN ('transient', 'rate_limited');
