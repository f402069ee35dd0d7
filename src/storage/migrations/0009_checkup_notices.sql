-- Periodic check of security info, and service notices (docs/flows/checkup-and-notices.md).
-- The last time the owner confirmed that all their security info is still theirs (null: never; the
-- account's creation counts as the first confirmation), and the last periodic reminder sent.
ALTER TABLE accounts ADD COLUMN info_confirmed_at timestamptz;
ALTER TABLE accounts ADD COLUMN periodic_reminded_at timestamptz;

-- Service notices written by operators in Japanese and English; sent in each user's language.
CREATE TABLE notices (
  id              text PRIMARY KEY,
  category        text NOT NULL CHECK (category IN ('terms', 'service_end', 'billing', 'other')),
  subject_ja      text NOT NULL,
  body_ja         text NOT NULL,
  subject_en      text NOT NULL,
  body_en         text NOT NULL,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
  created_by      text NOT NULL,                -- operator id
  created_at      timestamptz NOT NULL,
  send_started_at timestamptz,                  -- accounts created after this are not included
  sent_by         text,
  cursor_account  text,                         -- accounts are walked in id order: last one fully done
  completed_at    timestamptz
);
CREATE INDEX notices_sending ON notices (status, send_started_at);

-- One row per (notice, address): a notice reaches each address exactly once, however often the
-- delivery runs or restarts. created_at feeds the per-minute rate (NOTICES_PER_MINUTE).
CREATE TABLE notice_deliveries (
  notice_id     text NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  recipient_key text NOT NULL,                  -- lower-cased address
  account_id    text NOT NULL,
  reference     text NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (notice_id, recipient_key)
);
CREATE INDEX notice_deliveries_created ON notice_deliveries (created_at);

-- Categories of service notices an account does not want (every category is received by default).
-- Security messages are not notices and cannot be switched off.
CREATE TABLE notice_optouts (
  account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  category   text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, category)
);
