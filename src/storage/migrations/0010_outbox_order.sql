-- Messages to one recipient are delivered in the order they were written.
ALTER TABLE outbox ADD COLUMN seq bigserial;
