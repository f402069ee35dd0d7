import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import { isReauthFresh } from '../../sessions/sessions.ts';
import { pathAfterSignIn } from '../../web/after-sign-in.ts';
import {
  type FormFailure,
  formSchema,
  readJsonField,
  readQuery,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { PASSKEY_SCRIPT, PasskeyNotices, passkeyScriptMessages } from '../../web/passkey-script.tsx';
import { Csrf, Field, pageContext, sendPage, translator } from '../../web/render.tsx';
import { afterMethodAdded } from '../../web/required-return.ts';
import { replaceSessionCookie, safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import {
  finishPasskeyRegistration,
  finishPasskeySignIn,
  PASSKEY_CHALLENGE_MINUTES,
  startPasskeyRegistration,
  startPasskeySignIn,
  suggestedPasskeyName,
} from '../passkeys/passkey-service.ts';

/** The challenge token of a ceremony in progress: HttpOnly, only sent to the endpoints that finish it. */
const REGISTER_COOKIE = 'mamori_pk_reg';
const REGISTER_PATH = '/security/passkeys';
const SIGNIN_COOKIE = 'mamori_pk_signin';
const SIGNIN_PATH = '/sign-in/passkey';

/** Where to go after signing in with a passkey (`/sign-in/passkey?next=…`). */
const NextQuery = formSchema({ next: text() });

/**
 * The fields of the JSON body the page's script posts (`_csrf` is checked by csrfProtection): the
 * WebAuthn answer, the passkey's name and where to go next, each as sent (the services check them).
 */
function jsonBody(req: FastifyRequest): { response: unknown; name: unknown; next: unknown } {
  return {
    response: readJsonField(req, 'response'),
    name: readJsonField(req, 'name'),
    next: readJsonField(req, 'next'),
  };
}

/**
 * Failures as JSON for the script: `{ error: { code, message }, redirect? }`, message in the page's language.
 * (`submitForm` has already answered `Retry-After` for a 429.)
 */
function sendJsonError(reply: FastifyReply, e: AppError, message: string, redirect?: string) {
  return reply
    .status(e.status)
    .header('cache-control', 'no-store')
    .send({ error: { code: e.code, message }, ...(redirect ? { redirect } : {}) });
}

/**
 * Passkeys on the web: adding one to the security info (/security/passkeys/add) and signing in with one
 * (/sign-in/passkey). The pages need JavaScript (WebAuthn is a browser API); their script is served here
 * at /assets/passkeys.js and talks to the JSON endpoints below, which are CSRF-protected like every form
 * (the page's `_csrf` token travels in the JSON body).
 */
export function passkeyRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'emit'>,
): void {
  const cookieOpts = (path: string) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.config.publicUrl.startsWith('https://'),
    path,
    maxAge: PASSKEY_CHALLENGE_MINUTES * 60,
  });

  web.get(PASSKEY_SCRIPT, async (_req, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(PASSKEY_JS),
  );

  // Adding a passkey
  web.get('/security/passkeys/add', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    if (!isReauthFresh(deps, s))
      return reply.redirect(`/security/reauth?next=${encodeURIComponent('/security/passkeys/add')}`, 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('passkey.add.title'),
      <div class="card narrow">
        <h1>{tr('passkey.add.title')}</h1>
        <p class="lead">{tr('passkey.add.lead')}</p>
        <PasskeyNotices noscript={tr('passkey.noscript.add')} />
        <form
          data-passkey="register"
          data-endpoint={REGISTER_PATH}
          novalidate
          {...passkeyScriptMessages(tr, 'passkey.add.failed', 'passkey.cancelled')}
        >
          <Csrf pc={pc} />
          <Field
            id="passkey-name"
            name="name"
            label={tr('passkey.name.label')}
            hint={tr('passkey.name.hint')}
            value={suggestedPasskeyName(req.ctx.userAgent, pc.locale)}
            autocomplete="off"
            maxLength={40}
          />
          <p id="passkey-status" class="hint" role="status" aria-live="polite" />
          <button type="submit" disabled data-testid="passkey-create">
            {tr('passkey.add.submit')}
          </button>
        </form>
        <p>
          <a href="/security">{tr('passkey.back')}</a>
        </p>
        <script src={PASSKEY_SCRIPT} defer />
      </div>,
    );
  });

  web.post(`${REGISTER_PATH}/options`, { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = req.session;
    const tr = translator(req.ctx.locale);
    if (!s) {
      const e = new AppError('auth.required');
      return sendJsonError(reply, e, tr('error.auth.required'), '/sign-in?next=/security/passkeys/add');
    }
    const r = await submitForm(
      req,
      reply,
      () => startPasskeyRegistration(deps, s),
      (f) => sendJsonError(reply, f.error, f.message, reauthRedirect(f)),
    );
    if (!r.ok) return r.reply;
    reply.setCookie(REGISTER_COOKIE, r.value.token, cookieOpts(REGISTER_PATH));
    return reply.header('cache-control', 'no-store').send({ options: r.value.options });
  });

  web.post(`${REGISTER_PATH}/verify`, { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = req.session;
    const tr = translator(req.ctx.locale);
    if (!s) {
      const e = new AppError('auth.required');
      return sendJsonError(reply, e, tr('error.auth.required'), '/sign-in?next=/security/passkeys/add');
    }
    const b = jsonBody(req);
    const token = req.cookies[REGISTER_COOKIE];
    reply.clearCookie(REGISTER_COOKIE, { path: REGISTER_PATH });
    const r = await submitForm(
      req,
      reply,
      () => finishPasskeyRegistration(deps, s, token, b.response, b.name, req.ctx),
      (f) =>
        sendJsonError(
          reply,
          f.error,
          f.error.code === 'request.invalid' ? tr('passkey.add.failed') : f.message,
          reauthRedirect(f),
        ),
    );
    if (!r.ok) return r.reply;
    return reply
      .header('cache-control', 'no-store')
      .send({ redirect: afterMethodAdded(req, '/security?done=passkey') });
  });

  // Signing in with a passkey
  web.get(SIGNIN_PATH, async (req, reply) => {
    if (req.session) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const { next } = readQuery(req, NextQuery);
    return sendPage(
      reply,
      pc,
      tr('passkey.signin.title'),
      <div class="card narrow">
        <h1>{tr('passkey.signin.title')}</h1>
        <p class="lead">{tr('passkey.signin.lead')}</p>
        <PasskeyNotices noscript={tr('passkey.noscript.signin')} />
        <form
          data-passkey="signin"
          data-endpoint={SIGNIN_PATH}
          novalidate
          {...passkeyScriptMessages(tr, 'passkey.signin.failed', 'passkey.signin.cancelled')}
        >
          <Csrf pc={pc} />
          {next ? <input type="hidden" name="next" value={safeNext(next)} /> : null}
          <p id="passkey-status" class="hint" role="status" aria-live="polite" />
          <button type="submit" disabled data-testid="passkey-sign-in">
            {tr('passkey.signin.submit')}
          </button>
        </form>
        <p>
          <a href={next ? `/sign-in?next=${encodeURIComponent(safeNext(next))}` : '/sign-in'}>
            {tr('passkey.signin.password')}
          </a>
        </p>
        <script src={PASSKEY_SCRIPT} defer />
      </div>,
    );
  });

  web.post(`${SIGNIN_PATH}/options`, { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => startPasskeySignIn(deps, req.ctx),
      (f) => sendJsonError(reply, f.error, f.message),
    );
    if (!r.ok) return r.reply;
    reply.setCookie(SIGNIN_COOKIE, r.value.token, cookieOpts(SIGNIN_PATH));
    return reply.header('cache-control', 'no-store').send({ options: r.value.options });
  });

  web.post(`${SIGNIN_PATH}/verify`, { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = jsonBody(req);
    const token = req.cookies[SIGNIN_COOKIE];
    reply.clearCookie(SIGNIN_COOKIE, { path: SIGNIN_PATH });
    const tr = translator(req.ctx.locale);
    const r = await submitForm(
      req,
      reply,
      () => finishPasskeySignIn(deps, token, b.response, req.ctx),
      (f) =>
        sendJsonError(
          reply,
          f.error,
          f.error.code === 'signin.flow_invalid'
            ? tr('passkey.expired')
            : f.error.code === 'auth.invalid_credentials'
              ? tr('passkey.signin.failed')
              : f.message,
        ),
    );
    if (!r.ok) return r.reply;
    await replaceSessionCookie(deps, req, reply, r.value.sessionToken);
    return reply
      .header('cache-control', 'no-store')
      .send({ redirect: await pathAfterSignIn(deps, r.value.accountId, safeNext(b.next)) });
  });
}

/** A registration that needs a fresh proof sends the script to step up, then back to the page. */
function reauthRedirect(f: FormFailure): string | undefined {
  return f.error.code === 'auth.reauth_required' ? '/security/reauth?next=/security/passkeys/add' : undefined;
}

/**
 * The pages' script: asks the server for options, calls WebAuthn, posts the result back, follows the
 * redirect. Uses the browser's own JSON helpers (PublicKeyCredential.parse*OptionsFromJSON and
 * credential.toJSON) and falls back to converting by hand where a browser lacks them.
 */
const PASSKEY_JS = `
(function () {
  'use strict';
  var form = document.querySelector('form[data-passkey]');
  if (!form) return;
  var mode = form.getAttribute('data-passkey');
  var endpoint = form.getAttribute('data-endpoint');
  var button = form.querySelector('button[type="submit"]');
  var statusEl = document.getElementById('passkey-status');
  var errorEl = document.getElementById('passkey-error');
  function msg(name) { return form.getAttribute('data-msg-' + name) || ''; }
  function showError(text) {
    statusEl.textContent = '';
    errorEl.textContent = text;
    errorEl.hidden = false;
    button.disabled = false;
  }
  if (!window.PublicKeyCredential || !navigator.credentials) {
    showError(msg('unsupported'));
    button.disabled = true;
    return;
  }

  function toBuffer(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toBase64url(buf) {
    var bytes = new Uint8Array(buf), bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function withIds(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: toBuffer(c.id) }); });
  }
  function creationOptions(o) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function')
      return PublicKeyCredential.parseCreationOptionsFromJSON(o);
    return Object.assign({}, o, {
      challenge: toBuffer(o.challenge),
      user: Object.assign({}, o.user, { id: toBuffer(o.user.id) }),
      excludeCredentials: withIds(o.excludeCredentials)
    });
  }
  function requestOptions(o) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function')
      return PublicKeyCredential.parseRequestOptionsFromJSON(o);
    return Object.assign({}, o, { challenge: toBuffer(o.challenge), allowCredentials: withIds(o.allowCredentials) });
  }
  function credentialJSON(c) {
    if (typeof c.toJSON === 'function') return c.toJSON();
    var r = c.response;
    var out = {
      id: c.id, rawId: toBase64url(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: toBase64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      if (r.userHandle) out.response.userHandle = toBase64url(r.userHandle);
    }
    return out;
  }
  function post(path, payload) {
    payload._csrf = form.elements._csrf.value;
    return fetch(endpoint + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload)
    }).then(function (res) {
      return res.json().catch(function () { return { error: { message: msg('failed') } }; });
    });
  }
  function refused(answer) {
    if (answer.redirect) { window.location.assign(answer.redirect); return; }
    showError((answer.error && answer.error.message) || msg('failed'));
  }

  async function run() {
    button.disabled = true;
    errorEl.hidden = true;
    statusEl.textContent = msg('waiting');
    try {
      var start = await post('/options', {});
      if (!start.options) return refused(start);
      var credential;
      try {
        credential = mode === 'register'
          ? await navigator.credentials.create({ publicKey: creationOptions(start.options) })
          : await navigator.credentials.get({ publicKey: requestOptions(start.options) });
      } catch (e) {
        var name = e && e.name;
        return showError(name === 'NotAllowedError' || name === 'AbortError' ? msg('cancelled')
          : name === 'InvalidStateError' ? msg('already') : msg('failed'));
      }
      if (!credential) return showError(msg('cancelled'));
      var payload = { response: credentialJSON(credential) };
      if (form.elements.name) payload.name = form.elements.name.value;
      if (form.elements.next) payload.next = form.elements.next.value;
      var done = await post('/verify', payload);
      if (done.redirect && !done.error) { window.location.assign(done.redirect); return; }
      refused(done);
    } catch (e) {
      showError(msg('failed'));
    }
  }

  form.addEventListener('submit', function (event) { event.preventDefault(); run(); });
  button.disabled = false;
})();
`;
