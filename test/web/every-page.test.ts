/**
 * Every page a user can reach, every email and SMS they get, in Japanese and in English: one account walks
 * through every flow (sign-up, contact email, phone, authenticator app, passkey, recovery code, personal
 * greeting, replacement started and cancelled, recovery form, notices, two-step verification, an unusual
 * sign-in marked "not me", secure my account, password reset), then every page reachable from its
 * signed-in pages is opened. Each page must answer 200 (or the status the step expects), and no page, email
 * or SMS may show an untranslated key, a placeholder, `undefined`/`null`, a raw code, or — in Japanese —
 * English words outside a short allow-list (and in English, Japanese).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevMessages } from '../../src/adapters/email/dev-mailbox.ts';
import { createNotice, runNoticeDelivery, sendNotice } from '../../src/notices/notices.ts';
import { MESSAGE_KINDS } from '../../src/notifications/message-kinds.ts';
import { decideRequest, reviewQueue } from '../../src/operator/console-service.ts';
import { OPERATOR_COOKIE, type Operator } from '../../src/operator/operator-auth.ts';
import { type PowChallenge, solvePow } from '../../src/recovery-form/pow.ts';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import { hasOathtool, oathtoolCode } from '../support/oathtool.ts';
import { enrolledOperator } from '../support/operator.ts';
import { codeIn } from '../support/smtp-sink.ts';
import { type CreationOptionsJSON, SoftAuthenticator } from '../support/soft-authenticator.ts';
import { formClient } from './browser-less-client.ts';
import { visibleText } from './page-text.ts';

type Lang = 'ja' | 'en';
type Client = ReturnType<typeof formClient>;

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';

/** Words a Japanese page may show in Latin letters: names of products, standards and of the language switch. */
const JA_ALLOWED = [
  'Mamori',
  'SMS',
  'IP',
  'QR',
  'JavaScript',
  'Microsoft Authenticator',
  'Google',
  '1Password',
  'Windows',
  'Mac',
  'iPhone',
  'iPad',
  'Android',
  'Linux',
  'Chromebook',
  'Chrome',
  'Firefox',
  'Safari',
  'Edge',
  'JST',
  'UTC',
  'English',
  'ip-location-db',
  'Number Resource Organization',
  'nro.net',
  'CC BY',
  'OK',
];

/** What is not the page's own words: addresses, links, references, codes, phone numbers, masked values. */
function ownWords(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+*-]+@[\w.-]+\.\w+/g, ' ')
    .replace(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/g, ' ')
    .replace(/\b[A-Z0-9]{5}(?:-[A-Z0-9]{5})+-?…?/g, ' ') // a recovery code, or its example
    .replace(/@[\w.-]+ #\d{6}/g, ' ');
}

interface Seen {
  where: string;
  lang: Lang;
  text: string;
}

/** Every problem of the kinds this test hunts, as readable lines. */
function problems(s: Seen): string[] {
  const out: string[] = [];
  const text = ownWords(s.text);
  const context = (i: number) => text.slice(Math.max(0, i - 40), i + 40);
  for (const m of text.matchAll(
    /\{\w+(?:, plural,)?[^}]*\}|\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/g,
  ))
    out.push(`placeholder or empty value "${m[0]}": …${context(m.index)}…`);
  for (const m of text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b|\b[a-z_]+\.[a-z_]+\.[a-z_.]+\b/g))
    out.push(`raw key or code "${m[0]}": …${context(m.index)}…`);
  if (s.lang === 'ja') {
    let rest = text;
    for (const w of JA_ALLOWED) rest = rest.split(w).join(' ');
    for (const m of rest.matchAll(/[A-Za-z]{2,}(?:[ '-][A-Za-z]+)*/g))
      out.push(`English in Japanese "${m[0]}": …${rest.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
  } else {
    const rest = text.split('日本語').join(' ');
    for (const m of rest.matchAll(/[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]+/g))
      out.push(`Japanese in English "${m[0]}": …${rest.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
  }
  return out;
}

/**
 * A page's words, without what the user typed, what identifies a thing (codes, keys, the QR image), and
 * parts marked as another language (`lang="…"`: the language switch, a notice previewed in both languages).
 */
function pageText(html: string, userData: string[], lang: Lang): string {
  const other = lang === 'ja' ? 'en' : 'ja';
  let h = html
    .replace(new RegExp(`<(\\w+)[^>]*\\slang="${other}"[^>]*>[\\s\\S]*?</\\1>`, 'g'), ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<option[^>]*>[\s\S]*?<\/option>/g, ' '); // country names come from Intl, checked apart
  for (const d of userData) h = h.split(d).join(' ');
  return visibleText(h);
}

describe('every page, email and SMS, in Japanese and English', () => {
  let t: TestApp;
  let admin: Operator;
  let operatorToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    // The operator's first sign-in: password, an authenticator app set up, then its code.
    const enrolled = await enrolledOperator(t, {
      name: 'every.page.admin',
      password: 'operator passphrase 1234',
      role: 'admin',
    });
    admin = { id: enrolled.id, name: enrolled.name, role: enrolled.role };
    operatorToken = enrolled.token;
  });
  afterAll(() => t.close());

  it.each<Lang>(['ja', 'en'])('walks every flow in %s and reads every page, email and SMS', async (lang) => {
    const seen: Seen[] = [];
    const name = lang === 'ja' ? '山田 太郎' : 'Alex Smith';
    const label = lang === 'ja' ? '個人用' : 'Personal';
    const greeting = lang === 'ja' ? '青い凧' : 'Blue kite';
    const passkeyName = lang === 'ja' ? '自分のパソコン' : 'My laptop';
    // What people typed, and raw user agents (the sessions table shows them as they came).
    const userData = [
      name,
      label,
      greeting,
      passkeyName,
      'every.page.admin',
      CHROME_WINDOWS,
      FIREFOX_ANDROID,
    ];
    const email = uniqueEmail(`walk-${lang}`);
    const contact = uniqueEmail('contact');
    const phone = `+81901${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const password = 'correct horse battery staple 42';
    const c = formClient(t, { 'accept-language': lang, 'user-agent': CHROME_WINDOWS });

    /** Requests through `client`, remembering each HTML page for the reading at the end. */
    const record = (
      where: string,
      res: { statusCode: number; body: string; headers: Record<string, unknown> },
    ) => {
      if (String(res.headers['content-type'] ?? '').startsWith('text/html'))
        seen.push({ where: `${where} (${res.statusCode})`, lang, text: pageText(res.body, userData, lang) });
      return res;
    };
    const get = async (path: string, client: Client = c, status = 200) => {
      const res = record(`GET ${path}`, await client.get(path));
      expect(res.statusCode, `GET ${path}`).toBe(status);
      return res;
    };
    const post = async (path: string, form: Record<string, string>, client: Client = c) => {
      let res = record(`POST ${path}`, await client.post(path, form));
      expect(res.statusCode, `POST ${path}: ${visibleText(res.body).slice(0, 300)}`).toBeLessThan(400);
      for (let i = 0; i < 5 && res.statusCode >= 300 && res.statusCode < 400; i++) {
        const to = String(res.headers.location);
        res = record(`GET ${to} (after POST ${path})`, await client.get(to));
      }
      expect(res.statusCode, `after POST ${path}`).toBe(200);
      return res;
    };
    const mailed = async (to: string, subjectKey: string) => {
      await t.drain();
      const { t: tr } = await import('../../src/i18n/index.ts');
      const subject = tr(lang, subjectKey as never);
      const m = t.sink
        .to(to)
        .filter((x) => x.subject === subject)
        .at(-1);
      if (!m) throw new Error(`no "${subject}" to ${to}: ${t.sink.to(to).map((x) => x.subject)}`);
      return m;
    };
    const linkIn = (text: string, path: string) => {
      const m = text.match(new RegExp(`http://mamori\\.test(${path}[^\\s]*)`));
      if (!m?.[1]) throw new Error(`no link to ${path} in: ${text}`);
      return m[1];
    };
    const manualKey = (html: string) => html.match(/data-testid="manual-key"><code>([^<]+)</)![1]!;
    const recoveryCodeOn = (html: string) => html.match(/data-testid="recovery-code"><code>([^<]+)</)![1]!;
    const signInAgain = async (pw: string) => {
      await post('/sign-in', { email, password: pw });
      if (c.jar.has('mamori_pending') && totpKey) {
        const verifyPage = await get('/sign-in/verify');
        const totpId = verifyPage.body.match(/name="method" value="([^"]+)"/)![1]!;
        t.clock.advance(31_000);
        await post('/sign-in/verify', { method: totpId, code: oathtoolCode(totpKey, t.clock.now()) });
      }
    };

    // Public pages
    for (const path of [
      '/sign-in',
      '/sign-up',
      '/forgot',
      '/forgot/none',
      '/recovery-form',
      '/messages/check',
    ])
      await get(path);
    await get('/sign-in/passkey');

    // Sign up and confirm
    await post('/sign-up', { email, password, displayName: name, locale: lang, timeZone: '' });
    await post('/sign-up/resend', {}).catch(() => undefined); // too early: says how long to wait
    const signupCode = codeIn((await mailed(email, 'mail.code.signup.subject')).text);
    await post('/sign-up/confirm', { code: signupCode });

    // A contact email address
    await get('/security/emails/add');
    const addedEmail = await post('/security/emails/add', { email: contact, label });
    expect(addedEmail.body).toContain(contact);
    const emailVerify = addedEmail.body.match(/action="(\/security\/methods\/[^/]+\/verify)"/)![1]!;
    await post(emailVerify, { code: codeIn((await mailed(contact, 'mail.code.add_email.subject')).text) });

    // A phone (SMS)
    t.clock.advance(61_000);
    await get('/security/phones/add');
    const addedPhone = await post('/security/phones/add', {
      country: 'JP',
      number: `0${phone.slice(3)}`,
      label,
    });
    const phoneVerify = addedPhone.body.match(/action="(\/security\/methods\/[^/]+\/verify)"/)![1]!;
    await post(phoneVerify, { code: await t.textedCode(phone) });

    // Personal greeting, messages, reference check
    await get('/security/phrase');
    await post('/security/phrase', { phrase: greeting });
    await t.drain();
    const reference = t.sink
      .to(email)
      .at(-1)!
      .text.match(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    await post('/messages/check', { reference });
    await post('/messages/check', { reference: 'MMR-AAAA-AAAA' });

    // Recovery code: the first, then a second one
    const replaces = async () => /name="replaces" value="([^"]+)"/.exec((await get('/security')).body)![1]!;
    await post('/security/recovery-code', { replaces: await replaces() });
    const recoveryCode = recoveryCodeOn(
      (await post('/security/recovery-code', { replaces: await replaces() })).body,
    );

    // An unverified contact, removed again
    t.clock.advance(61_000);
    const typo = await post('/security/emails/add', { email: uniqueEmail('typo'), label: '' });
    const typoId = typo.body.match(/action="\/security\/methods\/([^/]+)\/verify"/)![1]!;
    await get(`/security/methods/${typoId}/remove`);
    await post(`/security/methods/${typoId}/remove`, {});

    // Authenticator app
    let totpKey = '';
    if (hasOathtool) {
      const totp = await post('/security/totp', {});
      totpKey = manualKey(totp.body);
      const totpPath = totp.body.match(/action="(\/security\/totp\/[^"]+)"/)![1]!;
      await post(totpPath, { code: oathtoolCode(totpKey, t.clock.now()) });
    }

    // Passkey (through the API with a software authenticator; the page needs JavaScript)
    const session = c.jar.get('mamori_session')!;
    await get('/security/passkeys/add');
    const options = await t.api('POST', '/api/v1/methods/passkeys/options', undefined, session);
    const auth = new SoftAuthenticator('http://mamori.test');
    const created = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      {
        token: options.body.token,
        response: auth.create(options.body.options as unknown as CreationOptionsJSON),
        name: passkeyName,
      },
      session,
    );
    expect(created.status).toBe(201);

    // Replacement of all security info: started, reminded, cancelled from the mailed link
    t.clock.advance(61_000);
    await get('/security/replace');
    const newEmail = uniqueEmail('new');
    const item = await post('/security/replace/emails', { email: newEmail });
    const itemVerify = item.body.match(/action="(\/security\/replace\/items\/[^/]+\/verify)"/)![1]!;
    await post(itemVerify, { code: codeIn((await mailed(newEmail, 'mail.code.replace.subject')).text) });
    await get('/security/replace/confirm');
    await post('/security/replace/confirm', {});
    await get('/security/password'); // restricted during the wait: the form is there, the change is refused
    const started = await mailed(contact, 'replacement.mail.started.subject');
    const cancelPath = linkIn(started.text, '/replacement/cancel');
    const notMePath = linkIn(started.text, '/replacement/not-me');
    const stranger = formClient(t, {
      'accept-language': lang === 'ja' ? 'en' : 'ja',
      'user-agent': CHROME_WINDOWS,
    });
    await get(cancelPath, stranger);
    await get(notMePath, stranger);
    await post(cancelPath, {}, stranger);
    await get('/security/messages');
    // Started again, and cancelled by the owner
    t.clock.advance(61_000);
    const again = await post('/security/replace/emails', { email: newEmail });
    const againVerify = again.body.match(/action="(\/security\/replace\/items\/[^/]+\/verify)"/)?.[1];
    if (againVerify)
      await post(againVerify, { code: codeIn((await mailed(newEmail, 'mail.code.replace.subject')).text) });
    await post('/security/replace/confirm', {});
    await post('/security/replacement/cancel', {});

    // Account recovery form (two-step verification is still off), approved by an operator, then cancelled
    t.clock.advance(61_000);
    const helper = uniqueEmail('helper');
    const rf = formClient(t, { 'accept-language': lang, 'user-agent': CHROME_WINDOWS });
    const start = await get('/recovery-form', rf);
    const challenge = JSON.parse(
      start.body.match(/data-pow="([^"]+)"/)![1]!.replace(/&quot;/g, '"'),
    ) as PowChallenge;
    const solution = { ...challenge, number: solvePow(challenge) };
    await post(
      '/recovery-form',
      { account: email, contactEmail: helper, pow: Buffer.from(JSON.stringify(solution)).toString('base64') },
      rf,
    );
    await post(
      '/recovery-form/code',
      { code: codeIn((await mailed(helper, 'mail.code.recovery_form.subject')).text) },
      rf,
    );
    await get('/recovery-form/evidence', rf);
    // Enough to be reviewed by a person (neither approved nor denied automatically).
    await post(
      '/recovery-form/evidence',
      {
        displayName: name,
        email1: contact,
        phoneCountry: 'JP',
        phone1: `0${phone.slice(3)}`,
        devices: 'windows',
      },
      rf,
    );
    const op = formClient(t, { 'accept-language': lang, 'user-agent': CHROME_WINDOWS });
    op.jar.set(OPERATOR_COOKIE, operatorToken);
    const requestId = (await reviewQueue(t.app.deps))[0]?.id;
    expect(requestId, 'the request waits for a review').toBeDefined();
    for (const path of [
      '/operator',
      `/operator/requests/${requestId}`,
      '/operator/outbox',
      '/operator/audit',
    ])
      await get(path, op);
    await decideRequest(
      t.app.deps,
      admin,
      requestId,
      { decision: 'approve', reason: 'ok' },
      { ip: '127.0.0.1', userAgent: CHROME_WINDOWS, country: 'LOCAL', locale: lang },
    );
    const approved = await mailed(helper, 'recovery_form.mail.approved.subject');
    await get(linkIn(approved.text, '/recovery-form/reset/'), rf);
    await mailed(contact, 'recovery_form.mail.alert.subject');
    await post(
      linkIn(approved.text, '/recovery-form/reset/'),
      {
        password: 'a recovered passphrase 2026',
      },
      rf,
    );
    // The owner signs in again (the recovery reset signed everyone out) and cancels the change.
    await post('/sign-in', { email, password: 'a recovered passphrase 2026' });
    if (c.jar.has('mamori_pending')) {
      const verify = await get('/sign-in/verify');
      const method = verify.body.match(/\/sign-in\/verify\/send\?method=([^"&]+)/)![1]!;
      t.clock.advance(61_000);
      await post(`/sign-in/verify/send?method=${method}`, {});
      await post('/sign-in/verify', {
        method: decodeURIComponent(method),
        code: codeIn((await mailed(email, 'mail.code.signin.subject')).text),
      });
    }
    await get('/security/replacement');
    await post('/security/replacement/cancel', {});

    // Service notices: a notice, the preferences page, the unsubscribe link
    const notice = await createNotice(t.app.deps, admin, {
      category: 'billing',
      subjectJa: '料金改定のお知らせ',
      bodyJa: '来月から料金が変わります。',
      subjectEn: 'New prices',
      bodyEn: 'Prices change next month.',
    });
    await sendNotice(t.app.deps, admin, notice.id);
    await runNoticeDelivery(t.app.deps);
    await get('/operator/notices', op);
    await get(`/operator/notices/${notice.id}`, op);
    const noticeMail = await mailed(email, lang === 'ja' ? '料金改定のお知らせ' : 'New prices').catch(
      async () => {
        await t.drain();
        return t.sink
          .to(email)
          .filter((m) => /料金改定|New prices/.test(m.subject))
          .at(-1)!;
      },
    );
    const unsubscribe = linkIn(noticeMail.text, '/unsubscribe');
    await get(unsubscribe, stranger);
    await get('/security/notices');
    await post('/security/notices', { terms: 'on', other: 'on' });

    // Checkup and the periodic check
    await get('/security/checkup');
    await get('/security/confirm-info');
    await post('/security/confirm-info?next=/security/checkup', {});

    // Account settings (name, language, time zone), saved as they are
    await get('/account');
    await post('/account', { displayName: name, locale: lang, timeZone: 'Asia/Tokyo' });

    // Two-step verification on; a sign-in from a new device asks for a second proof
    await get('/security/two-step');
    await post('/security/two-step', { enabled: 'true' });
    const other = formClient(t, { 'accept-language': lang, 'user-agent': FIREFOX_ANDROID });
    await get('/sign-in', other);
    await post('/sign-in', { email, password: 'a recovered passphrase 2026' }, other);
    if (totpKey) {
      t.clock.advance(31_000);
      const verifyPage = await get('/sign-in/verify', other);
      const totpId = verifyPage.body.match(/name="method" value="([^"]+)"/)![1]!;
      await post(
        '/sign-in/verify',
        { method: totpId, code: oathtoolCode(totpKey, t.clock.now()), trustDevice: 'true' },
        other,
      );
    }
    await get('/security/devices');

    // That sign-in was unusual: "this wasn't me", then secure the account
    const activity = await get('/security/activity');
    for (const f of ['signin', 'security', 'password']) await get(`/security/activity?filter=${f}`);
    const notMe = activity.body.match(/action="(\/security\/activity\/[^/]+\/not-me)"/)?.[1];
    if (notMe) await post(notMe, {});
    if (totpKey) {
      // With two-step on, the password is no second factor: step up with the authenticator app first.
      const reauth = await get('/security/reauth?next=/security/secure');
      const totpId = reauth.body.match(
        /action="\/security\/reauth\/code[^"]*"[^>]*>\s*<input[^>]*>\s*<input type="hidden" name="method" value="([^"]+)"/,
      )?.[1];
      expect(totpId, 'the step-up page offers the authenticator app').toBeDefined();
      t.clock.advance(31_000);
      await post('/security/reauth/code?next=/security/secure', {
        method: totpId!,
        code: oathtoolCode(totpKey, t.clock.now()),
      });
    }
    await get('/security/secure');
    await post('/security/secure', { password: 'a secured passphrase 2026' });

    // Forgot password: SMS code, then the authenticator app as the second proof
    const fc = formClient(t, { 'accept-language': lang, 'user-agent': CHROME_WINDOWS });
    await get('/forgot', fc);
    await post('/forgot', { email }, fc);
    const methodOf = async (kind: string) =>
      (
        await t.app.deps.db.query<{ id: string }>(
          `SELECT m.id FROM security_methods m JOIN accounts a ON a.id = m.account_id
           WHERE a.email = $1 AND m.kind = $2 AND m.verified_at IS NOT NULL`,
          [email, kind],
        )
      )[0]!.id;
    t.clock.advance(61_000);
    await post('/forgot/choose', { methodId: await methodOf('phone'), confirm: phone.slice(-4) }, fc);
    await post('/forgot/resend', {}, fc).catch(() => undefined); // too early: says how long to wait
    await post('/forgot/code', { code: await t.textedCode(phone) }, fc);
    if (totpKey) {
      await get('/forgot', fc);
      await post('/forgot/choose', { methodId: await methodOf('totp'), confirm: '' }, fc);
      t.clock.advance(31_000);
      await post('/forgot/code', { code: oathtoolCode(totpKey, t.clock.now()) }, fc);
    }
    await post('/forgot/new-password', { password: 'a reset passphrase 2026' }, fc);

    // Forgot password again, with the recovery code ("I don't have any of these")
    const rc = formClient(t, { 'accept-language': lang, 'user-agent': CHROME_WINDOWS });
    await get('/forgot', rc);
    await post('/forgot', { email }, rc);
    await get('/forgot/none', rc);
    await post('/forgot/recovery-code', { recoveryCode }, rc);
    await post('/forgot/new-password', { password: 'a recovery code passphrase 2026' }, rc);

    // Signed in again: change the password, remove a verified method, two-step verification off
    await signInAgain('a recovery code passphrase 2026');
    await get('/security/password');
    await post('/security/password', { password: 'a changed passphrase 2026', endOtherSessions: 'true' });
    const passkeyId = (
      await t.app.deps.db.query<{ id: string }>(
        `SELECT m.id FROM security_methods m JOIN accounts a ON a.id = m.account_id
         WHERE a.email = $1 AND m.kind = 'passkey'`,
        [email],
      )
    )[0]!.id;
    await get(`/security/methods/${passkeyId}/remove`);
    await post(`/security/methods/${passkeyId}/remove`, {});
    await post('/security/two-step', { enabled: 'false' });

    // Every page reachable from the signed-in pages
    const queue = ['/security'];
    const visited = new Set<string>();
    const shape = (p: string) => p.replace(/\/(mth|rpi|act|ses|dev|ntc|rfr|rpl)_[\w-]+/g, '/$1_*');
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (visited.has(shape(path))) continue;
      visited.add(shape(path));
      const res = await get(path);
      for (const m of res.body.matchAll(/href="(\/[^"]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (/^\/(lang|assets|dev|api)\b|^\/sign-out|^\/security\/passkeys\/script/.test(href)) continue;
        if (!visited.has(shape(href))) queue.push(href);
      }
    }
    expect(visited.size).toBeGreaterThan(15);

    // Every email and SMS this walk caused
    await t.drain();
    const addresses = [email, contact, newEmail, helper];
    const mails = t.sink.messages.filter((m) =>
      addresses.some((a) => m.to.toLowerCase().includes(a.toLowerCase())),
    );
    for (const m of mails) {
      const mailData = [...userData, 'Mamori <security@mamori.test>'];
      let text = `${m.subject}\n${m.text}`;
      for (const d of mailData) text = text.split(d).join(' ');
      seen.push({ where: `email "${m.subject}" to ${m.to}`, lang, text: text.replace(/\s+/g, ' ') });
      seen.push({ where: `email (HTML) "${m.subject}"`, lang, text: pageText(m.html, mailData, lang) });
      if (lang === 'en') expect(m.text, m.subject).not.toContain('・');
      // The text part has no buttons, and a link is always below what points to it.
      expect(m.text, m.subject).not.toMatch(/above|上の|button|ボタン/);
      const below = m.text.search(/below|下の/);
      if (below >= 0) expect(m.text.slice(below), m.subject).toMatch(/[：:] ?http:\/\/mamori\.test\//);
    }
    const texts = (await listDevMessages(t.app.deps.db, 'sms')).filter((m) => m.recipient === phone);
    expect(texts.length).toBeGreaterThan(0);
    for (const m of texts) seen.push({ where: `SMS "${m.bodyText}"`, lang, text: m.bodyText });

    // Every kind of message Mamori sends reached this account at least once, except those of other flows
    const sentKinds = new Set(
      (
        await t.app.deps.db.query<{ kind: string }>(
          `SELECT DISTINCT o.kind FROM outbox o JOIN accounts a ON a.id = o.account_id WHERE a.email = $1`,
          [email],
        )
      ).map((r) => r.kind),
    );
    const notHere = new Set([
      'signup_exists',
      'replacement_reminder',
      'replacement_completed',
      'periodic_reminder',
      // Alerts after many wrong codes, and the form declined for a two-step account: their wording is
      // checked by src/i18n/style.test.ts and test/attack/ (not walked here).
      'reset_guesses',
      'code_guesses',
      'recovery_form_two_step',
      // An organisation's admin actions and invitations: test/http/org-actions.test.ts, org-tap.test.ts
      // (their words: src/i18n/style.test.ts).
      'org_reregister_required',
      'org_sessions_revoked',
      'org_password_reset',
      'org_contact_added',
      'org_tap_created',
      'org_invitation',
    ]);
    const anonymous = new Set(['recovery_form_received', 'recovery_form_approved', 'recovery_form_denied']);
    const missing = MESSAGE_KINDS.filter((k) => !sentKinds.has(k) && !notHere.has(k) && !anonymous.has(k));
    expect(missing).toEqual([]);

    const found = [...new Set(seen.flatMap((s) => problems(s).map((p) => `${s.where}: ${p}`)))];
    if (process.env.EVERY_PAGE_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        `${process.env.EVERY_PAGE_DUMP}.${lang}.txt`,
        seen.map((s) => `## ${s.where}\n${s.text}\n`).join('\n'),
      );
      writeFileSync(`${process.env.EVERY_PAGE_DUMP}.${lang}.problems.txt`, found.join('\n'));
      const mailsRead = new Map(mails.map((m) => [m.subject, `## ${m.subject}\n${m.text}`]));
      writeFileSync(`${process.env.EVERY_PAGE_DUMP}.${lang}.mails.txt`, [...mailsRead.values()].join('\n\n'));
    }
    expect(found).toEqual([]);
  });
});
