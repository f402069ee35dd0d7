import type { TestApp } from '../support/harness.ts';
import { signedIn } from '../web/page-text.ts';

/** The admin's console in a no-JavaScript browser (their two-step session as the cookie). */
export function consoleOf(t: TestApp, sessionToken: string, lang: 'ja' | 'en' = 'ja') {
  return signedIn(t, sessionToken, lang);
}

/** Creates an organisation API token on /org/tokens as the admin would; returns it (shown once) and the page. */
export async function createToken(
  t: TestApp,
  sessionToken: string,
  o: { name?: string; role?: 'reader' | 'auth_admin' | 'org_admin'; lang?: 'ja' | 'en' } = {},
): Promise<{ token: string; html: string }> {
  const c = consoleOf(t, sessionToken, o.lang);
  const page = await c.get('/org/tokens');
  if (page.statusCode !== 200) throw new Error(`token page: ${page.statusCode} ${page.body.slice(0, 300)}`);
  const r = await c.post('/org/tokens', { name: o.name ?? 'HR provisioning', role: o.role ?? 'org_admin' });
  // The page breaks the token with <wbr> for phones: the token is the text without them.
  const m = r.body.match(/data-testid="new-token"><code>(.+?)<\/code>/);
  const token = m?.[1]?.replace(/<wbr\s*\/?>/g, '');
  if (r.statusCode !== 200 || !token)
    throw new Error(`token not created: ${r.statusCode} ${r.body.slice(0, 500)}`);
  return { token, html: r.body };
}
