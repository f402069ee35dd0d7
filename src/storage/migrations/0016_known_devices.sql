-- Devices the owner has used successfully for an account (a sign-up confirmed, a sign-in, a password reset),
-- by the SHA-256 of the browser's `mamori_device` cookie. A known device draws from the owner's own budgets
-- (send budget `owner`, its own sign-in throttle), never from the open ones strangers can fill
-- (src/sessions/known-devices.ts). At most 20 per account, the least recently used dropped.
CREATE TABLE known_devices (
  account_id   text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_hash  text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, device_hash)
);
CREATE INDEX known_devices_device ON known_devices (device_hash);
