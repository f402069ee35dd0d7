-- Extra email headers per message (List-Unsubscribe for service notices, RFC 8058).
ALTER TABLE outbox ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
