/**
 * Every API answer a test receives through the harness (`t.api`) is checked against the OpenAPI document the
 * app serves: the status must be one the operation declares, and the body must match the declared schema —
 * for an error, the code must be one of the codes the operation lists. So the document cannot drift from
 * what the API really answers.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { App } from '../../src/app.ts';

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  re: RegExp;
  responses: Record<string, Json>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const cache = new WeakMap<App, Promise<Conformance>>();

/** Replaces `#/components/schemas/X` references by the schema itself (the shared ones are not recursive). */
function inline(value: unknown, components: Json): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(v, components));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/'))
    return inline(components[ref.slice('#/components/schemas/'.length)], components);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v, components)]));
}

class Conformance {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();
  constructor(
    private readonly operations: Operation[],
    private readonly components: Json,
  ) {}

  /** The problem with this answer, or null when the document describes it. */
  check(method: string, url: string, status: number, rawBody: string): string | null {
    const path = url.split('?')[0] ?? url;
    const op = this.operations.find((o) => o.method === method.toLowerCase() && o.re.test(path));
    if (!op) return null; // not an operation of the document (unknown path or method): nothing to compare
    const where = `${method} ${op.template} → ${status}`;
    const declared = op.responses[String(status)];
    if (!declared) return `${where}: status not declared (body ${rawBody.slice(0, 300)})`;
    const schema = (declared.content as Json | undefined)?.['application/json'] as Json | undefined;
    if (!schema?.schema) return rawBody === '' ? null : `${where}: a body where none is declared`;
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return `${where}: body is not JSON`;
    }
    const key = `${op.method} ${op.template} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(inline(schema.schema, this.components) as Json);
      this.validators.set(key, validate);
    }
    if (validate(body)) return null;
    return `${where}: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 400)}`;
  }
}

async function load(app: App): Promise<Conformance> {
  const res = await app.http.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = JSON.parse(res.body) as { paths: Record<string, Record<string, Json>>; components?: Json };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    for (const [method, op] of Object.entries(item))
      operations.push({
        method,
        template,
        re: new RegExp(`^${pattern}$`),
        responses: (op.responses ?? {}) as Record<string, Json>,
      });
  }
  return new Conformance(operations, (doc.components?.schemas ?? {}) as Json);
}

/** Throws when the document does not describe this answer of `app`. */
export async function assertConforms(
  app: App,
  answer: { method: string; url: string; status: number; body: string },
): Promise<void> {
  if (!answer.url.startsWith('/api/v1/')) return;
  let c = cache.get(app);
  if (!c) {
    c = load(app);
    cache.set(app, c);
  }
  const problem = (await c).check(answer.method, answer.url, answer.status, answer.body);
  if (problem) throw new Error(`The API answer does not match /api/openapi.json: ${problem}`);
}
