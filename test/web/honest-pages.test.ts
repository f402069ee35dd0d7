import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';
import { pattern, signedIn, visibleText } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('pages tell the truth', () => {
  it('lists replacement emails on "Messages we sent" in both languages (no 500)', async () => {
    const account = await signedUpAccount(t);
    await verifiedEmail(t, account.token, uniqueEmail('old'));
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, account.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, account.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).status).toBe(202);
    expect((await t.api('POST', '/api/v1/replacement/cancel', {}, account.token)).status).toBeLessThan(300);
    for (const lang of ['ja', 'en'] as const) {
      const page = await signedIn(t, account.token, lang).get('/security/messages');
      expect(page.statusCode).toBe(200);
      const text = visibleText(page.body);
      expect(text).toContain(tr(lang, 'messages.kind.replacement_started'));
      expect(text).toContain(tr(lang, 'messages.kind.replacement_cancelled'));
      expect(text).not.toMatch(/replacement_|messages\.kind/);
    }
  });
});

const subjects = (t: TestApp, to: string) => t.sink.to(to).map((m) => m.subject);

describe('never say a code was sent when it was not', () => {
  it('forgot password: the code page shows the real wait of the step, refuses early and really sends after it', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, account.token, contact);
    // The address's own wait (a code went to it just now) is past; the reset step has its own.
    t.clock.advance(61_000);
    const c = formClient(t, { 'accept-language': 'en' });
    await c.get('/forgot');
    await c.follow(await c.post('/forgot', { email: account.email }));
    const chosen = await c.post('/forgot/choose', { methodId, confirm: contact });
    expect(chosen.statusCode).toBe(200);
    const text = visibleText(chosen.body);
    expect(text).toContain(tr('en', 'forgot.code.lead', { masked: 'co*****@example.com', minutes: 10 }));
    // The real wait is shown: 60 s from this code, and the button says so.
    expect(chosen.body).toContain(
      `data-resend-at="${new Date(t.clock.now().getTime() + 60_000).toISOString()}"`,
    );
    await t.drain();
    const reset = tr('en', 'mail.code.reset.subject');
    expect(subjects(t, contact).filter((s) => s === reset)).toHaveLength(1);

    // Too early: the page says how long to wait, and nothing is sent.
    t.clock.advance(20_000);
    const early = await c.post('/forgot/resend', {});
    expect(early.statusCode).toBe(429);
    expect(visibleText(early.body)).toContain(tr('en', 'error.code.resend_wait', { seconds: 40 }));
    expect(early.body).toContain(
      `data-resend-at="${new Date(t.clock.now().getTime() + 40_000).toISOString()}"`,
    );
    await t.drain();
    expect(subjects(t, contact).filter((s) => s === reset)).toHaveLength(1);

    // After the wait, "send again" really sends.
    t.clock.advance(41_000);
    const again = await c.post('/forgot/resend', {});
    expect(again.statusCode).toBe(200);
    expect(visibleText(again.body)).toContain(tr('en', 'forgot.code.resent'));
    await t.drain();
    expect(subjects(t, contact).filter((s) => s === reset)).toHaveLength(2);
  });

  it('forgot password: the answer to a right and a wrong confirmation reads the same', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, account.token, contact);
    const page = async (confirm: string) => {
      const c = formClient(t, { 'accept-language': 'en' });
      await c.get('/forgot');
      await c.follow(await c.post('/forgot', { email: account.email }));
      const r = await c.post('/forgot/choose', { methodId, confirm });
      return { status: r.statusCode, text: visibleText(r.body) };
    };
    expect(await page(uniqueEmail('wrong'))).toEqual(await page(contact));
  });

  it('second step of a sign-in: a recent code to the same address is not reported as sent', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    const contact = uniqueEmail('c1');
    const c1 = await verifiedEmail(t, account.token, contact);
    t.clock.advance(61_000);
    await verifiedEmail(t, account.token, uniqueEmail('c2'));
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, account.token)).status).toBeLessThan(
      300,
    );
    t.clock.advance(61_000);
    // A code for another purpose reaches `contact` 25 s before the sign-in asks for one.
    expect((await t.api('POST', '/api/v1/reauth/code', { methodId: c1 }, account.token)).status).toBe(200);
    t.clock.advance(25_000);
    const c = formClient(t, { 'accept-language': 'en' });
    await c.get('/sign-in');
    const signedIn = await c.follow(
      await c.post('/sign-in', { email: account.email, password: account.password }),
    );
    expect(visibleText(signedIn.body)).toContain(tr('en', 'second.title'));
    await t.drain();
    const before = t.sink.messages.length;
    const sent = await c.post(`/sign-in/verify/send?method=${c1}`, {});
    expect(sent.statusCode).toBe(429);
    const text = visibleText(sent.body);
    expect(text).not.toContain(tr('en', 'second.code_sent', { method: 'c1*****@example.com' }));
    expect(text).toContain(tr('en', 'code.not_sent_wait', { method: 'c1*****@example.com', seconds: 35 }));
    expect(sent.body).toContain(
      `data-resend-at="${new Date(t.clock.now().getTime() + 35_000).toISOString()}"`,
    );
    await t.drain();
    expect(t.sink.messages.length).toBe(before);

    t.clock.advance(36_000);
    const later = await c.post(`/sign-in/verify/send?method=${c1}`, {});
    expect(later.statusCode).toBe(200);
    expect(visibleText(later.body)).toContain(
      tr('en', 'second.code_sent', { method: 'c1*****@example.com' }),
    );
    await t.drain();
    expect(subjects(t, contact)).toContain(tr('en', 'mail.code.signin.subject'));
  });

  it('removing an unverified entry does not claim that anyone was told', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('kept'));
    t.clock.advance(61_000);
    const added = await t.api(
      'POST',
      '/api/v1/methods/emails',
      { email: uniqueEmail('typo') },
      account.token,
    );
    await t.drain();
    const before = t.sink.messages.length;
    const c = signedIn(t, account.token, 'en');
    await c.get(`/security/methods/${added.body.methodId}/remove`);
    const done = await c.follow(await c.post(`/security/methods/${added.body.methodId}/remove`, {}));
    const text = visibleText(done.body);
    expect(text).not.toContain(tr('en', 'security.done.removed'));
    expect(text).toContain(tr('en', 'security.done.removed_unverified'));
    await t.drain();
    expect(t.sink.messages.length).toBe(before);
  });

  it('the first recovery code does not say that earlier codes stopped working; the second one does', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    const c = signedIn(t, account.token, 'en');
    const replaces = async () => /name="replaces" value="([^"]+)"/.exec((await c.get('/security')).body)![1]!;
    const first = await c.post('/security/recovery-code', { replaces: await replaces() });
    expect(visibleText(first.body)).not.toContain(tr('en', 'recovery.old_invalid'));
    await t.drain();
    const mail = t.sink.to(account.email).at(-1)!;
    expect(mail.subject).toBe(tr('en', 'mail.recovery_code_created.subject'));
    expect(mail.text).not.toContain(tr('en', 'mail.recovery_code_created.body'));
    expect(mail.text).toContain(tr('en', 'mail.recovery_code_created.body_first'));
    const second = await c.post('/security/recovery-code', { replaces: await replaces() });
    expect(visibleText(second.body)).toContain(tr('en', 'recovery.old_invalid'));
    await t.drain();
    expect(t.sink.to(account.email).at(-1)!.text).toContain(tr('en', 'mail.recovery_code_created.body'));
  });

  it('reloading the page that shows a new recovery code (the form sent again) replaces nothing: the code shown still works', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('contact'));
    const c = signedIn(t, account.token, 'en');
    const form = { replaces: /name="replaces" value="([^"]+)"/.exec((await c.get('/security')).body)![1]! };
    const shown = await c.post('/security/recovery-code', form);
    const code = /data-testid="recovery-code"[^>]*>(?:<code>)?([^<]+)/
      .exec(shown.body)?.[1]
      ?.replace(/\s/g, '');
    expect(code).toBeTruthy();
    await t.drain();
    const mails = t.sink.to(account.email).length;
    // The browser sends the same form again: nothing is made, the page says why and how to go on.
    const again = await c.post('/security/recovery-code', form);
    expect(again.statusCode).toBe(303);
    const page = await c.follow(again);
    expect(visibleText(page.body)).toContain(tr('en', 'error.recovery_code.stale'));
    await t.drain();
    expect(t.sink.to(account.email).length).toBe(mails);
    const flow = await t.api('POST', '/api/v1/password-reset', { email: account.email });
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: flow.body.flowToken,
      recoveryCode: code,
    });
    expect(used.status).toBe(200);
  });

  it('the security checkup of a new account does not claim a confirmation that never happened', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('contact'));
    const page = await signedIn(t, account.token, 'en').get('/security/checkup');
    const item = page.body.match(/data-check="confirmed"[\s\S]*?<\/li>/)![0];
    expect(visibleText(item)).toMatch(pattern('en', 'checkup.item.confirmed.new'));
    const text = visibleText(page.body);
    expect(text).not.toContain('You confirmed');
    expect(text).not.toContain('Not confirmed yet');
    expect(text).toMatch(pattern('en', 'checkup.method_verified'));
  });

  it('a recovery code too new to skip the wait is not offered, and the refusal says why and when', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('old'));
    const made = await t.api('POST', '/api/v1/recovery-code', {}, account.token);
    const recoveryCode = made.body.recoveryCode as string;
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, account.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, account.token);
    const started = await t.api('POST', '/api/v1/replacement/start', {}, account.token);
    expect(started.status).toBe(202);
    const page = await signedIn(t, account.token, 'en').get('/security/replacement');
    expect(page.body).not.toContain('name="recoveryCode"');
    expect(visibleText(page.body)).toMatch(pattern('en', 'replacement.pending.recovery_too_new'));
    const refused = await t.api('POST', '/api/v1/replacement/recovery-code', { recoveryCode }, account.token);
    // Refused like any sensitive change during the wait (test/attack/outsider.test.ts), and not spent.
    expect([refused.status, refused.body.error?.code]).toEqual([423, 'account.restricted']);
    expect(refused.body.error?.message).toMatch(pattern('en', 'error.account.restricted'));
  });

  it('a recovery code spent on a reset left half-way: nothing claims a code the user does not have', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('contact'));
    const made = await t.api('POST', '/api/v1/recovery-code', {}, account.token);
    const flow = await t.api('POST', '/api/v1/password-reset', { email: account.email });
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: flow.body.flowToken,
      recoveryCode: made.body.recoveryCode,
    });
    // Spent, and replaced at once by a code shown to the person; they never set the new password.
    expect(used.status).toBe(200);
    const fresh = used.body.newRecoveryCode as string;
    const c = signedIn(t, account.token, 'en');
    const security = visibleText((await c.get('/security')).body);
    expect(security).not.toContain(tr('en', 'security.recovery_none'));
    const checkup = (await c.get('/security/checkup')).body;
    expect(checkup).toMatch(/data-check="recovery_code" data-ok="true"/);
    // ...and the code the pages count is the one the person was shown, not the spent one.
    const again = await t.api('POST', '/api/v1/password-reset', { email: account.email });
    const spent = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: again.body.flowToken,
      recoveryCode: made.body.recoveryCode,
    });
    expect(spent.body.error?.code).toBe('code.invalid');
    const works = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: again.body.flowToken,
      recoveryCode: fresh,
    });
    expect(works.status).toBe(200);
  });
});
