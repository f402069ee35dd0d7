import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { restoreEmbedded } from '../../src/storage/backup.ts';
import { freshPostgresDatabase } from '../support/databases.ts';
import { codeIn, startSmtpSink } from '../support/smtp-sink.ts';

const PASSWORD = 'correct horse battery staple 42';
const SECRET = 'backup-secret-backup-secret-backup-0123';

/** Builds an app on the store the settings name (DATA_DIR or DATABASE_URL), with a real SMTP sink. */
async function appOn(env: Record<string, string>, smtpUrl: string) {
  const config = loadConfig({ NODE_ENV: 'test', MAMORI_SECRET: SECRET, SMTP_URL: smtpUrl, ...env });
  const app = await createApp(config, { manualDispatch: true });
  await app.http.ready();
  const api = (url: string, body: unknown) =>
    app.http
      .inject({ method: 'POST', url, payload: body as object })
      .then((r) => ({ status: r.statusCode, body: r.json() }));
  return { app, api };
}

/** Signs an account up and confirms it; returns its address. */
async function accountOn(
  a: Awaited<ReturnType<typeof appOn>>,
  sink: Awaited<ReturnType<typeof startSmtpSink>>,
  email: string,
) {
  const r = await a.api('/api/v1/signup', {
    email,
    password: PASSWORD,
    displayName: '保存 太郎',
    locale: 'ja',
  });
  expect(r.status).toBe(202);
  await a.app.deps.dispatcher.drain();
  const mail = sink.to(email).at(-1);
  const c = await a.api('/api/v1/signup/confirm', {
    signupToken: r.body.signupToken,
    code: codeIn(mail?.text ?? ''),
  });
  expect(c.status).toBe(200);
}

/** A password sign-in's status: 401 means the account or its password is not there. */
async function signInStatus(a: Awaited<ReturnType<typeof appOn>>, email: string, password = PASSWORD) {
  return (await a.api('/api/v1/sessions', { email, password })).status;
}

describe('backups keep every account able to sign in', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'mamori-backup-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('embedded store: npm run backup, then restore into an empty data directory', async () => {
    const sink = await startSmtpSink();
    const [dataDir, restoredDir, out] = [tmp(), tmp(), tmp()];
    const first = await appOn({ DATA_DIR: dataDir }, sink.url);
    await accountOn(first, sink, 'kept@example.com');
    // While a server holds the data directory, `npm run backup` refuses (one process at a time).
    const cli = (args: string[]) =>
      execFileSync('npx', ['tsx', 'src/storage/backup-cli.ts', ...args], {
        cwd: new URL('../../', import.meta.url).pathname,
        env: { ...process.env, NODE_ENV: 'test', MAMORI_SECRET: SECRET, DATA_DIR: dataDir },
        stdio: 'pipe',
      }).toString();
    expect(() => cli(['backup', join(out, 'b.tar.gz')])).toThrow(/already in use/);
    await first.app.close();
    expect(cli(['backup', join(out, 'b.tar.gz')])).toMatch(/^Backed up .* \(\d+ bytes\)\./);

    expect(await restoreEmbedded(restoredDir, join(out, 'b.tar.gz'))).toEqual([]);
    // A second restore over a store is refused unless asked to replace it.
    await expect(restoreEmbedded(restoredDir, join(out, 'b.tar.gz'))).rejects.toThrow(/--replace/);
    const restored = await appOn({ DATA_DIR: restoredDir }, sink.url);
    try {
      expect(await signInStatus(restored, 'kept@example.com')).not.toBe(401);
      expect([200, 202]).toContain(await signInStatus(restored, 'kept@example.com'));
      expect(await signInStatus(restored, 'kept@example.com', 'not the password 123')).toBe(401);
    } finally {
      await restored.app.close();
      await sink.close();
    }
  }, 120_000);

  it('PostgreSQL: pg_dump and pg_restore round trip', async () => {
    const sink = await startSmtpSink();
    const [from, to] = [await freshPostgresDatabase(), await freshPostgresDatabase()];
    const file = join(tmp(), 'mamori.dump');
    try {
      const first = await appOn({ DATABASE_URL: from.url }, sink.url);
      await accountOn(first, sink, 'pg-kept@example.com');
      await first.app.close();
      execFileSync('pg_dump', ['--format=custom', `--file=${file}`, from.url]);
      execFileSync('pg_restore', ['--no-owner', `--dbname=${to.url}`, file]);
      const restored = await appOn({ DATABASE_URL: to.url }, sink.url);
      try {
        expect([200, 202]).toContain(await signInStatus(restored, 'pg-kept@example.com'));
        expect(await signInStatus(restored, 'pg-kept@example.com', 'not the password 123')).toBe(401);
      } finally {
        await restored.app.close();
      }
    } finally {
      await sink.close();
      await from.drop();
      await to.drop();
    }
  }, 120_000);
});
