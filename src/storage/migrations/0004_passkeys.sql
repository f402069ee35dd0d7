-- Passkeys (WebAuthn): the challenges of registration, passwordless sign-in and second-factor ceremonies.
-- The client holds a random token (an HttpOnly cookie on the web, returned to API clients); only its
-- SHA-256 is stored. A challenge is single use: used_at is set when a response is checked, right or wrong.
CREATE TABLE webauthn_challenges (
  id          text PRIMARY KEY,                 -- SHA-256 of the token
  account_id  text REFERENCES accounts(id) ON DELETE CASCADE,  -- null for a passwordless sign-in
  purpose     text NOT NULL CHECK (purpose IN ('register', 'signin', 'second_factor')),
  challenge   text NOT NULL,                    -- base64url, as sent in the options
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,             -- 5 minutes after created_at
  used_at     timestamptz
);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);

-- A credential id belongs to one account only: sign-in finds the account by it.
CREATE UNIQUE INDEX security_methods_passkey_credential ON security_methods (value_key) WHERE kind = 'passkey';
