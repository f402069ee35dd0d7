-- A member whose organisation's registration requirement interrupted the sign-in is held to complying (or
-- snoozing) until it is met: the session's own read carries the mark (docs/flows/organisations.md). Expand only:
-- an instance of the previous version ignores the column.
ALTER TABLE org_members ADD COLUMN registration_held boolean NOT NULL DEFAULT false;
