-- Password reset with two-step verification needs two different proofs; a recovery code is one strong proof.
ALTER TABLE reset_flows ADD COLUMN first_method_id text;
ALTER TABLE reset_flows ADD COLUMN used_recovery_code boolean NOT NULL DEFAULT false;
