import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config.ts';

describe('configuration', () => {
  it('runs on dev defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: null,
      smtpUrl: null,
      devTools: true,
    });
    expect(c.sms.provider).toBe('dev');
    expect(c.codes).toEqual({
      ttlMinutes: 10,
      maxAttempts: 5,
      resendSeconds: 60,
      perDestinationPerDay: 10,
      wrongPerAccountPerHour: 10,
    });
    expect(c.secretGenerated).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        SMTP_URL: 'not a url',
        CODE_TTL_MINUTES: '0',
        MAMORI_SECRET: 'short',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL must use postgres/);
      expect(problems.join('\n')).toMatch(/SMTP_URL is not a valid URL/);
      expect(problems.join('\n')).toMatch(/CODE_TTL_MINUTES/);
      expect(problems.join('\n')).toMatch(/MAMORI_SECRET must be at least 32/);
    }
  });

  it('refuses dev defaults in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (e) {
      const text = (e as ConfigError).problems.join('\n');
      expect(text).toMatch(/MAMORI_SECRET is required in production/);
      expect(text).toMatch(/SMTP_URL is required in production/);
      expect(text).toMatch(/PUBLIC_URL is required/);
      expect(text).toMatch(/MAIL_FROM is required/);
      expect(text).toMatch(/TWILIO_ACCOUNT_SID is required/);
    }
  });

  it('accepts a complete production configuration with the dev tools off', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      MAMORI_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://user:pw@mail.example.com:587',
      PUBLIC_URL: 'https://account.example.com/',
      MAIL_FROM: 'Example <security@example.com>',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'secret-token',
      TWILIO_FROM: '+15005550006',
    });
    expect(c.devTools).toBe(false);
    expect(c.publicUrl).toBe('https://account.example.com');
    const logged = JSON.stringify(redactConfig(c));
    expect(logged).not.toContain('x'.repeat(40));
    expect(logged).not.toContain('pw@');
    expect(logged).not.toContain('secret-token');
  });
});
