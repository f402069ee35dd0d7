-- Operators sign in with a password and then a code from an authenticator app (TOTP, RFC 6238). The secret
-- is encrypted (AES-256-GCM, key derived from MAMORI_SECRET for the purpose "operator-totp"); the last
-- accepted time step is kept so that a code is accepted once (RFC 6238 section 5.2).
ALTER TABLE operators ADD COLUMN totp_secret_enc text;
ALTER TABLE operators ADD COLUMN totp_last_step integer;
ALTER TABLE operators ADD COLUMN totp_enrolled_at timestamptz;

-- Between the password and the code a session is 'pending' (10 minutes at most; it opens nothing). During a
-- first sign-in it holds the authenticator secret being enrolled, encrypted like the one above.
ALTER TABLE operator_sessions ADD COLUMN stage text NOT NULL DEFAULT 'full' CHECK (stage IN ('pending', 'full'));
ALTER TABLE operator_sessions ADD COLUMN pending_secret_enc text;

-- Sessions opened with a password alone end here: every operator signs in again, with the second factor.
DELETE FROM operator_sessions;
