import type { SmsProvider } from '../../notifications/ports.ts';
import { PermanentDeliveryError } from '../../notifications/ports.ts';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** https://api.twilio.com in production; a local server in tests. */
  baseUrl: string;
  fetch?: typeof fetch;
}

/** SMS through Twilio's Messages API: POST /2010-04-01/Accounts/{Sid}/Messages.json, form-encoded, Basic auth. */
export function twilioSms(o: TwilioOptions): SmsProvider {
  const doFetch = o.fetch ?? fetch;
  const url = `${o.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`;
  return {
    async send(m) {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: m.to, From: o.from, Body: m.body }).toString(),
        signal: AbortSignal.timeout(10_000),
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
      throw new Error(`Twilio ${res.status} ${detail}`);
    },
  };
}
