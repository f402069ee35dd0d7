-- Two-step verification: authenticator apps and passkeys as methods, the recovery code, trusted devices,
-- pending sign-ins that wait for a second proof, unusual sign-in review, the personal phrase.
ALTER TABLE security_methods DROP CONSTRAINT security_methods_kind_check;
ALTER TABLE security_methods ADD CONSTRAINT security_methods_kind_check CHECK (kind IN ('email', 'phone', 'totp', 'passkey'));
ALTER TABLE security_methods ADD COLUMN secret_enc text;        -- TOTP secret, AES-256-GCM
ALTER TABLE security_methods ADD COLUMN last_step integer;      -- last accepted TOTP step (replay guard)
ALTER TABLE security_methods ADD COLUMN credential jsonb;       -- passkey: public key, counter, transports
ALTER TABLE security_methods ADD COLUMN confirmed_at timestamptz;

ALTER TABLE accounts ADD COLUMN two_step_enabled boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN recovery_code_hash text;
ALTER TABLE accounts ADD COLUMN recovery_code_created_at timestamptz;
ALTER TABLE accounts ADD COLUMN personal_phrase text NOT NULL DEFAULT '';

ALTER TABLE sessions ADD COLUMN second_factor_at timestamptz;   -- last second-factor proof (step-up with 2SV)
ALTER TABLE sessions ADD COLUMN country text NOT NULL DEFAULT '??';

CREATE TABLE trusted_devices (
  id          text PRIMARY KEY,                 -- SHA-256 of the device token (cookie)
  public_id   text NOT NULL UNIQUE,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  ip          text NOT NULL,
  user_agent  text NOT NULL
);
CREATE INDEX trusted_devices_account ON trusted_devices (account_id);

-- A sign-in whose password was right but which needs a second proof before a session starts.
CREATE TABLE pending_signins (
  id          text PRIMARY KEY,                 -- SHA-256 of the token
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  reason      text NOT NULL CHECK (reason IN ('two_step', 'unusual')),
  activity_id text,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  completed_at timestamptz
);

ALTER TABLE activity ADD COLUMN country text NOT NULL DEFAULT '??';
ALTER TABLE activity ADD COLUMN device_key text NOT NULL DEFAULT '';
ALTER TABLE activity ADD COLUMN unusual boolean NOT NULL DEFAULT false;
ALTER TABLE activity ADD COLUMN review text CHECK (review IN ('me', 'not_me'));
CREATE INDEX activity_signins ON activity (account_id, kind, created_at DESC);
