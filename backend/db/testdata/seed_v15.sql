-- v14: the v13 data and a direct message written from inbox item 2.
INSERT INTO settings (key, value, updated_at) VALUES ('install_id', 'b5a0c1f2-0000-4000-8000-000000000005', '2026-01-02 10:00:00+00:00');
INSERT INTO teams (id, name, created_at, updated_at) VALUES (1, 'Brand', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00');
INSERT INTO channels (id, network, instance, remote_id, handle, display_name, status, status_changed_at, connected_at, created_at, updated_at) VALUES
  (1, 'mastodon', 'https://mastodon.example', '9', 'shop@mastodon.example', 'Shop', 'connected', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00', '2026-01-02 10:00:00+00:00');
INSERT INTO channel_teams (channel_id, team_id) VALUES (1, 1);
INSERT INTO posts (id, title, status, scheduled_at, time_zone, handoff, origin, created_at, updated_at) VALUES
  (2, 'Sale', 'published', '2026-02-01 08:00:00+00:00', 'Europe/Berlin', 0, 'app', '2026-01-20 10:00:00+00:00', '2026-02-01 08:00:02+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, status, due_at, attempt_count, idempotency_key, remote_id, remote_url, published_at, handoff_id, position, created_at, updated_at, version, tries) VALUES
  (2, 2, 1, 'Sale today', 'published', '2026-02-01 08:00:00+00:00', 1, 'k-2', '222', 'https://mastodon.example/@shop/222', '2026-02-01 08:00:02+00:00', '', 0, '2026-01-20 10:00:00+00:00', '2026-02-01 08:00:02+00:00', 4, 1);
INSERT INTO inbox_items (id, channel_id, remote_id, kind, author_remote_id, author_handle, author_name, text, links, url, parent_remote_id, root_remote_id, language, created_at, received_at, edited_at, deleted_at, status, read_at, team_id, note, first_reply_at, backlog, version) VALUES
  (1, 1, '301', 'reply', '77', '@ana@social.example', 'Ana', 'Is the sale on tomorrow too?', '[]', 'https://social.example/@ana/301', '222', '222', 'en', '2026-02-01 09:00:00+00:00', '2026-02-01 09:02:00+00:00', '2026-02-01 09:05:00+00:00', NULL, 'done', '2026-02-01 09:10:00+00:00', 1, 'Answered by Sam', '2026-02-01 09:20:00+00:00', 0, 3),
  (2, 1, '302', 'mention', '78', '@bo@social.example', 'Bo', 'Thanks @shop!', '["https://shop.example"]', '', '', '', '', '2026-02-02 09:00:00+00:00', '2026-02-02 09:02:00+00:00', NULL, '2026-02-03 09:00:00+00:00', 'open', NULL, NULL, '', NULL, 0, 1),
  (3, 1, 'chat:c1/m1', 'message', '79', '@cy@social.example', 'Cy', 'Do you ship abroad?', '[]', '', '', '', '', '2026-01-01 09:00:00+00:00', '2026-01-02 10:05:00+00:00', NULL, NULL, 'open', '2026-01-02 10:05:00+00:00', NULL, '', NULL, 1, 0);
UPDATE inbox_items SET conversation_id = 'c1' WHERE id = 3;
INSERT INTO inbox_labels (item_id, label) VALUES (1, 'sales'), (1, 'faq');
INSERT INTO inbox_sync (channel_id, cursors, backlog_done, last_run_at, next_run_at, interval_seconds, last_activity_at, last_error, skipped_reason, unavailable, items_seen, items_new, runs, updated_at) VALUES
  (1, '{"notifications":"302","conversations":"c1"}', 1, '2026-02-03 09:00:00+00:00', '2026-02-03 09:04:00+00:00', 240, '2026-02-02 09:00:00+00:00', '', '', '[]', 5, 3, 4, '2026-02-03 09:00:00+00:00');
INSERT INTO rate_budgets (bucket, tokens, tokens_at, header_limit, header_remaining, header_reset, updated_at) VALUES
  ('mastodon/general/channel:1', 12.5, '2026-12-01 08:00:00+00:00', 300, 3, '2026-12-01 08:05:00+00:00', '2026-12-01 08:00:00+00:00');
INSERT INTO posts (id, kind, title, status, scheduled_at, time_zone, handoff, origin, created_at, updated_at) VALUES
  (3, 'reply', 'Reply to @ana@social.example', 'published', '2026-02-01 09:10:00+00:00', 'UTC', 0, 'app', '2026-02-01 09:10:00+00:00', '2026-02-01 09:10:02+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, status, due_at, attempt_count, idempotency_key, remote_id, remote_url, published_at, handoff_id, position, created_at, updated_at, version, reply_to, inbox_item_id) VALUES
  (3, 3, 1, '@ana@social.example Yes, until Sunday.', 'published', '2026-02-01 09:10:00+00:00', 1, 'k-3', '303', 'https://mastodon.example/@shop/303', '2026-02-01 09:10:02+00:00', '', 0, '2026-02-01 09:10:00+00:00', '2026-02-01 09:10:02+00:00', 3, '301', 1);
UPDATE inbox_items SET first_reply_at = '2026-02-01 09:10:02+00:00' WHERE id = 1;
UPDATE inbox_items SET liked_at = '2026-02-01 09:11:00+00:00' WHERE id = 1;
INSERT INTO inbox_authors (channel_id, author_remote_id, muted_at, blocked_at, updated_at) VALUES
  (1, '78', '2026-02-02 10:00:00+00:00', NULL, '2026-02-02 10:00:00+00:00');
UPDATE channels SET inbox_muted = 1 WHERE id = 1;
INSERT INTO inbox_rules (id, name, position, enabled, text_contains, author_is, kind, channel_id, add_label, mark_done, team_id, notify, created_at, updated_at) VALUES
  (1, 'Refunds', 1, 1, 'refund', '', '', 1, 'billing', 0, 1, 1, '2026-02-04 09:00:00+00:00', '2026-02-04 09:00:00+00:00'),
  (2, 'Bots', 2, 0, '', 'bot@social.example', 'mention', NULL, '', 1, NULL, 0, '2026-02-04 09:01:00+00:00', '2026-02-05 10:00:00+00:00');
INSERT INTO saved_replies (id, name, body, created_at, updated_at) VALUES
  (1, 'Shipping', 'Hi {name}, we ship to the EU and the UK: {post_url}', '2026-02-06 09:00:00+00:00', '2026-02-06 09:00:00+00:00');
INSERT INTO posts (id, kind, title, status, scheduled_at, time_zone, handoff, origin, created_at, updated_at) VALUES
  (4, 'reply', 'Message to @bo@social.example', 'published', '2026-02-02 09:30:00+00:00', 'UTC', 0, 'app', '2026-02-02 09:30:00+00:00', '2026-02-02 09:30:02+00:00');
INSERT INTO post_targets (id, post_id, channel_id, body, status, due_at, attempt_count, idempotency_key, remote_id, remote_url, published_at, handoff_id, position, created_at, updated_at, version, reply_to, inbox_item_id, direct_to) VALUES
  (4, 4, 1, '@bo@social.example Thank you! A discount code for you: SPRING', 'published', '2026-02-02 09:30:00+00:00', 1, 'k-4', '304', 'https://mastodon.example/@shop/304', '2026-02-02 09:30:02+00:00', '', 0, '2026-02-02 09:30:00+00:00', '2026-02-02 09:30:02+00:00', 3, '', 2, '78');
INSERT INTO channel_metrics (channel_id, metric, taken_at, value) VALUES
  (1, 'followers', '2026-02-01 06:00:00+00:00', 120),
  (1, 'followers', '2026-02-02 06:00:00+00:00', 123),
  (1, 'posts', '2026-02-01 06:00:00+00:00', 40);
INSERT INTO watched_accounts (id, channel_id, remote_id, handle, display_name, avatar_url, profile_url, added_at, read_at, next_at, listed_to, list_next_at, last_error) VALUES
  (1, 1, '901', '@rival@social.example', 'Rival Shop', '', 'https://social.example/@rival', '2026-02-01 06:00:00+00:00', '2026-02-02 06:00:00+00:00', '2026-02-02 12:00:00+00:00', '2026-02-01 20:00:00+00:00', '2026-02-02 12:00:00+00:00', '');
INSERT INTO watched_metrics (watch_id, metric, taken_at, value) VALUES
  (1, 'followers', '2026-02-01 06:00:00+00:00', 950);
INSERT INTO content_items (id, channel_id, remote_id, url, excerpt, is_reply, published_at, published_ts, post_target_id, first_seen_at, deleted_at, polled_at, next_poll_at, quiet_polls, engagement) VALUES
  (1, 1, '303', 'https://mastodon.example/@shop/303', '@ana@social.example Yes, until Sunday.', 1, '2026-02-01 09:10:02+00:00', 1769937002, 3, '2026-02-01 09:10:02+00:00', NULL, '2026-02-01 10:10:02+00:00', '2026-02-01 11:10:02+00:00', 0, 1),
  (2, 1, '250', 'https://mastodon.example/@shop/250', 'Spring sale starts today', 0, '2026-01-20 08:00:00+00:00', 1768896000, NULL, '2026-02-01 06:00:00+00:00', '2026-02-03 06:00:00+00:00', '2026-02-02 06:00:00+00:00', NULL, 2, 17);
INSERT INTO content_items (id, channel_id, watch_id, remote_id, url, excerpt, is_reply, published_at, published_ts, first_seen_at, polled_at, next_poll_at, quiet_polls, engagement) VALUES
  (3, 1, 1, '990', 'https://social.example/@rival/990', 'Our winter sale', 0, '2026-02-01 20:00:00+00:00', 1769976000, '2026-02-02 06:00:00+00:00', '2026-02-02 06:00:00+00:00', '2026-02-02 12:00:00+00:00', 0, 40);
INSERT INTO content_metrics (content_id, metric, taken_at, value, delta, channel_id, counted_at) VALUES
  (1, 'likes', '2026-02-01 10:10:02+00:00', 1, 1, 1, 1769937002),
  (2, 'likes', '2026-02-01 06:00:00+00:00', 14, 14, 1, 1768896000),
  (2, 'shares', '2026-02-01 06:00:00+00:00', 3, 3, 1, 1768896000);
INSERT INTO content_latest (content_id, metric, value, taken_at) VALUES
  (1, 'likes', 1, '2026-02-01 10:10:02+00:00'),
  (2, 'likes', 14, '2026-02-01 06:00:00+00:00'),
  (2, 'shares', 3, '2026-02-01 06:00:00+00:00');
INSERT INTO metric_sync (channel_id, channel_read_at, channel_next_at, posts_read_at, listed_to, list_next_at, backfill_since, backfill_cursor, backfilled_at, last_error, last_error_at, updated_at) VALUES
  (1, '2026-02-02 06:00:00+00:00', '2026-02-02 12:00:00+00:00', '2026-02-02 06:00:00+00:00', '2026-02-01 09:10:02+00:00', '2026-02-02 12:00:00+00:00', '2025-11-03 06:00:00+00:00', '', '2026-02-01 06:05:00+00:00', '', NULL, '2026-02-02 06:00:00+00:00');
INSERT INTO dashboards (id, name, position, spec, report_every, report_dir, report_next_at, created_at, updated_at) VALUES
  (1, 'Weekly review', 1, '{"channelIds":[1],"range":"28d","widgets":[{"id":"w1","type":"kpi","metric":"followers","scope":"channel"}]}', 'week', '/home/user/Reports', '2026-02-09 08:00:00+00:00', '2026-02-02 09:00:00+00:00', '2026-02-02 09:00:00+00:00');
