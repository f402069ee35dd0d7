import { type MessageKey, t as tr } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/kernel/context.ts';
import type { TestApp } from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';

/** A signed-in no-JavaScript browser for the account with this session token, in `lang`. */
export function signedIn(t: TestApp, token: string, lang: Locale = 'ja') {
  const c = formClient(t, { 'accept-language': lang });
  c.jar.set('mamori_session', token);
  c.jar.set('mamori_lang', lang);
  return c;
}

/** A message as a pattern: its `{placeholders}` match anything. */
export function pattern(lang: Locale, key: MessageKey): RegExp {
  const parts = tr(lang, key)
    .split(/\{\w+\}/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('.+?'));
}

/** The text a reader sees: tags, scripts and styles gone, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
