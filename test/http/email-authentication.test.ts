import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dir = mkdtempSync(join(tmpdir(), 'mamori-dkim-'));
const keyFile = join(dir, 'dkim.pem');
writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
/** The DNS TXT record a deployment publishes at mamori2026._domainkey.mamori.test. */
const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const resolver = async (name: string, type: string) => {
  if (type === 'TXT' && name === 'mamori2026._domainkey.mamori.test') return [[record]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

describe('emails are signed with DKIM (RFC 6376) when configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { DKIM_DOMAIN: 'mamori.test', DKIM_SELECTOR: 'mamori2026', DKIM_PRIVATE_KEY_FILE: keyFile },
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a receiver verifies the signature against the published key, and an altered message fails', async () => {
    const email = uniqueEmail('dkim');
    await t.api('POST', '/api/v1/signup', {
      email,
      password: 'correct horse battery staple 42',
      displayName: 'D',
      locale: 'ja',
    });
    await t.drain();
    const mail = t.sink.to(email)[0];
    expect(mail).toBeDefined();
    const raw = mail?.raw as Buffer;
    expect(raw.toString('utf8')).toMatch(/^DKIM-Signature: .*d=mamori\.test/m);
    const ok = await dkimVerify(raw, { resolver });
    expect(ok.results[0]?.status.result).toBe('pass');
    expect(ok.results[0]?.signingDomain).toBe('mamori.test');
    // Change one digit of the code in the body (never in the headers, whose DKIM-Signature holds digits too).
    const text = raw.toString('utf8');
    const split = text.indexOf('\r\n\r\n');
    const altered = Buffer.from(
      text.slice(0, split) +
        text
          .slice(split)
          .replace(/(\d)(\d{5})/, (_m, d: string, rest: string) => `${(Number(d) + 1) % 10}${rest}`),
    );
    const bad = await dkimVerify(altered, { resolver });
    // RFC 6376 §6.1.3: a body that does not match the signed body hash does not verify.
    expect(bad.results[0]?.status.result).not.toBe('pass');
    expect(bad.results[0]?.status.comment).toMatch(/body hash did not verify/);
    const forgedSubject = Buffer.from(
      raw.toString('utf8').replace(/^Subject: .*$/m, 'Subject: =?UTF-8?B?5LuK44GZ44GQ?='),
    );
    expect((await dkimVerify(forgedSubject, { resolver })).results[0]?.status.result).toBe('fail');
  });

  it('refuses to start with a partial DKIM setting or a key that is not an RSA private key', () => {
    const base = { NODE_ENV: 'test', MAMORI_SECRET: 'test-secret-test-secret-test-secret-0123' };
    expect(() => loadConfig({ ...base, DKIM_DOMAIN: 'mamori.test' })).toThrow(
      /DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together/,
    );
    const notKey = join(dir, 'not-a-key.pem');
    writeFileSync(notKey, 'hello');
    expect(() =>
      loadConfig({ ...base, DKIM_DOMAIN: 'mamori.test', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: notKey }),
    ).toThrow(/could not be read as a PEM private key/);
  });
});

describe('EHLO name', () => {
  it('is PUBLIC_URL’s host name unless MAIL_EHLO_NAME says otherwise', () => {
    const base = {
      NODE_ENV: 'test',
      MAMORI_SECRET: 'test-secret-test-secret-test-secret-0123',
      PUBLIC_URL: 'https://id.example.co.jp',
    };
    expect(loadConfig(base).mailEhloName).toBe('id.example.co.jp');
    expect(loadConfig({ ...base, MAIL_EHLO_NAME: 'mx1.example.co.jp' }).mailEhloName).toBe(
      'mx1.example.co.jp',
    );
  });
});
