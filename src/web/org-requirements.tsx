import type { MessageKey } from '../i18n/index.ts';
import type { MemberRequirement } from '../organisations/enforcement.ts';
import { POLICY_METHOD_KINDS, type RequiredKind, type Shortfall } from '../organisations/policy.ts';
import { Notice, type PageContext, translator } from './render.tsx';

/**
 * What a member's organisation requires, as the security overview, the checkup and the required page show it
 * (organisations/enforcement.ts reads it). Shared here because one capability's http/ never imports another's.
 */

const NEED: Record<RequiredKind, MessageKey> = {
  phone: 'org.member.need.phone',
  phishing_resistant: 'org.member.need.phishing_resistant',
  authenticator: 'org.member.need.authenticator',
};

/** One shortfall in words: "A mobile number (text messages)", "At least 2 methods besides your sign-in address (you have 1)". */
export function shortfallText(pc: PageContext, s: Shortfall): string {
  const tr = translator(pc.locale);
  return s.kind === 'required'
    ? tr(NEED[s.required])
    : tr('org.member.need.count', { need: s.need, have: s.have });
}

/** ISO 3166-1 alpha-2 codes as country names in the page language ("日本", "Japan"), joined for a sentence. */
export function countryNames(pc: PageContext, codes: string[]): string {
  const names = new Intl.DisplayNames([pc.locale], { type: 'region' });
  return codes.map((c) => names.of(c) ?? c).join(pc.locale === 'ja' ? '・' : ', ');
}

/** The kinds of the policy as names, joined for a sentence. */
function kindsText(pc: PageContext, kinds: string[]): string {
  return kinds.join(pc.locale === 'ja' ? '・' : ', ');
}

/** The organisation's policy in plain words, whether the account meets it, and a link to the required page. */
export function OrgRequirements(p: { pc: PageContext; r: MemberRequirement; link?: boolean }) {
  const { pc, r } = p;
  const tr = translator(pc.locale);
  const allowed = POLICY_METHOD_KINDS.filter((k) => r.policy.allowed[k]).map((k) => tr(`method.kind.${k}`));
  const required = r.policy.required.map((k) => tr(NEED[k]));
  const ok = r.met && !r.reregister;
  return (
    <section class="org-requirements" data-testid="org-requirements" data-met={String(ok)}>
      <h2>{tr('org.member.policy_title')}</h2>
      <p>{r.org.name}</p>
      <ul>
        <li>{tr('org.member.policy_min', { min: r.policy.minMethods })}</li>
        {required.length > 0 ? (
          <li>{tr('org.member.policy_required', { kinds: kindsText(pc, required) })}</li>
        ) : null}
        <li>{tr('org.member.policy_allowed', { kinds: kindsText(pc, allowed) })}</li>
        {r.policy.allowed.phone && r.policy.smsCountries.length > 0 ? (
          <li>{tr('org.member.countries', { countries: countryNames(pc, r.policy.smsCountries) })}</li>
        ) : null}
      </ul>
      {ok ? (
        <Notice kind="ok">{tr('org.member.policy_met')}</Notice>
      ) : (
        <Notice kind="warn">
          {tr('org.member.policy_unmet')}{' '}
          {p.link === false ? null : (
            <a href="/security/required" data-testid="org-requirements-fix">
              {tr('org.member.policy_fix')}
            </a>
          )}
        </Notice>
      )}
    </section>
  );
}

/**
 * On an add page: what the organisation allows for this kind, said up front (a kind it does not allow, the
 * countries SMS may go to). Nothing outside an organisation.
 */
export function OrgAddNotice(p: {
  pc: PageContext;
  policy: MemberRequirement['policy'] | null;
  kind: (typeof POLICY_METHOD_KINDS)[number];
}) {
  const tr = translator(p.pc.locale);
  if (!p.policy) return null;
  if (!p.policy.allowed[p.kind])
    return (
      <Notice kind="warn">
        <span data-testid="org-not-allowed">{tr('org.member.not_allowed')}</span>
      </Notice>
    );
  if (p.kind === 'phone' && p.policy.smsCountries.length > 0)
    return (
      <p class="hint" data-testid="org-sms-countries">
        {tr('org.member.countries', { countries: countryNames(p.pc, p.policy.smsCountries) })}
      </p>
    );
  return null;
}
