import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { renderNoticeEmail } from '../../src/notices/render-notice.tsx';
import { type CodePurpose, type EmailKind, renderEmail } from '../../src/notifications/templates.tsx';

/**
 * Golden renders of every email Mamori sends, in both languages: subject and text in `<name>.<locale>.txt`,
 * HTML in `<name>.<locale>.html` under `__snapshots__/emails/`. A change to any word or any byte of the
 * layout shows up here as a diff to review (`npx vitest run -u` accepts it).
 */

const PURPOSES: CodePurpose[] = [
  'signup',
  'add_email',
  'add_phone',
  'reset',
  'reauth',
  'signin',
  'replace',
  'recovery_form',
];

const ctx = {
  publicUrl: 'https://mamori.example',
  reference: 'MMR-7KQ2-XH9D',
  displayName: '山田 <b>太郎</b>',
  phrase: 'さくら & "もみじ"',
};
const when = { time: '2026/11/24 10:05 JST', ip: '203.0.113.9' };

type Custom = Extract<EmailKind, { kind: 'custom' }>;

/** Every custom message, as its capability builds it (grep `kind: 'custom'`). */
const CUSTOM: { name: string; m: Custom; phrase?: boolean }[] = [
  ...(['started', 'started_form', 'reminder'] as const).map((v) => ({
    name: `replacement_${v}`,
    m: {
      kind: 'custom',
      name: v === 'reminder' ? 'replacement_reminder' : 'replacement_started',
      subject: v === 'reminder' ? 'replacement.mail.reminder.subject' : 'replacement.mail.started.subject',
      lines: [
        v === 'reminder'
          ? 'replacement.mail.reminder.body'
          : v === 'started_form'
            ? 'replacement.mail.started.body_form'
            : 'replacement.mail.started.body',
        'replacement.mail.when',
        'replacement.mail.if_you',
        'replacement.mail.cancel_how',
        'replacement.mail.not_me',
      ],
      params: {
        account: 'ya*****@example.com',
        newInfo: 'ne*****@example.com, +81 90-****-5678',
        date: '2026/12/01 10:05 JST',
        days: 3,
        notMeUrl: 'https://mamori.example/replacement/not-me?token=T0K3N',
      },
      action: { label: 'replacement.mail.cancel_action', path: '/replacement/cancel?token=T0K3N' },
    } satisfies Custom,
  })),
  {
    name: 'replacement_cancelled',
    m: {
      kind: 'custom',
      name: 'replacement_cancelled',
      subject: 'replacement.mail.cancelled.subject',
      lines: ['replacement.mail.cancelled.body'],
      params: { account: 'ya*****@example.com', time: when.time },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'replacement.mail.cancelled.warn',
    },
  },
  {
    name: 'replacement_completed',
    m: {
      kind: 'custom',
      name: 'replacement_completed',
      subject: 'replacement.mail.completed.subject',
      lines: ['replacement.mail.completed.body', 'replacement.mail.completed.next'],
      params: { account: 'ya*****@example.com', time: when.time, newInfo: 'ne*****@example.com' },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'replacement.mail.completed.warn',
    },
  },
  {
    name: 'periodic_reminder',
    m: {
      kind: 'custom',
      name: 'periodic_reminder',
      subject: 'checkup.mail.subject',
      lines: ['checkup.mail.body', 'checkup.mail.last'],
      params: { date: '2026/05/24 10:05 JST' },
      action: { label: 'checkup.mail.action', path: '/security/confirm-info' },
      warn: 'checkup.mail.not_yours',
    },
  },
  {
    name: 'recovery_form_received',
    phrase: false,
    m: {
      kind: 'custom',
      name: 'recovery_form_received',
      subject: 'recovery_form.mail.received.subject',
      lines: ['recovery_form.mail.received.body', 'recovery_form.mail.received.next'],
      params: { due: '2026/11/27 10:05 JST', account: 'ya*****@example.com' },
      anonymous: true,
    },
  },
  {
    name: 'recovery_form_approved',
    phrase: false,
    m: {
      kind: 'custom',
      name: 'recovery_form_approved',
      subject: 'recovery_form.mail.approved.subject',
      lines: ['recovery_form.mail.approved.body', 'recovery_form.mail.approved.wait'],
      params: { account: 'ya*****@example.com', hours: 48 },
      action: { label: 'recovery_form.mail.approved.action', path: '/recovery-form/reset/R4W' },
      warn: 'recovery_form.mail.approved.warn',
      anonymous: true,
    },
  },
  {
    name: 'recovery_form_alert',
    m: {
      kind: 'custom',
      name: 'recovery_form_alert',
      subject: 'recovery_form.mail.alert.subject',
      lines: ['recovery_form.mail.alert.body', 'recovery_form.mail.alert.contact'],
      params: { contact: 'he*****@example.org' },
      action: { label: 'recovery_form.mail.alert.action', path: '/forgot' },
      warn: 'recovery_form.mail.alert.warn',
    },
  },
  {
    name: 'recovery_form_denied',
    phrase: false,
    m: {
      kind: 'custom',
      name: 'recovery_form_denied',
      subject: 'recovery_form.mail.denied.subject',
      lines: [
        'recovery_form.mail.denied.body',
        'recovery_form.mail.denied.tips',
        'recovery_form.mail.denied.tip_device',
        'recovery_form.mail.denied.tip_passwords',
        'recovery_form.mail.denied.tip_contacts',
        'recovery_form.mail.denied.tip_more',
        'recovery_form.mail.denied.again',
        'recovery_form.mail.denied.two_step',
      ],
      params: { account: 'ya*****@example.com', per_day: 3 },
      anonymous: true,
    },
  },
  {
    name: 'recovery_form_two_step',
    m: {
      kind: 'custom',
      name: 'recovery_form_two_step',
      subject: 'recovery_form.mail.two_step.subject',
      lines: ['recovery_form.mail.two_step.body', 'recovery_form.mail.two_step.next'],
      params: { contact: 'he*****@example.org' },
      action: { label: 'recovery_form.mail.two_step.action', path: '/forgot' },
      warn: 'recovery_form.mail.two_step.warn',
    },
  },
  {
    name: 'reset_guesses',
    m: {
      kind: 'custom',
      name: 'reset_guesses',
      subject: 'limits.mail.reset_guesses.subject',
      lines: ['limits.mail.reset_guesses.body', 'limits.mail.reset_guesses.safe'],
      warn: 'limits.mail.reset_guesses.not_you',
      params: { count: 25, until: '' },
    },
  },
  {
    name: 'code_guesses',
    m: {
      kind: 'custom',
      name: 'code_guesses',
      subject: 'limits.mail.code_guesses.subject',
      lines: ['limits.mail.code_guesses.body', 'limits.mail.code_guesses.paused'],
      warn: 'limits.mail.code_guesses.not_you',
      action: { label: 'limits.mail.code_guesses.action', path: '/security' },
      params: { count: 10, until: '2026/11/24 11:05 JST' },
    },
  },
  {
    name: 'phrase_changed',
    m: {
      kind: 'custom',
      name: 'phrase_changed',
      subject: 'security.mail.phrase_changed.subject',
      lines: ['security.mail.phrase_changed.body', 'mail.when_where'],
      params: { ...when },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'mail.not_you',
    },
  },
];

/** Every email: name, what is rendered, and whether the account's phrase goes with it (as `sendEmail` decides). */
function everyEmail(locale: Locale): { name: string; m: EmailKind; phrase: boolean }[] {
  return [
    ...PURPOSES.map((purpose) => ({
      name: `code_${purpose}`,
      m: {
        kind: 'code' as const,
        purpose,
        code: '493027',
        minutes: 10,
        account: 'ya*****@example.com',
      },
      phrase: ['reset', 'reauth', 'signin'].includes(purpose),
    })),
    { name: 'signup_exists', m: { kind: 'signup_exists' }, phrase: true },
    {
      name: 'method_added',
      m: { kind: 'method_added', method: 'co*****@example.com', ...when },
      phrase: true,
    },
    {
      name: 'method_removed',
      m: { kind: 'method_removed', method: '認証アプリ', ...when },
      phrase: true,
    },
    { name: 'password_changed', m: { kind: 'password_changed', ...when }, phrase: true },
    { name: 'password_reset', m: { kind: 'password_reset', ...when }, phrase: true },
    { name: 'two_step_on', m: { kind: 'two_step_on', ...when }, phrase: true },
    { name: 'two_step_off', m: { kind: 'two_step_off', ...when }, phrase: true },
    {
      name: 'recovery_code_created_first',
      m: { kind: 'recovery_code_created', first: true, ...when },
      phrase: true,
    },
    {
      name: 'recovery_code_created',
      m: { kind: 'recovery_code_created', first: false, ...when },
      phrase: true,
    },
    { name: 'recovery_code_used', m: { kind: 'recovery_code_used', ...when }, phrase: true },
    {
      name: 'unusual_signin',
      m: {
        kind: 'unusual_signin',
        ...when,
        country: locale === 'ja' ? 'フランス' : 'France',
        device: 'Chrome 131 · Windows 10',
      },
      phrase: true,
    },
    { name: 'account_secured', m: { kind: 'account_secured', ...when }, phrase: true },
    ...CUSTOM.map((c) => ({ name: c.name, m: c.m, phrase: c.phrase ?? true })),
  ];
}

const file = (name: string, locale: Locale, ext: string) => `./__snapshots__/emails/${name}.${locale}.${ext}`;

describe('every email, golden (byte for byte)', () => {
  for (const locale of ['ja', 'en'] as const) {
    for (const { name, m, phrase } of everyEmail(locale)) {
      it(`${name} (${locale})`, async () => {
        const r = renderEmail(locale, m, { ...ctx, phrase: phrase ? ctx.phrase : '' });
        await expect(`Subject: ${r.subject}\n\n${r.text}\n`).toMatchFileSnapshot(file(name, locale, 'txt'));
        await expect(`${r.html}\n`).toMatchFileSnapshot(file(name, locale, 'html'));
      });
    }
    it(`a message without a display name or phrase (${locale})`, async () => {
      const r = renderEmail(
        locale,
        { kind: 'password_changed', ...when },
        { ...ctx, displayName: '', phrase: '' },
      );
      await expect(`Subject: ${r.subject}\n\n${r.text}\n`).toMatchFileSnapshot(
        file('password_changed_bare', locale, 'txt'),
      );
      await expect(`${r.html}\n`).toMatchFileSnapshot(file('password_changed_bare', locale, 'html'));
    });

    it(`notice (${locale})`, async () => {
      const r = renderNoticeEmail({
        locale,
        category: 'billing',
        subject: locale === 'ja' ? '料金改定の<お知らせ>' : 'New <prices>',
        body:
          locale === 'ja'
            ? '来月から料金が変わります。\r\n詳しくはサイトで。\n\n\n<script>x</script> & よろしく'
            : 'Prices change next month.\nSee the site.\n\n<script>x</script> & thanks',
        displayName: ctx.displayName,
        phrase: ctx.phrase,
        publicUrl: ctx.publicUrl,
        reference: ctx.reference,
        unsubscribeUrl: 'https://mamori.example/unsubscribe?token=a&b',
      });
      await expect(`Subject: ${r.subject}\n\n${r.text}\n`).toMatchFileSnapshot(file('notice', locale, 'txt'));
      await expect(`${r.html}\n`).toMatchFileSnapshot(file('notice', locale, 'html'));
    });
  }
});
