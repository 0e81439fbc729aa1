-- v2 adds channel health; a v2 database has everything v1 had plus a
-- timeline, reminders and a removed channel.
INSERT INTO settings (key, value, updated_at) VALUES
  ('install_id', 'b5a0c1f2-0000-4000-8000-000000000002', '2026-01-02 10:00:00+00:00');
INSERT INTO teams (id, name, created_at, updated_at) VALUES
  (1, 'Shop', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00');
INSERT INTO channels (id, network, instance, remote_id, handle, display_name, status, status_changed_at, connected_at, created_at, updated_at, access_expires_at, reminded_at, last_check_class, last_check_message, removed_at) VALUES
  (1, 'bluesky', 'https://bsky.social', 'did:plc:abc123', 'shop.bsky.social', 'Shop', 'connected', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 12:00:00+00:00', '2026-04-02 10:00:00+00:00', 'transient', '503 from the server', NULL),
  (2, 'mastodon', 'https://mastodon.example', '9', 'old@mastodon.example', 'Old', 'connected', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', NULL, NULL, '', '', '2026-02-02 10:00:00+00:00');
INSERT INTO channel_teams (channel_id, team_id) VALUES (1, 1);
INSERT INTO posts (id, title, status, created_at, updated_at) VALUES (1, 'Old post', 'published', '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, status, idempotency_key, remote_id, created_at, updated_at) VALUES
  (1, 1, 2, 'From a removed channel', 'published', 'k-1', '77', '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00');
INSERT INTO channel_health (channel_id, at, kind, class, message) VALUES
  (1, '2026-01-02 10:00:00+00:00', 'connected', '', ''),
  (1, '2026-01-03 10:00:00+00:00', 'check_failed', 'transient', '503 from the server'),
  (2, '2026-02-02 10:00:00+00:00', 'removed', '', '');
