import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url).pathname;
const read = (f: string) => readFileSync(`${root}${f}`, 'utf8');

/**
 * The container files are not built or run here (no container runtime on this machine): these checks keep
 * them in step with what is tested — the commands, the settings and the load balancer's health check.
 */
describe('Dockerfile, compose.yaml and deploy/haproxy.cfg', () => {
  it('the image builds what npm run build builds and runs what start:prod runs, as a non-root user', () => {
    const docker = read('Dockerfile');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(docker).toMatch(/^RUN npm run build && npm prune --omit=dev$/m);
    expect(pkg.scripts['start:prod']).toBe('node dist/main.js');
    expect(docker).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/\/readyz/);
    expect(docker).toMatch(/^FROM node:20\.20/m);
  });

  it('compose runs one migration before two instances that share PostgreSQL, Redis and the secret', () => {
    const compose = parse(read('compose.yaml'), { merge: true }) as {
      services: Record<
        string,
        { command?: string[]; environment?: Record<string, string>; depends_on?: unknown }
      >;
    };
    const s = compose.services;
    expect(s.migrate?.command).toEqual(['node', 'dist/storage/migrate-cli.js']);
    expect(existsSync(`${root}src/storage/migrate-cli.ts`)).toBe(true);
    for (const name of ['mamori-1', 'mamori-2']) {
      const env = s[name]?.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.NODE_ENV).toBe('production');
      expect(Number(env.SHUTDOWN_DELAY_SECONDS)).toBeGreaterThan(0);
      expect(s[name]?.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
    }
    expect(s['mamori-1']?.environment?.MAMORI_SECRET).toBe(s['mamori-2']?.environment?.MAMORI_SECRET);
  });

  it('HAProxy balances round-robin over every instance and takes a draining one out by /readyz', () => {
    const cfg = read('deploy/haproxy.cfg');
    expect(cfg).toMatch(/balance roundrobin/);
    expect(cfg).toMatch(/option httpchk GET \/readyz/);
    expect(cfg).toMatch(/server mamori-1 /);
    expect(cfg).toMatch(/server mamori-2 /);
    if (existsSync('/usr/sbin/haproxy')) {
      const out = execFileSync('/usr/sbin/haproxy', ['-c', '-f', `${root}deploy/haproxy.cfg`], {
        stdio: 'pipe',
      });
      expect(out.toString()).toMatch(/Configuration file is valid/);
    }
  });
});
