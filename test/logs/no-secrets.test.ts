import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { openTestStore } from '../support/databases.ts';
import { codeIn, startSmtpSink } from '../support/smtp-sink.ts';

describe('logs', () => {
  it('never contain passwords, codes, session tokens or cookies, even at debug level', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const sink = await startSmtpSink();
    const store = await openTestStore('pglite');
    const config = loadConfig({
      NODE_ENV: 'test',
      SMTP_URL: sink.url,
      MAMORI_SECRET: 's'.repeat(40),
      LOG_LEVEL: 'trace',
    });
    const appLog = createLogger('trace', stream);
    const app = await createApp(config, {
      db: store.db,
      clock: new ManualClock(),
      manualDispatch: true,
      log: appLog,
    });
    try {
      const password = 'a very secret passphrase 31';
      const email = 'logs@example.com';
      const signup = await app.http.inject({
        method: 'POST',
        url: '/api/v1/signup',
        payload: { email, password, displayName: 'L', locale: 'en' },
      });
      await app.deps.dispatcher.drain();
      const code = codeIn(sink.messages[0]!.text);
      const confirm = await app.http.inject({
        method: 'POST',
        url: '/api/v1/signup/confirm',
        payload: { signupToken: JSON.parse(signup.body).signupToken, code },
      });
      const token = JSON.parse(confirm.body).sessionToken as string;
      await app.http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      await app.http.inject({ url: '/security', headers: { cookie: `mamori_session=${token}` } });
      await app.http.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { email, password: 'wrong guess 1234' },
      });
      // A link's token in the path or query (an invitation, a cancellation) is never written either: the
      // access line names the route pattern.
      await app.http.inject({ url: '/organisation/join?token=invite-token-in-query-0123456789' });
      await app.http.inject({ url: '/replacement/cancel/cancel-token-in-path-0123456789' });
      const all = lines.join('');
      expect(all).not.toContain('invite-token-in-query-0123456789');
      expect(all).not.toContain('cancel-token-in-path-0123456789');
      expect(all).toMatch(/"route":"\/organisation\/join"/);
      expect(lines.length).toBeGreaterThan(5);
      expect(all).toContain('request completed');
      expect(all).not.toContain(password);
      expect(all).not.toContain(code);
      expect(all).not.toContain(token);
      expect(all).not.toContain(JSON.parse(signup.body).signupToken);
      expect(all).not.toContain(config.secret);
    } finally {
      await app.close();
      await store.close();
      await sink.close();
    }
  });
});
