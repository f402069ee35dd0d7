/**
 * Facts the host application knows about its users (an order number, a plan, a store name…), offered as extra
 * questions on the recovery form. The host registers providers at start:
 *
 * ```ts
 * import { setEvidenceProviders } from './recovery-form/evidence-providers.ts';
 * setEvidenceProviders([{ name: 'order', label: { ja: '最近のご注文番号', en: 'A recent order number' },
 *   check: async (accountId, answer) => myShop.hasOrder(accountId, answer) }]);
 * ```
 *
 * `check` receives the Mamori account id and what the person typed (trimmed, at most 200 characters) and
 * answers only true or false; the answer itself is not stored. A provider that throws counts as "no match".
 * Each match is worth PROVIDER_POINTS in the score (docs/flows/recovery-form.md).
 */
export interface EvidenceProvider {
  /** Stable id: letters, digits and "_" (used as the form field name `provider_<name>`). */
  name: string;
  label: { ja: string; en: string };
  check(accountId: string, answer: string): Promise<boolean>;
}

let providers: EvidenceProvider[] = [];

const NAME_RE = /^[a-z0-9_]{1,32}$/;

/** Replaces the registered providers (call once at start; tests call it to set their own). */
export function setEvidenceProviders(list: EvidenceProvider[]): void {
  const seen = new Set<string>();
  for (const p of list) {
    if (!NAME_RE.test(p.name)) throw new Error(`evidence provider name "${p.name}": use a-z, 0-9 and _`);
    if (seen.has(p.name)) throw new Error(`evidence provider "${p.name}" registered twice`);
    seen.add(p.name);
  }
  providers = [...list];
}

/** Adds one provider to the registered ones. */
export function registerEvidenceProvider(p: EvidenceProvider): void {
  setEvidenceProviders([...providers.filter((x) => x.name !== p.name), p]);
}

export function evidenceProviders(): readonly EvidenceProvider[] {
  return providers;
}

/**
 * An example provider: order numbers the host keeps per account (used by the tests and as a template).
 * Compares case-insensitively, ignoring spaces and hyphens.
 */
export function orderNumberProvider(
  orders: (accountId: string) => string[] | Promise<string[]>,
): EvidenceProvider {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/[\s\-‐－ー]/g, '')
      .toUpperCase();
  return {
    name: 'order_number',
    label: { ja: '最近のご注文番号', en: 'A recent order number' },
    async check(accountId, answer) {
      const want = norm(answer);
      return want.length > 0 && (await orders(accountId)).some((o) => norm(o) === want);
    },
  };
}
