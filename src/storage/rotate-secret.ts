import { createCipher } from '../kernel/cipher.ts';
import type { Db } from './db.ts';

/**
 * Re-encrypts what is encrypted under MAMORI_SECRET — authenticator secrets (accounts' and operators') and
 * pending outbox bodies — from the old secret to the new one, in one transaction. Recovery codes are HMACs of codes nobody
 * stores, so they cannot be carried over: their owners must create new ones (returned count).
 */
export async function rotateSecret(db: Db, oldSecret: string, newSecret: string) {
  const totpOld = createCipher(oldSecret, 'totp-secret');
  const totpNew = createCipher(newSecret, 'totp-secret');
  const outOld = createCipher(oldSecret, 'outbox');
  const outNew = createCipher(newSecret, 'outbox');
  return db.tx(async (tx) => {
    const methods = await tx.query<{ id: string; secret_enc: string }>(
      `SELECT id, secret_enc FROM security_methods WHERE kind = 'totp' AND secret_enc IS NOT NULL FOR UPDATE`,
    );
    for (const m of methods) {
      await tx.query('UPDATE security_methods SET secret_enc = $2 WHERE id = $1', [
        m.id,
        totpNew.encrypt(totpOld.decrypt(m.secret_enc)),
      ]);
    }
    // Operators' authenticators, and the ones being enrolled during a sign-in.
    const opOld = createCipher(oldSecret, 'operator-totp');
    const opNew = createCipher(newSecret, 'operator-totp');
    const operators = await tx.query<{ id: string; totp_secret_enc: string }>(
      'SELECT id, totp_secret_enc FROM operators WHERE totp_secret_enc IS NOT NULL FOR UPDATE',
    );
    for (const o of operators) {
      await tx.query('UPDATE operators SET totp_secret_enc = $2 WHERE id = $1', [
        o.id,
        opNew.encrypt(opOld.decrypt(o.totp_secret_enc)),
      ]);
    }
    const pending = await tx.query<{ id: string; pending_secret_enc: string }>(
      'SELECT id, pending_secret_enc FROM operator_sessions WHERE pending_secret_enc IS NOT NULL FOR UPDATE',
    );
    for (const p of pending) {
      await tx.query('UPDATE operator_sessions SET pending_secret_enc = $2 WHERE id = $1', [
        p.id,
        opNew.encrypt(opOld.decrypt(p.pending_secret_enc)),
      ]);
    }
    const messages = await tx.query<{ id: string; body_text: string; body_html: string }>(
      `SELECT id, body_text, body_html FROM outbox WHERE body_text <> '' FOR UPDATE`,
    );
    for (const m of messages) {
      await tx.query('UPDATE outbox SET body_text = $2, body_html = $3 WHERE id = $1', [
        m.id,
        outNew.encrypt(outOld.decrypt(m.body_text)),
        m.body_html ? outNew.encrypt(outOld.decrypt(m.body_html)) : '',
      ]);
    }
    const codes = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM accounts WHERE recovery_code_hash IS NOT NULL',
    );
    return {
      authenticators: methods.length + operators.length,
      messages: messages.length,
      recoveryCodesToRenew: codes[0]?.n ?? 0,
    };
  });
}
