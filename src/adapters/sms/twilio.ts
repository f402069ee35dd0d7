import type { SmsProvider } from '../../notifications/ports.ts';
import { PermanentDeliveryError, TemporaryDeliveryError } from '../../notifications/ports.ts';

/** Time limit of one request to the provider (ms). */
const TIMEOUT_MS = 10_000;

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** https://api.twilio.com in production; a local server in tests. */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * SMS through Twilio's Messages API: POST /2010-04-01/Accounts/{Sid}/Messages.json, form-encoded, Basic auth.
 * Settles within 10 s. A 4xx answer is permanent; 429 and 503 are temporary; any other 5xx answer, a
 * timeout or a lost connection after the request was sent leaves the outcome unknown (the provider may
 * have taken the message).
 */
export function twilioSms(o: TwilioOptions): SmsProvider {
  const doFetch = o.fetch ?? fetch;
  const url = `${o.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`;
  return {
    timeoutMs: TIMEOUT_MS,
    async send(m, attempt) {
      const limit = AbortSignal.timeout(TIMEOUT_MS);
      const signal = attempt ? AbortSignal.any([attempt.signal, limit]) : limit;
      await attempt?.beforeTransmit();
      const res = await doFetch(url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: m.to, From: o.from, Body: m.body }).toString(),
        signal,
      });
      if (res.ok) return;
      const text = await res.text().catch(() => '');
      let detail = '';
      try {
        const j = JSON.parse(text) as { code?: number; message?: string };
        detail = `${j.code ?? ''} ${j.message ?? ''}`.trim();
      } catch {
        detail = text.slice(0, 200);
      }
      // 4xx (bad number, auth) will not get better; 429 and 5xx are worth retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        throw new PermanentDeliveryError(`Twilio ${res.status} ${detail}`);
      }
      // 429 and 503 say the request was not processed; another 5xx may come after the message was taken.
      if (res.status === 429 || res.status === 503) {
        throw new TemporaryDeliveryError(`Twilio ${res.status} ${detail}`);
      }
      throw new Error(`Twilio ${res.status} ${detail}`);
    },
  };
}
