-- A realistic v1 database: two teams, three channels, posts in several
-- states with targets and attempts, settings and audit entries.
INSERT INTO settings (key, value, updated_at) VALUES
  ('install_id', 'b5a0c1f2-0000-4000-8000-000000000001', '2026-01-02 10:00:00+00:00'),
  ('reauth_reminder_days', '90', '2026-01-02 10:00:00+00:00');
INSERT INTO teams (id, name, created_at, updated_at) VALUES
  (1, 'Shop', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00'),
  (2, 'Personal', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00');
INSERT INTO channels (id, network, instance, remote_id, handle, display_name, avatar_url, status, status_changed_at, connected_at, created_at, updated_at) VALUES
  (1, 'mastodon', 'https://mastodon.example', '109876', 'shop@mastodon.example', 'The Shop', 'https://mastodon.example/a.png', 'connected', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00'),
  (2, 'bluesky', 'https://bsky.social', 'did:plc:abc123', 'shop.bsky.social', 'Shop ✨', '', 'disconnected', '2026-02-01 08:00:00+00:00', '2026-01-03 10:00:00+00:00', '2026-01-03 10:00:00+00:00', '2026-02-01 08:00:00+00:00'),
  (3, 'mastodon', 'https://fosstodon.example', '42', 'me@fosstodon.example', 'Me', '', 'attention', '2026-02-02 08:00:00+00:00', '2026-01-04 10:00:00+00:00', '2026-01-04 10:00:00+00:00', '2026-02-02 08:00:00+00:00');
INSERT INTO channel_teams (channel_id, team_id) VALUES (1, 1), (2, 1), (3, 2);
INSERT INTO posts (id, title, status, scheduled_at, time_zone, created_at, updated_at) VALUES
  (1, 'Launch', 'published', '2026-01-10 09:00:00+00:00', 'Europe/Berlin', '2026-01-05 10:00:00+00:00', '2026-01-10 09:00:05+00:00'),
  (2, 'Sale', 'scheduled', '2026-12-01 08:00:00+00:00', 'America/New_York', '2026-01-06 10:00:00+00:00', '2026-01-06 10:00:00+00:00'),
  (3, 'Idea', 'draft', NULL, 'UTC', '2026-01-07 10:00:00+00:00', '2026-01-07 10:00:00+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, options, status, due_at, attempt_count, idempotency_key, remote_id, remote_url, published_at, created_at, updated_at) VALUES
  (1, 1, 1, 'We are live! 🎉 https://shop.example', '{"visibility":"public"}', 'published', '2026-01-10 09:00:00+00:00', 1, 'k-1', '1100', 'https://mastodon.example/@shop/1100', '2026-01-10 09:00:04+00:00', '2026-01-05 10:00:00+00:00', '2026-01-10 09:00:05+00:00'),
  (2, 1, 2, 'We are live!', '{}', 'failed', '2026-01-10 09:00:00+00:00', 3, 'k-2', '', '', NULL, '2026-01-05 10:00:00+00:00', '2026-01-10 09:10:00+00:00'),
  (3, 2, 1, '20% off everything', '{}', 'scheduled', '2026-12-01 08:00:00+00:00', 0, 'k-3', '', '', NULL, '2026-01-06 10:00:00+00:00', '2026-01-06 10:00:00+00:00'),
  (4, 3, 3, 'half an idea', '{}', 'draft', NULL, 0, 'k-4', '', '', NULL, '2026-01-07 10:00:00+00:00', '2026-01-07 10:00:00+00:00');
INSERT INTO attempts (id, target_id, number, started_at, finished_at, outcome, error_class, error_message, remote_id) VALUES
  (1, 1, 1, '2026-01-10 09:00:01+00:00', '2026-01-10 09:00:04+00:00', 'succeeded', '', '', '1100'),
  (2, 2, 1, '2026-01-10 09:00:01+00:00', '2026-01-10 09:00:02+00:00', 'failed', 'transient', '503 Service Unavailable', ''),
  (3, 2, 2, '2026-01-10 09:02:00+00:00', '2026-01-10 09:02:01+00:00', 'unknown', 'transient', 'timeout after sending', ''),
  (4, 2, 3, '2026-01-10 09:10:00+00:00', '2026-01-10 09:10:00+00:00', 'failed', 'auth_dead', 'ExpiredToken', '');
INSERT INTO audit_log (id, at, actor, event, channel_id, channel_name, teams, post_id, summary, details) VALUES
  (1, '2026-01-02 10:00:00+00:00', 'user', 'channel.connected', 1, 'The Shop', 'Shop', NULL, 'Connected The Shop', '{}'),
  (2, '2026-01-10 09:00:04+00:00', 'scheduler', 'post.published', 1, 'The Shop', 'Shop', 1, 'Published "Launch"', '{"remoteId":"1100"}'),
  (3, '2026-02-01 08:00:00+00:00', 'health', 'channel.disconnected', 2, 'Shop ✨', 'Shop', NULL, 'Bluesky said the session expired', '{"class":"auth_dead"}');
