import { accountParts, accountTemplates } from './account.ts';
import { codeParts, codeTemplates } from './code.ts';
import { customTemplates } from './custom.ts';
import type { EmailKind, MessageParts } from './types.ts';

/**
 * The catalogue of every email Mamori sends, one entry per template id: `code.<purpose>` for codes
 * (`code.ts`), the outbox kind for the rest (`account.ts`, `custom.ts`). The id is also the folder name of an
 * override under TEMPLATES_DIR (`overrides.ts`). Service notices are not in it: their words are the
 * operator's, and they share the layout (`layout.tsx`).
 */
export const CATALOGUE = { ...codeTemplates, ...accountTemplates, ...customTemplates };

export type TemplateId = keyof typeof CATALOGUE;

export function isTemplateId(v: string): v is TemplateId {
  return Object.hasOwn(CATALOGUE, v);
}

/** The template id of a message: `code.<purpose>`, the custom message's name, or its kind. */
export function templateIdOf(m: EmailKind): TemplateId | null {
  const id = m.kind === 'code' ? `code.${m.purpose}` : m.kind === 'custom' ? m.name : m.kind;
  return isTemplateId(id) ? id : null;
}

/** The words of a message, as dictionary keys. */
export function partsOf(m: EmailKind): MessageParts {
  if (m.kind === 'code') return codeParts(m);
  if (m.kind === 'custom')
    return {
      subject: m.subject,
      lines: m.lines,
      highlight: m.highlight,
      action: m.action,
      warn: m.warn,
      anonymous: m.anonymous,
    };
  return accountParts(m);
}

export type { CodePurpose, EmailKind, MessageParts, TemplateEntry } from './types.ts';
