-- The account recovery form (for people who lost every method) and the operator console that reviews it.
-- See docs/flows/recovery-form.md.

-- Operators of the console: a separate role, never user accounts. Passwords are argon2id (hashPassword).
CREATE TABLE operators (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  name_key      text NOT NULL UNIQUE,               -- lower-cased name, for sign-in
  role          text NOT NULL CHECK (role IN ('reviewer', 'admin')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL,
  disabled_at   timestamptz
);

-- Operator sessions, apart from user sessions. The client holds a random token (cookie on path /operator,
-- or a bearer token for the API); only its SHA-256 is stored.
CREATE TABLE operator_sessions (
  id           text PRIMARY KEY,
  operator_id  text NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ip           text NOT NULL,
  user_agent   text NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- Every reviewer action (sign-in, decisions, outbox retries), append-only.
CREATE TABLE operator_audit (
  id            text PRIMARY KEY,
  seq           bigserial,
  operator_id   text NOT NULL,
  operator_name text NOT NULL,
  action        text NOT NULL,
  target        text NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL
);
CREATE INDEX operator_audit_created ON operator_audit (created_at DESC, seq DESC);

-- Keyed hashes (HMAC with the server secret) of contact emails and phones an account has had, so the form can
-- recognise a past address without keeping it. Filled by rememberContact() (recovery-form/past-contacts.ts).
CREATE TABLE past_contacts (
  account_id    text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('email', 'phone')),
  value_hmac    text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, kind, value_hmac)
);

-- One recovery request. account_id is null when the account entered does not exist (same steps, denial later).
-- Only match results are kept as evidence, never what was typed for passwords.
CREATE TABLE recovery_requests (
  id                 text PRIMARY KEY,
  flow_hash          text NOT NULL UNIQUE,           -- SHA-256 of the requester's flow token
  account_id         text REFERENCES accounts(id) ON DELETE CASCADE,
  account_key        text NOT NULL,                  -- the lower-cased address entered
  contact_email      text NOT NULL,
  contact_key        text NOT NULL,
  locale             text NOT NULL,
  challenge_id       text,
  contact_verified_at timestamptz,
  status             text NOT NULL CHECK (status IN ('draft', 'review', 'approved', 'denied')),
  score              integer,
  evidence           jsonb NOT NULL DEFAULT '{}',
  decided_by         text,                           -- 'auto' or an operator id
  decision_reason    text,
  decided_at         timestamptz,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,           -- a draft not submitted by then is gone
  submitted_at       timestamptz,
  due_at             timestamptz,                    -- submitted_at + 24 hours: the answer is sent by then
  reset_token_hash   text UNIQUE,                    -- SHA-256 of the one-time link's token (approved only)
  reset_expires_at   timestamptz,
  reset_used_at      timestamptz,
  ip                 text NOT NULL,
  user_agent         text NOT NULL,
  country            text NOT NULL
);
CREATE INDEX recovery_requests_account ON recovery_requests (account_key, submitted_at DESC);
CREATE INDEX recovery_requests_contact ON recovery_requests (contact_key, submitted_at DESC);
CREATE INDEX recovery_requests_queue ON recovery_requests (status, due_at);

-- Proof-of-work challenges already used (replay guard); kept until the challenge would have expired anyway.
CREATE TABLE recovery_pow_spent (
  salt       text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
