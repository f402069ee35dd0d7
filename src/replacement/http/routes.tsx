import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { recoveryCodeInfo } from '../../security-info/recovery-code-service.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { formSchema, readForm, readParams, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { pageContext, sendPage, translator } from '../../web/render.tsx';
import { freshOrRedirect, sessionOrRedirect, speakEmailLanguage } from '../../web/web-helpers.ts';
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
import { REPLACEMENT_DAYS, REPLACEMENT_WAIT_MS } from '../store.ts';
import {
  AppliedPage,
  ConfirmPage,
  EntryPage,
  fmt,
  LinkDonePage,
  LinkInvalidPage,
  LinkPage,
  NoPendingPage,
  PendingPage,
  VerifyItemPage,
} from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const RecoveryCodeForm = formSchema({ recoveryCode: text() });
const ReplacementEmailForm = formSchema({ email: text(), acceptTypo: text() });
const ReplacementPhoneForm = formSchema({ country: text(), number: text() });
const CodeForm = formSchema({ code: text() });
/** `/security/replace/items/:id/…`: the new item. */
const ItemParams = formSchema({ id: text() });
/** `/security/replacement?done=started|cancelled`: what was just done. */
const DoneQuery = formSchema({ done: text() });
/** `/replacement/cancel|not-me?token=…`: the link mailed to an old contact. */
const LinkQuery = formSchema({ token: text() });
/** The item of the path (always there: the route has `:id`). */
const itemId = (req: Req) => readParams(req, ItemParams).id ?? '';

type Req = FastifyRequest;
type Rep = FastifyReply;

// Entry: what happens, the new info entered so far, forms to add more
async function entryPage(
  deps: Pick<Deps, 'db'>,
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
  return sendPage(
    reply,
    pc,
    tr('replacement.entry.title'),
    <EntryPage pc={pc} draft={state.draft} {...v} />,
    status,
  );
}

// Verify one new item
async function verifyPage(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
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
    <VerifyItemPage
      pc={pc}
      item={found.item}
      resendAt={found.resendAt}
      minutes={deps.config.codes.ttlMinutes}
      now={deps.clock.now()}
      {...v}
    />,
    status,
  );
}

// Confirm: start the wait
async function confirmPage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  s: SessionView,
  error?: string,
  status = 200,
) {
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
    <ConfirmPage pc={pc} verified={verified} date={date} error={error} />,
    status,
  );
}

// The pending change: date, new info, cancel, recovery code
async function pendingPage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  s: SessionView,
  v: { codeError?: string },
  status = 200,
) {
  const state = await replacementState(deps, s.accountId);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const done = readQuery(req, DoneQuery).done;
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
      <NoPendingPage pc={pc} done={done} />,
      status,
    );
  }
  return sendPage(
    reply,
    pc,
    tr('replacement.pending.title'),
    <PendingPage
      pc={pc}
      pending={p}
      effectiveAt={p.effectiveAt}
      timeZone={s.timeZone}
      done={done}
      recovery={recovery}
      now={deps.clock.now()}
      codeError={v.codeError}
    />,
    status,
  );
}

// Pages of the links mailed to the old contacts: no sign-in; GET shows, POST cancels
async function linkPage(deps: Pick<Deps, 'db'>, req: Req, reply: Rep, notMe: boolean) {
  const token = readQuery(req, LinkQuery).token;
  const info = await cancelLinkInfo(deps, token);
  if (info) speakEmailLanguage(req, info.locale);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  if (!info) {
    return sendPage(reply, pc, tr('replacement.cancel.title'), <LinkInvalidPage pc={pc} />, 404);
  }
  const title = notMe ? 'replacement.not_me.title' : 'replacement.cancel.title';
  const q = `?token=${encodeURIComponent(token ?? '')}`;
  return sendPage(reply, pc, tr(title), <LinkPage pc={pc} notMe={notMe} info={info} query={q} />);
}

async function linkPost(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  req: Req,
  reply: Rep,
  notMe: boolean,
) {
  const token = readQuery(req, LinkQuery).token;
  const info = await cancelLinkInfo(deps, token);
  if (info) speakEmailLanguage(req, info.locale);
  // A link that no longer works (or a cancel that lost a race) shows the link's page again, as it is now.
  const r = await submitForm(
    req,
    reply,
    () => cancelByLink(deps, token, notMe, req.ctx),
    () => linkPage(deps, req, reply, notMe),
  );
  if (!r.ok) return r.reply;
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('replacement.cancel.done_title'),
    <LinkDonePage pc={pc} notMe={notMe} publicUrl={deps.config.publicUrl} />,
  );
}

/** POST /security/replacement/recovery-code: the recovery code skips the wait; its replacement is shown once. */
async function postRecoveryCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
  req: Req,
  reply: Rep,
) {
  const s = sessionOrRedirect(req, reply);
  if (!s) return reply;
  const r = await submitForm(
    req,
    reply,
    () => applyWithRecoveryCode(deps, s, readForm(req, RecoveryCodeForm).recoveryCode, req.ctx),
    (f) => pendingPage(deps, req, reply, s, { codeError: f.message }, f.status),
  );
  if (!r.ok) return r.reply;
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(reply, pc, tr('replacement.applied.title'), <AppliedPage pc={pc} code={r.value} />);
}

/**
 * "I don't have any of these": new security info that replaces all the old info after a 30-day wait
 * (docs/flows/replacement.md). Signed-in pages under /security/replace and /security/replacement; the
 * pages of the links mailed to the old contacts (/replacement/cancel, /replacement/not-me) work without
 * signing in and change nothing on GET.
 */
export function replacementRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  web.get('/security/replace', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    return entryPage(deps, req, reply, s, {});
  });
  web.post('/security/replace/emails', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    const b = readForm(req, ReplacementEmailForm);
    const r = await submitForm(
      req,
      reply,
      () => addReplacementEmail(deps, s, { email: b.email, acceptTypo: b.acceptTypo }),
      (f) => {
        const typo = f.error.code === 'contact.email_typo';
        return entryPage(
          deps,
          req,
          reply,
          s,
          {
            email: b.email,
            emailError: typo ? undefined : f.message,
            suggestion: typo ? String(f.error.params.suggestion) : undefined,
          },
          f.status,
        );
      },
    );
    if (!r.ok) return r.reply;
    return reply.redirect(`/security/replace/items/${r.value.itemId}/verify`, 303);
  });
  web.post('/security/replace/phones', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
    const b = readForm(req, ReplacementPhoneForm);
    const r = await submitForm(
      req,
      reply,
      () => addReplacementPhone(deps, s, { country: b.country, number: b.number }),
      (f) =>
        entryPage(
          deps,
          req,
          reply,
          s,
          { country: b.country, number: b.number, phoneError: f.message },
          f.status,
        ),
    );
    if (!r.ok) return r.reply;
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
    return verifyPage(deps, req, reply, s, itemId(req), {});
  });
  web.post(
    '/security/replace/items/:id/verify',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s) return reply;
      const id = itemId(req);
      const r = await submitForm(
        req,
        reply,
        () => verifyItem(deps, s, id, readForm(req, CodeForm).code),
        (f) => verifyPage(deps, req, reply, s, id, { error: f.message }, f.status),
      );
      if (!r.ok) return r.reply;
      return reply.redirect('/security/replace', 303);
    },
  );
  web.post(
    '/security/replace/items/:id/resend',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s || !freshOrRedirect(deps, reply, s, '/security/replace')) return reply;
      const id = itemId(req);
      const r = await submitForm(
        req,
        reply,
        () => resendItemCode(deps, s, id),
        (f) => verifyPage(deps, req, reply, s, id, { error: f.message }, f.status),
      );
      if (!r.ok) return r.reply;
      return verifyPage(deps, req, reply, s, id, { notice: translator(req.ctx.locale)('code.resent') });
    },
  );
  web.post(
    '/security/replace/items/:id/remove',
    { preValidation: web.csrfProtection },
    async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s) return reply;
      // Removed, or already gone: back to the list either way.
      const back = () => reply.redirect('/security/replace', 303);
      const r = await submitForm(req, reply, () => removeItem(deps, s, itemId(req)), back);
      return r.ok ? back() : r.reply;
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
    const r = await submitForm(
      req,
      reply,
      () => confirmReplacement(deps, s, req.ctx),
      (f) => confirmPage(deps, req, reply, s, f.message, f.status),
    );
    if (!r.ok) return r.reply;
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
    // "Cancelled" only when this request cancelled it (it may have taken effect or been cancelled meanwhile).
    const r = await submitForm(
      req,
      reply,
      () => cancelByOwner(deps, s, req.ctx),
      () => reply.redirect('/security/replacement', 303),
    );
    return r.ok ? reply.redirect('/security/replacement?done=cancelled', 303) : r.reply;
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
