-- The recovery form's per-contact cap counts the mailbox a message reaches (`mailboxKey`: `+tag` removed,
-- dots ignored where the provider ignores them), not the address as typed, which stays in contact_email and
-- contact_key. Rows written before this migration count under their typed key.
ALTER TABLE recovery_requests ADD COLUMN contact_mailbox text;
UPDATE recovery_requests SET contact_mailbox = contact_key;
CREATE INDEX recovery_requests_mailbox ON recovery_requests (contact_mailbox, submitted_at DESC);

-- Only the newest sign-up of an address stands (src/accounts/accounts-service.ts, findSignupChallenge):
-- looking for a newer sign-up challenge of the same address is an index range scan.
CREATE INDEX challenges_purpose_destination ON challenges (purpose, destination_key, created_at);
