import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DELIVERED_WEBHOOK_TYPES } from '../../src/apps/delivery/webhook-types.ts';
import {
  WEBHOOK_SOURCE_EVENTS,
  type WebhookSourceEvent,
  webhookPayload,
} from '../../src/apps/delivery/webhooks.ts';
import { webhookSchemaProblems } from '../support/apps-delivery.ts';

const at = new Date('2026-11-24T01:02:03.456Z');
const ctx = { ip: '198.51.100.7', userAgent: 'Mozilla/5.0', country: 'JP' };
const account = {
  id: 'acc_1',
  email: 'owner@example.jp',
  displayName: '山田',
  locale: 'ja' as const,
  timeZone: 'Asia/Tokyo',
};

/** One event of each source type, as the capabilities raise them (including the personal data they carry). */
const SAMPLES: WebhookSourceEvent[] = [
  {
    type: 'signin.unusual',
    accountId: 'acc_1',
    account,
    ctx,
    at,
    origin: { country: 'US', device: 'Chrome on Mac' },
  },
  { type: 'password.changed', accountId: 'acc_1', account, ctx, at },
  { type: 'password.reset', accountId: 'acc_1', account, ctx, at },
  {
    type: 'method.added',
    accountId: 'acc_1',
    ctx,
    at,
    detail: { kind: 'phone', method: '+81 90-****-5678' },
  },
  {
    type: 'method.removed',
    accountId: 'acc_1',
    account,
    ctx,
    at,
    method: 'o***@example.jp',
    detail: { kind: 'email', method: 'o***@example.jp' },
    contact: { kind: 'email', value: 'old.full.address@example.jp' },
  },
  {
    type: 'method.verified',
    accountId: 'acc_1',
    account,
    ctx,
    at,
    method: '認証アプリ（仕事）',
    detail: { kind: 'totp', method: '認証アプリ（仕事）' },
  },
  { type: 'two_step.on', accountId: 'acc_1', account, ctx, at },
  { type: 'two_step.off', accountId: 'acc_1', account, ctx, at },
  { type: 'account.secured', accountId: 'acc_1', account, ctx: { ...ctx, country: '??' }, at },
  {
    type: 'replacement.started',
    accountId: 'acc_1',
    ctx,
    at,
    detail: { source: 'form', effectiveAt: '2026-12-24T01:02:03.000Z', newInfo: 'n***@example.jp' },
  },
  { type: 'replacement.cancelled', accountId: 'acc_1', ctx, at, detail: { how: 'old_method' } },
  { type: 'replacement.completed', accountId: 'acc_1', ctx, at },
  { type: 'recovery_request.submitted', accountId: null, at, requestId: 'rfr_1', country: 'JP' },
  { type: 'recovery_request.decided', accountId: 'acc_1', at, requestId: 'rfr_1', decision: 'approved' },
  { type: 'policy.changed', orgId: 'org_1', at, version: 3 },
  {
    type: 'admin.action',
    orgId: 'org_1',
    at,
    action: 'member.sessions_revoked',
    targetAccountId: 'acc_1',
    actorKind: 'admin',
  },
];

describe('webhook payloads and their JSON Schemas (docs/events/)', () => {
  it('has one schema per webhook type, and nothing else', () => {
    const files = readdirSync(new URL('../../docs/events/', import.meta.url)).filter((f) =>
      f.endsWith('.schema.json'),
    );
    expect(files.map((f) => f.replace('.schema.json', '')).sort()).toEqual(
      [...DELIVERED_WEBHOOK_TYPES].sort(),
    );
    expect(new Set(SAMPLES.map((e) => e.type))).toEqual(new Set(WEBHOOK_SOURCE_EVENTS));
  });

  it('every payload validates, and none carries a full contact value, an address or an IP', () => {
    for (const e of SAMPLES) {
      const body = JSON.stringify(webhookPayload(e, 'org_1'));
      expect(webhookSchemaProblems(body), body).toEqual([]);
      for (const secret of ['old.full.address@example.jp', 'owner@example.jp', '198.51.100.7', 'Mozilla'])
        expect(body).not.toContain(secret);
    }
  });

  it('a payload with a field the schema does not know, or a wrong type, is refused', () => {
    const good = webhookPayload(SAMPLES[1]!, null);
    expect(webhookSchemaProblems(JSON.stringify(good))).toEqual([]);
    expect(
      webhookSchemaProblems(JSON.stringify({ ...good, data: { ...good.data, password: 'x' } })),
    ).not.toEqual([]);
    expect(webhookSchemaProblems(JSON.stringify({ ...good, timestamp: 'yesterday' }))).not.toEqual([]);
    expect(webhookSchemaProblems(JSON.stringify({ ...good, type: 'password.guessed' }))).toEqual([
      'no schema for password.guessed',
    ]);
  });
});
