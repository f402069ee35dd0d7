import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountSummaries } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { auditOperator, type Operator } from '../../operator/operator-auth.ts';
import {
  type ConsoleFrame,
  type ConsoleView,
  consoleGet,
  consolePost,
  sendConsolePage,
} from '../../web/console-chrome.tsx';
import { DataTable } from '../../web/data-table.tsx';
import { type FormFailure, formSchema, readForm, readParams, submitForm, text } from '../../web/form-kit.tsx';
import { requireOperator } from '../../web/operator-guard.ts';
import { Csrf, Field, Notice, type PageContext, type T as Translate } from '../../web/render.tsx';
import type { OrgActor } from '../audit.ts';
import {
  assignRole,
  attachDomain,
  createOrganisation,
  detachDomain,
  updateOrganisationDetails,
} from '../org-admin.ts';
import { listMembers, ORG_ROLES, type OrgRole } from '../store/members.ts';
import { findOrganisation, listDomains, listOrganisations } from '../store/orgs.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

/*
 * The operator's organisation pages (issue 9 §1): the list of organisations and creating one; an
 * organisation's name and contact, its domains (the operator attests each is verified) and its
 * administrators. Every operator may look; only an operator with the admin role may change anything. Each
 * change is recorded in the organisation's audit log (actor kind operator) and in the operator audit log.
 */

const FRAME: ConsoleFrame = { boxed: false };
const CreateForm = formSchema({ name: text(), contact: text() });
const DetailsForm = formSchema({ name: text(), contact: text() });
const DomainForm = formSchema({ domain: text(), attest: text() });
const AdminForm = formSchema({ email: text(), role: text() });
const IdParams = formSchema({ id: text() });
const ADMIN_ROLES: OrgRole[] = ['org_admin', 'auth_admin', 'reader'];

const actorOf = (op: Operator): OrgActor => ({ kind: 'operator', id: op.id, name: op.name });

/** What a page of the operator's organisation pages shows after a POST: a notice, or a failure. */
interface Outcome {
  done?: (tr: Translate) => string;
  failure?: FormFailure | { message: string; status: number };
  values?: Record<string, string | undefined>;
  form?: 'create' | 'details' | 'domain' | 'admin';
}

function Outcomes(p: { tr: Translate; o: Outcome; form: Outcome['form'] }) {
  if (p.o.form !== p.form) return null;
  if (p.o.failure)
    return (
      <Notice kind="error">
        <p data-testid="op-org-error">{p.o.failure.message}</p>
      </Notice>
    );
  if (p.o.done)
    return (
      <Notice kind="ok">
        <p data-testid="op-org-done">{p.o.done(p.tr)}</p>
      </Notice>
    );
  return null;
}

/** Registers the operator's organisation pages. */
export function operatorOrgRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'random'>): void {
  const listView = async (
    pc: PageContext,
    tr: Translate,
    op: Operator,
    o: Outcome = {},
  ): Promise<ConsoleView> => {
    const orgs = await listOrganisations(deps.db);
    return {
      title: tr('operator.orgs.title'),
      body: (
        <>
          <div class="card">
            <h1>{tr('operator.orgs.title')}</h1>
            <p class="lead">{tr('operator.orgs.lead')}</p>
            {orgs.length === 0 ? (
              <p>{tr('operator.orgs.empty')}</p>
            ) : (
              <div class="table-wrap">
                <DataTable
                  testid="orgs"
                  stack
                  rows={orgs}
                  columns={[
                    {
                      label: tr('operator.orgs.col.name'),
                      primary: true,
                      cell: (r) => <a href={`/operator/organisations/${r.id}`}>{r.name}</a>,
                    },
                    { label: tr('operator.orgs.col.members'), cell: (r) => r.members },
                    {
                      label: tr('operator.orgs.col.created'),
                      cell: (r) => formatDateTime(pc.locale, r.created_at),
                    },
                  ]}
                />
              </div>
            )}
          </div>
          <div class="card narrow">
            <h2>{tr('operator.orgs.create')}</h2>
            {op.role !== 'admin' ? (
              <p>{tr('operator.orgs.admin_only')}</p>
            ) : (
              <>
                <Outcomes tr={tr} o={o} form="create" />
                <form method="post" action="/operator/organisations" novalidate data-testid="create-org">
                  <Csrf pc={pc} />
                  <Field
                    id="org-name"
                    name="name"
                    label={tr('operator.orgs.name')}
                    value={o.values?.name ?? ''}
                  />
                  <Field
                    id="org-contact"
                    name="contact"
                    label={tr('operator.orgs.contact')}
                    hint={tr('operator.orgs.contact_hint')}
                    value={o.values?.contact ?? ''}
                  />
                  <button type="submit">{tr('operator.orgs.create_submit')}</button>
                </form>
              </>
            )}
          </div>
        </>
      ),
    };
  };

  const detailView = async (
    id: string,
    pc: PageContext,
    tr: Translate,
    op: Operator,
    o: Outcome = {},
  ): Promise<ConsoleView> => {
    const org = await findOrganisation(deps.db, id);
    if (!org)
      return {
        title: tr('operator.orgs.title'),
        body: (
          <div class="card">
            <p>{tr('error.org.not_found')}</p>
            <p>
              <a href="/operator/organisations">{tr('operator.orgs.title')}</a>
            </p>
          </div>
        ),
      };
    const [domains, members] = await Promise.all([
      listDomains(deps.db, org.id),
      listMembers(deps.db, org.id),
    ]);
    const admins = members.filter((m) => m.role !== 'member');
    const who = await accountSummaries(
      deps.db,
      admins.map((a) => a.account_id),
    );
    const canChange = op.role === 'admin';
    const base = `/operator/organisations/${org.id}`;
    const v = o.values ?? {};
    return {
      title: org.name,
      body: (
        <>
          <div class="card narrow">
            <p>
              <a href="/operator/organisations">{tr('operator.orgs.title')}</a>
            </p>
            <h1 data-testid="org-name">{org.name}</h1>
            {canChange ? null : <p>{tr('operator.orgs.admin_only')}</p>}
            <h2>{tr('operator.org.details')}</h2>
            <Outcomes tr={tr} o={o} form="details" />
            {canChange ? (
              <form method="post" action={`${base}/details`} novalidate>
                <Csrf pc={pc} />
                <Field
                  id="org-name"
                  name="name"
                  label={tr('operator.orgs.name')}
                  value={o.form === 'details' ? (v.name ?? '') : org.name}
                />
                <Field
                  id="org-contact"
                  name="contact"
                  label={tr('operator.orgs.contact')}
                  hint={tr('operator.orgs.contact_hint')}
                  value={o.form === 'details' ? (v.contact ?? '') : org.contact}
                />
                <button type="submit">{tr('operator.org.save')}</button>
              </form>
            ) : (
              <p>{org.contact}</p>
            )}
          </div>
          <div class="card narrow">
            <h2>{tr('operator.org.domains')}</h2>
            <p class="lead">{tr('operator.org.domains_lead')}</p>
            <Outcomes tr={tr} o={o} form="domain" />
            {domains.length === 0 ? (
              <p>{tr('operator.org.no_domains')}</p>
            ) : (
              <ul data-testid="domains">
                {domains.map((d) => (
                  <li>
                    <code>{d.domain}</code>{' '}
                    {canChange ? (
                      <form method="post" action={`${base}/domains/detach`} class="inline">
                        <Csrf pc={pc} />
                        <input type="hidden" name="domain" value={d.domain} />
                        <button type="submit" class="secondary">
                          {tr('operator.org.detach')}
                        </button>
                      </form>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {canChange ? (
              <form method="post" action={`${base}/domains`} novalidate data-testid="attach-domain">
                <Csrf pc={pc} />
                <Field
                  id="domain"
                  name="domain"
                  label={tr('operator.org.domain')}
                  value={o.form === 'domain' ? (v.domain ?? '') : ''}
                  autocomplete="off"
                />
                <label class="radio">
                  <input type="checkbox" name="attest" value="yes" data-testid="attest" />{' '}
                  {tr('operator.org.attest')}
                </label>
                <button type="submit">{tr('operator.org.attach')}</button>
              </form>
            ) : null}
          </div>
          <div class="card narrow">
            <h2>{tr('operator.org.admins')}</h2>
            <Outcomes tr={tr} o={o} form="admin" />
            {admins.length === 0 ? (
              <p>{tr('operator.org.no_admins')}</p>
            ) : (
              <ul data-testid="admins">
                {admins.map((a) => (
                  <li>
                    {who.get(a.account_id)?.email ?? a.account_id} — {tr(`org.role.${a.role}`)}
                  </li>
                ))}
              </ul>
            )}
            {canChange ? (
              <form method="post" action={`${base}/admins`} novalidate data-testid="name-admin">
                <Csrf pc={pc} />
                <Field
                  id="admin-email"
                  name="email"
                  type="email"
                  label={tr('operator.org.admin_email')}
                  value={o.form === 'admin' ? (v.email ?? '') : ''}
                  autocomplete="off"
                />
                <label for="admin-role">{tr('operator.org.admin_role')}</label>
                <select id="admin-role" name="role">
                  {ADMIN_ROLES.map((r) => (
                    <option value={r} selected={(o.form === 'admin' ? v.role : 'org_admin') === r}>
                      {tr(`org.role.${r}`)}
                    </option>
                  ))}
                </select>
                <button type="submit">{tr('operator.org.name_admin')}</button>
              </form>
            ) : null}
          </div>
        </>
      ),
    };
  };

  const idOf = (req: Req) => readParams(req, IdParams).id ?? '';
  const refuse = (req: Req, reply: Rep, op: Operator, form: Outcome['form'], id?: string) =>
    sendConsolePage(
      req,
      reply,
      op,
      FRAME,
      ({ pc, tr }) => {
        const o: Outcome = { form, failure: { message: tr('operator.orgs.admin_only'), status: 403 } };
        return id ? detailView(id, pc, tr, op, o) : listView(pc, tr, op, o);
      },
      403,
    );
  /** Runs a change for an admin operator; draws the detail page with its outcome. */
  const change = async (
    req: Req,
    reply: Rep,
    op: Operator,
    form: Outcome['form'],
    values: Record<string, string | undefined>,
    action: () => Promise<(tr: Translate) => string>,
  ) => {
    const id = idOf(req);
    if (op.role !== 'admin') return refuse(req, reply, op, form, id);
    const r = await submitForm(req, reply, action, (failure) =>
      sendConsolePage(
        req,
        reply,
        op,
        FRAME,
        ({ pc, tr }) => detailView(id, pc, tr, op, { form, failure, values }),
        failure.status,
      ),
    );
    if (!r.ok) return r.reply;
    return sendConsolePage(req, reply, op, FRAME, ({ pc, tr }) =>
      detailView(id, pc, tr, op, { form, done: r.value }),
    );
  };

  consoleGet(web, deps, '/operator/organisations', FRAME, ({ pc, tr, op }) => listView(pc, tr, op));
  consolePost(web, deps, '/operator/organisations', async (req, reply, op) => {
    if (op.role !== 'admin') return refuse(req, reply, op, 'create');
    const form = readForm(req, CreateForm);
    const r = await submitForm(
      req,
      reply,
      async () => {
        const id = await createOrganisation(deps, actorOf(op), { name: form.name, contact: form.contact });
        await auditOperator(
          deps.db,
          op,
          'org.create',
          id,
          { name: String(form.name ?? '') },
          deps.clock.now(),
        );
        return id;
      },
      (failure) =>
        sendConsolePage(
          req,
          reply,
          op,
          FRAME,
          ({ pc, tr }) => listView(pc, tr, op, { form: 'create', failure, values: form }),
          failure.status,
        ),
    );
    if (!r.ok) return r.reply;
    return reply.redirect(`/operator/organisations/${r.value}`, 303);
  });

  web.get('/operator/organisations/:id', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    const found = await findOrganisation(deps.db, idOf(req));
    return sendConsolePage(
      req,
      reply,
      op,
      FRAME,
      ({ pc, tr }) => detailView(idOf(req), pc, tr, op),
      found ? 200 : 404,
    );
  });
  consolePost(web, deps, '/operator/organisations/:id/details', async (req, reply, op) => {
    const form = readForm(req, DetailsForm);
    return change(req, reply, op, 'details', form, async () => {
      await updateOrganisationDetails(deps, actorOf(op), idOf(req), {
        name: form.name,
        contact: form.contact,
      });
      await auditOperator(deps.db, op, 'org.update', idOf(req), {}, deps.clock.now());
      return (tr) => tr('operator.org.saved');
    });
  });
  consolePost(web, deps, '/operator/organisations/:id/domains', async (req, reply, op) => {
    const form = readForm(req, DomainForm);
    if (op.role === 'admin' && form.attest !== 'yes')
      return sendConsolePage(
        req,
        reply,
        op,
        FRAME,
        ({ pc, tr }) =>
          detailView(idOf(req), pc, tr, op, {
            form: 'domain',
            values: form,
            failure: { message: tr('operator.org.attest_required'), status: 400 },
          }),
        400,
      );
    return change(req, reply, op, 'domain', form, async () => {
      const joined = await attachDomain(deps, actorOf(op), idOf(req), form.domain);
      const domain = String(form.domain ?? '')
        .trim()
        .toLowerCase();
      await auditOperator(deps.db, op, 'org.domain_attach', idOf(req), { domain }, deps.clock.now());
      return (tr) => tr('operator.org.attached', { domain, count: joined });
    });
  });
  consolePost(web, deps, '/operator/organisations/:id/domains/detach', async (req, reply, op) => {
    const form = readForm(req, DomainForm);
    return change(req, reply, op, 'domain', {}, async () => {
      await detachDomain(deps, actorOf(op), idOf(req), form.domain);
      const domain = String(form.domain ?? '');
      await auditOperator(deps.db, op, 'org.domain_detach', idOf(req), { domain }, deps.clock.now());
      return (tr) => tr('operator.org.detached', { domain });
    });
  });
  consolePost(web, deps, '/operator/organisations/:id/admins', async (req, reply, op) => {
    const form = readForm(req, AdminForm);
    return change(req, reply, op, 'admin', form, async () => {
      const role = (ORG_ROLES as readonly string[]).includes(form.role ?? '')
        ? (form.role as OrgRole)
        : 'member';
      const accountId = await assignRole(deps, actorOf(op), idOf(req), {
        email: form.email,
        role: form.role,
      });
      await auditOperator(
        deps.db,
        op,
        'org.role_assign',
        idOf(req),
        { account: accountId, role },
        deps.clock.now(),
      );
      const email = String(form.email ?? '');
      return (tr) => tr('operator.org.named', { email, role: tr(`org.role.${role}`) });
    });
  });
}
