import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** Waits until `url` answers 200, or throws after `ms`. */
async function until200(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200: ${last}`);
}

describe('npm run build: the server compiled to dist/ runs with plain node', () => {
  let server: ChildProcess | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'mamori-dist-'));
  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds, migrates a fresh embedded store, and serves pages and the API from dist/main.js', async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    let output = '';
    server = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: '',
        SMTP_URL: '',
        SHUTDOWN_DELAY_SECONDS: '2',
        SHUTDOWN_TIMEOUT_SECONDS: '20',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => {
      output += String(d);
    });
    server.stderr?.on('data', (d) => {
      output += String(d);
    });
    await until200(`http://127.0.0.1:${port}/readyz`, 60_000).catch((e) => {
      throw new Error(`${e}\n${output}`);
    });
    const page = await fetch(`http://127.0.0.1:${port}/sign-up`, { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create your account');
    // The migrations ran from dist/ (a sign-up writes to the tables they create).
    const signup = await fetch(`http://127.0.0.1:${port}/api/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'dist@example.com',
        password: 'correct horse battery staple 42',
        displayName: 'Dist',
        locale: 'en',
      }),
    });
    expect(signup.status).toBe(202);

    // SIGTERM: not ready at once, requests still served during the delay, in-flight ones finish, exit 0.
    const exited = new Promise<number | null>((r) => server?.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    const base = `http://127.0.0.1:${port}`;
    const readyz = () =>
      fetch(`${base}/readyz`).catch((e) => {
        throw new Error(`${e}\n${output}`);
      });
    for (let i = 0; i < 50 && (await readyz()).status !== 503; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await readyz()).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const during = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${base}/api/v1/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `late${i}@example.com`,
            password: 'correct horse battery staple 42',
            displayName: 'Late',
            locale: 'en',
          }),
        }).then((r) => r.status),
      ),
    );
    expect(during).toEqual(Array(8).fill(202));
    expect(await exited).toBe(0);
    server = null;
  }, 180_000);
});
