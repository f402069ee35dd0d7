import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { displayPhone } from '../../security-info/phone/format-phone.ts';
import { recoveryCodeInfo } from '../../security-info/recovery-code-service.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { isReauthFresh } from '../../sessions/sessions.ts';
import { PhoneFields } from '../../web/phone-fields.tsx';
import {
  CodeForm,
  Csrf,
  Field,
  Notice,
  type PageContext,
  pageContext,
  sendPage,
  translator,
} from '../../web/render.tsx';
import {
  attempt,
  body,
  sessionOrRedirect,
  setRetryAfter,
  speakEmailLanguage,
} from '../../web/web-helpers.ts';
import {
  addReplacementEmail,
  addReplacementPhone,
  applyWithRecoveryCode,
  cancelByLink,
  cancelByOwner,
  cancelLinkInfo,
  confirmReplacement,
  discardDraft,
  findDraftItem,
  recoveryCodeUsableAt,
  removeItem,
  replacementState,
  resendItemCode,
  verifyItem,
} from '../replacement-service.ts';
import { REPLACEMENT_DAYS, REPLACEMENT_WAIT_MS, type ReplacementItem } from '../store.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

const shown = (i: Pick<ReplacementItem, 'kind' | 'value'>) =>
  i.kind === 'phone' ? displayPhone(i.value) : i.value;

const fmt = (pc: PageContext, s: { timeZone: string }, d: Date) => formatDateTime(pc.locale, d, s.timeZone);

/** True with a fresh proof; otherwise redirects to the step-up page, back to `back` after it. */
function freshOrRedirect(deps: Deps, reply: Rep, s: SessionView, back: string): boolean {
  if (isReauthFresh(deps, s)) return true;
  void reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303);
  return false;
}

/** The recovery code that skips the wait. */
function RecoveryCodeForm(props: { pc: PageContext; error?: string }) {
  const tr = translator(props.pc.locale);
  const pc = props.pc;
  return (
    <div>
      <p>{tr('replacement.pending.recovery_lead')}</p>
      <form method="post" action="/security/replacement/recovery-code" novalidate>
        <Csrf pc={pc} />
        <Field
          id="recoveryCode"
          name="recoveryCode"
          label={tr('replacement.pending.recovery_field')}
          autocomplete="off"
          maxLength={64}
          error={props.error}
          required
        />
        <button type="submit" class="secondary">
          {tr('replacement.pending.recovery_submit')}
        </button>
      </form>
    </div>
  );
}

// Entry: what happens, the new info entered so far, forms to add more
async function entryPage(
  deps: Deps,
  req: Req,
  reply: Rep,
  s: SessionView,
  v: {
    emailError?: string;
    email?: string;
    phoneError?: string;
    number?: string;
    country?: string;
    suggestion?: string;
    error?: string;
  },
  status = 200,
) {
  const state = await replacementState(deps, s.accountId);
  if (state.pending) return reply.redirect('/security/replacement', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const items = state.draft?.items ?? [];
  const anyVerified = items.some((i) => i.verifiedAt);
  const country = v.country ?? 'JP';
  return sendPage(
    reply,
    pc,
    tr('replacement.entry.title'),
    <div class="card narrow">
      <h1>{tr('replacement.entry.title')}</h1>
      <p class="lead">{tr('replacement.entry.lead', { days: REPLACEMENT_DAYS })}</p>
      <ol class="steps">
        <li>{tr('replacement.entry.step_verify')}</li>
        <li>{tr('replacement.entry.step_wait', { days: REPLACEMENT_DAYS })}</li>
        <li>{tr('replacement.entry.step_notify')}</li>
        <li>{tr('replacement.entry.step_restricted')}</li>
      </ol>
      <p class="hint">{tr('replacement.entry.recovery_hint', { days: REPLACEMENT_DAYS })}</p>
      {v.error ? <Notice kind="error">{v.error}</Notice> : null}
      <h2>{tr('replacement.entry.new_info')}</h2>
      {items.length === 0 ? (
        <p>{tr('replacement.entry.empty')}</p>
      ) : (
        <ul class="methods">
          {items.map((i) => (
            <li data-testid="replacement-item">
              <div class="m-main">
                <div class="m-value">
                  {shown(i)}
                  {i.verifiedAt ? (
                    <span class="badge">{tr('replacement.entry.verified')}</span>
                  ) : (
                    <span class="badge pending">{tr('replacement.entry.unverified')}</span>
                  )}
                </div>
                <div class="m-meta">{tr(`method.kind.${i.kind}`)}</div>
              </div>
              <div class="actions">
                {!i.verifiedAt ? (
                  <a class="button secondary" href={`/security/replace/items/${i.id}/verify`}>
                    {tr('replacement.entry.verify')}
                  </a>
                ) : null}
                <form method="post" action={`/security/replace/items/${i.id}/remove`} class="inline">
                  <Csrf pc={pc} />
                  <button type="submit" class="secondary">
                    {tr('replacement.entry.remove')}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div class="alt-block">
        <h2>{tr('replacement.entry.add_email')}</h2>
        {v.suggestion ? (
          <Notice kind="warn">
            <p>{tr('add_email.typo', { suggestion: v.suggestion })}</p>
            <form method="post" action="/security/replace/emails" class="inline">
              <Csrf pc={pc} />
              <input type="hidden" name="email" value={v.suggestion} />
              <button type="submit">{tr('add_email.use_suggestion', { suggestion: v.suggestion })}</button>
            </form>{' '}
            <form method="post" action="/security/replace/emails" class="inline">
              <Csrf pc={pc} />
              <input type="hidden" name="email" value={v.email ?? ''} />
              <input type="hidden" name="acceptTypo" value="true" />
              <button type="submit" class="secondary">
                {tr('add_email.keep', { email: v.email ?? '' })}
              </button>
            </form>
          </Notice>
        ) : null}
        <form method="post" action="/security/replace/emails" novalidate>
          <Csrf pc={pc} />
          <Field
            id="email"
            name="email"
            type="email"
            label={tr('field.email')}
            value={v.email}
            autocomplete="email"
            inputmode="email"
            maxLength={320}
            error={v.emailError}
            required
          />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
      </div>
      <div class="alt-block">
        <h2>{tr('replacement.entry.add_phone')}</h2>
        <form method="post" action="/security/replace/phones" novalidate>
          <Csrf pc={pc} />
          <PhoneFields pc={pc} country={country} number={v.number} error={v.phoneError} />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
      </div>
      <div class="alt-block">
        {anyVerified ? (
          <a class="button" href="/security/replace/confirm" data-testid="replace-continue">
            {tr('replacement.entry.continue')}
          </a>
        ) : (
          <p class="hint">{tr('replacement.entry.need_verified')}</p>
        )}
      </div>
      {state.draft ? (
        <form method="post" action="/security/replace/discard">
          <Csrf pc={pc} />
          <button type="submit" class="secondary">
            {tr('replacement.entry.discard')}
          </button>
        </form>
      ) : (
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      )}
    </div>,
    status,
  );
}

// Verify one new item
async function verifyPage(
  deps: Deps,
  req: Req,
  reply: Rep,
  s: SessionView,
  id: string,
  v: { error?: string; notice?: string },
  status = 200,
) {
  const found = await findDraftItem(deps, s.accountId, id);
  if (!found || found.item.verifiedAt) return reply.redirect('/security/replace', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('replacement.verify.title'),
    <div class="card narrow">
      <h1>{tr('replacement.verify.title')}</h1>
      {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
      <p class="lead">
        {tr(found.item.kind === 'email' ? 'verify.lead_email' : 'verify.lead_phone', {
          destination: shown(found.item),
          minutes: deps.config.codes.ttlMinutes,
        })}
      </p>
      <CodeForm
        pc={pc}
        action={`/security/replace/items/${id}/verify`}
        resendAction={`/security/replace/items/${id}/resend`}
        resendAt={found.resendAt}
        error={v.error}
        now={deps.clock.now()}
      />
      <p>
        <a href="/security/replace">{tr('common.back')}</a>
      </p>
    </div>,
    status,
  );
}

// Confirm: start the wait
async function confirmPage(deps: Deps, req: Req, reply: Rep, s: SessionView, error?: string, status = 200) {
  const state = await replacementState(deps, s.accountId);
  if (state.pending) return reply.redirect('/security/replacement', 303);
  const verified = (state.draft?.items ?? []).filter((i) => i.verifiedAt);
  if (verified.length === 0) return reply.redirect('/security/replace', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const date = fmt(pc, s, new Date(deps.clock.now().getTime() + REPLACEMENT_WAIT_MS));
  return sendPage(
    reply,
    pc,
    tr('replacement.confirm.title', { days: REPLACEMENT_DAYS }),
    <div class="card narrow">
      <h1>{tr('replacement.confirm.title', { days: REPLACEMENT_DAYS })}</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="lead">{tr('replacement.confirm.lead', { date })}</p>
      <ul class="methods">
        {verified.map((i) => (
          <li data-testid="replacement-item">
            <div class="m-main">
              <div class="m-value">{shown(i)}</div>
              <div class="m-meta">{tr(`method.kind.${i.kind}`)}</div>
            </div>
          </li>
        ))}
      </ul>
      <Notice kind="warn">{tr('replacement.confirm.removed')}</Notice>
      <p>{tr('replacement.entry.step_notify')}</p>
      <p>{tr('replacement.entry.step_restricted')}</p>
      <form method="post" action="/security/replace/confirm">
        <Csrf pc={pc} />
        <div class="actions">
          <button type="submit" class="danger">
            {tr('replacement.confirm.submit')}
          </button>
          <a class="button secondary" href="/security/replace">
            {tr('common.back')}
          </a>
        </div>
      </form>
    </div>,
    status,
  );
}

// The pending change: date, new info, cancel, recovery code
async function pendingPage(
  deps: Deps,
  req: Req,
  reply: Rep,
  s: SessionView,
  v: { codeError?: string },
  status = 200,
) {
  const state = await replacementState(deps, s.accountId);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const done = (req.query as { done?: string }).done;
  const p = state.pending;
  const info = await recoveryCodeInfo(deps.db, s.accountId);
  const recovery = {
    ...info,
    usableAt: info.createdAt ? recoveryCodeUsableAt(info.createdAt) : null,
  };
  if (!p?.effectiveAt) {
    return sendPage(
      reply,
      pc,
      tr('replacement.pending.title'),
      <div class="card narrow">
        <h1>{tr('replacement.pending.title')}</h1>
        {done === 'cancelled' ? <Notice kind="ok">{tr('replacement.done.cancelled')}</Notice> : null}
        <p>{tr('replacement.pending.none')}</p>
        <div class="actions">
          <a class="button secondary" href="/security/replace">
            {tr('replacement.pending.start')}
          </a>
          <a class="button" href="/security">
            {tr('security.title')}
          </a>
        </div>
      </div>,
      status,
    );
  }
  return sendPage(
    reply,
    pc,
    tr('replacement.pending.title'),
    <div class="card narrow">
      <h1>{tr('replacement.pending.title')}</h1>
      {done === 'started' ? <Notice kind="ok">{tr('replacement.done.started')}</Notice> : null}
      <p class="lead" data-testid="replacement-date">
        {tr('replacement.pending.lead', { date: fmt(pc, s, p.effectiveAt) })}
      </p>
      <h2>{tr('replacement.pending.new_info')}</h2>
      <ul class="methods">
        {p.items.map((i) => (
          <li data-testid="replacement-item">
            <div class="m-main">
              <div class="m-value">{shown(i)}</div>
              <div class="m-meta">{tr(`method.kind.${i.kind}`)}</div>
            </div>
          </li>
        ))}
      </ul>
      <Notice kind="warn">{tr('replacement.pending.restricted')}</Notice>
      <div class="alt-block">
        <h2>{tr('replacement.pending.cancel_title')}</h2>
        <p>{tr('replacement.pending.cancel_lead')}</p>
        <form method="post" action="/security/replacement/cancel">
          <Csrf pc={pc} />
          <button type="submit" class="danger">
            {tr('replacement.pending.cancel')}
          </button>
        </form>
      </div>
      <div class="alt-block">
        <h2>{tr('replacement.pending.recovery_title')}</h2>
        {!recovery.working ? (
          <p data-testid="recovery-unavailable">{tr('replacement.pending.recovery_none')}</p>
        ) : recovery.usableAt && recovery.usableAt > deps.clock.now() ? (
          // Offered only when it can work: a code younger than the wait is refused (and says why).
          <p data-testid="recovery-unavailable">
            {tr('replacement.pending.recovery_too_new', {
              created: fmt(pc, s, recovery.createdAt ?? new Date(0)),
              days: REPLACEMENT_DAYS,
            })}
          </p>
        ) : (
          <RecoveryCodeForm pc={pc} error={v.codeError} />
        )}
      </div>
      <p>
        <a href="/security">{tr('security.title')}</a>
      </p>
    </div>,
    status,
  );
}

// Pages of the links mailed to the old contacts: no sign-in; GET shows, POST cancels
async function linkPage(deps: Deps, req: Req, reply: Rep, notMe: boolean) {
  const token = (req.query as { token?: string }).token;
  const info = await cancelLinkInfo(deps, token);
  if (info) speakEmailLanguage(req, info.locale);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  if (!info) {
    return sendPage(
      reply,
      pc,
      tr('replacement.cancel.title'),
      <div class="card narrow">
        <h1>{tr('replacement.cancel.title')}</h1>
        <Notice kind="warn">{tr('replacement.cancel.invalid')}</Notice>
        <p>
          <a href="/sign-in">{tr('replacement.cancel.sign_in')}</a>
        </p>
      </div>,
      404,
    );
  }
  const title = notMe ? 'replacement.not_me.title' : 'replacement.cancel.title';
  const q = `?token=${encodeURIComponent(token ?? '')}`;
  return sendPage(
    reply,
    pc,
    tr(title),
    <div class="card narrow">
      <h1>{tr(title)}</h1>
      <p class="lead">
        {tr('replacement.cancel.lead', {
          account: info.maskedAccount,
          date: fmt(pc, info, info.effectiveAt),
        })}
      </p>
      {notMe ? <p>{tr('replacement.not_me.lead', { account: info.maskedAccount })}</p> : null}
      <form method="post" action={`${notMe ? '/replacement/not-me' : '/replacement/cancel'}${q}`}>
        <Csrf pc={pc} />
        <button type="submit" class="danger">
          {tr(notMe ? 'replacement.not_me.submit' : 'replacement.cancel.submit')}
        </button>
      </form>
      {notMe ? null : (
        <p>
          <a href={`/replacement/not-me${q}`}>{tr('replacement.cancel.not_me')}</a>
        </p>
      )}
    </div>,
  );
}

async function linkPost(deps: Deps, req: Req, reply: Rep, notMe: boolean) {
  const token = (req.query as { token?: string }).token;
  const info = await cancelLinkInfo(deps, token);
  if (info) speakEmailLanguage(req, info.locale);
  const r = await attempt(req, () => cancelByLink(deps, token, notMe, req.ctx));
  if (!r.ok) return linkPage(deps, req, reply, notMe);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('replacement.cancel.done_title'),
    <div class="card narrow">
      <h1>{tr('replacement.cancel.done_title')}</h1>
      {notMe ? (
        <div>
          <Notice kind="ok">
            {tr('replacement.not_me.done', { forgotUrl: `${deps.config.publicUrl}/forgot` })}
          </Notice>
          <p>
            <a class="button" href="/forgot" data-testid="reset-password">
              {tr('replacement.not_me.reset')}
            </a>
          </p>
          <p>{tr('replacement.not_me.then')}</p>
        </div>
      ) : (
        <div>
          <Notice kind="ok">{tr('replacement.cancel.done')}</Notice>
          <p>
            <a class="button" href="/sign-in">
              {tr('replacement.cancel.sign_in')}
            </a>
          </p>
        </div>
      )}
    </div>,
  );
}

/** POST /security/replacement/recovery-code: the recovery code skips the wait; its replacement is shown once. */
async function postRecoveryCode(deps: Deps, req: Req, reply: Rep) {
  const s = sessionOrRedirect(req, reply);
  if (!s) return reply;
  const r = await attempt(req, () => applyWithRecoveryCode(deps, s, body(req).recoveryCode, req.ctx));
  if (!r.ok) {
    setRetryAfter(reply, r.error);
    return pendingPage(deps, req, reply, s, { codeError: r.message }, r.error.status);
  }
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('replacement.applied.title'),
    <div class="card narrow">
      <h1>{tr('replacement.applied.title')}</h1>
      <p class="lead">{tr('replacement.applied.lead')}</p>
      <Notice kind="warn">{tr('recovery.once')}</Notice>
      <p class="recovery-code" data-testid="recovery-code">
        <code>{r.value}</code>
      </p>
      <p>{tr('recovery.keep')}</p>
      <p>
        <a class="button" href="/security">
          {tr('replacement.applied.done')}
        </a>
      </p>
    </div>,
  );
}

/**
 * "I don't have any of these": new security info that replaces all the old info after a 30-day wait
 * (docs/flows/replacement.md). Signed-in pages under /security/replace and /security/replacement; the
 * pages of the links mailed to the old contacts (/replacement/cancel, /replacement/not-me) work without
 * signing in and change nothing on GET.
 */
export function replacementRoutes(web: FastifyInstance, deps: Deps): void {
  web.get('/security/replace', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    return entryPage(deps, req, reply, s, {});
  });
  web.post('/security/replace/emails', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    const b = body(req);
    const r = await attempt(req, () =>
      addReplacementEmail(deps, s, { email: b.email, acceptTypo: b.acceptTypo }),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      const typo = r.error.code === 'contact.email_typo';
      return entryPage(
        deps,
        req,
        reply,
        s,
        {
          email: b.email,
          emailError: typo ? undefined : r.message,
          suggestion: typo ? String(r.error.params.suggestion) : undefined,
        },
        r.error.status,
      );
    }
    return reply.redirect(`/security/replace/items/${r.value.itemId}/verify`, 303);
  });
  web.post('/security/replace/phones', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    const b = body(req);
    const r = await attempt(req, () =>
      addReplacementPhone(deps, s, { country: b.country, number: b.number }),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return entryPage(
        deps,
        req,
        reply,
        s,
        { country: b.country, number: b.number, phoneError: r.message },
        r.error.status,
      );
    }
    return reply.redirect(`/security/replace/items/${r.value.itemId}/verify`, 303);
  });
  web.post('/security/replace/discard', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await discardDraft(deps, s);
    return reply.redirect('/security', 303);
  });

  web.get('/security/replace/items/:id/verify', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return verifyPage(deps, req, reply, s, (req.params as { id: string }).id, {});
  });
  web.post(
    '/security/replace/items/:id/verify',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s) return reply;
      const id = (req.params as { id: string }).id;
      const r = await attempt(req, () => verifyItem(deps, s, id, body(req).code));
      if (!r.ok) {
        setRetryAfter(reply, r.error);
        return verifyPage(deps, req, reply, s, id, { error: r.message }, r.error.status);
      }
      return reply.redirect('/security/replace', 303);
    },
  );
  web.post(
    '/security/replace/items/:id/resend',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
      const id = (req.params as { id: string }).id;
      const r = await attempt(req, () => resendItemCode(deps, s, id));
      if (!r.ok) {
        setRetryAfter(reply, r.error);
        return verifyPage(deps, req, reply, s, id, { error: r.message }, r.error.status);
      }
      return verifyPage(deps, req, reply, s, id, { notice: translator(req.ctx.locale)('code.resent') });
    },
  );
  web.post(
    '/security/replace/items/:id/remove',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s) return reply;
      await attempt(req, () => removeItem(deps, s, (req.params as { id: string }).id));
      return reply.redirect('/security/replace', 303);
    },
  );

  web.get('/security/replace/confirm', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace/confirm')) return reply;
    return confirmPage(deps, req, reply, s);
  });
  web.post('/security/replace/confirm', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace/confirm')) return reply;
    const r = await attempt(req, () => confirmReplacement(deps, s, req.ctx));
    if (!r.ok) return confirmPage(deps, req, reply, s, r.message, r.error.status);
    return reply.redirect('/security/replacement?done=started', 303);
  });

  web.get('/security/replacement', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return pendingPage(deps, req, reply, s, {});
  });
  web.post('/security/replacement/cancel', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const r = await attempt(req, () => cancelByOwner(deps, s, req.ctx));
    // "Cancelled" only when this request cancelled it (it may have taken effect or been cancelled meanwhile).
    return reply.redirect(r.ok ? '/security/replacement?done=cancelled' : '/security/replacement', 303);
  });
  web.post('/security/replacement/recovery-code', { preValidation: web.csrfProtection }, (req, reply) =>
    postRecoveryCode(deps, req, reply),
  );

  web.get('/replacement/cancel', (req, reply) => linkPage(deps, req, reply, false));
  web.get('/replacement/not-me', (req, reply) => linkPage(deps, req, reply, true));
  web.post('/replacement/cancel', { preValidation: web.csrfProtection }, (req, reply) =>
    linkPost(deps, req, reply, false),
  );
  web.post('/replacement/not-me', { preValidation: web.csrfProtection }, (req, reply) =>
    linkPost(deps, req, reply, true),
  );
}
