-- The account's security stamp: a version of its password and security info. Every change of either
-- (password set or reset, a method verified or removed, two-step on or off, a recovery code made or spent,
-- a replacement applied or cancelled) adds one. Every pending flow and code records the stamp it was
-- issued against and is refused once the stamp has moved on (docs/security.md, "Stale flows").
ALTER TABLE accounts ADD COLUMN security_stamp bigint NOT NULL DEFAULT 0;
-- Bumped with every change that a cached session check may depend on (a session ended, a step-up, a stamp
-- change): instances compare it before trusting their session cache (sessions/session-cache.ts).
ALTER TABLE accounts ADD COLUMN sessions_gen bigint NOT NULL DEFAULT 0;

-- The stamp a step-up was made against: a step-up counts only while the account's stamp is the same.
ALTER TABLE sessions ADD COLUMN reauth_stamp bigint;

ALTER TABLE reset_flows ADD COLUMN stamp bigint;
ALTER TABLE challenges ADD COLUMN stamp bigint;
ALTER TABLE pending_signins ADD COLUMN stamp bigint;
ALTER TABLE webauthn_challenges ADD COLUMN stamp bigint;
-- A method being set up (an authenticator secret not yet confirmed) belongs to the stamp it was started at.
ALTER TABLE security_methods ADD COLUMN stamp bigint;
ALTER TABLE recovery_requests ADD COLUMN stamp bigint;
ALTER TABLE replacements ADD COLUMN stamp bigint;
-- "Don't ask again on this device" vouches for the security info of that moment only.
ALTER TABLE trusted_devices ADD COLUMN stamp bigint;
