-- Mamori core schema: accounts, sessions, security methods, verification challenges,
-- password reset flows, notifications outbox, activity, limits. Runs on PGlite and PostgreSQL.

CREATE TABLE accounts (
  id                  text PRIMARY KEY,
  email               text NOT NULL,
  email_key           text NOT NULL UNIQUE,
  display_name        text NOT NULL,
  locale              text NOT NULL,
  time_zone           text NOT NULL DEFAULT 'Asia/Tokyo',
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL,
  email_confirmed_at  timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);

CREATE TABLE password_history (
  account_id    text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at DESC);

CREATE TABLE sessions (
  id           text PRIMARY KEY,              -- SHA-256 of the session token; the token itself is never stored
  public_id    text NOT NULL UNIQUE,          -- shown in the sessions list and used to end one session
  account_id   text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,          -- absolute expiry
  reauth_at    timestamptz,                   -- last fresh proof (password or code), for sensitive changes
  ip           text NOT NULL,
  user_agent   text NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE security_methods (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('email', 'phone')),
  value        text NOT NULL,                 -- normalised address or E.164 number
  value_key    text NOT NULL,                 -- lower-cased value, for equality
  label        text NOT NULL DEFAULT '',
  verified_at  timestamptz,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  UNIQUE (account_id, kind, value_key)
);

-- One challenge per (purpose, subject, destination). Only the latest code's HMAC is kept, so only the
-- latest code is valid; failures survive re-sends because a re-send updates the same row.
CREATE TABLE challenges (
  id              text PRIMARY KEY,
  purpose         text NOT NULL,
  subject         text NOT NULL,              -- account id, method id or reset flow id the code proves
  account_id      text,
  channel         text NOT NULL CHECK (channel IN ('email', 'phone')),
  destination     text NOT NULL,
  destination_key text NOT NULL,
  code_hmac       text,
  code_sent_at    timestamptz,
  code_expires_at timestamptz,
  failures        integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  consumed_at     timestamptz,
  created_at      timestamptz NOT NULL,
  UNIQUE (purpose, subject, destination_key)
);

-- Every code sent, for the per-destination daily cap and resend cooldown.
CREATE TABLE code_sends (
  destination_key text NOT NULL,
  sent_at         timestamptz NOT NULL
);
CREATE INDEX code_sends_destination ON code_sends (destination_key, sent_at DESC);

CREATE TABLE reset_flows (
  id           text PRIMARY KEY,              -- SHA-256 of the flow token
  account_id   text,                          -- null when the account does not exist (uniform answers)
  account_key  text NOT NULL,                 -- the lower-cased address that was entered
  attempts     integer NOT NULL DEFAULT 0,    -- confirmations tried in this flow
  method_id    text,
  challenge_id text,
  verified_at  timestamptz,
  completed_at timestamptz,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);

CREATE TABLE outbox (
  id              text PRIMARY KEY,
  reference       text NOT NULL UNIQUE,       -- shown in the message footer
  account_id      text,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  kind            text NOT NULL,
  recipient       text NOT NULL,
  subject         text NOT NULL DEFAULT '',
  body_text       text NOT NULL,
  body_html       text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'parked')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_account ON outbox (account_id, created_at DESC);

-- The built-in dev mailbox and SMS outbox (used when no SMTP / SMS provider is configured; off in production).
CREATE TABLE dev_messages (
  id         text PRIMARY KEY,
  channel    text NOT NULL,
  recipient  text NOT NULL,
  subject    text NOT NULL DEFAULT '',
  body_text  text NOT NULL,
  body_html  text NOT NULL DEFAULT '',
  reference  text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX dev_messages_created ON dev_messages (created_at DESC);

CREATE TABLE activity (
  id         text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind       text NOT NULL,
  created_at timestamptz NOT NULL,
  ip         text NOT NULL,
  user_agent text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX activity_account ON activity (account_id, created_at DESC);

-- Fixed-window counters for throttling when Redis is not configured.
CREATE TABLE limits (
  key        text PRIMARY KEY,
  count      integer NOT NULL,
  expires_at timestamptz NOT NULL
);
