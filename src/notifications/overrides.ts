import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../kernel/context.ts';
import { CATALOGUE, isTemplateId, type TemplateEntry, type TemplateId } from './catalogue/index.ts';

/**
 * A self-hoster's own words for some message kinds, from the optional TEMPLATES_DIR
 * (docs/operations.md#branding-emails):
 *
 *     TEMPLATES_DIR/<template id>/<locale>/subject.txt   one line
 *     TEMPLATES_DIR/<template id>/<locale>/text.txt      the plain-text body
 *     TEMPLATES_DIR/<template id>/<locale>/html.html     the HTML body (a fragment, not a document)
 *
 * with `{{placeholder}}` filled in (HTML-escaped in `html.html`). Any file may be left out (the built-in
 * words are used), but `text.txt` and `html.html` come together, so both versions say the same. An override
 * replaces only the message's own words: the layout (`layout.tsx`) still adds the personal phrase and the
 * safety footer (never asking for passwords or codes, the message reference).
 */
export interface TemplateOverride {
  subject?: string;
  text?: string;
  html?: string;
}

/** Overrides by `<template id>/<locale>`. */
export type TemplateOverrides = ReadonlyMap<`${TemplateId}/${Locale}`, TemplateOverride>;

const LOCALES: readonly Locale[] = ['ja', 'en'];
const FILES = { 'subject.txt': 'subject', 'text.txt': 'text', 'html.html': 'html' } as const;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Every `{{placeholder}}` an override of `entry` may use. */
export function placeholdersOf(entry: TemplateEntry): string[] {
  return [
    ...entry.placeholders,
    'reference',
    'publicUrl',
    'forgotUrl',
    ...(entry.anonymous ? [] : ['name']),
    ...(entry.action ? ['actionUrl'] : []),
  ];
}

/**
 * Reads and checks every override under `dir` (at start). Returns the overrides and every problem found,
 * each naming its file: an unreadable directory or file, an unknown template folder, locale or file name,
 * a placeholder the message does not have, a required one missing (`{{code}}` in a code message, the one
 * link of messages that exist for it), a subject that is empty or spans lines, text without HTML or the
 * reverse.
 */
export function loadTemplateOverrides(dir: string): {
  overrides: TemplateOverrides;
  problems: string[];
} {
  const problems: string[] = [];
  const overrides = new Map<`${TemplateId}/${Locale}`, TemplateOverride>();
  const list = (path: string): string[] | null => {
    try {
      if (!statSync(path).isDirectory()) {
        problems.push(`${path} is not a directory`);
        return null;
      }
      return readdirSync(path)
        .filter((n) => !n.startsWith('.'))
        .sort();
    } catch (e) {
      problems.push(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return null;
    }
  };
  for (const id of list(dir) ?? []) {
    const idDir = join(dir, id);
    if (!isTemplateId(id)) {
      problems.push(
        `${idDir}: unknown message kind "${id}" (the folder names are listed in docs/operations.md#branding-emails)`,
      );
      continue;
    }
    const entry = CATALOGUE[id];
    const allowed = new Set(placeholdersOf(entry));
    for (const locale of list(idDir) ?? []) {
      const localeDir = join(idDir, locale);
      if (!(LOCALES as string[]).includes(locale)) {
        problems.push(`${localeDir}: unknown language "${locale}" (use ${LOCALES.join(' or ')})`);
        continue;
      }
      const o: TemplateOverride = {};
      for (const file of list(localeDir) ?? []) {
        const path = join(localeDir, file);
        const part = FILES[file as keyof typeof FILES];
        if (!part) {
          problems.push(`${path}: unknown file (use ${Object.keys(FILES).join(', ')})`);
          continue;
        }
        let content: string;
        try {
          content = readFileSync(path, 'utf8');
        } catch (e) {
          problems.push(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
          continue;
        }
        const used = new Set<string>();
        for (const [, inner] of content.matchAll(PLACEHOLDER)) {
          const name = /^\s*(\w+)\s*$/.exec(inner!)?.[1];
          if (!name) problems.push(`${path}: malformed placeholder "{{${inner}}}"`);
          else if (!allowed.has(name))
            problems.push(
              `${path}: unknown placeholder {{${name}}} (${id} has ${[...allowed].map((n) => `{{${n}}}`).join(', ')})`,
            );
          else used.add(name);
        }
        if (part === 'subject') {
          const line = content.replace(/\r?\n$/, '');
          if (line.trim() === '' || /[\r\n]/.test(line))
            problems.push(`${path}: the subject must be one line of text`);
          o.subject = line.trim();
        } else {
          for (const r of entry.required)
            if (!used.has(r)) problems.push(`${path}: missing required placeholder {{${r}}}`);
          o[part] = content.replace(/\s+$/, '');
        }
      }
      if ((o.text === undefined) !== (o.html === undefined))
        problems.push(`${localeDir}: text.txt and html.html must be given together`);
      if (o.subject === undefined && o.text === undefined && o.html === undefined)
        problems.push(`${localeDir}: overrides nothing (no subject.txt, text.txt or html.html)`);
      else overrides.set(`${id}/${locale as Locale}`, o);
    }
  }
  return { overrides, problems };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Fills `{{name}}` from `values` (unknown names become empty); `html` escapes each value for HTML. */
export function fillTemplate(
  template: string,
  values: Record<string, string | number>,
  html: boolean,
): string {
  return template.replace(PLACEHOLDER, (_, inner: string) => {
    const v = String(values[inner.trim()] ?? '');
    return html ? v.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : v;
  });
}
