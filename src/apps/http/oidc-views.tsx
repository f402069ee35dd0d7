import type { KoaContextWithOIDC } from 'oidc-provider';
import { localeFromAcceptLanguage } from '../../i18n/index.ts';
import { isLocale, type Locale } from '../../kernel/context.ts';
import { type PageContext, pageHtml, translator } from '../../web/render.tsx';
import type { ProviderViews } from '../oidc/provider.ts';
import { currentScope } from '../oidc/request-scope.ts';

/**
 * The language of a provider page: the first of `ui_locales` (OpenID Connect Core 1.0 §3.1.2.1) Mamori speaks,
 * else Mamori's usual choice for the request (the `lang` cookie, the session's language, Accept-Language).
 */
export function pageLocale(uiLocales: unknown, fallback: Locale): Locale {
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.slice(0, 200).split(' ')) {
      const lang = tag.split('-')[0]?.toLowerCase();
      if (isLocale(lang)) return lang;
    }
  }
  return fallback;
}

function localeOf(ctx: KoaContextWithOIDC): Locale {
  const fallback =
    currentScope()?.locale ?? localeFromAcceptLanguage(String(ctx.req.headers['accept-language'] ?? ''));
  return pageLocale(ctx.oidc.params?.ui_locales, fallback);
}

function page(locale: Locale): PageContext {
  // The header's sign-out form needs Mamori's CSRF token, which these answers cannot mint: it is not shown.
  return { locale, csrf: '', signedIn: false, path: '/' };
}

/** The provider's own pages (logout confirmation, after logout, errors) in Mamori's look and language. */
export function providerViews(): ProviderViews {
  return {
    async logoutSource(ctx, form) {
      const locale = localeOf(ctx);
      const tr = translator(locale);
      const app = ctx.oidc.client?.clientName;
      ctx.type = 'html';
      ctx.body = pageHtml(
        page(locale),
        tr('oidc.logout.title'),
        <div class="card narrow" data-testid="oidc-logout">
          <h1>{tr('oidc.logout.title')}</h1>
          <p class="lead">{app ? tr('oidc.logout.lead', { app }) : tr('oidc.logout.lead_unknown')}</p>
          {/* oidc-provider's form (its own CSRF token); the buttons below submit it. */}
          <div dangerouslySetInnerHTML={{ __html: form }} />
          <p class="actions">
            <button
              type="submit"
              form="op.logoutForm"
              name="logout"
              value="yes"
              data-testid="oidc-logout-yes"
            >
              {tr('oidc.logout.yes')}
            </button>{' '}
            <button type="submit" form="op.logoutForm" class="secondary">
              {tr('oidc.logout.no')}
            </button>
          </p>
        </div>,
      );
    },
    async postLogoutSuccessSource(ctx) {
      const locale = localeOf(ctx);
      const tr = translator(locale);
      ctx.type = 'html';
      ctx.body = pageHtml(
        page(locale),
        tr('oidc.logout.done_title'),
        <div class="card narrow">
          <h1>{tr('oidc.logout.done_title')}</h1>
          <p>{tr('oidc.logout.done')}</p>
          <p>
            <a href="/security">{tr('oidc.logout.done_action')}</a>
          </p>
        </div>,
      );
    },
    async renderError(ctx, out) {
      const locale = localeOf(ctx);
      const tr = translator(locale);
      // The error code only (a fixed vocabulary, RFC 6749 §4.1.2.1): never the description, which may echo
      // what the request carried.
      const error = /^[a-z_]{1,60}$/.test(out.error ?? '') ? (out.error as string) : 'invalid_request';
      ctx.type = 'html';
      ctx.body = pageHtml(
        page(locale),
        tr('oidc.error.title'),
        <div class="card narrow" data-testid="oidc-error">
          <h1>{tr('oidc.error.title')}</h1>
          <p role="alert">{tr('oidc.error.lead', { error })}</p>
          <p>
            <a href="/security">{tr('oidc.interaction.back_home')}</a>
          </p>
        </div>,
      );
    },
  };
}
