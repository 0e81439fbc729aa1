-- Each channel's request budget (package ratebudget) is in memory while
-- Herald runs; this table keeps what it had spent and what the network's
-- rate-limit headers last said, so a restart does not begin with a full
-- budget in a window the network still counts. One row per budget;
-- rows untouched for two days (longer than any window) are pruned.
CREATE TABLE rate_budgets (
  bucket           TEXT PRIMARY KEY,
  tokens           REAL NOT NULL,
  tokens_at        DATETIME NOT NULL,
  header_limit     INTEGER NOT NULL DEFAULT 0,
  header_remaining INTEGER NOT NULL DEFAULT 0,
  header_reset     DATETIME,
  updated_at       DATETIME NOT NULL
);
