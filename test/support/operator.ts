import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { expect } from 'vitest';
import { createOperator, type Operator } from '../../src/operator/operator-auth.ts';
import { totpCode } from '../../src/security-info/totp/totp.ts';
import { formClient } from '../web/browser-less-client.ts';
import type { TestApp } from './harness.ts';
import { hasOathtool, oathtoolCode } from './oathtool.ts';

/**
 * The code an authenticator app shows now for `manualKey`, from Debian's oathtool when installed (an
 * implementation that is not ours). The clock first moves to the next 30-second step, because a code is
 * accepted once: every call gives a code that has not been used yet.
 */
export function nextOperatorCode(t: TestApp, manualKey: string): string {
  t.clock.advance(30_000);
  const at = t.clock.now();
  if (hasOathtool) return oathtoolCode(manualKey, at);
  return totpCode(decodeBase32IgnorePadding(manualKey.replace(/\s+/g, '')), at);
}

export interface EnrolledOperator {
  id: string;
  name: string;
  password: string;
  role: Operator['role'];
  manualKey: string;
  /** An operator token (API bearer; also the console cookie value). */
  token: string;
}

let n = 0;
/**
 * Creates an operator and completes its first sign-in over the API: password, enrolment of an authenticator
 * app (codes from oathtool), code. Returns its token and key for later sign-ins.
 */
export async function enrolledOperator(
  t: TestApp,
  o: { name?: string; password?: string; role?: Operator['role'] } = {},
): Promise<EnrolledOperator> {
  n++;
  const name = o.name ?? `op${n}.${Math.random().toString(36).slice(2, 8)}`;
  const password = o.password ?? 'operator passphrase 1234';
  const op = await createOperator(t.app.deps, { name, password, role: o.role });
  const first = await t.api('POST', '/api/v1/operator/sessions', { name, password });
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(first.body.next).toBe('enrol');
  const pendingToken = first.body.pendingToken as string;
  const enrolment = await t.api('POST', '/api/v1/operator/sessions/enrolment', { pendingToken });
  expect(enrolment.status, JSON.stringify(enrolment.body)).toBe(200);
  const manualKey = enrolment.body.manualKey as string;
  const done = await t.api('POST', '/api/v1/operator/sessions/code', {
    pendingToken,
    code: nextOperatorCode(t, manualKey),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return { id: op.id, name, password, role: op.role, manualKey, token: done.body.operatorToken as string };
}

/** A later sign-in over the API (password, then a fresh code); returns the operator token. */
export async function operatorToken(t: TestApp, op: EnrolledOperator): Promise<string> {
  const first = await t.api('POST', '/api/v1/operator/sessions', { name: op.name, password: op.password });
  expect(first.status, JSON.stringify(first.body)).toBe(202);
  expect(first.body.next).toBe('code');
  const done = await t.api('POST', '/api/v1/operator/sessions/code', {
    pendingToken: first.body.pendingToken,
    code: nextOperatorCode(t, op.manualKey),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body.operatorToken as string;
}

/** A console client (cookies, CSRF) signed in through the web pages: password, then a fresh code. */
export async function operatorConsole(t: TestApp, op: EnrolledOperator) {
  const c = formClient(t);
  await c.get('/operator/sign-in');
  const pw = await c.post('/operator/sign-in', { name: op.name, password: op.password });
  expect(pw.statusCode).toBe(303);
  expect(pw.headers.location).toBe('/operator/sign-in/code');
  await c.get('/operator/sign-in/code');
  const done = await c.post('/operator/sign-in/code', { code: nextOperatorCode(t, op.manualKey) });
  expect(done.statusCode).toBe(303);
  expect(done.headers.location).toBe('/operator');
  return c;
}
