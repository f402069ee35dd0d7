-- Outbox delivery: a fencing token per claim, the transmission in flight, outcomes not known, priority.
-- lease_token: set by each claim; a worker records an outcome only while the row still carries its token.
ALTER TABLE outbox ADD COLUMN lease_token text;
-- in_flight_until: set just before the message is handed over (before SMTP DATA); the attempt has
-- certainly ended by then. Nobody claims the row again before it, whatever its lease says.
ALTER TABLE outbox ADD COLUMN in_flight_until timestamptz;
-- unknown_outcomes: attempts that handed the message over and never learnt whether it was accepted
-- (a crash or a lost connection after DATA); each such message was sent again with the same Message-ID.
ALTER TABLE outbox ADD COLUMN unknown_outcomes integer NOT NULL DEFAULT 0;
-- priority: 0 codes, 1 security notices, 2 bulk (service notices, periodic reminders). Lower goes first.
ALTER TABLE outbox ADD COLUMN priority smallint NOT NULL DEFAULT 1;
UPDATE outbox SET priority = 0 WHERE kind = 'code';
UPDATE outbox SET priority = 2 WHERE kind IN ('notice', 'periodic_reminder');
-- A waiting message goes out as early as the most urgent message queued behind it for the same recipient.
UPDATE outbox o SET priority = (SELECT min(p.priority) FROM outbox p WHERE lower(p.recipient) = lower(o.recipient) AND p.status = 'pending' AND p.seq >= o.seq) WHERE o.status = 'pending';
CREATE INDEX outbox_claim ON outbox (priority, next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX outbox_open_recipient ON outbox (lower(recipient), seq) WHERE status IN ('pending', 'sending');
