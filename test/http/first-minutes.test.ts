import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';

/** Issue 8, kind 9: the first five minutes of someone running Mamori. */

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^v/, '')
    .split('.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
  return [a, b, c];
};
const cmp = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** npm's `engines.node` ranges as the lock file has them: `>=X`, `^X`, `N.*`, `>= 10.x`, `*`, joined by `||`. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) => {
    const parts = alt
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/);
    return parts.every((p) => {
      if (p === '*' || p === '') return true;
      const m = /^(>=|>|<=|<|\^|~|=)?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(p);
      if (!m) throw new Error(`unknown engines range ${range}`);
      const [, op = '=', maj, min, pat] = m;
      const base = parse([maj, min ?? '0', pat ?? '0'].join('.'));
      const wildMinor = min === undefined || min === 'x' || min === '*';
      if (op === '>=') return cmp(v, base) >= 0;
      if (op === '>') return cmp(v, base) > 0;
      if (op === '<') return cmp(v, base) < 0;
      if (op === '<=') return cmp(v, base) <= 0;
      if (op === '^') return v[0] === base[0] && cmp(v, base) >= 0;
      if (op === '~') return v[0] === base[0] && v[1] === base[1] && cmp(v, base) >= 0;
      return v[0] === base[0] && (wildMinor || v[1] === base[1]);
    });
  });
}

describe('Node versions', () => {
  it('every dependency accepts the Node versions Mamori declares and CI proves (npm ci: no EBADENGINE)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    const lowest = (pkg.engines.node as string).replace(/^>=\s*/, '');
    const refused: string[] = [];
    for (const [path, p] of Object.entries(
      lock.packages as Record<string, { engines?: { node?: string } }>,
    )) {
      const range = p.engines?.node;
      if (!range) continue;
      for (const v of [lowest, '20.20.2', process.version])
        if (!satisfies(v, range)) refused.push(`${path} (${range}) refuses Node ${v}`);
    }
    expect(refused).toEqual([]);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/CI runs on Node\.js 20/);
  });
});
describe('the first five minutes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('/favicon.ico answers with an icon, and every page links it', async () => {
    const r = await t.app.http.inject({ method: 'GET', url: '/favicon.ico' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(r.body).toMatch(/^<svg/);
    const page = await t.app.http.inject({ method: 'GET', url: '/sign-in' });
    expect(page.body).toContain('<link rel="icon" href="/favicon.ico"');
  });

  it('LOG_FORMAT=pretty writes one readable line per entry; the default stays JSON', () => {
    expect(loadConfig({}).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);

    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const pretty = createLogger('info', stream, 'pretty');
    pretty.info({ port: 3000, token: 'secret-token' }, 'Mamori is listening');
    pretty.warn('careful');
    const text = lines.join('');
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}Mamori is listening port=3000 token=\[redacted\]\n/);
    expect(text).toMatch(/\d\d:\d\d:\d\d WARN {2}careful\n$/);
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('{');

    const json: string[] = [];
    const jstream = new Writable({
      write(chunk, _enc, cb) {
        json.push(String(chunk));
        cb();
      },
    });
    createLogger('info', jstream).info({ port: 3000 }, 'x');
    expect(JSON.parse(json[0]!)).toMatchObject({ msg: 'x', port: 3000 });
  });
});
