import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../src/kernel/clock.ts';
import { createNotice, findNotice, runNoticeDelivery, sendNotice } from '../../src/notices/notices.ts';
import { readUnsubscribeToken, unsubscribeToken } from '../../src/notices/preferences.ts';
import { OPERATOR_COOKIE, type Operator } from '../../src/operator/operator-auth.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import type { SinkMail } from '../support/smtp-sink.ts';
import { formClient } from '../web/browser-less-client.ts';

const admin: Operator = { id: 'op_notices_test', name: 'Notice Tester', role: 'admin' };

const NOTICE = {
  subjectJa: '料金改定のお知らせ',
  bodyJa:
    '2027年4月1日より料金を改定します。\n詳しくはサービス内のお知らせをご覧ください。\n\n<b>太字ではありません</b>',
  subjectEn: 'Changes to our prices',
  bodyEn: 'Our prices change on 1 April 2027.\nSee the announcement in the service.\n\n<b>not bold</b>',
};

describe('service notices: preferences, delivery at a rate, one-click unsubscribe (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    delete process.env.NOTICES_PER_MINUTE;
  });

  const accountId = async (token: string) =>
    (await t.api('GET', '/api/v1/me', undefined, token)).body.id as string;
  /** Runs delivery until the notice is fully sent, a minute apart; returns the per-run counts. */
  async function deliverAll(noticeId: string): Promise<number[]> {
    const runs: number[] = [];
    for (let i = 0; i < 100; i++) {
      runs.push(await runNoticeDelivery(t.app.deps));
      if ((await findNotice(t.app.deps.db, noticeId))?.status === 'sent') break;
      t.clock.advance(MINUTE);
    }
    await t.drain();
    return runs;
  }
  const withSubject = (to: string, subject: string) => t.sink.to(to).filter((m) => m.subject === subject);
  const tokenIn = (m: SinkMail) => decodeURIComponent(m.text.match(/\/unsubscribe\?token=(\S+)/)![1]!);
  /** mailparser folds every List-* header into one `list` object. */
  const listHeaders = (m: SinkMail) => JSON.stringify(m.headers.get('list'));

  let ja: { email: string; token: string; contact: string };
  let en: { email: string; token: string };
  let optedOut: { email: string; token: string };

  it('reaches only the users who receive the category, at every verified address, in their language', async () => {
    process.env.NOTICES_PER_MINUTE = '1000';
    const a = await signedUpAccount(t, { locale: 'ja' });
    const contact = uniqueEmail('notice-contact');
    await verifiedEmail(t, a.token, contact);
    ja = { ...a, contact };
    en = await signedUpAccount(t, { locale: 'en' });
    optedOut = await signedUpAccount(t, { locale: 'ja' });
    const put = await t.api(
      'PUT',
      '/api/v1/notices/preferences',
      { categories: { billing: false } },
      optedOut.token,
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      categories: { terms: true, service_end: true, billing: false, other: true },
      security: 'always',
    });
    // A sign-up that never confirmed its address gets nothing.
    const pending = uniqueEmail('unconfirmed');
    await t.api('POST', '/api/v1/signup', {
      email: pending,
      password: 'correct horse battery staple 42',
      displayName: 'X',
    });
    await t.drain();

    const draft = await createNotice(t.app.deps, admin, { category: 'billing', ...NOTICE });
    expect(draft.status).toBe('draft');
    expect(await runNoticeDelivery(t.app.deps)).toBe(0); // a draft is not sent
    await sendNotice(t.app.deps, admin, draft.id);
    const runs = await deliverAll(draft.id);
    expect(runs.reduce((s, n) => s + n, 0)).toBe(3);

    for (const to of [ja.email, ja.contact]) {
      const [m, ...more] = withSubject(to, NOTICE.subjectJa);
      expect(more).toHaveLength(0);
      expect(m!.text).toContain('2027年4月1日より料金を改定します。');
      expect(m!.text).toContain('<b>太字ではありません</b>');
      expect(m!.html).toContain('&lt;b>太字ではありません&lt;/b>');
      expect(m!.text).toMatch(/参照番号|MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
      expect(m!.text).toContain(
        '「料金・お支払い」のお知らせを停止する：http://mamori.test/unsubscribe?token=',
      );
      expect(listHeaders(m!)).toContain('"unsubscribe-post":{"name":"List-Unsubscribe=One-Click"}');
      expect(listHeaders(m!)).toContain(
        `"url":"http://mamori.test/unsubscribe?token=${encodeURIComponent(tokenIn(m!))}"`,
      );
      // Every link goes to PUBLIC_URL only.
      for (const href of m!.html.match(/href="[^"]+"/g) ?? [])
        expect(href).toMatch(/^href="http:\/\/mamori\.test\//);
    }
    const [e] = withSubject(en.email, NOTICE.subjectEn);
    expect(e!.text).toContain('Our prices change on 1 April 2027.');
    expect(withSubject(en.email, NOTICE.subjectJa)).toHaveLength(0);
    expect(t.sink.to(optedOut.email).filter((m) => m.subject === NOTICE.subjectJa)).toHaveLength(0);
    expect(t.sink.to(pending).filter((m) => m.subject === NOTICE.subjectJa)).toHaveLength(0);
    // Listed under "messages we sent".
    const list = (await t.api('GET', '/api/v1/messages', undefined, en.token)).body.messages as {
      kind: string;
    }[];
    expect(list.map((m) => m.kind)).toContain('notice');

    // Exactly once: running again sends nothing; sending the notice again does nothing.
    await sendNotice(t.app.deps, admin, draft.id);
    expect(await runNoticeDelivery(t.app.deps)).toBe(0);
    expect((await findNotice(t.app.deps.db, draft.id))?.delivered).toBe(3);

    // Another category still reaches the user who switched billing off.
    const terms = await createNotice(t.app.deps, admin, {
      category: 'terms',
      ...NOTICE,
      subjectJa: '利用規約改定のお知らせ',
    });
    await sendNotice(t.app.deps, admin, terms.id);
    await deliverAll(terms.id);
    expect(withSubject(optedOut.email, '利用規約改定のお知らせ')).toHaveLength(1);
  });

  it('refuses a notice without both languages', async () => {
    await expect(
      createNotice(t.app.deps, admin, { category: 'billing', ...NOTICE, bodyEn: ' ' }),
    ).rejects.toThrow('notice.invalid');
    await expect(createNotice(t.app.deps, admin, { ...NOTICE, category: 'security' })).rejects.toThrow(
      'notice.invalid',
    );
    await expect(
      createNotice(t.app.deps, admin, { category: 'other', ...NOTICE, subjectEn: 'Two\nlines' }),
    ).rejects.toThrow('notice.invalid');
    await expect(sendNotice(t.app.deps, admin, 'ntc_nope')).rejects.toThrow('notice.not_found');
  });

  it('one-click POST unsubscribes without a session or CSRF token, idempotently', async () => {
    const mail = withSubject(en.email, NOTICE.subjectEn)[0]!;
    const token = tokenIn(mail);
    expect(readUnsubscribeToken(t.app.deps.config.secret, token)).toEqual({
      accountId: await accountId(en.token),
      category: 'billing',
    });
    // The confirmation page changes nothing by itself.
    const page = await t.app.http.inject({
      method: 'GET',
      url: `/unsubscribe?token=${encodeURIComponent(token)}`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(
      (await t.api('GET', '/api/v1/notices/preferences', undefined, en.token)).body.categories,
    ).toMatchObject({
      billing: true,
    });

    const oneClick = () =>
      t.app.http.inject({
        method: 'POST',
        url: `/unsubscribe?token=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const first = await oneClick();
    expect(first.statusCode).toBe(200);
    const second = await oneClick();
    expect(second.statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/notices/preferences', undefined, en.token)).body.categories).toEqual({
      terms: true,
      service_end: true,
      billing: false,
      other: true,
    });
    const events = await t.app.deps.db.query(
      `SELECT 1 FROM activity WHERE account_id = $1 AND kind = 'notices.preferences'`,
      [await accountId(en.token)],
    );
    expect(events).toHaveLength(1);
    const after = await t.app.http.inject({
      method: 'GET',
      url: `/unsubscribe?token=${encodeURIComponent(token)}`,
    });
    expect(after.body).not.toContain('name="List-Unsubscribe"');

    // Mail providers may post multipart/form-data (RFC 8058).
    const other = unsubscribeToken(t.app.deps.config.secret, await accountId(en.token), 'other');
    const boundary = '----mamori';
    const multipart = await t.app.http.inject({
      method: 'POST',
      url: `/unsubscribe?token=${encodeURIComponent(other)}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(200);
    expect(
      (
        (await t.api('GET', '/api/v1/notices/preferences', undefined, en.token)).body.categories as {
          other: boolean;
        }
      ).other,
    ).toBe(false);

    // The next billing notice skips the account.
    const next = await createNotice(t.app.deps, admin, {
      category: 'billing',
      ...NOTICE,
      subjectEn: 'Second billing',
    });
    await sendNotice(t.app.deps, admin, next.id);
    await deliverAll(next.id);
    expect(withSubject(en.email, 'Second billing')).toHaveLength(0);
  });

  it('refuses forged or altered tokens, and a POST without the one-click body', async () => {
    const id = await accountId(ja.token);
    const good = unsubscribeToken(t.app.deps.config.secret, id, 'terms');
    const forged = [
      unsubscribeToken('another-secret-another-secret-0123456', id, 'terms'),
      good.replace('.terms.', '.billing.'),
      `${id}.terms.`,
      'nonsense',
      `acc_doesnotexist.terms.${good.split('.')[2]}`,
    ];
    for (const token of forged) {
      const post = await t.app.http.inject({
        method: 'POST',
        url: `/unsubscribe?token=${encodeURIComponent(token)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(post.statusCode, token).toBe(400);
      expect(post.body).toContain('この配信停止リンクは無効です。');
      const get = await t.app.http.inject({
        method: 'GET',
        url: `/unsubscribe?token=${encodeURIComponent(token)}`,
      });
      expect(get.statusCode).toBe(400);
    }
    const noBody = await t.app.http.inject({
      method: 'POST',
      url: `/unsubscribe?token=${encodeURIComponent(good)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'foo=bar',
    });
    expect(noBody.statusCode).toBe(400);
    expect(
      (await t.api('GET', '/api/v1/notices/preferences', undefined, ja.token)).body.categories,
    ).toMatchObject({
      terms: true,
    });
  });

  it('never enqueues more than NOTICES_PER_MINUTE in any minute, across runs, and resumes where it stopped', async () => {
    process.env.NOTICES_PER_MINUTE = '2';
    // A few more accounts, one with two addresses (so a run can stop half-way through an account).
    const more = [await signedUpAccount(t, { locale: 'en' }), await signedUpAccount(t, { locale: 'en' })];
    await verifiedEmail(t, more[0]!.token, uniqueEmail('second-address'));
    t.clock.advance(2 * MINUTE); // the sign-up codes above are not notices, but start from a quiet minute
    const n = await createNotice(t.app.deps, admin, {
      category: 'service_end',
      ...NOTICE,
      subjectEn: 'Rate test',
    });
    await sendNotice(t.app.deps, admin, n.id);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const sent = await runNoticeDelivery(t.app.deps);
      for (let k = 0; k < sent; k++) times.push(t.clock.now().getTime());
      expect(await runNoticeDelivery(t.app.deps)).toBe(0); // same minute: nothing more
      if ((await findNotice(t.app.deps.db, n.id))?.status === 'sent') break;
      t.clock.advance(20 * SECOND);
    }
    for (const at of times)
      expect(times.filter((x) => x > at - MINUTE && x <= at).length).toBeLessThanOrEqual(2);
    const rows = await t.app.deps.db.query<{ recipient_key: string }>(
      'SELECT recipient_key FROM notice_deliveries WHERE notice_id = $1',
      [n.id],
    );
    expect(rows.length).toBe(times.length);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // One outbox message per address, never two.
    const queued = await t.app.deps.db.query<{ recipient: string }>(
      `SELECT o.recipient FROM outbox o JOIN notice_deliveries d ON d.reference = o.reference WHERE d.notice_id = $1`,
      [n.id],
    );
    expect(queued.map((q) => q.recipient.toLowerCase()).sort()).toEqual(
      rows.map((r) => r.recipient_key).sort(),
    );
    await t.drain();
    for (const m of more) expect(withSubject(m.email, 'Rate test')).toHaveLength(1);
  });

  it('the preferences page saves the categories and says security messages cannot be switched off', async () => {
    const { token } = await signedUpAccount(t, { locale: 'ja' });
    const c = formClient(t);
    c.jar.set('mamori_session', token);
    const page = await c.get('/security/notices');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>お知らせの受信設定</h1>');
    expect(page.body).toContain('停止することはできません');
    expect(page.body).toMatch(/name="billing" value="on" checked/);
    const saved = await c.post('/security/notices', {
      form: '1',
      terms: 'on',
      service_end: 'on',
      billing: 'on',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/security/notices?done=saved');
    expect((await t.api('GET', '/api/v1/notices/preferences', undefined, token)).body.categories).toEqual({
      terms: true,
      service_end: true,
      billing: true,
      other: false,
    });
    expect((await c.get('/security/notices?done=saved')).body).toContain('設定を保存しました。');
    expect((await c.post('/security/notices', { billing: 'on' }, false)).statusCode).toBe(403);
  });

  it('the operator console needs a signed-in operator', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/operator/notices' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/operator\/sign-in/);
  });

  it('operators write, preview and send notices in the console; every action is audited', async () => {
    const console = async (role: Operator['role']) => {
      const { token } = await enrolledOperator(t, { role });
      const c = formClient(t);
      c.jar.set(OPERATOR_COOKIE, token);
      return c;
    };
    const c = await console('admin');
    const page = await c.get('/operator/notices');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="subjectJa"');
    const bad = await c.post('/operator/notices', { category: 'billing', ...NOTICE, subjectEn: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('日本語と英語の両方');
    const long = '長い本文です。'.repeat(1000); // 7 000 characters, 63 kB once form-encoded
    const made = await c.post('/operator/notices', {
      category: 'other',
      ...NOTICE,
      subjectEn: 'Console notice',
      bodyJa: long,
    });
    expect(made.statusCode).toBe(303);
    const url = String(made.headers.location);
    expect(url).toMatch(/^\/operator\/notices\/ntc_/);
    const preview = await c.get(url);
    expect(preview.body).toContain('Console notice');
    expect(preview.body).toContain(NOTICE.subjectJa);
    expect(preview.body).toContain('&lt;b>not bold&lt;/b>');
    expect(preview.body).toContain('data-testid="notice-status">下書き');

    const reviewer = await console('reviewer');
    await reviewer.get(url);
    expect((await reviewer.post(`${url}/send`, {})).statusCode).toBe(403);

    const sent = await c.post(`${url}/send`, { confirm: 'yes' }); // test/web/operator-console.test.ts
    expect(sent.statusCode).toBe(303);
    const id = url.split('/').at(-1)!;
    expect((await findNotice(t.app.deps.db, id))?.status).toBe('sending');
    const audit = await t.app.deps.db.query<{ action: string }>(
      'SELECT action FROM operator_audit WHERE target = $1 ORDER BY seq',
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(['notice.create', 'notice.send']);
    expect((await c.post(`${url}/send`, {}, false)).statusCode).toBe(403); // CSRF
  });
});
