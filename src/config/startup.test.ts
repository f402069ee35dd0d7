import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { withDevSecret } from './dev-secret.ts';
import { startupLines } from './startup.ts';

describe('start-up lines', () => {
  it('say where the generated secret is kept, and that it survives a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mamori-start-'));
    const config = withDevSecret(loadConfig({ DATA_DIR: dataDir }));
    const again = withDevSecret(loadConfig({ DATA_DIR: dataDir }));
    expect(again.secret).toBe(config.secret); // kept across restarts
    const warn = startupLines(config, 'http://127.0.0.1:3000').find((l) => l.level === 'warn')!;
    expect(warn.msg).toContain(join(dataDir, 'dev-secret'));
    expect(readFileSync(join(dataDir, 'dev-secret'), 'utf8').trim()).toBe(config.secret);
    expect(warn.msg).not.toMatch(/end at restart|random secret/);
  });

  it('tell the listening address apart from PUBLIC_URL', () => {
    const config = loadConfig({
      MAMORI_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://account.example.com',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mamori-start-')),
    });
    const lines = startupLines(config, 'http://127.0.0.1:3000');
    expect(lines.some((l) => l.level === 'warn')).toBe(false);
    const main = lines.find((l) => l.msg.startsWith('Mamori'))!.msg;
    expect(main).toMatch(/listening on http:\/\/127\.0\.0\.1:3000/);
    expect(main).toContain('people reach it at https://account.example.com (PUBLIC_URL)');
  });
});
