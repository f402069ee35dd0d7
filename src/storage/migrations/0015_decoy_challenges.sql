-- A decoy challenge (the code step shown when nothing was sent: a wrong confirmation in password reset, an
-- address without an account, a sign-up with an address that is taken) answers like a real one but can never
-- be consumed. Its code_hmac is the HMAC of a random value that is not a code, and this flag is checked in
-- the same UPDATE that consumes a code.
ALTER TABLE challenges ADD COLUMN decoy boolean NOT NULL DEFAULT false;
