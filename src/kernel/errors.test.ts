import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { ERROR_STATUS } from './errors.ts';

describe('error codes', () => {
  it('every code has a message and is listed in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERROR_STATUS)) {
      expect(en, code).toHaveProperty(`error.${code}`);
      expect(doc, `docs/errors.md lacks ${code}; run npm run docs:errors`).toContain(`| \`${code}\` |`);
    }
  });
});
