import { describe, expect, it } from 'vitest';
import { createCipher } from '../../src/kernel/cipher.ts';
import { rotateSecret } from '../../src/storage/rotate-secret.ts';
import { openTestStore } from '../support/databases.ts';

describe('rotating MAMORI_SECRET', () => {
  it('re-encrypts authenticator secrets and pending messages so they read under the new secret only', async () => {
    const { db, close } = await openTestStore('pglite');
    try {
      const oldS = 'o'.repeat(40);
      const newS = 'n'.repeat(40);
      const enc = createCipher(oldS, 'totp-secret').encrypt('SECRET-BYTES');
      await db.query(`INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at, created_at, updated_at)
        VALUES ('acc_1', 'a@example.com', 'a@example.com', 'A', 'ja', 'x', now(), now(), now())`);
      await db.query(
        `INSERT INTO security_methods (id, account_id, kind, value, value_key, created_at, secret_enc)
        VALUES ('mth_1', 'acc_1', 'totp', 'mth_1', 'mth_1', now(), $1)`,
        [enc],
      );
      await db.query(
        `INSERT INTO outbox (id, reference, channel, kind, recipient, body_text, next_attempt_at, created_at)
        VALUES ('msg_1', 'MMR-AAAA-BBBB', 'email', 'code', 'a@example.com', $1, now(), now())`,
        [createCipher(oldS, 'outbox').encrypt('hello')],
      );
      expect(await rotateSecret(db, oldS, newS)).toEqual({
        authenticators: 1,
        messages: 1,
        appSecrets: 0,
        recoveryCodesToRenew: 0,
      });
      const [m] = await db.query<{ secret_enc: string }>(
        `SELECT secret_enc FROM security_methods WHERE id = 'mth_1'`,
      );
      expect(createCipher(newS, 'totp-secret').decrypt(m!.secret_enc)).toBe('SECRET-BYTES');
      expect(() => createCipher(oldS, 'totp-secret').decrypt(m!.secret_enc)).toThrow();
      const [o] = await db.query<{ body_text: string }>(`SELECT body_text FROM outbox WHERE id = 'msg_1'`);
      expect(createCipher(newS, 'outbox').decrypt(o!.body_text)).toBe('hello');
    } finally {
      await close();
    }
  });
});
