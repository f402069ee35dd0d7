import { appsCipher } from '../../src/apps/cipher.ts';
import type { TestApp } from '../support/harness.ts';
import { signedIn } from '../web/page-text.ts';

/* Helpers of the registry tests (/operator/apps, /organisation/console/apps). */

export const ORG_APPS = '/organisation/console/apps';
export const OPERATOR_APPS = '/operator/apps';

/** A no-JavaScript browser: a `formClient` (cookies, the CSRF token of the last page). */
export type Browser = ReturnType<typeof signedIn>;

/** The admin's browser (their two-step session as the cookie), in `lang`. */
export function adminBrowser(t: TestApp, sessionToken: string, lang: 'ja' | 'en' = 'ja'): Browser {
  return signedIn(t, sessionToken, lang);
}

/**
 * Posts a form whose fields may repeat (checkboxes), with the CSRF token of the page at `from` (fetched
 * first) and the browser's cookies.
 */
export async function postPairs(
  t: TestApp,
  c: Browser,
  from: string,
  url: string,
  pairs: [string, string][],
  o: { csrf?: boolean } = {},
) {
  const page = await c.get(from);
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const body = new URLSearchParams(o.csrf === false ? pairs : [['_csrf', csrf], ...pairs]);
  const res = await t.app.http.inject({
    method: 'POST',
    url,
    headers: {
      cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Mozilla/5.0 no-js-client',
    },
    payload: body.toString(),
  });
  return res;
}

/** The secret a page shows once (the <wbr> breaks removed), or undefined. */
export function shownSecret(html: string): string | undefined {
  return html.match(/data-testid="new-secret">(.+?)<\/code>/)?.[1]?.replace(/<wbr\s*\/?>/g, '');
}

/** Registers a client on the page at `base` as a browser would; returns the answer, the client_id and secret. */
export async function registerOnPage(
  c: Browser,
  base: string,
  o: { name?: string; type?: 'confidential' | 'public'; redirectUris?: string; postLogout?: string } = {},
) {
  await c.get(base);
  const res = await c.post(`${base}/clients`, {
    name: o.name ?? '勤怠管理システム',
    type: o.type ?? 'confidential',
    redirectUris: o.redirectUris ?? 'https://kintai.example.com/callback\nhttps://kintai.example.com/cb2',
    postLogoutRedirectUris: o.postLogout ?? '',
    backchannelLogoutUri: '',
  });
  const page = res.statusCode === 303 ? await c.follow(res) : res;
  const clientId = page.body.match(/data-testid="client-id">([^<]+)</)?.[1];
  return { res, page, clientId, secret: shownSecret(res.body) };
}

/** The client secret as stored, decrypted with the apps cipher. */
export async function storedClientSecret(t: TestApp, clientId: string): Promise<string | null> {
  const rows = await t.app.deps.db.query<{ secret: string | null }>(
    'SELECT secret FROM app_clients WHERE client_id = $1',
    [clientId],
  );
  const sealed = rows[0]?.secret ?? null;
  return sealed === null ? null : appsCipher(t.app.deps.config.secret).decrypt(sealed);
}
