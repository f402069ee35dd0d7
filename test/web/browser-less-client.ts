import type { TestApp } from '../support/harness.ts';

/** A minimal cookie-keeping form client over inject(), like a browser without JavaScript. */
export function formClient(t: TestApp, headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (setCookie: string | string[] | number | undefined) => {
    for (const c of ([] as string[]).concat((setCookie as string | string[]) ?? [])) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  let lastCsrf = '';
  const request = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
    const res = await t.app.http.inject({
      method,
      url,
      headers: {
        cookie: cookieHeader(),
        'user-agent': 'Mozilla/5.0 no-js-client',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    keep(res.headers['set-cookie']);
    const m = res.body.match(/name="_csrf" value="([^"]+)"/);
    if (m?.[1]) lastCsrf = m[1];
    return res;
  };
  return {
    jar,
    get: (url: string) => request('GET', url),
    /** Posts a form with the CSRF token of the last page seen. */
    post: (url: string, form: Record<string, string>, csrf = true) =>
      request('POST', url, csrf ? { _csrf: lastCsrf, ...form } : form),
    /** Follows a 303 redirect chain. */
    async follow(res: Awaited<ReturnType<typeof request>>) {
      let r = res;
      for (let i = 0; i < 5 && r.statusCode >= 300 && r.statusCode < 400; i++)
        r = await request('GET', String(r.headers.location));
      return r;
    },
  };
}
