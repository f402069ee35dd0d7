import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every response (the set helmet sends, with a strict CSP), computed once at start
 * instead of per request. `upgrade-insecure-requests` and HSTS only when PUBLIC_URL is https.
 */
export function securityHeaders(https: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join(';');
  return {
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Sets the security headers on every answer, and `Cache-Control: no-store` unless a route says otherwise
 * (only static assets do): answers carry codes, tokens and personal data, which no browser or proxy keeps.
 */
export function registerSecurityHeaders(http: FastifyInstance, https: boolean): void {
  const headers = { ...securityHeaders(https), 'cache-control': 'no-store' };
  http.addHook('onRequest', async (_req, reply) => {
    reply.headers(headers);
  });
}
