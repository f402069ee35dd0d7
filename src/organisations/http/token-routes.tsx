import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { DataTable } from '../../web/data-table.tsx';
import {
  formSchema,
  PostButton,
  readForm,
  readParams,
  readQuery,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { Csrf, Field, Notice, type PageContext, type T as Translate } from '../../web/render.tsx';
import { freshOrRedirect } from '../../web/web-helpers.ts';
import { type OrgAdmin, ROLE_RANK } from '../admin-access.ts';
import {
  createOrgToken,
  ORG_TOKEN_ROLES,
  type OrgTokenView,
  orgTokens,
  revokeOrgTokenOf,
} from '../api-tokens.ts';
import { orgConsoleGuard, sendOrgPage } from './chrome.tsx';

const CreateForm = formSchema({ name: text(), role: text() });
const DoneQuery = formSchema({ done: text() });
const TokenParams = formSchema({ id: text() });

/** What the page shows besides the list: a failure on the create form, or the token just created (once). */
interface PageState {
  values?: { name?: string; role?: string };
  error?: string;
  created?: { name: string; token: string };
  done?: 'revoked';
}

function TokensPage(p: {
  pc: PageContext;
  tr: Translate;
  admin: OrgAdmin;
  tokens: OrgTokenView[];
  timeZone: string | undefined;
  s: PageState;
}) {
  const { tr, pc, s } = p;
  const when = (d: Date) => formatDateTime(pc.locale, d, p.timeZone);
  const roles = ORG_TOKEN_ROLES.filter((r) => ROLE_RANK[r] <= ROLE_RANK[p.admin.role]);
  return (
    <div>
      <div class="card">
        <h1>{tr('org.tokens.title')}</h1>
        <p class="lead">{tr('org.tokens.lead')}</p>
        <p class="hint">{tr('org.tokens.docs')}</p>
        {s.created ? (
          <div data-testid="token-created">
            <h2>{tr('org.tokens.created_title', { name: s.created.name })}</h2>
            <Notice kind="warn">
              <p>{tr('org.tokens.created_warn')}</p>
            </Notice>
            <p class="recovery-code" data-testid="new-token">
              {/* Breakable every 16 characters on a phone; copying still gives the token whole. */}
              <code>
                {(s.created.token.match(/.{1,16}/g) ?? []).map((part, i) =>
                  i === 0 ? part : [<wbr />, part],
                )}
              </code>
            </p>
            <p class="hint">{tr('org.tokens.usage')}</p>
          </div>
        ) : null}
        {s.done === 'revoked' ? (
          <Notice kind="ok">
            <p>{tr('org.tokens.revoked_done')}</p>
          </Notice>
        ) : null}
      </div>
      <div class="card">
        <h2>{tr('org.tokens.list')}</h2>
        {p.tokens.length === 0 ? (
          <p>{tr('org.tokens.none')}</p>
        ) : (
          <DataTable
            stack
            testid="tokens"
            rows={p.tokens}
            rowProps={(t) => ({ 'data-token': t.id, 'data-state': t.revokedAt ? 'revoked' : 'active' })}
            columns={[
              { label: tr('org.tokens.col.name'), cell: (t) => t.name, primary: true },
              { label: tr('org.tokens.col.role'), cell: (t) => tr(`org.role.${t.role}`) },
              { label: tr('org.tokens.col.created'), cell: (t) => when(t.createdAt) },
              {
                label: tr('org.tokens.col.last_used'),
                cell: (t) => (t.lastUsedAt ? when(t.lastUsedAt) : tr('org.tokens.never_used')),
              },
              {
                label: tr('org.tokens.col.state'),
                cell: (t) =>
                  t.revokedAt
                    ? tr('org.tokens.revoked', { time: when(t.revokedAt) })
                    : tr('org.tokens.active'),
              },
              {
                label: '',
                cell: (t) =>
                  t.revokedAt ? null : (
                    <PostButton
                      pc={pc}
                      action={`/org/tokens/${encodeURIComponent(t.id)}/revoke`}
                      label={tr('org.tokens.revoke')}
                      class="danger"
                      inline
                    />
                  ),
              },
            ]}
          />
        )}
      </div>
      <div class="card narrow">
        <h2>{tr('org.tokens.create')}</h2>
        {s.error ? (
          <Notice kind="error">
            <p>{s.error}</p>
          </Notice>
        ) : null}
        <form method="post" action="/org/tokens" novalidate>
          <Csrf pc={pc} />
          <Field
            id="name"
            name="name"
            label={tr('org.tokens.name')}
            hint={tr('org.tokens.name_hint')}
            value={s.values?.name}
            maxLength={100}
            required
          />
          <div>
            <label for="role">{tr('org.tokens.role')}</label>
            <select id="role" name="role" aria-describedby="role-hint">
              {roles.map((r) => (
                <option value={r} selected={(s.values?.role ?? 'reader') === r}>
                  {tr(`org.role.${r}`)}
                </option>
              ))}
            </select>
            <p class="hint" id="role-hint">
              {tr('org.tokens.role_hint')}
            </p>
          </div>
          <button type="submit">{tr('org.tokens.submit')}</button>
        </form>
      </div>
    </div>
  );
}

/**
 * Pages of organisations: the organisation's API tokens at /org/tokens (organisation admins): the list, a
 * new token (shown once, on the answer to the POST, never again; needs a fresh proof), revoking one
 * (api-tokens.ts).
 */
export function tokenRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const guard = orgConsoleGuard(deps, 'tokens');
  const draw = async (
    req: FastifyRequest,
    reply: FastifyReply,
    admin: OrgAdmin,
    s: PageState,
    status = 200,
  ) => {
    const tokens = await orgTokens(deps, admin.orgId);
    return sendOrgPage(
      req,
      reply,
      admin,
      ({ pc, tr }) => ({
        title: tr('org.tokens.title'),
        body: (
          <TokensPage pc={pc} tr={tr} admin={admin} tokens={tokens} timeZone={req.session?.timeZone} s={s} />
        ),
      }),
      status,
    );
  };

  web.get('/org/tokens', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    const q = readQuery(req, DoneQuery);
    return draw(req, reply, admin, { done: q.done === 'revoked' ? 'revoked' : undefined });
  });

  web.post('/org/tokens', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    // A token outlives the session that made it: making one needs a fresh proof (step-up), so a stolen
    // session cannot turn itself into a lasting credential.
    if (!req.session || !freshOrRedirect(deps, reply, req.session, '/org/tokens')) return reply;
    const form = readForm(req, CreateForm);
    const r = await submitForm(
      req,
      reply,
      () => createOrgToken(deps, admin, { name: form.name, role: form.role }),
      (f) => draw(req, reply, admin, { values: form, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    // The token is in this answer only: never in a URL, a redirect or a later page.
    return draw(req, reply, admin, { created: { name: r.value.name, token: r.value.token } });
  });

  web.post('/org/tokens/:id/revoke', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    await revokeOrgTokenOf(deps, admin, readParams(req, TokenParams).id);
    return reply.redirect('/org/tokens?done=revoked', 303);
  });
}
