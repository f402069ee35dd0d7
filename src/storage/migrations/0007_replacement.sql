-- Replacement of all security info ("I don't have any of these"): the new info waits 30 days, then replaces
-- the old info exactly once. A draft collects the new info while the owner verifies it; confirming it makes
-- it pending. State lives here so the wait survives restarts and several instances (replacement/scheduler.ts).
CREATE TABLE replacements (
  id            text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('draft', 'pending', 'cancelled', 'completed')),
  source        text NOT NULL CHECK (source IN ('self', 'recovery_form')),
  created_at    timestamptz NOT NULL,
  started_at    timestamptz,                      -- when it became pending (the wait starts)
  effective_at  timestamptz,                      -- started_at + the wait; never moved earlier by the user
  ended_at      timestamptz,                      -- cancelled or completed
  ended_how     text                              -- 'link', 'not_me', 'owner', 'old_method', 'wait_over', 'recovery_code'
);
-- At most one draft and one pending replacement per account.
CREATE UNIQUE INDEX replacements_one_draft ON replacements (account_id) WHERE status = 'draft';
CREATE UNIQUE INDEX replacements_one_pending ON replacements (account_id) WHERE status = 'pending';
CREATE INDEX replacements_due ON replacements (effective_at) WHERE status = 'pending';

-- The new security info. Verified items only are applied; beginReplacement() inserts verified items directly.
CREATE TABLE replacement_items (
  id             text PRIMARY KEY,
  replacement_id text NOT NULL REFERENCES replacements(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('email', 'phone')),
  value          text NOT NULL,
  value_key      text NOT NULL,
  verified_at    timestamptz,
  created_at     timestamptz NOT NULL,
  UNIQUE (replacement_id, kind, value_key)
);

-- Cancel links: one random token per message; only its SHA-256 is stored.
CREATE TABLE replacement_tokens (
  id             text PRIMARY KEY,                -- SHA-256 of the token
  replacement_id text NOT NULL REFERENCES replacements(id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL
);
CREATE INDEX replacement_tokens_replacement ON replacement_tokens (replacement_id);

-- Which notices of the wait were sent (day 0 at once, then days 1, 7, 21, 28): each exactly once.
CREATE TABLE replacement_reminders (
  replacement_id text NOT NULL REFERENCES replacements(id) ON DELETE CASCADE,
  day            integer NOT NULL,
  sent_at        timestamptz NOT NULL,
  PRIMARY KEY (replacement_id, day)
);
