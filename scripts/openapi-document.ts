import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { ManualClock } from '../src/kernel/clock.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPglite } from '../src/storage/pglite.ts';

/** The document docs/openapi.json holds: the one /api/openapi.json serves, for a local Mamori. */
export const DOC_PUBLIC_URL = 'http://localhost:3000';

/**
 * Builds the OpenAPI document as a running Mamori serves it (an in-memory store, no network), for
 * `npm run docs:openapi` and test/http/openapi.test.ts.
 */
export async function generateOpenApiDocument(): Promise<Record<string, unknown>> {
  const db = await openPglite(null);
  await migrate(db);
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: DOC_PUBLIC_URL,
    MAMORI_SECRET: 'openapi-document-openapi-document-0123',
  });
  const app = await createApp(config, {
    db,
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    manualDispatch: true,
  });
  try {
    await app.http.ready();
    const res = await app.http.inject({ method: 'GET', url: '/api/openapi.json' });
    return JSON.parse(res.body) as Record<string, unknown>;
  } finally {
    await app.close();
    await db.close();
  }
}

/** The document as docs/openapi.json stores it. */
export const documentText = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;
