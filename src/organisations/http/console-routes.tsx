import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { AppError } from '../../kernel/errors.ts';
import { DataTable } from '../../web/data-table.tsx';
import { type FormFailure, formSchema, readForm, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { Csrf, Field, Notice, type PageContext, type T as Translate, translator } from '../../web/render.tsx';
import { freshOrRedirect } from '../../web/web-helpers.ts';
import type { OrgAdmin } from '../admin-access.ts';
import { roleCan } from '../admin-access.ts';
import { ORG_AUDIT_ACTIONS, type OrgAuditAction } from '../audit-actions.ts';
import { assignRole, organisationPolicy, savePolicy } from '../org-admin.ts';
import {
  diffPolicies,
  type MethodsPolicy,
  POLICY_METHOD_KINDS,
  type PolicyChange,
  REQUIRED_KINDS,
  storedPolicy,
} from '../policy.ts';
import {
  CSV_COLUMNS,
  countsOverTime,
  filterQuery,
  type MemberFilter,
  type MemberReportRow,
  memberReport,
  membersCsv,
  orgAuditPage,
  orgOverview,
  parseMemberFilter,
  recordExport,
} from '../reports.ts';
import { ORG_ROLES } from '../store/members.ts';
import { listPolicyVersions } from '../store/policies.ts';
import { ORG_CONSOLE_CSS, orgConsoleGuard, requireCapability, sendOrgPage } from './chrome.tsx';
import { asChanges, changeInWords, countryNames, policySummary } from './console-words.ts';
import { operatorOrgRoutes } from './operator-org-routes.tsx';

type Req = FastifyRequest;
type Rep = FastifyReply;
type ConsoleDeps = Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>;

/** Pages of organisations: the organisation console: overview, policy, members and reports, audit log; the operator's organisation pages. */
export function consoleRoutes(web: FastifyInstance, deps: ConsoleDeps): void {
  web.get('/assets/org-console.css', async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(ORG_CONSOLE_CSS),
  );
  overviewRoutes(web, deps);
  policyRoutes(web, deps);
  memberRoutesOfConsole(web, deps);
  reportRoutes(web, deps);
  auditRoutes(web, deps);
  operatorOrgRoutes(web, deps);
}

/* ------------------------------------------------------------------ overview */

function overviewRoutes(web: FastifyInstance, deps: ConsoleDeps): void {
  // Any administrator role (every one of them may open the member directory).
  const guard = orgConsoleGuard(deps, 'directory');
  web.get('/org', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    const o = await orgOverview(deps, admin.orgId);
    const admins = o.byRole.org_admin + o.byRole.auth_admin + o.byRole.reader;
    return sendOrgPage(req, reply, admin, ({ pc, tr }) => ({
      title: tr('org.overview.title'),
      body: (
        <div class="card">
          <h1>{admin.orgName}</h1>
          <dl class="org-facts" data-testid="org-overview">
            <dt>{tr('org.overview.members')}</dt>
            <dd data-testid="members">{o.members}</dd>
            <dt>{tr('org.overview.compliant')}</dt>
            <dd data-testid="compliant">{o.compliant}</dd>
            <dt>{tr('org.overview.not_compliant')}</dt>
            <dd data-testid="not-compliant">{o.notCompliant}</dd>
            <dt>{tr('org.overview.admins')}</dt>
            <dd>{admins}</dd>
            <dt>{tr('org.overview.contact')}</dt>
            <dd>{admin.orgContact || tr('org.overview.contact_none')}</dd>
          </dl>
          <h2>{tr('org.overview.policy', { version: o.version })}</h2>
          <ul data-testid="policy-summary">
            {policySummary(tr, pc.locale, o.policy).map((l) => (
              <li>{l}</li>
            ))}
          </ul>
          <ul class="links">
            {roleCan(admin.role, 'reports') && o.notCompliant > 0 ? (
              <li>
                <a href="/org/members?met=not_met">{tr('org.overview.see_not_compliant')}</a>
              </li>
            ) : null}
            {roleCan(admin.role, 'policy') ? (
              <li>
                <a href="/org/policy">{tr('org.overview.edit_policy')}</a>
              </li>
            ) : null}
            {roleCan(admin.role, 'reports') ? (
              <li>
                <a href="/org/reports">{tr('org.overview.see_reports')}</a>
              </li>
            ) : null}
          </ul>
        </div>
      ),
    }));
  });
}

/* ------------------------------------------------------------------ policy editor */

const PolicyForm = formSchema({
  baseVersion: text(),
  allowed_passkey: text(),
  allowed_totp: text(),
  allowed_phone: text(),
  allowed_email: text(),
  smsCountries: text(),
  minMethods: text(),
  required_phone: text(),
  required_phishing_resistant: text(),
  required_authenticator: text(),
  resetMethods: text(),
  reconfirmDays: text(),
  enforceRegistration: text(),
  snoozeDays: text(),
  maxSnoozes: text(),
});
type PolicyValues = ReturnType<typeof readForm<typeof PolicyForm>>;

/** The form's values for a saved policy (what the editor shows first). */
function valuesOf(p: MethodsPolicy, version: number): PolicyValues {
  const on = (b: boolean) => (b ? 'on' : undefined);
  return {
    baseVersion: String(version),
    allowed_passkey: on(p.allowed.passkey),
    allowed_totp: on(p.allowed.totp),
    allowed_phone: on(p.allowed.phone),
    allowed_email: on(p.allowed.email),
    smsCountries: p.smsCountries.join(', '),
    minMethods: String(p.minMethods),
    required_phone: on(p.required.includes('phone')),
    required_phishing_resistant: on(p.required.includes('phishing_resistant')),
    required_authenticator: on(p.required.includes('authenticator')),
    resetMethods: String(p.resetMethods),
    reconfirmDays: String(p.reconfirmDays),
    enforceRegistration: on(p.enforceRegistration),
    snoozeDays: String(p.snoozeDays),
    maxSnoozes: String(p.maxSnoozes),
  };
}

/** The policy input `savePolicy` reads, from the form (checkboxes are "on" when ticked). */
function policyInput(f: PolicyValues) {
  return {
    allowed: {
      passkey: f.allowed_passkey === 'on',
      totp: f.allowed_totp === 'on',
      phone: f.allowed_phone === 'on',
      email: f.allowed_email === 'on',
    },
    smsCountries: (f.smsCountries ?? '')
      .split(/[\s,、，]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    minMethods: f.minMethods ?? '',
    required: REQUIRED_KINDS.filter((k) => f[`required_${k}`] === 'on'),
    resetMethods: f.resetMethods ?? '',
    reconfirmDays: f.reconfirmDays ?? '',
    enforceRegistration: f.enforceRegistration === 'on',
    snoozeDays: f.snoozeDays ?? '',
    maxSnoozes: f.maxSnoozes ?? '',
  };
}

const RANGES: Record<string, [number, number]> = {
  minMethods: [1, 5],
  resetMethods: [1, 2],
  reconfirmDays: [0, 730],
  snoozeDays: [0, 14],
  maxSnoozes: [0, 10],
};

/** Each wrong field of a refused policy, in words, by field name. */
function fieldErrors(tr: Translate, e: AppError | undefined): Record<string, string> {
  if (e?.code !== 'org.policy_invalid') return {};
  const out: Record<string, string> = {};
  for (const f of e.fields) {
    const field = f.path.replace(/^\//, '');
    const range = RANGES[field];
    out[field] =
      f.code === 'range' && range
        ? tr('org.policy.problem.range', { min: range[0], max: range[1] })
        : field === 'smsCountries'
          ? tr('org.policy.problem.countries')
          : field === 'allowed'
            ? tr('org.policy.problem.allowed')
            : field === 'required' && f.code === 'unsatisfiable'
              ? tr('org.policy.problem.required')
              : tr('org.policy.problem.unknown');
  }
  return out;
}

function Check(p: { name: string; label: string; checked: boolean; testid?: string }) {
  return (
    <label class="radio">
      <input type="checkbox" name={p.name} value="on" checked={p.checked} data-testid={p.testid} /> {p.label}
    </label>
  );
}

function Problem(p: { id: string; text?: string }) {
  return p.text ? (
    <p class="field-error" id={`${p.id}-error`} role="alert">
      {p.text}
    </p>
  ) : null;
}

/** A group of checkboxes named `<prefix>_<key>` (the allowed kinds, the required kinds), with its problem. */
function CheckGroup(p: {
  legend: string;
  hint: string;
  prefix: 'allowed' | 'required';
  items: { key: string; label: string }[];
  values: PolicyValues;
  error?: string;
}) {
  const values = p.values as Record<string, string | undefined>;
  return (
    <fieldset>
      <legend>{p.legend}</legend>
      <p class="hint">{p.hint}</p>
      {p.items.map(({ key, label }) => (
        <Check
          name={`${p.prefix}_${key}`}
          label={label}
          checked={values[`${p.prefix}_${key}`] === 'on'}
          testid={`${p.prefix}-${key}`}
        />
      ))}
      <Problem id={p.prefix} text={p.error} />
    </fieldset>
  );
}

/** A whole-number setting of the policy: the field of the same name, its one-line explanation and problem. */
function NumberSetting(p: {
  field: 'minMethods' | 'reconfirmDays' | 'snoozeDays' | 'maxSnoozes';
  label: string;
  hint: string;
  values: PolicyValues;
  errors: Record<string, string>;
}) {
  return (
    <Field
      id={p.field}
      name={p.field}
      label={p.label}
      value={p.values[p.field] ?? ''}
      hint={p.hint}
      inputmode="numeric"
      error={p.errors[p.field]}
    />
  );
}

function PolicyEditor(p: {
  pc: PageContext;
  tr: Translate;
  admin: OrgAdmin;
  version: number;
  values: PolicyValues;
  errors: Record<string, string>;
}) {
  const { tr, values: v, errors } = p;
  const codes = (v.smsCountries ?? '')
    .split(/[\s,、，]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => /^[A-Z]{2}$/.test(s));
  return (
    <form method="post" action="/org/policy" novalidate data-testid="policy-form">
      <Csrf pc={p.pc} />
      <input type="hidden" name="baseVersion" value={v.baseVersion ?? String(p.version)} />
      <CheckGroup
        legend={tr('org.policy.allowed')}
        hint={tr('org.policy.allowed_hint')}
        prefix="allowed"
        items={POLICY_METHOD_KINDS.map((k) => ({ key: k, label: tr(`org.kind.${k}`) }))}
        values={v}
        error={errors.allowed}
      />
      <Field
        id="smsCountries"
        name="smsCountries"
        label={tr('org.policy.sms')}
        value={v.smsCountries ?? ''}
        hint={`${tr('org.policy.sms_hint', { example: 'JP' })}${
          codes.length > 0
            ? ` ${tr('org.policy.sms_names', { names: countryNames(p.pc.locale, codes, tr) })}`
            : ''
        }`}
        error={errors.smsCountries}
        maxLength={1000}
      />
      <NumberSetting
        field="minMethods"
        label={tr('org.policy.min')}
        hint={tr('org.policy.min_hint')}
        values={v}
        errors={errors}
      />
      <CheckGroup
        legend={tr('org.policy.required')}
        hint={tr('org.policy.required_hint')}
        prefix="required"
        items={REQUIRED_KINDS.map((k) => ({ key: k, label: tr(`org.required_label.${k}`) }))}
        values={v}
        error={errors.required}
      />
      <div>
        <label for="resetMethods">{tr('org.policy.reset')}</label>
        <select
          id="resetMethods"
          name="resetMethods"
          aria-describedby="resetMethods-hint"
          aria-invalid={errors.resetMethods ? 'true' : undefined}
        >
          <option value="1" selected={v.resetMethods === '1'}>
            {tr('org.policy.reset_1')}
          </option>
          <option value="2" selected={v.resetMethods === '2'}>
            {tr('org.policy.reset_2')}
          </option>
        </select>
        <p class="hint" id="resetMethods-hint">
          {tr('org.policy.reset_hint')}
        </p>
        <Problem id="resetMethods" text={errors.resetMethods} />
      </div>
      <NumberSetting
        field="reconfirmDays"
        label={tr('org.policy.reconfirm')}
        hint={tr('org.policy.reconfirm_hint')}
        values={v}
        errors={errors}
      />
      <fieldset>
        <legend>{tr('org.policy.enforce')}</legend>
        <Check
          name="enforceRegistration"
          label={tr('org.policy.enforce')}
          checked={v.enforceRegistration === 'on'}
          testid="enforce"
        />
        <p class="hint">{tr('org.policy.enforce_hint')}</p>
      </fieldset>
      <NumberSetting
        field="snoozeDays"
        label={tr('org.policy.snooze_days')}
        hint={tr('org.policy.snooze_days_hint')}
        values={v}
        errors={errors}
      />
      <NumberSetting
        field="maxSnoozes"
        label={tr('org.policy.max_snoozes')}
        hint={tr('org.policy.max_snoozes_hint')}
        values={v}
        errors={errors}
      />
      <button type="submit">{tr('org.policy.save')}</button>
    </form>
  );
}

/** The changes between two saved versions (for "saved as version N" after a save). */
async function changesOf(deps: Pick<Deps, 'db'>, orgId: string, version: number): Promise<PolicyChange[]> {
  const versions = await listPolicyVersions(deps.db, orgId, 200);
  const after = versions.find((x) => x.version === version);
  const before = versions.find((x) => x.version === version - 1);
  if (!after || !before) return [];
  return diffPolicies(storedPolicy(before.policy), storedPolicy(after.policy));
}

const SavedQuery = formSchema({ saved: text(), unchanged: text() });

function policyRoutes(web: FastifyInstance, deps: ConsoleDeps): void {
  const guard = orgConsoleGuard(deps, 'policy');
  const draw = async (
    req: Req,
    reply: Rep,
    admin: OrgAdmin,
    o: { values?: PolicyValues; failure?: FormFailure; saved?: number; unchanged?: number },
  ) => {
    const current = await organisationPolicy(deps, admin.orgId);
    const conflict = o.failure?.error.code === 'org.policy_conflict';
    const saved = o.saved !== undefined ? await changesOf(deps, admin.orgId, o.saved) : [];
    // After a conflict the admin's changes stay in the form, now based on the version saved meanwhile.
    const values = o.values
      ? { ...o.values, baseVersion: conflict ? String(current.version) : o.values.baseVersion }
      : valuesOf(current.policy, current.version);
    return sendOrgPage(
      req,
      reply,
      admin,
      ({ pc, tr }) => {
        const errors = fieldErrors(tr, o.failure?.error);
        return {
          title: tr('org.policy.title'),
          body: (
            <div class="card">
              <h1>{tr('org.policy.title')}</h1>
              <p class="lead">{tr('org.policy.lead', { org: admin.orgName })}</p>
              <p data-testid="policy-version">{tr('org.policy.version', { version: current.version })}</p>
              {o.saved !== undefined ? (
                <Notice kind="ok">
                  <p data-testid="policy-saved">{tr('org.policy.saved', { version: o.saved })}</p>
                  {saved.length > 0 ? (
                    <>
                      <p>{tr('org.policy.changes')}</p>
                      <ul data-testid="policy-diff">
                        {saved.map((c) => (
                          <li>{changeInWords(tr, pc.locale, c)}</li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                </Notice>
              ) : null}
              {o.unchanged !== undefined ? (
                <Notice kind="ok">
                  <p>{tr('org.policy.unchanged', { version: o.unchanged })}</p>
                </Notice>
              ) : null}
              {o.failure ? (
                <Notice kind="error">
                  <p data-testid="policy-error">{o.failure.message}</p>
                  {conflict ? (
                    <>
                      <p>{tr('org.policy.conflict_current', { version: current.version })}</p>
                      <ul data-testid="policy-current">
                        {policySummary(tr, pc.locale, current.policy).map((l) => (
                          <li>{l}</li>
                        ))}
                      </ul>
                      <p>{tr('org.policy.conflict_again')}</p>
                    </>
                  ) : null}
                </Notice>
              ) : null}
              <ul class="policy-summary" data-testid="policy-summary">
                {policySummary(tr, pc.locale, current.policy).map((l) => (
                  <li>{l}</li>
                ))}
              </ul>
              <PolicyEditor
                pc={pc}
                tr={tr}
                admin={admin}
                version={current.version}
                values={values}
                errors={errors}
              />
            </div>
          ),
        };
      },
      o.failure?.status ?? 200,
    );
  };

  web.get('/org/policy', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    if (!req.session || !freshOrRedirect(deps, reply, req.session, '/org/policy')) return reply;
    const q = readQuery(req, SavedQuery);
    const n = (s: string | undefined) => (s && /^\d{1,9}$/.test(s) ? Number(s) : undefined);
    return draw(req, reply, admin, { saved: n(q.saved), unchanged: n(q.unchanged) });
  });
  web.post('/org/policy', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    requireCapability(admin, 'policy');
    // Weakening the policy is as sensitive as giving a role: a fresh proof (a stale stolen session cannot).
    if (!req.session || !freshOrRedirect(deps, reply, req.session, '/org/policy')) return reply;
    const form = readForm(req, PolicyForm);
    const before = Number(form.baseVersion);
    const r = await submitForm(
      req,
      reply,
      () => savePolicy(deps, admin.actor, admin.orgId, form.baseVersion ?? '', policyInput(form)),
      (failure) => draw(req, reply, admin, { values: form, failure }),
    );
    if (!r.ok) return r.reply;
    return reply.redirect(
      r.value === before ? `/org/policy?unchanged=${r.value}` : `/org/policy?saved=${r.value}`,
      303,
    );
  });
}

/* ------------------------------------------------------------------ members, CSV, roles */

const FilterQuery = formSchema({ met: text(), role: text(), lacks: text(), done: text() });
const RoleForm = formSchema({ email: text(), role: text() });

function methodsCell(tr: Translate, r: MemberReportRow): string {
  return tr('org.members.methods_short', r.methods);
}

function memberRoutesOfConsole(web: FastifyInstance, deps: ConsoleDeps): void {
  const guard = orgConsoleGuard(deps, 'directory');
  const draw = async (
    req: Req,
    reply: Rep,
    admin: OrgAdmin,
    filter: MemberFilter,
    o: {
      failure?: FormFailure;
      values?: { email?: string; role?: string };
      done?: (tr: Translate) => string;
    } = {},
  ) => {
    const rows = await memberReport(deps, admin.orgId, filter);
    const reports = roleCan(admin.role, 'reports');
    return sendOrgPage(
      req,
      reply,
      admin,
      ({ pc, tr }) => ({
        title: tr('org.members.title'),
        body: (
          <>
            <div class="card">
              <h1>{tr('org.members.title')}</h1>
              <p class="lead">{tr('org.members.lead', { org: admin.orgName })}</p>
              {o.done ? (
                <Notice kind="ok">
                  <p data-testid="role-done">{o.done(tr)}</p>
                </Notice>
              ) : null}
              <form method="get" action="/org/members" class="filters" data-testid="member-filters">
                <fieldset>
                  <legend>{tr('org.members.filters')}</legend>
                  <div class="filter-row">
                    {reports ? (
                      <div>
                        <label for="f-met">{tr('org.members.filter.met')}</label>
                        <select id="f-met" name="met">
                          <option value="">{tr('org.members.filter.any')}</option>
                          <option value="met" selected={filter.met === 'met'}>
                            {tr('org.members.filter.met_yes')}
                          </option>
                          <option value="not_met" selected={filter.met === 'not_met'}>
                            {tr('org.members.filter.met_no')}
                          </option>
                        </select>
                      </div>
                    ) : null}
                    <div>
                      <label for="f-role">{tr('org.members.filter.role')}</label>
                      <select id="f-role" name="role">
                        <option value="">{tr('org.members.filter.any')}</option>
                        {ORG_ROLES.map((r) => (
                          <option value={r} selected={filter.role === r}>
                            {tr(`org.role.${r}`)}
                          </option>
                        ))}
                      </select>
                    </div>
                    {reports ? (
                      <div>
                        <label for="f-lacks">{tr('org.members.filter.lacks')}</label>
                        <select id="f-lacks" name="lacks">
                          <option value="">{tr('org.members.filter.any')}</option>
                          {POLICY_METHOD_KINDS.map((k) => (
                            <option value={k} selected={filter.lacks === k}>
                              {tr(`org.kind.${k}`)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ) : null}
                  </div>
                  <button type="submit" class="secondary">
                    {tr('org.members.filter.apply')}
                  </button>
                </fieldset>
              </form>
              <p data-testid="members-shown">{tr('org.members.shown', { count: rows.length })}</p>
              {reports ? (
                <p>
                  <a href={`/org/members.csv${filterQuery(filter)}`} download data-testid="members-csv">
                    {tr('org.members.csv')}
                  </a>
                </p>
              ) : null}
              {rows.length > 0 ? (
                <div class="table-wrap">
                  <DataTable
                    testid="members"
                    stack
                    rows={rows}
                    rowProps={(r) => ({ 'data-account': r.accountId, 'data-met': String(r.met) })}
                    columns={[
                      {
                        label: tr('org.col.email'),
                        primary: true,
                        cell: (r) => <a href={`/org/members/${r.accountId}`}>{r.email}</a>,
                      },
                      { label: tr('org.col.name'), cell: (r) => r.displayName },
                      { label: tr('org.col.role'), cell: (r) => tr(`org.role.${r.role}`) },
                      ...(reports
                        ? [
                            {
                              label: tr('org.col.methods'),
                              cell: (r: MemberReportRow) => methodsCell(tr, r),
                            },
                            {
                              label: tr('org.col.last_confirmed'),
                              cell: (r: MemberReportRow) =>
                                r.lastConfirmed
                                  ? formatDateTime(pc.locale, r.lastConfirmed)
                                  : tr('org.never'),
                            },
                            {
                              label: tr('org.col.met'),
                              cell: (r: MemberReportRow) => (r.met ? tr('org.yes') : tr('org.no')),
                            },
                            { label: tr('org.col.snoozes'), cell: (r: MemberReportRow) => r.snoozesUsed },
                          ]
                        : []),
                    ]}
                  />
                </div>
              ) : null}
            </div>
            {roleCan(admin.role, 'members') ? (
              <div class="card narrow">
                <h2>{tr('org.members.role_title')}</h2>
                <p class="lead">{tr('org.members.role_lead', { org: admin.orgName })}</p>
                {o.failure ? (
                  <Notice kind="error">
                    <p data-testid="role-error">{o.failure.message}</p>
                  </Notice>
                ) : null}
                <form method="post" action="/org/members/role" novalidate data-testid="role-form">
                  <Csrf pc={pc} />
                  <Field
                    id="role-email"
                    name="email"
                    type="email"
                    label={tr('org.members.role_email')}
                    value={o.values?.email ?? ''}
                    autocomplete="off"
                  />
                  <label for="role-role">{tr('org.members.role_role')}</label>
                  <select id="role-role" name="role">
                    {ORG_ROLES.map((r) => (
                      <option value={r} selected={o.values?.role === r}>
                        {tr(`org.role.${r}`)}
                      </option>
                    ))}
                  </select>
                  <button type="submit">{tr('org.members.role_submit')}</button>
                </form>
              </div>
            ) : null}
          </>
        ),
      }),
      o.failure?.status ?? 200,
    );
  };

  web.get('/org/members', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    const q = readQuery(req, FilterQuery);
    const filter = parseMemberFilter(q);
    // A reader's filters on compliance are only for the roles that see reports.
    if (!roleCan(admin.role, 'reports')) {
      delete filter.met;
      delete filter.lacks;
    }
    return draw(req, reply, admin, filter);
  });

  web.post('/org/members/role', { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    requireCapability(admin, 'members');
    // A role is lasting access (like a token): giving one needs a fresh proof, not just a live session.
    if (!req.session || !freshOrRedirect(deps, reply, req.session, '/org/members')) return reply;
    const form = readForm(req, RoleForm);
    const r = await submitForm(
      req,
      reply,
      () =>
        assignRole(
          deps,
          admin.actor,
          admin.orgId,
          { email: form.email, role: form.role },
          { existingMemberOnly: true },
        ),
      (failure) => draw(req, reply, admin, {}, { failure, values: form }),
    );
    if (!r.ok) return r.reply;
    const email = form.email ?? '';
    const role = form.role as (typeof ORG_ROLES)[number];
    return draw(
      req,
      reply,
      admin,
      {},
      {
        done: (tr) => tr('org.members.role_done', { email, role: tr(`org.role.${role}`) }),
      },
    );
  });

  const csvGuard = orgConsoleGuard(deps, 'reports');
  web.get('/org/members.csv', async (req, reply) => {
    const admin = await csvGuard(req, reply);
    if (!admin) return reply;
    const filter = parseMemberFilter(readQuery(req, FilterQuery));
    const rows = await memberReport(deps, admin.orgId, filter);
    const tr = translator(req.ctx.locale);
    const header = CSV_COLUMNS.map((c) => {
      if (c.startsWith('methods.'))
        return tr(`org.kind.${c.slice(8) as (typeof POLICY_METHOD_KINDS)[number]}`);
      return tr(
        c === 'email'
          ? 'org.col.email'
          : c === 'name'
            ? 'org.col.name'
            : c === 'role'
              ? 'org.col.role'
              : c === 'last_confirmed'
                ? 'org.col.last_confirmed'
                : c === 'met'
                  ? 'org.col.met'
                  : 'org.col.snoozes',
      );
    });
    const csv = membersCsv(rows, header, {
      role: (r) => tr(`org.role.${r}`),
      yesNo: (b) => (b ? tr('org.yes') : tr('org.no')),
      time: (d) => formatDateTime(req.ctx.locale, d),
    });
    await recordExport(deps, admin.actor, admin.orgId, filter, rows.length);
    const day = deps.clock.now().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="members-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}

/* ------------------------------------------------------------------ counts over time */

function reportRoutes(web: FastifyInstance, deps: ConsoleDeps): void {
  const guard = orgConsoleGuard(deps, 'reports');
  web.get('/org/reports', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    const days = (await countsOverTime(deps, admin.orgId, 30)).reverse();
    // Today before the hourly snapshot: the live count.
    const today = days[0];
    if (today && today.compliant === null) {
      const o = await orgOverview(deps, admin.orgId);
      today.compliant = o.compliant;
      today.members = o.members;
    }
    const max = Math.max(1, ...days.map((d) => d.members ?? 0));
    return sendOrgPage(req, reply, admin, ({ pc, tr }) => ({
      title: tr('org.reports.title'),
      body: (
        <div class="card">
          <h1>{tr('org.reports.title')}</h1>
          <p class="lead">{tr('org.reports.lead')}</p>
          <div class="table-wrap">
            <DataTable
              testid="counts"
              stack
              rows={days}
              rowProps={(d) => ({ 'data-day': d.day })}
              columns={[
                {
                  label: tr('org.reports.col.day'),
                  primary: true,
                  cell: (d) =>
                    new Intl.DateTimeFormat(pc.locale === 'ja' ? 'ja-JP' : 'en-GB', {
                      timeZone: 'UTC',
                      month: 'short',
                      day: 'numeric',
                      weekday: 'short',
                    }).format(new Date(`${d.day}T00:00:00Z`)),
                },
                {
                  label: tr('org.reports.col.compliant'),
                  cell: (d) =>
                    d.compliant === null || d.members === null ? (
                      <span class="hint">{tr('org.reports.no_count')}</span>
                    ) : (
                      <span data-compliant={d.compliant}>
                        <meter min={0} max={max} value={d.compliant} class="bar" />{' '}
                        {tr('org.reports.of_members', { compliant: d.compliant, members: d.members })}
                      </span>
                    ),
                },
                { label: tr('org.reports.col.methods_added'), cell: (d) => d.methodsAdded },
                { label: tr('org.reports.col.resets'), cell: (d) => d.resets },
                { label: tr('org.reports.col.recoveries'), cell: (d) => d.recoveries },
              ]}
            />
          </div>
        </div>
      ),
    }));
  });
}

/* ------------------------------------------------------------------ audit log */

const AuditQuery = formSchema({ before: text() });

function auditRoutes(web: FastifyInstance, deps: ConsoleDeps): void {
  const guard = orgConsoleGuard(deps, 'directory');
  web.get('/org/audit', async (req, reply) => {
    const admin = await guard(req, reply);
    if (!admin) return reply;
    if (!roleCan(admin.role, 'reports') && !roleCan(admin.role, 'policy'))
      requireCapability(admin, 'reports');
    const q = readQuery(req, AuditQuery);
    const page = await orgAuditPage(deps, admin.orgId, q.before);
    return sendOrgPage(req, reply, admin, ({ pc, tr }) => ({
      title: tr('org.audit.title'),
      body: (
        <div class="card">
          <h1>{tr('org.audit.title')}</h1>
          <p class="lead">{tr('org.audit.lead', { org: admin.orgName })}</p>
          {page.entries.length === 0 ? (
            <p>{tr('org.audit.empty')}</p>
          ) : (
            <div class="table-wrap">
              <DataTable
                testid="org-audit"
                stack
                rows={page.entries}
                rowProps={(e) => ({ 'data-action': e.action, 'data-outcome': e.outcome })}
                columns={[
                  { label: tr('org.audit.col.time'), cell: (e) => formatDateTime(pc.locale, e.createdAt) },
                  {
                    label: tr('org.audit.col.actor'),
                    cell: (e) => tr(`org.actor.${e.actorKind}`, { name: e.actorName }),
                  },
                  {
                    label: tr('org.audit.col.action'),
                    primary: true,
                    cell: (e) => actionName(tr, e.action),
                  },
                  { label: tr('org.audit.col.target'), cell: (e) => e.target },
                  { label: tr('org.audit.col.outcome'), cell: (e) => tr(`org.audit.outcome.${e.outcome}`) },
                  {
                    label: tr('org.audit.col.detail'),
                    cell: (e) => <AuditDetail tr={tr} pc={pc} detail={e.detail} />,
                  },
                ]}
              />
            </div>
          )}
          <p class="pager">
            {q.before ? <a href="/org/audit">{tr('org.audit.newest')}</a> : null}{' '}
            {page.next !== null ? (
              <a href={`/org/audit?before=${page.next}`} data-testid="audit-older">
                {tr('org.audit.older')}
              </a>
            ) : null}
          </p>
        </div>
      ),
    }));
  });
}

function actionName(tr: Translate, action: string): string {
  return (ORG_AUDIT_ACTIONS as readonly string[]).includes(action)
    ? tr(`org.audit.${action as OrgAuditAction}`)
    : action;
}

function AuditDetail(p: { tr: Translate; pc: PageContext; detail: Record<string, unknown> }) {
  const changes = asChanges(p.detail.changes);
  const rest = Object.entries(p.detail).filter(
    ([k, v]) =>
      k !== 'changes' && k !== 'from' && k !== 'to' && (typeof v === 'string' || typeof v === 'number'),
  );
  return (
    <>
      {changes && changes.length > 0 ? (
        <ul class="diff">
          {changes.map((c) => (
            <li>{otherChangeInWords(p.tr, p.pc, c)}</li>
          ))}
        </ul>
      ) : null}
      {rest.length > 0 ? (
        <span class="hint">{rest.map(([k, v]) => detailInWords(p.tr, k, String(v))).join(' ／ ')}</span>
      ) : null}
    </>
  );
}

/** One detail of an audit entry in words (known keys), else `key=value`. */
function detailInWords(tr: Translate, k: string, v: string): string {
  if (k === 'attempted') return tr('org.audit.detail.attempted', { action: actionName(tr, v) });
  if (k === 'joined' && /^\d+$/.test(v)) return tr('org.audit.detail.joined', { count: Number(v) });
  if (k === 'rows' && /^\d+$/.test(v)) return tr('org.audit.detail.rows', { count: Number(v) });
  if (k === 'filter') return tr('org.audit.detail.filter', { filter: v });
  if (k === 'by' && v === 'domain') return tr('org.audit.detail.by_domain');
  if (k === 'role' && (ORG_ROLES as readonly string[]).includes(v))
    return tr(`org.role.${v as (typeof ORG_ROLES)[number]}`);
  return `${k}=${v}`;
}

/** A change that is not of the policy: a role, a name, a contact; else the policy's own wording. */
function otherChangeInWords(tr: Translate, pc: PageContext, c: PolicyChange): string {
  const role = (v: string) =>
    (ORG_ROLES as readonly string[]).includes(v) ? tr(`org.role.${v as (typeof ORG_ROLES)[number]}`) : v;
  if (c.field === 'role')
    return tr('org.policy.change', { field: tr('org.col.role'), from: role(c.from), to: role(c.to) });
  if (c.field === 'name' || c.field === 'contact')
    return tr('org.policy.change', {
      field: tr(c.field === 'name' ? 'operator.orgs.name' : 'operator.orgs.contact'),
      from: c.from,
      to: c.to,
    });
  return changeInWords(tr, pc.locale, c);
}
