import type { MessageKey } from '../../i18n/index.ts';
import type { CodePurpose, EmailKind, MessageParts, TemplateEntry } from './types.ts';

/**
 * Code emails, one per purpose (words: `src/i18n/areas/mail-code.ts`, `mail.code.<purpose>.*`). Each names
 * what the code is for, shows it, and says what to do when the reader did not ask for it. Code emails may
 * reach someone other than the owner (an address being added): no name in them.
 */

/** Every purpose, with the place to act for those whose "if this was not you" needs the owner to act. */
const PURPOSES: Record<CodePurpose, { action?: { label: MessageKey; path: string } }> = {
  signup: {},
  add_email: {},
  add_phone: {},
  reset: {},
  // Sent only to someone signed in to the account.
  reauth: { action: { label: 'mail.code.secure_action', path: '/security/secure' } },
  // Sent only after the right password: someone knows it.
  signin: { action: { label: 'mail.code.secure_action', path: '/security/secure' } },
  replace: {},
  recovery_form: {},
};

/** The words of a code email. */
export function codeParts(m: Extract<EmailKind, { kind: 'code' }>): MessageParts {
  return {
    subject: `mail.code.${m.purpose}.subject`,
    lines: [`mail.code.${m.purpose}.intro`],
    highlight: m.code,
    after: ['mail.code.validity', 'mail.code.never_share'],
    anonymous: true,
    // What the reader should do if they did not ask for it depends on why the code was sent.
    warn: `mail.code.${m.purpose}.not_you`,
    action: PURPOSES[m.purpose].action,
  };
}

/** Template ids `code.<purpose>`: one folder per purpose under TEMPLATES_DIR. */
export const codeTemplates = Object.fromEntries(
  (Object.keys(PURPOSES) as CodePurpose[]).map((p) => [
    `code.${p}`,
    {
      kind: 'code',
      placeholders: ['code', 'minutes', 'account'],
      required: ['code'],
      anonymous: true,
      action: PURPOSES[p].action !== undefined,
    } satisfies TemplateEntry,
  ]),
) as unknown as Record<`code.${CodePurpose}`, TemplateEntry>;
