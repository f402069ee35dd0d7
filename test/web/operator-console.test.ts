import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { findNotice } from '../../src/notices/notices.ts';
import { OPERATOR_COOKIE } from '../../src/operator/operator-auth.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import { formClient } from './browser-less-client.ts';
import { visibleText } from './page-text.ts';

/** Issue 8, kind 7: the operator console has one navigation, asks before it sends to all, says which field. */
describe('operator console: navigation, confirmation, field errors (ja, en)', () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    adminToken = (await enrolledOperator(t, { role: 'admin' })).token;
  });
  afterAll(() => t.close());

  const consoleClient = (lang: 'ja' | 'en') => {
    const c = formClient(t, { 'accept-language': lang });
    c.jar.set(OPERATOR_COOKIE, adminToken);
    return c;
  };

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: every console page, notices included, has the console navigation with a link to notices`, async () => {
      const c = consoleClient(lang);
      await c.get('/operator/notices');
      const made = await c.post('/operator/notices', {
        category: 'other',
        subjectJa: 'お知らせ',
        bodyJa: '本文です。',
        subjectEn: 'Notice',
        bodyEn: 'Body.',
      });
      for (const path of ['/operator', '/operator/outbox', '/operator/audit', '/operator/notices']) {
        const page = await c.get(path);
        expect(page.statusCode, path).toBe(200);
        expect(page.body, path).toContain('class="op-nav"');
        expect(page.body, path).toContain(`<a href="/operator/notices">${tr(lang, 'notices.op.title')}</a>`);
        // Never the user's header (sign-out of a user account) on a console page.
        expect(page.body, path).not.toContain('action="/sign-out"');
      }
      expect(made.statusCode).toBe(303);
      const notice = await c.get(String(made.headers.location));
      expect(notice.body).toContain('class="op-nav"');
    });

    it(`${lang}: "send to every user" needs an explicit confirmation, and says so at the box`, async () => {
      const c = consoleClient(lang);
      await c.get('/operator/notices');
      const made = await c.post('/operator/notices', {
        category: 'other',
        subjectJa: 'お知らせ',
        bodyJa: '本文です。',
        subjectEn: 'Notice',
        bodyEn: 'Body.',
      });
      const url = String(made.headers.location);
      const id = url.split('/').at(-1)!;
      const preview = await c.get(url);
      expect(preview.body).toContain('name="confirm"');
      const unconfirmed = await c.post(`${url}/send`, {});
      expect(unconfirmed.statusCode).toBe(400);
      expect(visibleText(unconfirmed.body)).toContain(tr(lang, 'notices.op.confirm_required'));
      expect(unconfirmed.body).toMatch(/id="confirm"[^>]*aria-invalid="true"/);
      expect((await findNotice(t.app.deps.db, id))?.status).toBe('draft');
      const sent = await c.post(`${url}/send`, { confirm: 'yes' });
      expect(sent.statusCode).toBe(303);
      expect((await findNotice(t.app.deps.db, id))?.status).not.toBe('draft');
    });

    it(`${lang}: an empty decision reason is an error at the reason field`, async () => {
      const now = t.clock.now();
      const id = `rfr_console_${lang}`;
      await t.app.deps.db.query(
        `INSERT INTO recovery_requests (id, flow_hash, account_key, contact_email, contact_key, locale, status, score,
           created_at, expires_at, submitted_at, due_at, ip, user_agent, country)
         VALUES ($1, $2, 'someone@example.com', 'helper@example.com', 'helper@example.com', $3, 'review', 50,
           $4, $5, $4, $5, '192.0.2.1', 'test', 'JP')`,
        [id, `hash-${lang}`, lang, now, new Date(now.getTime() + 24 * 3600 * 1000)],
      );
      const c = consoleClient(lang);
      await c.get(`/operator/requests/${id}`);
      const r = await c.post(`/operator/requests/${id}`, { decision: 'approve', reason: '   ' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain(
        `id="reason-error" role="alert">${tr(lang, 'operator.decide.reason_required')}`,
      );
      expect(r.body).not.toContain(tr(lang, 'error.recovery_form.invalid'));
    });
  }
});
