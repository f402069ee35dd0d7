-- Organisations (docs/flows/organisations.md): tenants inside one deployment, each with verified domains,
-- invitations, members with a role, a versioned authentication-methods policy, an audit log, temporary access
-- passes and organisation-scoped API tokens. Owner: src/organisations/ (store/).

CREATE TABLE organisations (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Whom a member who cannot meet the policy contacts (an address or a help-desk line), shown to members.
  contact text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL
);

-- A domain belongs to at most one organisation. An account whose confirmed sign-in address is in it joins.
CREATE TABLE org_domains (
  domain text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  verified_at timestamptz NOT NULL
);
CREATE INDEX org_domains_org ON org_domains (org_id);

-- An account belongs to at most one organisation (the primary key).
CREATE TABLE org_members (
  account_id text PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('member', 'reader', 'auth_admin', 'org_admin')),
  joined_at timestamptz NOT NULL,
  -- Registration enforcement: how many times the member put it off, and until when the last one holds.
  snoozes_used integer NOT NULL DEFAULT 0,
  snoozed_until timestamptz,
  -- Set by an admin action: the member sets up new methods / a new password at the next sign-in.
  must_reregister boolean NOT NULL DEFAULT false,
  must_change_password boolean NOT NULL DEFAULT false
);
CREATE INDEX org_members_org ON org_members (org_id, role);

-- Invitations: by address, stored by the SHA-256 of their token; one open invitation per address and org.
CREATE TABLE org_invitations (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  email text NOT NULL,
  email_key text NOT NULL,
  role text NOT NULL CHECK (role IN ('member', 'reader', 'auth_admin', 'org_admin')),
  token_hash text NOT NULL UNIQUE,
  invited_by text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX org_invitations_org ON org_invitations (org_id, created_at DESC);

-- The authentication-methods policy, versioned: the current one is the highest version of the org.
CREATE TABLE org_policies (
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  version integer NOT NULL,
  policy jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text,
  PRIMARY KEY (org_id, version)
);

-- The organisation's audit log: who did what to whom, with a detail (a policy diff, an action's options).
CREATE TABLE org_audit (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  actor_kind text NOT NULL CHECK (actor_kind IN ('operator', 'admin', 'token', 'member', 'system')),
  actor_id text,
  actor_name text NOT NULL DEFAULT '',
  action text NOT NULL,
  target_account_id text,
  target text NOT NULL DEFAULT '',
  outcome text NOT NULL DEFAULT 'done' CHECK (outcome IN ('done', 'refused')),
  detail jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL
);
CREATE INDEX org_audit_org ON org_audit (org_id, seq DESC);

-- Temporary access passes: one per member (a new one replaces the old), stored as a hash, shown once.
CREATE TABLE temporary_access_passes (
  account_id text PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  pass_hash text NOT NULL,
  one_time boolean NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- The account's security stamp when the pass was issued: a change of security info ends it.
  stamp text NOT NULL
);

-- Admin tokens for /api/v1/orgs/{org}: scoped to one organisation, stored by the SHA-256 of the token.
CREATE TABLE org_api_tokens (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('reader', 'auth_admin', 'org_admin')),
  created_by text,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX org_api_tokens_org ON org_api_tokens (org_id);

-- Daily counts per organisation (members compliant, methods added, resets, recoveries) for the report over
-- time: one row per org, day and measure, written by the housekeeping round and by the events counted.
CREATE TABLE org_daily_counts (
  org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  day date NOT NULL,
  measure text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, measure)
);
