import type { Locale } from '../../kernel/context.ts';
import type { T as Translate } from '../../web/render.tsx';
import {
  type MethodsPolicy,
  POLICY_METHOD_KINDS,
  type PolicyChange,
  type PolicyMethodKind,
  REQUIRED_KINDS,
  type RequiredKind,
} from '../policy.ts';

/* The policy in words, for the console (overview, editor, audit log), in the reader's language. */

/** Country names of ISO 3166-1 alpha-2 codes in `locale` ("日本 (JP)" style is left to the caller). */
export function countryNames(locale: Locale, codes: string[], tr: Translate): string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: 'region' });
  } catch {
    names = null;
  }
  return codes.map((c) => `${names?.of(c) ?? c} ${c}`).join(tr('org.list_sep'));
}

const isKind = (v: string): v is PolicyMethodKind => (POLICY_METHOD_KINDS as readonly string[]).includes(v);
const isRequired = (v: string): v is RequiredKind => (REQUIRED_KINDS as readonly string[]).includes(v);

/** The kinds of method named in the reader's language. */
export function kindNames(tr: Translate, kinds: PolicyMethodKind[]): string {
  return kinds.map((k) => tr(`org.kind.${k}`)).join(tr('org.list_sep'));
}

/** The required kinds named in the reader's language. */
export function requiredNames(tr: Translate, kinds: RequiredKind[]): string {
  return kinds.map((k) => tr(`org.required.${k}`)).join(tr('org.list_sep'));
}

/** The policy as a few sentences (what the overview and the editor show). */
export function policySummary(tr: Translate, locale: Locale, p: MethodsPolicy): string[] {
  const allowed = POLICY_METHOD_KINDS.filter((k) => p.allowed[k]);
  const lines = [
    tr('org.policy.sum.min', { count: p.minMethods }),
    tr('org.policy.sum.allowed', { kinds: kindNames(tr, allowed) }),
    p.required.length > 0
      ? tr('org.policy.sum.required', { kinds: requiredNames(tr, p.required) })
      : tr('org.policy.sum.required_none'),
  ];
  if (p.allowed.phone)
    lines.push(
      p.smsCountries.length > 0
        ? tr('org.policy.sum.sms', { countries: countryNames(locale, p.smsCountries, tr) })
        : tr('org.policy.sum.sms_any'),
    );
  lines.push(
    tr('org.policy.sum.reset', { count: p.resetMethods }),
    p.reconfirmDays > 0
      ? tr('org.policy.sum.reconfirm', { count: p.reconfirmDays })
      : tr('org.policy.sum.reconfirm_never'),
    p.enforceRegistration
      ? tr('org.policy.sum.enforce', { max: p.maxSnoozes, days: p.snoozeDays })
      : tr('org.policy.sum.no_enforce'),
  );
  return lines;
}

const FIELD_KEYS = [
  'allowed.passkey',
  'allowed.totp',
  'allowed.phone',
  'allowed.email',
  'smsCountries',
  'minMethods',
  'required',
  'resetMethods',
  'reconfirmDays',
  'enforceRegistration',
  'snoozeDays',
  'maxSnoozes',
] as const;
type FieldKey = (typeof FIELD_KEYS)[number];
const isField = (v: string): v is FieldKey => (FIELD_KEYS as readonly string[]).includes(v);

/** A value of the stored diff (policy.ts `flatten`) in words. */
function valueInWords(tr: Translate, locale: Locale, field: string, v: string): string {
  if (v === 'true') return tr('org.value.on');
  if (v === 'false') return tr('org.value.off');
  if (field === 'smsCountries')
    return v === '*' || v === '' ? tr('org.value.any_country') : countryNames(locale, v.split(','), tr);
  if (field === 'required')
    return v === '-' || v === '' ? tr('org.value.none') : requiredNames(tr, v.split(',').filter(isRequired));
  return v;
}

/** One change of a policy (from the audit log's diff) as a line: "Minimum number of methods: 1 → 2". */
export function changeInWords(tr: Translate, locale: Locale, c: PolicyChange): string {
  const field = isField(c.field) ? tr(`org.policy.field.${c.field}`) : c.field;
  return tr('org.policy.change', {
    field,
    from: valueInWords(tr, locale, c.field, c.from),
    to: valueInWords(tr, locale, c.field, c.to),
  });
}

/** Whether a stored detail is a list of changes (a policy diff, a rename). */
export function asChanges(v: unknown): PolicyChange[] | null {
  if (!Array.isArray(v)) return null;
  const ok = v.every(
    (c) =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as PolicyChange).field === 'string' &&
      typeof (c as PolicyChange).from === 'string' &&
      typeof (c as PolicyChange).to === 'string',
  );
  return ok ? (v as PolicyChange[]) : null;
}

export { isKind };
