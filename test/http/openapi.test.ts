import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentText, generateOpenApiDocument } from '../../scripts/openapi-document.ts';
import { ERROR_STATUS } from '../../src/kernel/errors.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { content?: { 'application/json'?: { schema?: Json } } }>;
}

let doc: Json;
let dir: string;
beforeAll(async () => {
  doc = await generateOpenApiDocument();
  dir = await mkdtemp(join(tmpdir(), 'mamori-openapi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const operations = (): [string, Operation][] =>
  Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation],
    ),
  );

/** The error codes an answer lists (the enum of the Error body's code). */
function codesOf(answer: Operation['responses'][string]): string[] {
  const schema = answer.content?.['application/json']?.schema as { allOf?: Json[] } | undefined;
  const part = schema?.allOf?.[1] as {
    properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
  };
  return part?.properties?.error?.properties?.code?.enum ?? [];
}

describe('the OpenAPI document (/api/openapi.json)', () => {
  it('has no error under Redocly lint (recommended rules)', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const cli = new URL('node_modules/@redocly/cli/bin/cli.js', ROOT).pathname;
    const { stdout } = await run(process.execPath, [cli, 'lint', '--format=json', file], {
      cwd: new URL('.', ROOT).pathname,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    // The only warning left: the checked-in document names a local Mamori (http://localhost:3000).
    expect(report.problems.filter((p) => p.ruleId !== 'no-server-example.com').map((p) => p.ruleId)).toEqual(
      [],
    );
  }, 60_000);

  it('is the one checked in as docs/openapi.json (run npm run docs:openapi after changing the API)', async () => {
    const stored = await readFile(new URL('docs/openapi.json', ROOT), 'utf8');
    expect(stored === documentText(doc), 'docs/openapi.json is stale: run npm run docs:openapi').toBe(true);
  });

  it('names every operation, tags it, and says which token it needs (security: [] when none)', () => {
    const ids = new Set<string>();
    for (const [name, op] of operations()) {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId as string), `${name}: duplicate operationId`).toBe(false);
      ids.add(op.operationId as string);
      expect(op.tags?.length, name).toBe(1);
      expect(Array.isArray(op.security), `${name}: security`).toBe(true);
    }
    expect(ids.size).toBeGreaterThan(70);
    expect(doc.servers).toEqual([{ url: 'http://localhost:3000', description: 'This Mamori' }]);
  });

  it('describes the success answer of every operation (a schema, or 204 without a body)', () => {
    for (const [name, op] of operations()) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      expect(success.length, `${name}: no 2xx answer`).toBeGreaterThan(0);
      for (const [status, answer] of success) {
        if (status === '204') expect(answer.content, `${name} 204`).toBeUndefined();
        else expect(answer.content?.['application/json']?.schema, `${name} ${status}`).toBeDefined();
      }
    }
  });

  it('lists only the codes an operation can answer, each under its own status', () => {
    const all = Object.keys(ERROR_STATUS).length;
    for (const [name, op] of operations()) {
      const listed = Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, answer]) => {
          const codes = codesOf(answer);
          expect(codes.length, `${name} ${status}: no codes`).toBeGreaterThan(0);
          for (const code of codes)
            expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], `${name}: ${code} under ${status}`).toBe(
              Number(status),
            );
          return codes;
        });
      expect(listed).toContain('internal');
      expect(listed.length, `${name} lists almost every code`).toBeLessThan(all / 2);
    }
  });

  it('describes the signed-in operations with the session token, the console with the operator token', () => {
    const byId = Object.fromEntries(operations().map(([, op]) => [op.operationId, op]));
    expect(byId.getMe?.security).toEqual([{ session: [] }]);
    expect(byId.postSignup?.security).toEqual([]);
    expect(byId.postPasswordReset?.security).toEqual([]);
    expect(byId.getOperatorRequests?.security).toEqual([{ operator: [] }]);
    // The organisation API: every operation under /orgs takes an organisation admin token, and only those.
    for (const [name, op] of operations())
      expect(op.security, name).toEqual(
        name.includes(' /api/v1/orgs/') ? [{ orgToken: [] }] : expect.not.arrayContaining([{ orgToken: [] }]),
      );
    expect(byId.putOrgsByOrgIdPolicy?.security).toEqual([{ orgToken: [] }]);
    const schemes = (doc.components as { securitySchemes: Json }).securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['operator', 'orgToken', 'session']);
  });
});
