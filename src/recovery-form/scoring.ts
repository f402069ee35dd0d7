/**
 * Scoring of a recovery request (docs/flows/recovery-form.md). Pure: takes the match results, gives points.
 * Nothing here sees what was typed for a password; only whether it matched.
 */

export type ContactMatch = 'current' | 'past' | 'activity' | 'none';

/** What the form's answers matched. This is all that is stored and shown to reviewers. */
export interface EvidenceResult {
  displayName: 'match' | 'mismatch' | 'blank';
  /** One entry per previous password typed: did it match the current or an earlier password. */
  passwords: boolean[];
  countries: { code: string; seen: boolean }[];
  devices: { os: string; seen: boolean }[];
  emails: { masked: string; found: ContactMatch }[];
  phones: { masked: string; found: ContactMatch }[];
  providers: { name: string; label: { ja: string; en: string }; matched: boolean }[];
  /** Where the form was sent from, compared with sign-ins of the last 180 days. */
  here: { country: string; countrySeen: boolean; deviceSeen: boolean };
}

export const POINTS = {
  nameMatch: 10,
  nameMismatch: -5,
  password: 30,
  passwordMax: 2,
  countrySeen: 5,
  countryMax: 2,
  countryUnseen: -5,
  deviceSeen: 5,
  deviceMax: 2,
  deviceUnseen: -3,
  contactCurrentOrPast: 15,
  contactActivity: 5,
  contactMaxPoints: 40,
  provider: 25,
  providerMax: 2,
  providerMismatch: -5,
  hereDevice: 5,
  hereCountry: 3,
} as const;

/** At or above: approved automatically (with at least one strong proof). Below DENY_BELOW: denied. */
export const APPROVE_AT = 75;
export const DENY_BELOW = 35;

export interface Score {
  score: number;
  /** A previous password, a host-provided fact, or two contact addresses the account has had. */
  strong: boolean;
  parts: Record<string, number>;
}

export function scoreEvidence(e: EvidenceResult, accountKnown: boolean): Score {
  if (!accountKnown) return { score: 0, strong: false, parts: {} };
  const parts: Record<string, number> = {};
  parts.name =
    e.displayName === 'match' ? POINTS.nameMatch : e.displayName === 'mismatch' ? POINTS.nameMismatch : 0;
  const pw = e.passwords.filter(Boolean).length;
  parts.passwords = Math.min(pw, POINTS.passwordMax) * POINTS.password;
  const cSeen = e.countries.filter((c) => c.seen).length;
  parts.countries =
    Math.min(cSeen, POINTS.countryMax) * POINTS.countrySeen +
    (e.countries.length - cSeen) * POINTS.countryUnseen;
  const dSeen = e.devices.filter((d) => d.seen).length;
  parts.devices =
    Math.min(dSeen, POINTS.deviceMax) * POINTS.deviceSeen + (e.devices.length - dSeen) * POINTS.deviceUnseen;
  let contacts = 0;
  for (const c of [...e.emails, ...e.phones]) {
    if (c.found === 'current' || c.found === 'past') contacts += POINTS.contactCurrentOrPast;
    else if (c.found === 'activity') contacts += POINTS.contactActivity;
  }
  parts.contacts = Math.min(contacts, POINTS.contactMaxPoints);
  const pMatched = e.providers.filter((p) => p.matched).length;
  parts.providers =
    Math.min(pMatched, POINTS.providerMax) * POINTS.provider +
    e.providers.filter((p) => !p.matched).length * POINTS.providerMismatch;
  parts.here = (e.here.deviceSeen ? POINTS.hereDevice : 0) + (e.here.countrySeen ? POINTS.hereCountry : 0);
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  const strongContacts = [...e.emails, ...e.phones].filter(
    (c) => c.found === 'current' || c.found === 'past',
  ).length;
  return {
    score: Math.max(0, Math.min(100, total)),
    strong: pw > 0 || pMatched > 0 || strongContacts >= 2,
    parts,
  };
}

export type AutoDecision = 'approve' | 'deny' | 'review';

export function decide(s: Score, accountKnown: boolean): AutoDecision {
  if (!accountKnown) return 'deny';
  if (s.score >= APPROVE_AT && s.strong) return 'approve';
  if (s.score < DENY_BELOW) return 'deny';
  return 'review';
}
