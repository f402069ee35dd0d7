import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/storage/data-dir-lock.ts';

describe('one process per embedded data directory', () => {
  it('refuses a second lock while the first holder is alive, and frees it on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-lock-'));
    // A live process that is not us holds the lock.
    writeFileSync(join(dir, 'mamori.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/already in use by process/);
    // A lock left by a dead process is taken over.
    writeFileSync(join(dir, 'mamori.lock'), '999999');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, 'mamori.lock'), 'utf8')).toBe(String(process.pid));
    release();
    const again = lockDataDir(dir);
    again();
  });

  it('a second Mamori process on the same DATA_DIR exits with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-lock-'));
    const holder = lockDataDir(dir);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, DATA_DIR: dir, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(75);
      expect(stderr).toMatch(/already in use by process \d+/);
      expect(stderr).toMatch(/DATABASE_URL/);
    } finally {
      holder();
    }
  });
});
