import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { fail } from '../../kernel/errors.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { isReauthFresh } from '../../sessions/sessions.ts';
import { NewPasswordField } from '../../web/account-fields.tsx';
import { pathAfterSignIn } from '../../web/after-sign-in.ts';
import {
  FormCard,
  type FormFailure,
  formPage,
  formSchema,
  isConfirmed,
  PostButton,
  readForm,
  readParams,
  readQuery,
  sendView,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { PhoneFields } from '../../web/phone-fields.tsx';
import { Csrf, Field, Notice, type PageContext, type T as Translate } from '../../web/render.tsx';
import { freshOrRedirect, safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import type { OrgAdmin } from '../admin-access.ts';
import {
  type ActingAdmin,
  addMemberContact,
  type MemberDetail,
  memberDetail,
  mustChangePassword,
  replaceTemporaryPassword,
  requireReregistration,
  resetMemberPassword,
  revokeMemberSessions,
} from '../admin-actions.ts';
import {
  acceptInvitation,
  invitationForToken,
  inviteMember,
  listInvitations,
  revokeInvitationById,
} from '../invitations.ts';
import { createTap, revokeTap, TAP_LENGTH, TAP_LIFETIME_MINUTES } from '../tap.ts';
import { orgConsoleGuard, sendOrgPage } from './chrome.tsx';
import { tapRoutes } from './tap-routes.tsx';

type Req = FastifyRequest;
type Rep = FastifyReply;
type RouteDeps = Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>;

const IdParams = formSchema({ accountId: text() });
const InvitationParams = formSchema({ id: text() });
const TapForm = formSchema({ length: text(), lifetime: text(), one_time: text() });
const ContactForm = formSchema({ kind: text(), email: text(), country: text(), number: text() });
const InviteForm = formSchema({ email: text(), role: text() });
const DoneQuery = formSchema({ done: text() });
const JoinQuery = formSchema({ token: text() });
const NextQuery = formSchema({ next: text() });
const NewPasswordForm = formSchema({ password: text() });

/** Lifetimes the TAP form offers (minutes): 10 minutes to 30 days. */
const LIFETIMES = [10, 60, 8 * 60, 24 * 60, 7 * 24 * 60, 30 * 24 * 60] as const;

function lifetimeLabel(tr: Translate, minutes: number): string {
  if (minutes < 60) return tr('org.tap.minutes', { count: minutes });
  if (minutes < 24 * 60) return tr('org.tap.hours', { count: minutes / 60 });
  return tr('org.tap.days', { count: minutes / (24 * 60) });
}

/** The member's detail page: who they are, their methods (masked), flags, and one form per action. */
function memberBody(pc: PageContext, tr: Translate, d: MemberDetail, tz: string, error?: string) {
  const base = `/org/members/${encodeURIComponent(d.accountId)}`;
  const who = d.displayName || d.email;
  const kinds = ['email', 'phone', 'totp', 'passkey'] as const;
  return (
    <div>
      <section class="card">
        <h1>{d.displayName || d.email}</h1>
        <p>{d.email}</p>
        <p>
          {tr('org.action.role')}: {tr(`org.role.${d.role}`)}
        </p>
        {error ? (
          <Notice kind="error">
            <p>{error}</p>
          </Notice>
        ) : null}
        {d.mustReregister ? <Notice kind="warn">{tr('org.action.flag.reregister')}</Notice> : null}
        {d.mustChangePassword ? <Notice kind="warn">{tr('org.action.flag.password')}</Notice> : null}
        <p>{tr(d.twoStep ? 'org.action.two_step_on' : 'org.action.two_step_off')}</p>
        <h2>{tr('org.action.methods')}</h2>
        {kinds.map((k) => {
          const ms = d.methods.filter((m) => m.kind === k);
          return (
            <p>
              <strong>{tr(`org.action.kind.${k}`)}</strong>:{' '}
              {ms.length === 0
                ? tr('org.action.none')
                : ms
                    .map(
                      (m) =>
                        `${m.masked || m.label || tr(`org.action.kind.${k}`)}${m.verified ? '' : ` (${tr('org.action.pending')})`}`,
                    )
                    .join(', ')}
            </p>
          );
        })}
      </section>
      <section class="card">
        <h2>{tr('org.action.reregister.title')}</h2>
        <p class="hint">{tr('org.action.reregister.lead')}</p>
        <PostButton
          pc={pc}
          action={`${base}/reregister`}
          label={tr('org.action.reregister.submit')}
          class="danger"
          confirm={tr('org.action.confirm', { name: who })}
        />
      </section>
      <section class="card">
        <h2>{tr('org.action.sessions.title')}</h2>
        <p class="hint">{tr('org.action.sessions.lead')}</p>
        <PostButton
          pc={pc}
          action={`${base}/sessions`}
          label={tr('org.action.sessions.submit')}
          class="danger"
          confirm={tr('org.action.confirm', { name: who })}
        />
      </section>
      <section class="card">
        <h2>{tr('org.action.password.title')}</h2>
        <p class="hint">{tr('org.action.password.lead')}</p>
        <PostButton
          pc={pc}
          action={`${base}/password`}
          label={tr('org.action.password.submit')}
          class="danger"
          confirm={tr('org.action.confirm', { name: who })}
        />
      </section>
      <section class="card">
        <h2>{tr('org.action.contact.title')}</h2>
        <p class="hint">{tr('org.action.contact.lead')}</p>
        <form method="post" action={`${base}/contact`} novalidate>
          <Csrf pc={pc} />
          <input type="hidden" name="kind" value="email" />
          <Field
            id="contact-email"
            name="email"
            type="email"
            label={tr('org.action.contact.email')}
            maxLength={320}
          />
          <button type="submit" class="secondary">
            {tr('org.action.contact.add_email')}
          </button>
        </form>
        <form method="post" action={`${base}/contact`} novalidate>
          <Csrf pc={pc} />
          <input type="hidden" name="kind" value="phone" />
          <PhoneFields pc={pc} />
          <button type="submit" class="secondary">
            {tr('org.action.contact.add_phone')}
          </button>
        </form>
      </section>
      <section class="card">
        <h2>{tr('org.tap.title')}</h2>
        <p class="hint">{tr('org.tap.lead')}</p>
        {d.tap ? (
          <Notice kind="warn">
            <p>
              {tr(d.tap.one_time ? 'org.tap.current_one_time' : 'org.tap.current_multi', {
                until: formatDateTime(pc.locale, d.tap.expires_at, tz),
              })}
            </p>
            <PostButton
              pc={pc}
              action={`${base}/tap/revoke`}
              label={tr('org.tap.revoke')}
              class="secondary"
            />
          </Notice>
        ) : (
          <p>{tr('org.tap.none')}</p>
        )}
        <form method="post" action={`${base}/tap`} novalidate>
          <Csrf pc={pc} />
          <Field
            id="tap-length"
            name="length"
            label={tr('org.tap.length')}
            value={String(TAP_LENGTH.default)}
            inputmode="numeric"
            maxLength={2}
            hint={tr('org.tap.length_hint', { min: TAP_LENGTH.min, max: TAP_LENGTH.max })}
          />
          <label for="tap-lifetime">{tr('org.tap.lifetime')}</label>
          <select id="tap-lifetime" name="lifetime">
            {LIFETIMES.map((m) => (
              <option value={String(m)} selected={m === TAP_LIFETIME_MINUTES.default}>
                {lifetimeLabel(tr, m)}
              </option>
            ))}
          </select>
          <label class="check">
            <input type="checkbox" name="one_time" value="on" checked /> {tr('org.tap.one_time')}
          </label>
          <button type="submit">{tr('org.tap.submit')}</button>
        </form>
      </section>
      <p>
        <a href="/org/members">{tr('org.action.back')}</a>
      </p>
    </div>
  );
}

/**
 * Pages of organisations: the admin actions on a member (`/org/members/:accountId`), invitations
 * (`/org/invitations`, `/organisation/join`), the member's required new password
 * (`/security/new-password-required`) and the temporary access pass sign-in (tap-routes.tsx).
 */
export function actionRoutes(web: FastifyInstance, deps: RouteDeps): void {
  const guard = orgConsoleGuard(deps, 'member_actions');

  const showMember = async (req: Req, reply: Rep, admin: OrgAdmin, failure?: FormFailure) => {
    const { accountId } = readParams(req, IdParams);
    // After a refused action on someone who is no member here, the refusal is the page.
    const d = failure
      ? await memberDetail(deps, admin, accountId).catch(() => null)
      : await memberDetail(deps, admin, accountId);
    if (!d)
      return sendOrgPage(
        req,
        reply,
        admin,
        ({ tr }) => ({
          title: tr('org.action.page_title'),
          body: (
            <section class="card">
              <Notice kind="error">
                <p>{failure?.message}</p>
              </Notice>
              <p>
                <a href="/org/members">{tr('org.action.back')}</a>
              </p>
            </section>
          ),
        }),
        failure?.status ?? 404,
      );
    return sendOrgPage(
      req,
      reply,
      admin,
      ({ pc, tr }) => ({
        title: d.displayName || d.email,
        body: memberBody(pc, tr, d, req.session?.timeZone ?? 'Asia/Tokyo', failure?.message),
      }),
      failure?.status ?? 200,
    );
  };

  web.get('/org/members/:accountId', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    return showMember(req, reply, admin);
  });

  /**
   * One action's POST: the guard, a fresh step-up (or the re-authentication page), the service, its result.
   * `confirmed`: an action that cannot be undone runs only with its box ticked (`confirm=yes`); unticked,
   * nothing runs and the member page says so (`request.confirmation_required`).
   */
  const action = <V,>(
    path: string,
    confirmed: boolean,
    run: (by: ActingAdmin, accountId: string | undefined, req: Req) => Promise<V>,
    result: (
      tr: Translate,
      v: V,
      pc: PageContext,
      tz: string,
    ) => { title: string; lines: string[]; secret?: string },
  ) => {
    web.post(`/org/members/:accountId/${path}`, { preValidation: web.csrfProtection }, async (req, reply) => {
      const admin = await guard(req, reply);
      if (!admin) return reply;
      const session = req.session as SessionView;
      const { accountId } = readParams(req, IdParams);
      const back = `/org/members/${encodeURIComponent(accountId ?? '')}`;
      if (!isReauthFresh(deps, session))
        return reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303);
      const r = await submitForm(
        req,
        reply,
        async () => {
          if (confirmed && !isConfirmed(req)) fail('request.confirmation_required');
          return run({ admin, session }, accountId, req);
        },
        (f) => showMember(req, reply, admin, f),
      );
      if (!r.ok) return r.reply;
      return sendOrgPage(req, reply, admin, ({ pc, tr }) => {
        const v = result(tr, r.value, pc, session.timeZone);
        return {
          title: v.title,
          body: (
            <section class="card">
              <h1>{v.title}</h1>
              {v.secret ? (
                <div>
                  <p class="recovery-code" data-testid="secret">
                    <code>{v.secret}</code>
                  </p>
                  <Notice kind="warn">{tr('org.action.shown_once')}</Notice>
                </div>
              ) : null}
              {v.lines.map((l) => (
                <p>{l}</p>
              ))}
              <p>
                <a href={back}>{tr('org.action.back_member')}</a>
              </p>
            </section>
          ),
        };
      });
    });
  };

  action(
    'reregister',
    true,
    (by, id) => requireReregistration(deps, by, id),
    (tr, v) => ({
      title: tr('org.action.reregister.done_title'),
      lines: [
        tr('org.action.reregister.done', { phones: v.removedPhones, apps: v.removedAuthenticators }),
        tr('org.action.emailed'),
      ],
    }),
  );
  action(
    'sessions',
    true,
    (by, id) => revokeMemberSessions(deps, by, id),
    (tr, v) => ({
      title: tr('org.action.sessions.done_title'),
      lines: [
        tr('org.action.sessions.done', { sessions: v.endedSessions, devices: v.revokedDevices }),
        tr('org.action.emailed'),
      ],
    }),
  );
  action(
    'password',
    true,
    (by, id) => resetMemberPassword(deps, by, id),
    (tr, v) => ({
      title: tr('org.action.password.done_title'),
      secret: v.temporaryPassword,
      lines: [tr('org.action.password.done', { sessions: v.endedSessions }), tr('org.action.emailed')],
    }),
  );
  action(
    'contact',
    false,
    (by, id, req) => {
      const f = readForm(req, ContactForm);
      return addMemberContact(deps, by, id, { ...f, kind: f.kind });
    },
    (tr, v) => ({
      title: tr('org.action.contact.done_title'),
      lines: [tr('org.action.contact.done', { method: v.masked }), tr('org.action.emailed')],
    }),
  );
  action(
    'tap',
    false,
    (by, id, req) => {
      const f = readForm(req, TapForm);
      return createTap(deps, by, id, { length: f.length, lifetimeMinutes: f.lifetime, oneTime: f.one_time });
    },
    (tr, v, pc, tz) => ({
      title: tr('org.tap.done_title'),
      secret: v.pass,
      lines: [
        tr(v.oneTime ? 'org.tap.done_one_time' : 'org.tap.done_multi', {
          until: formatDateTime(pc.locale, v.expiresAt, tz),
        }),
        tr('org.tap.done_where'),
        tr('org.action.emailed'),
      ],
    }),
  );
  action(
    'tap/revoke',
    false,
    (by, id) => revokeTap(deps, by, id),
    (tr, had) => ({
      title: tr('org.tap.revoked_title'),
      lines: [tr(had ? 'org.tap.revoked' : 'org.tap.revoked_none')],
    }),
  );

  // --- invitations (organisation admins)
  const invitesGuard = orgConsoleGuard(deps, 'members');
  const showInvitations = async (
    req: Req,
    reply: Rep,
    admin: OrgAdmin,
    failure?: FormFailure,
    values: { email?: string; role?: string } = {},
  ) => {
    const list = await listInvitations(deps, admin);
    const { done } = readQuery(req, DoneQuery);
    return sendOrgPage(
      req,
      reply,
      admin,
      ({ pc, tr }) => ({
        title: tr('org.invite.title'),
        body: (
          <div>
            <FormCard
              pc={pc}
              title={tr('org.invite.title')}
              lead={tr('org.invite.lead', { days: 7 })}
              error={failure?.message}
              action="/org/invitations"
              submit={tr('org.invite.submit')}
              before={
                done === 'sent' ? (
                  <Notice kind="ok">{tr('org.invite.sent')}</Notice>
                ) : done === 'revoked' ? (
                  <Notice kind="ok">{tr('org.invite.revoked')}</Notice>
                ) : null
              }
            >
              <Field
                id="invite-email"
                name="email"
                type="email"
                label={tr('org.invite.email')}
                value={values.email}
                maxLength={320}
                autocomplete="off"
              />
              <label for="invite-role">{tr('org.invite.role')}</label>
              <select id="invite-role" name="role">
                {(['member', 'reader', 'auth_admin', 'org_admin'] as const).map((r) => (
                  <option value={r} selected={r === (values.role ?? 'member')}>
                    {tr(`org.role.${r}`)}
                  </option>
                ))}
              </select>
            </FormCard>
            <section class="card">
              <h2>{tr('org.invite.open')}</h2>
              {list.length === 0 ? (
                <p>{tr('org.invite.none')}</p>
              ) : (
                <ul class="methods">
                  {list.map((i) => (
                    <li>
                      <p>
                        {i.email} — {tr(`org.role.${i.role}`)} —{' '}
                        {tr('org.invite.until', {
                          until: formatDateTime(pc.locale, i.expiresAt, req.session?.timeZone),
                        })}
                      </p>
                      <PostButton
                        pc={pc}
                        action={`/org/invitations/${encodeURIComponent(i.id)}/revoke`}
                        label={tr('org.invite.revoke')}
                        class="secondary"
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        ),
      }),
      failure?.status ?? 200,
    );
  };
  web.get('/org/invitations', async (req, reply) => {
    const admin = await invitesGuard(req, reply);
    if (!admin) return reply;
    return showInvitations(req, reply, admin);
  });
  web.post('/org/invitations', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await invitesGuard(req, reply);
    if (!admin) return reply;
    // An invitation is lasting access for whoever accepts it: sending one needs a fresh proof.
    if (!req.session || !freshOrRedirect(deps, reply, req.session, '/org/invitations')) return reply;
    const f = readForm(req, InviteForm);
    const r = await submitForm(
      req,
      reply,
      () => inviteMember(deps, admin, { email: f.email, role: f.role, locale: req.ctx.locale }),
      (failure) => showInvitations(req, reply, admin, failure, f),
    );
    if (!r.ok) return r.reply;
    return reply.redirect('/org/invitations?done=sent', 303);
  });
  web.post('/org/invitations/:id/revoke', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await invitesGuard(req, reply);
    if (!admin) return reply;
    const { id } = readParams(req, InvitationParams);
    const r = await submitForm(
      req,
      reply,
      () => revokeInvitationById(deps, admin, id),
      (failure) => showInvitations(req, reply, admin, failure),
    );
    if (!r.ok) return r.reply;
    return reply.redirect('/org/invitations?done=revoked', 303);
  });

  // --- the invitee's page: see the invitation, sign in or sign up with the invited address, accept.
  const showJoin = async (req: Req, reply: Rep, failure?: FormFailure) => {
    const { token } = readQuery(req, JoinQuery);
    const here = `/organisation/join?token=${encodeURIComponent(token ?? '')}`;
    const r = await submitForm(
      req,
      reply,
      () => invitationForToken(deps, token, req.session ?? null),
      (f) =>
        sendView(
          req,
          reply,
          (_pc, tr) => ({
            title: tr('org.invite.join_title'),
            body: (
              <div class="card narrow">
                <h1>{tr('org.invite.join_title')}</h1>
                <Notice kind="error">
                  <p>{f.message}</p>
                </Notice>
              </div>
            ),
          }),
          f.status,
        ),
    );
    if (!r.ok) return r.reply;
    const inv = r.value;
    return sendView(
      req,
      reply,
      (pc, tr) => ({
        title: tr('org.invite.join_title'),
        body: (
          <div class="card narrow">
            <h1>{tr('org.invite.join_title')}</h1>
            <p class="lead">
              {tr('org.invite.join_lead', {
                org: inv.orgName,
                role: tr(`org.role.${inv.role}`),
                email: inv.maskedEmail,
              })}
            </p>
            {failure ? (
              <Notice kind="error">
                <p>{failure.message}</p>
              </Notice>
            ) : null}
            {inv.forThisAccount === null ? (
              <div>
                <p>{tr('org.invite.join_sign_in', { email: inv.maskedEmail })}</p>
                <p>
                  <a class="button" href={`/sign-in?next=${encodeURIComponent(here)}`}>
                    {tr('org.invite.sign_in')}
                  </a>
                </p>
                <p>
                  <a href="/sign-up">{tr('org.invite.sign_up')}</a>
                </p>
              </div>
            ) : inv.forThisAccount ? (
              <form method="post" action={here}>
                <Csrf pc={pc} />
                <button type="submit">{tr('org.invite.accept')}</button>
              </form>
            ) : (
              <Notice kind="warn">
                <p>{tr('org.invite.other_address', { email: inv.maskedEmail })}</p>
              </Notice>
            )}
          </div>
        ),
      }),
      failure?.status ?? 200,
    );
  };
  web.get('/organisation/join', (req, reply) => showJoin(req, reply));
  web.post('/organisation/join', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { token } = readQuery(req, JoinQuery);
    const r = await submitForm(
      req,
      reply,
      () => acceptInvitation(deps, s, token),
      (f) => showJoin(req, reply, f),
    );
    if (!r.ok) return r.reply;
    const joined = r.value;
    // The organisation's policy applies from now: lead to what it requires (if anything), not past it.
    const onward = await pathAfterSignIn(deps, s.accountId, '/security');
    return sendView(req, reply, (_pc, tr) => ({
      title: tr('org.invite.joined_title'),
      body: (
        <div class="card narrow">
          <h1>{tr('org.invite.joined_title')}</h1>
          <Notice kind="ok">
            <p>{tr('org.invite.joined', { role: tr(`org.role.${joined.role}`) })}</p>
          </Notice>
          <p>
            <a class="button" href={onward} data-testid="joined-continue">
              {tr(onward === '/security' ? 'org.invite.continue' : 'org.member.continue')}
            </a>
          </p>
        </div>
      ),
    }));
  });

  // --- the member replaces the temporary password an admin gave them.
  formPage(web, {
    path: '/security/new-password-required',
    form: NewPasswordForm,
    guard: async (req, reply) => {
      const s = sessionOrRedirect(req, reply);
      if (!s) return null;
      if (!(await mustChangePassword(deps, s.accountId))) {
        void reply.redirect(safeNext(readQuery(req, NextQuery).next), 303);
        return null;
      }
      return s;
    },
    page: ({ pc, tr, req, failure }) => {
      const next = safeNext(readQuery(req, NextQuery).next);
      return {
        title: tr('org.newpw.title'),
        body: (
          <FormCard
            pc={pc}
            title={tr('org.newpw.title')}
            lead={tr('org.newpw.lead')}
            error={failure?.message}
            action={`/security/new-password-required?next=${encodeURIComponent(next)}`}
            submit={tr('org.newpw.submit')}
          >
            <NewPasswordField tr={tr} ruleHint />
          </FormCard>
        ),
      };
    },
    submit: ({ req, who, form }) => replaceTemporaryPassword(deps, who, { password: form.password }, req.ctx),
    done: async ({ req, reply, who }) =>
      reply.redirect(
        await pathAfterSignIn(deps, who.accountId, safeNext(readQuery(req, NextQuery).next)),
        303,
      ),
    forget: ['password'],
  });

  tapRoutes(web, deps);
}
