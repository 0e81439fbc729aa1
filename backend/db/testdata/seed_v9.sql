-- v9: the v7 data (v8 is the inbox's) and a rate budget with header state.
INSERT INTO settings (key, value, updated_at) VALUES ('install_id', 'b5a0c1f2-0000-4000-8000-000000000003', '2026-01-02 10:00:00+00:00');
INSERT INTO channels (id, network, instance, remote_id, handle, display_name, status, status_changed_at, connected_at, created_at, updated_at) VALUES
  (1, 'mastodon', 'https://mastodon.example', '9', 'shop@mastodon.example', 'Shop', 'connected', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00');
INSERT INTO queue_slots (channel_id, weekday, minute_of_day, time_zone) VALUES (1, 1, 540, 'Europe/Berlin'), (1, 3, 1020, 'Europe/Berlin');
INSERT INTO posts (id, title, status, scheduled_at, time_zone, handoff, origin, created_at, updated_at) VALUES
  (1, 'Thread', 'scheduled', '2026-12-01 08:00:00+00:00', 'Europe/Berlin', 1, 'app', '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, thread, status, due_at, next_attempt_at, attempt_count, idempotency_key, item_ids, reconcile, first_attempt_at, handoff_id, position, created_at, updated_at) VALUES
  (1, 1, 1, '1/2', '["2/2"]', 'scheduled', '2026-12-01 08:00:00+00:00', '2026-12-01 08:05:00+00:00', 1, 'k-1', '["111"]', 1, '2026-12-01 08:00:01+00:00', '', 0, '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00');
INSERT INTO target_media (target_id, position, path, original_name, mime, size_bytes, sha256, width, height, alt_text) VALUES
  (1, 0, 'ab/abcdef.png', 'photo.png', 'image/png', 1234, 'abcdef', 640, 480, 'A shop window');
INSERT INTO attempts (target_id, number, started_at, finished_at, outcome, error_class, error_message) VALUES
  (1, 1, '2026-12-01 08:00:01+00:00', '2026-12-01 08:00:31+00:00', 'unknown', 'transient', 'the server did not answer in time');
INSERT INTO posts (id, title, status, scheduled_at, time_zone, handoff, origin, created_at, updated_at) VALUES
  (2, 'Sale', 'published', '2026-02-01 08:00:00+00:00', 'Europe/Berlin', 0, 'app', '2026-01-20 10:00:00+00:00', '2026-02-01 08:00:02+00:00'),
  (3, 'Opening hours', 'scheduled', '2026-12-24 08:00:00+00:00', 'Europe/Berlin', 1, 'app', '2026-01-21 10:00:00+00:00', '2026-01-21 10:00:00+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, status, due_at, attempt_count, idempotency_key, remote_id, remote_url, published_at, handoff_id, position, created_at, updated_at) VALUES
  (2, 2, 1, 'Sale today', 'published', '2026-02-01 08:00:00+00:00', 1, 'k-2', '222', 'https://mastodon.example/@shop/222', '2026-02-01 08:00:02+00:00', '', 0, '2026-01-20 10:00:00+00:00', '2026-02-01 08:00:02+00:00'),
  (3, 3, 1, 'Open until 2 pm', 'scheduled', '2026-12-24 08:00:00+00:00', 0, 'k-3', '', '', NULL, '77', 0, '2026-01-21 10:00:00+00:00', '2026-01-21 10:00:00+00:00');
UPDATE post_targets SET version = 3, tries = 1 WHERE id = 1;
UPDATE channels SET rate_limited_until = '2026-12-01 09:00:00+00:00', credential_generation = 2 WHERE id = 1;
UPDATE attempts SET fingerprint = 'sha256:0d1f' WHERE target_id = 1;
INSERT INTO rate_budgets (bucket, tokens, tokens_at, header_limit, header_remaining, header_reset, updated_at) VALUES
  ('mastodon/general/channel:1', 12.5, '2026-12-01 08:00:00+00:00', 300, 3, '2026-12-01 08:05:00+00:00', '2026-12-01 08:00:00+00:00');
