import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { firstOperatorLink, writeSetupGrant } from '../../src/operator/operator-setup.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';

/** Issue 8, kind 9: the first operator can be created while the embedded server runs. */
describe('first operator: a one-time setup link', () => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'mamori-setup-'));
  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: the link printed at start creates an admin once, then is spent`, async () => {
      await t.app.deps.db.query('DELETE FROM operators');
      // A link that operator:create wrote for a named reviewer stays valid beside the first-operator one.
      const named = writeSetupGrant(t.app.deps, {
        dataDir,
        publicUrl: 'http://mamori.test',
        name: `rev-${lang}`,
        role: 'reviewer',
      });
      const link = await firstOperatorLink(t.app.deps);
      expect(link?.url).toMatch(/^http:\/\/mamori\.test\/operator\/setup\?token=[\w-]{40,}$/);
      const path = link!.url.replace('http://mamori.test', '');
      const c = formClient(t, { 'accept-language': lang });
      const page = await c.get(path);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(tr(lang, 'operator.setup.title'));

      const empty = await c.post('/operator/setup', { token: path.split('=')[1]!, name: 'x', password: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain(tr(lang, 'error.operator.name_invalid'));

      const done = await c.post('/operator/setup', {
        token: path.split('=')[1]!,
        name: `first-${lang}`,
        password: 'a long operator passphrase',
      });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/operator/sign-in?created=1');
      const signIn = await c.follow(done);
      expect(signIn.body).toContain(tr(lang, 'operator.setup.done'));
      const ops = await t.app.deps.db.query<{ name: string; role: string }>(
        'SELECT name, role FROM operators',
      );
      expect(ops).toEqual([{ name: `first-${lang}`, role: 'admin' }]);

      // Spent: the same link, and a new first-operator link once an operator exists, open nothing.
      const again = await c.get(path);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain(tr(lang, 'error.operator.setup_invalid'));
      expect(await firstOperatorLink(t.app.deps)).toBeNull();

      const namedPath = named.url.replace('http://mamori.test', '');
      const namedPage = await c.get(namedPath);
      expect(namedPage.body).toContain(tr(lang, 'operator.setup.name_fixed', { name: `rev-${lang}` }));
      const short = await c.post('/operator/setup', { token: namedPath.split('=')[1]!, password: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain(tr(lang, 'error.password.too_short', { min: 12 }));
      const second = await c.post('/operator/setup', {
        token: namedPath.split('=')[1]!,
        password: 'another long passphrase',
      });
      expect(second.statusCode).toBe(303);
      expect(
        await t.app.deps.db.query('SELECT role FROM operators WHERE name = $1', [`rev-${lang}`]),
      ).toEqual([{ role: 'reviewer' }]);
    });
  }

  it('an expired or guessed token opens nothing', async () => {
    await t.app.deps.db.query('DELETE FROM operators');
    const link = await firstOperatorLink(t.app.deps);
    const path = link!.url.replace('http://mamori.test', '');
    expect((await t.app.http.inject({ method: 'GET', url: '/operator/setup?token=guess' })).statusCode).toBe(
      400,
    );
    t.clock.advance(24 * 3600 * 1000 + 1000);
    expect((await t.app.http.inject({ method: 'GET', url: path })).statusCode).toBe(400);
  });

  it('npm run operator:create against a running embedded server prints a link, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-locked-'));
    // A live process holds the data directory: this test process itself.
    writeFileSync(join(dir, 'mamori.lock'), String(process.pid));
    try {
      const run = await promisify(execFile)(
        'npx',
        ['tsx', 'src/operator/create-operator-cli.ts', 'alice', 'reviewer'],
        {
          env: {
            ...process.env,
            DATA_DIR: dir,
            PUBLIC_URL: 'http://localhost:4000',
            NODE_ENV: 'development',
          },
        },
      ).catch((e: { stdout: string; stderr: string; code: number }) => e);
      const out = `${run.stdout}${run.stderr}`;
      expect(out).not.toMatch(/DataDirLockedError|\n\s+at /);
      expect(out).toContain(`is in use by the running Mamori (process ${process.pid})`);
      expect(out).toMatch(/http:\/\/localhost:4000\/operator\/setup\?token=[\w-]{40,}/);
      expect(out).toContain('http://localhost:4000/operator/sign-in');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
