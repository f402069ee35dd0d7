-- Applications that sign users in through Mamori (docs/apps.md): the OpenID Connect provider's storage, its
-- signing keys, registered clients, webhook endpoints and shared-signals receivers. Deliveries to apps go
-- through the outbox on the `http` channel. Owner: src/apps/ (store/). Expand only: an instance of the
-- previous version never reads these tables, and still only writes `email` and `sms` outbox rows.

-- oidc-provider's models (Session, Interaction, AuthorizationCode, AccessToken, RefreshToken, Grant, …), one
-- row each, found by (model, id). `account_id`, `grant_id`, `session_uid` and `sid` are copied out of the
-- payload so that ending an account's sessions can delete every token issued for it in one statement.
CREATE TABLE oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  account_id text,
  grant_id text,
  uid text,
  user_code text,
  -- The Mamori session (public id) a provider session or grant was issued under, when there is one.
  mamori_session text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payloads_grant ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_account ON oidc_payloads (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX oidc_payloads_expiry ON oidc_payloads (expires_at);

-- The provider's signing keys: private JWKs encrypted at rest. The newest `active` key of each algorithm
-- signs; `retiring` keys stay in the JWKS until `retire_after` so tokens they signed still verify.
CREATE TABLE oidc_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'retiring')),
  created_at timestamptz NOT NULL,
  retire_after timestamptz
);
-- One active key per algorithm: instances starting at once on an empty table create exactly one.
CREATE UNIQUE INDEX oidc_keys_one_active ON oidc_keys (alg) WHERE status = 'active';

-- Registered OpenID Connect clients (relying applications). `org_id` NULL: registered by an operator for the
-- whole deployment. The client secret (confidential clients) is encrypted at rest; `metadata` is the client's
-- registered metadata (redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, grant_types, …).
CREATE TABLE app_clients (
  client_id text PRIMARY KEY,
  org_id text REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  metadata jsonb NOT NULL,
  secret text,
  created_by text,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);
CREATE INDEX app_clients_org ON app_clients (org_id);

-- Webhook endpoints (Standard Webhooks). `org_id` NULL: the whole deployment. Secrets encrypted at rest; during
-- a rotation the previous secret also signs until `previous_until`.
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  org_id text REFERENCES organisations(id) ON DELETE CASCADE,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  events jsonb NOT NULL,
  secret text NOT NULL,
  previous_secret text,
  previous_until timestamptz,
  created_by text,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

-- Shared-signals receivers (RFC 8935 push of Security Event Tokens, RFC 8417) registered for a client.
CREATE TABLE signal_receivers (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES app_clients(client_id) ON DELETE CASCADE,
  endpoint_url text NOT NULL,
  -- Optional bearer token the receiver expects (RFC 8935 §2.1 leaves authentication to the deployment).
  auth_token text,
  events jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);
CREATE INDEX signal_receivers_client ON signal_receivers (client_id);

-- Deliveries to applications: the outbox's shape in a table of its own, delivered by a second dispatcher
-- (src/notifications/dispatcher.ts with `table: 'app_deliveries'`). Channel `http`; kind `webhook` | `signal` |
-- `backchannel_logout`; recipient = the endpoint's id, so one endpoint's deliveries go in order and a slow one
-- holds up only its own. A table of its own, not outbox rows: an instance of the previous version (whose
-- dispatcher knows only email and SMS) never takes them, and codes never queue behind webhooks.
CREATE TABLE app_deliveries (
  id text PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  account_id text,
  -- The organisation whose endpoint receives it (NULL: the deployment's), for the delivery log.
  org_id text,
  channel text NOT NULL DEFAULT 'http' CHECK (channel = 'http'),
  kind text NOT NULL CHECK (kind IN ('webhook', 'signal', 'backchannel_logout')),
  recipient text NOT NULL,
  -- The event type carried (`account.secured`, a SET event URI, `logout`), for the delivery log.
  event_type text NOT NULL DEFAULT '',
  subject text NOT NULL DEFAULT '',
  body_text text NOT NULL,
  body_html text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'parked')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  seq bigserial NOT NULL,
  lease_token text,
  in_flight_until timestamptz,
  unknown_outcomes integer NOT NULL DEFAULT 0,
  priority smallint NOT NULL DEFAULT 1
);
CREATE INDEX app_deliveries_claim ON app_deliveries (priority, next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX app_deliveries_due ON app_deliveries (status, next_attempt_at);
CREATE INDEX app_deliveries_open_recipient ON app_deliveries (lower(recipient), seq)
  WHERE status IN ('pending', 'sending');
CREATE INDEX app_deliveries_log ON app_deliveries (recipient, created_at DESC);
