-- How a session was proven (RFC 8176 Authentication Method Reference values, docs/flows/apps-oidc.md): the
-- methods used at sign-in and at each later step-up, so the OpenID Connect provider can say `amr` and `acr`
-- honestly. Owner: src/sessions/. Expand only: an instance of the previous version never reads it, and its
-- sessions get an empty list (read as "no second factor known").
ALTER TABLE sessions ADD COLUMN amr text[] NOT NULL DEFAULT '{}';
