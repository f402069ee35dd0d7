import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

describe('anti-phishing: messages we sent, reference check, personal phrase (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists every message sent for the account with its reference, destination masked', async () => {
    const { token, email } = await signedUpAccount(t);
    const contact = uniqueEmail('listed');
    await verifiedEmail(t, token, contact);
    await t.drain();
    const list = (await t.api('GET', '/api/v1/messages', undefined, token)).body.messages as {
      reference: string;
      kind: string;
      to: string;
    }[];
    const refsInMail = t.sink.messages
      .filter((m) => m.to.includes(email) || m.to.includes(contact))
      .map((m) => m.text.match(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/)![0]);
    expect(list.map((m) => m.reference).sort()).toEqual(refsInMail.sort());
    expect(list.every((m) => m.to.includes('*****'))).toBe(true);
    expect(JSON.stringify(list)).not.toContain(contact);
    expect(list.map((m) => m.kind)).toContain('method_added');
  });

  it('anyone can check a reference: genuine or not, and nothing else', async () => {
    const { email } = await signedUpAccount(t);
    await t.drain();
    const ref = t.sink.to(email)[0]!.text.match(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const yes = await t.api('POST', '/api/v1/messages/check', { reference: ` ${ref.toLowerCase()} ` });
    expect(yes.status).toBe(200);
    expect(yes.body.genuine).toBe(true);
    expect(Object.keys(yes.body).sort()).toEqual(['genuine', 'sentAt']);
    expect(JSON.stringify(yes.body)).not.toContain(email);
    expect((await t.api('POST', '/api/v1/messages/check', { reference: 'MMR-AAAA-AAAA' })).body).toEqual({
      genuine: false,
      sentAt: null,
    });
    // Text that is not a reference at all is told so, not called fake mail (test/http/inputs.test.ts).
    expect(
      (await t.api('POST', '/api/v1/messages/check', { reference: 'not a reference' })).body.error?.code,
    ).toBe('reference.invalid');
  });

  it('the personal phrase appears in emails to the owner, not in codes to an address being added', async () => {
    const { token, email } = await signedUpAccount(t);
    expect((await t.api('PUT', '/api/v1/phrase', { phrase: 'さくら 2026' }, token)).status).toBe(204);
    expect((await t.api('PUT', '/api/v1/phrase', { phrase: 'x'.repeat(41) }, token)).body.error?.code).toBe(
      'phrase.invalid',
    );
    t.sink.clear();
    const contact = uniqueEmail('phrase');
    await verifiedEmail(t, token, contact);
    await t.drain();
    const code = t.sink.to(contact).find((m) => m.subject === '連絡用メールアドレスの確認')!;
    expect(code.text).not.toContain('さくら 2026');
    const notice = t.sink
      .to(email)
      .find((m) => m.subject === 'アカウントにセキュリティ情報が追加されました')!;
    expect(notice.text).toContain('あなたのあいさつ文：さくら 2026');
    expect(notice.html).toContain('さくら 2026');
  });
});
