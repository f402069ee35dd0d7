-- Events written in one transaction share a timestamp: a sequence keeps them in the order they happened.
ALTER TABLE activity ADD COLUMN seq bigserial;
ALTER TABLE dev_messages ADD COLUMN seq bigserial;
