import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../../src/config/config.ts';
import { CATALOGUE } from '../../src/notifications/catalogue/index.ts';
import { loadTemplateOverrides, placeholdersOf } from '../../src/notifications/overrides.ts';
import { renderEmail } from '../../src/notifications/templates.tsx';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';

/** A templates directory made of `files` (path → content; a path ending in `/` is an empty directory). */
function templatesDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mamori-templates-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    if (path.endsWith('/')) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  return root;
}

const env = { MAMORI_SECRET: 'x'.repeat(40), DATA_DIR: mkdtempSync(join(tmpdir(), 'mamori-data-')) };

describe('TEMPLATES_DIR: a self-hoster overrides a message kind in one language', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = templatesDir({
      'code.signup/ja/subject.txt': '【Example 社】登録の確認コード\n',
      'code.signup/ja/text.txt':
        'Example 社のアカウント登録コードは {{code}} です（{{minutes}}分間有効）。\n',
      'code.signup/ja/html.html': '<p class="brand">Example 社の登録コード：<strong>{{code}}</strong></p>\n',
    });
    t = await createTestApp({ env: { TEMPLATES_DIR: dir } });
  });
  afterAll(() => t.close());

  it('is used for that kind and language, inside the layout with its safety footer', async () => {
    const email = uniqueEmail('branded');
    const r = await t.api('POST', '/api/v1/signup', {
      email,
      password: 'correct horse battery staple 42',
      displayName: '山田 太郎',
      locale: 'ja',
    });
    expect(r.status).toBe(202);
    const code = await t.mailedCode(email);
    const mail = t.sink.to(email).at(-1)!;
    expect(mail.subject).toBe('【Example 社】登録の確認コード');
    expect(mail.text).toContain(`Example 社のアカウント登録コードは ${code} です（10分間有効）。`);
    expect(mail.text).not.toContain('アカウントの作成を完了するため');
    // The safety footer stays: never asking for passwords or codes, and the message reference.
    expect(mail.text).toMatch(/メールでパスワードや確認コードを尋ねることはありません/);
    expect(mail.text).toMatch(/メッセージ参照番号：MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(mail.html).toContain(`<p class="brand">Example 社の登録コード：<strong>${code}</strong></p>`);
    expect(mail.html).toMatch(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    // The code still confirms the sign-up.
    const c = await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code });
    expect(c.status).toBe(200);
  });

  it('leaves the other language with the built-in words', async () => {
    const email = uniqueEmail('english');
    await t.api('POST', '/api/v1/signup', {
      email,
      password: 'correct horse battery staple 42',
      displayName: 'Jane',
      locale: 'en',
    });
    await t.mailedCode(email);
    expect(t.sink.to(email).at(-1)!.subject).toBe('Your Mamori confirmation code');
  });

  it('logs which overrides are in use, not their words', () => {
    const redacted = redactConfig(t.app.deps.config);
    expect(redacted.templates).toEqual(['code.signup/ja']);
  });
});

describe('TEMPLATES_DIR: rendering an override', () => {
  it('escapes the values in HTML (not in text), keeps the phrase and the footer, and may keep the built-in subject', () => {
    const { overrides, problems } = loadTemplateOverrides(
      templatesDir({
        'password_changed/en/text.txt': 'Hi {{name}}, your password changed at {{time}} from {{ip}}.',
        'password_changed/en/html.html':
          '<p>Hi <b>{{name}}</b>: {{ time }} · <a href="{{actionUrl}}">reset</a></p>',
      }),
    );
    expect(problems).toEqual([]);
    const m = renderEmail(
      'en',
      { kind: 'password_changed', time: '24 Nov 2026, 01:05 UTC', ip: '203.0.113.9' },
      {
        publicUrl: 'https://mamori.example',
        reference: 'MMR-7KQ2-XH9D',
        displayName: 'Jane <script>',
        phrase: 'blue whale',
        templates: overrides,
      },
    );
    expect(m.subject).toBe('Your password was changed');
    expect(m.text).toContain(
      'Hi Jane <script>, your password changed at 24 Nov 2026, 01:05 UTC from 203.0.113.9.',
    );
    expect(m.text.startsWith('Your personal greeting: blue whale\n')).toBe(true);
    expect(m.text).toContain('Message reference: MMR-7KQ2-XH9D');
    expect(m.html).toContain(
      '<p>Hi <b>Jane &lt;script&gt;</b>: 24 Nov 2026, 01:05 UTC · <a href="https://mamori.example/forgot">reset</a></p>',
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Message reference: MMR-7KQ2-XH9D');
    expect(m.html).toContain('Mamori never asks for your password');
    // Other kinds and the other language: built-in.
    const ja = renderEmail(
      'ja',
      { kind: 'password_changed', time: 't', ip: 'x' },
      {
        publicUrl: 'https://mamori.example',
        reference: 'MMR-7KQ2-XH9D',
        displayName: '',
        templates: overrides,
      },
    );
    expect(ja.subject).toBe('パスワードが変更されました');
  });
});

describe('TEMPLATES_DIR: checked at start, every problem at once', () => {
  it('refuses to start with each problem named', () => {
    const dir = templatesDir({
      'no_such_kind/ja/subject.txt': 'x',
      'password_changed/fr/subject.txt': 'x',
      'password_changed/ja/subject.txt': '{{tiem}} に変更\n',
      'password_changed/ja/notes.md': 'x',
      'code.reset/en/text.txt': 'Your code is below.',
      'code.reset/en/html.html': '<p>Your code: {{code}}</p>',
      'code.signin/en/text.txt': 'Code {{code}} for {{name}}',
      'code.signin/en/html.html': '<p>{{code}} {{oops</p> {{ two words }}',
      'recovery_form_approved/ja/text.txt': '{{account}} の承認',
      'recovery_form_approved/ja/html.html': '<p>{{account}} の承認 <a href="{{actionUrl}}">…</a></p>',
      'two_step_on/en/subject.txt': 'Two lines\nin a subject',
      'two_step_on/en/text.txt': 'Only text',
      'two_step_off/ja/html.html/': '',
      'two_step_off/ja/text.txt': 'x',
      'method_added/en/': '',
    });
    let error: unknown;
    try {
      loadConfig({ ...env, TEMPLATES_DIR: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.replaceAll(dir, '<dir>'));
    expect(problems).toEqual([
      'TEMPLATES_DIR: <dir>/code.reset/en/text.txt: missing required placeholder {{code}}',
      expect.stringMatching(
        /^TEMPLATES_DIR: <dir>\/code\.signin\/en\/html\.html: malformed placeholder "\{\{ two words \}\}"$/,
      ),
      expect.stringMatching(
        /^TEMPLATES_DIR: <dir>\/code\.signin\/en\/text\.txt: unknown placeholder \{\{name\}\} \(code\.signin has \{\{code\}\}, /,
      ),
      'TEMPLATES_DIR: <dir>/method_added/en: overrides nothing (no subject.txt, text.txt or html.html)',
      expect.stringMatching(/^TEMPLATES_DIR: <dir>\/no_such_kind: unknown message kind "no_such_kind"/),
      'TEMPLATES_DIR: <dir>/password_changed/fr: unknown language "fr" (use ja or en)',
      'TEMPLATES_DIR: <dir>/password_changed/ja/notes.md: unknown file (use subject.txt, text.txt, html.html)',
      expect.stringMatching(
        /^TEMPLATES_DIR: <dir>\/password_changed\/ja\/subject\.txt: unknown placeholder \{\{tiem\}\} \(password_changed has \{\{time\}\}, \{\{ip\}\}, /,
      ),
      'TEMPLATES_DIR: <dir>/recovery_form_approved/ja/text.txt: missing required placeholder {{actionUrl}}',
      expect.stringMatching(/^TEMPLATES_DIR: <dir>\/two_step_off\/ja\/html\.html cannot be read \(EISDIR\)$/),
      'TEMPLATES_DIR: <dir>/two_step_off/ja: text.txt and html.html must be given together',
      'TEMPLATES_DIR: <dir>/two_step_on/en/subject.txt: the subject must be one line of text',
      'TEMPLATES_DIR: <dir>/two_step_on/en: text.txt and html.html must be given together',
    ]);
  });

  it('a directory that cannot be read is a problem, with the other settings problems', () => {
    let error: unknown;
    try {
      loadConfig({ ...env, TEMPLATES_DIR: '/nonexistent/mamori-templates', PORT: 'x' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^PORT must be an integer/),
      'TEMPLATES_DIR: /nonexistent/mamori-templates cannot be read (ENOENT)',
    ]);
  });

  it('a correct directory starts; without TEMPLATES_DIR nothing is overridden', () => {
    const dir = templatesDir({
      'code.reset/en/subject.txt': 'Example Corp: reset code',
      'recovery_form_approved/ja/text.txt': '{{account}}：{{actionUrl}}',
      'recovery_form_approved/ja/html.html': '<p><a href="{{actionUrl}}">{{account}}</a></p>',
      '.DS_Store': '',
    });
    const config = loadConfig({ ...env, TEMPLATES_DIR: dir });
    expect(config.templatesDir).toBe(dir);
    expect([...config.templates.keys()].sort()).toEqual(['code.reset/en', 'recovery_form_approved/ja']);
    expect(loadConfig(env).templates.size).toBe(0);
  });
});

describe('the catalogue names the file that owns each email', () => {
  it('every custom kind is sent by the file its entry names', () => {
    for (const [id, e] of Object.entries(CATALOGUE)) {
      if (e.kind === 'code' || !e.sentBy) continue;
      const source = readFileSync(new URL(`../../${e.sentBy}`, import.meta.url), 'utf8');
      expect(source, `${id} in ${e.sentBy}`).toContain(`'${id}'`);
      expect(source, e.sentBy).toContain("kind: 'custom'");
    }
  });
});

describe('docs/operations.md#branding-emails', () => {
  it('lists every message kind with its placeholders and required ones, as the catalogue has them', () => {
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const cells = (list: readonly string[]) => list.map((p) => `\`${p}\``).join(', ') || '—';
    const common = ['reference', 'publicUrl', 'forgotUrl'];
    for (const [id, e] of Object.entries(CATALOGUE)) {
      const also = placeholdersOf(e).filter((p) => !e.placeholders.includes(p) && !common.includes(p));
      expect(doc, id).toContain(
        `| \`${id}\` | ${cells(e.placeholders)} | ${cells(also)} | ${cells(e.required)} |`,
      );
    }
  });
});
