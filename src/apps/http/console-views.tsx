import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/index.ts';
import { DataTable } from '../../web/data-table.tsx';
import { PostButton } from '../../web/form-kit.tsx';
import { Csrf, Field, Notice, type PageContext, type T as Translate } from '../../web/render.tsx';
import type { ClientView } from '../registry/clients.ts';
import type { SignalReceiverView } from '../registry/receivers.ts';
import { SIGNAL_EVENT_TYPES, type SignalEventType, signalEventName } from '../registry/signal-events.ts';
import { URI_EXAMPLES } from '../registry/uris.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../registry/webhook-events.ts';
import type { WebhookEndpointView } from '../registry/webhooks.ts';

/* The pieces of the apps console pages, shared by the operator console and the organisation console. */

/** The acr value that asks Mamori for a second factor (the provider's `acr_values_supported`). */
export const SECOND_FACTOR_ACR = 'urn:mamori:acr:2fa';

/** The console's own styles (served at /assets/apps-console.css). */
export const APPS_CONSOLE_CSS = `.apps-tabs{display:flex;flex-wrap:wrap;gap:6px 18px;margin:0}
.apps-tabs a[aria-current=page]{font-weight:600;text-decoration:none;color:inherit}
.apps-facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 16px;margin:12px 0}
.apps-facts dt{font-weight:600;color:#59636e}
.apps-facts dd{margin:0;overflow-wrap:anywhere}
.apps-facts ul{margin:0;padding-left:1.1em}
.apps-facts code,.apps-url{overflow-wrap:anywhere;word-break:break-all}
textarea{width:100%;box-sizing:border-box;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px;padding:8px;border:1px solid #d0d5db;border-radius:8px}
.apps-checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:0 12px}
.apps-checks .radio{margin:4px 0}
.apps-checks small,.apps-sub{display:block;color:#59636e;font-size:13px;margin:2px 0 0}
.apps-secret code{word-break:break-all;overflow-wrap:anywhere}
.apps-danger{border-top:1px solid #eef0f2;margin-top:20px;padding-top:12px}
@media (max-width:600px){.apps-facts{grid-template-columns:minmax(0,1fr)}.apps-facts dd{margin-bottom:6px}}
`;

/** The examples and names the messages show as they are (standards, headers, URLs). */
export const LITERALS = {
  ...URI_EXAMPLES,
  standard: '',
  headers: 'webhook-id, webhook-timestamp, webhook-signature',
  header: 'Authorization: Bearer …',
  rfc: 'RFC 8935',
  method: 'POST',
  param: `acr_values=${SECOND_FACTOR_ACR}`,
} as const;

/** Where the pages of one console live, and whether its user may change anything. */
export interface ConsoleSpot {
  pc: PageContext;
  tr: Translate;
  /** `/operator/apps` or `/organisation/console/apps`. */
  base: string;
  canChange: boolean;
  /**
   * A fresh random token for this drawing of the page, sent by the forms that issue a secret (`once`): the
   * same form sent again (a reload of the page that showed the secret) issues nothing.
   */
  once: string;
}

/** The tabs of the apps pages: applications, webhooks, and the delivery log (built by the delivery part). */
export function AppsTabs(p: {
  s: Pick<ConsoleSpot, 'tr' | 'base'>;
  current: 'clients' | 'webhooks' | 'deliveries';
}) {
  const { tr, base } = p.s;
  const tabs: [string, MessageKey, boolean][] = [
    [base, 'apps.console.nav.clients', p.current === 'clients'],
    [`${base}/webhooks`, 'apps.console.nav.webhooks', p.current === 'webhooks'],
    // The delivery log: its pages come with the delivery part (src/apps/http/delivery-routes.tsx).
    [`${base}/deliveries`, 'apps.console.nav.deliveries', p.current === 'deliveries'],
  ];
  return (
    <nav class="apps-tabs" aria-label={tr('apps.console.nav_label')}>
      <link rel="stylesheet" href="/assets/apps-console.css" />
      {tabs.map(([href, key, current]) => (
        <a
          href={href}
          aria-current={current ? 'page' : undefined}
          data-testid={`apps-tab-${key.split('.').pop()}`}
        >
          {tr(key)}
        </a>
      ))}
    </nav>
  );
}

/** A secret shown once: the value (breakable on a phone, copied whole), a copy hint and what to do if lost. */
export function SecretOnce(p: { tr: Translate; title: string; secret: string; lost: MessageKey }) {
  return (
    <div class="card apps-secret" data-testid="secret-once">
      <h2>{p.title}</h2>
      <Notice kind="warn">
        <p>{p.tr('apps.console.secret.once')}</p>
      </Notice>
      <p class="recovery-code">
        <code data-testid="new-secret">
          {(p.secret.match(/.{1,16}/g) ?? []).map((part, i) => (i === 0 ? part : [<wbr />, part]))}
        </code>
      </p>
      <p class="hint">{p.tr('apps.console.secret.copy_hint')}</p>
      <p class="hint">{p.tr(p.lost)}</p>
    </div>
  );
}

/** A notice after a redirect (`?done=…`). */
export function Done(p: { message?: string }) {
  return p.message ? (
    <Notice kind="ok">
      <p data-testid="done">{p.message}</p>
    </Notice>
  ) : null;
}

/** An error on a form. */
export function FormError(p: { message?: string }) {
  return p.message ? (
    <Notice kind="error">
      <p>{p.message}</p>
    </Notice>
  ) : null;
}

/** A multi-line field (one URI per line). */
export function LinesField(p: { id: string; label: string; hint: string; value?: string; rows?: number }) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        name={p.id}
        rows={p.rows ?? 3}
        aria-describedby={`${p.id}-hint`}
        spellcheck={false}
        autocapitalize="off"
        autocomplete="off"
      >
        {p.value ?? ''}
      </textarea>
      <p class="hint" id={`${p.id}-hint`}>
        {p.hint}
      </p>
    </div>
  );
}

/** Checkboxes of events. */
function EventChecks<E extends string>(p: {
  legend: string;
  events: readonly E[];
  checked: readonly string[];
  label: (e: E) => string;
  code: (e: E) => string;
}) {
  return (
    <fieldset>
      <legend>{p.legend}</legend>
      <div class="apps-checks">
        {p.events.map((e) => (
          <label class="radio">
            <input type="checkbox" name="events" value={e} checked={p.checked.includes(e)} />
            <span>
              {p.label(e)}
              <small>
                <code>{p.code(e)}</code>
              </small>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const webhookLabel = (tr: Translate, e: WebhookEventType) => tr(`apps.console.webhook.${e}`);
const signalLabel = (tr: Translate, e: SignalEventType) =>
  tr(`apps.console.signal.${signalEventName(e) as 'session-revoked'}`);

/** The registered clients. */
export function ClientsTable(p: { s: ConsoleSpot; clients: ClientView[]; showOwner: boolean }) {
  const { tr, base } = p.s;
  if (p.clients.length === 0) return <p data-testid="no-clients">{tr('apps.console.none')}</p>;
  return (
    <DataTable
      stack
      testid="clients"
      rows={p.clients}
      rowProps={(c) => ({ 'data-client': c.clientId, 'data-state': c.disabledAt ? 'disabled' : 'active' })}
      columns={[
        {
          label: tr('apps.console.col.name'),
          cell: (c) => <a href={`${base}/clients/${encodeURIComponent(c.clientId)}`}>{c.name}</a>,
          primary: true,
        },
        { label: tr('apps.console.col.type'), cell: (c) => tr(`apps.console.type.${c.type}`) },
        { label: tr('apps.console.col.client_id'), cell: (c) => <code>{c.clientId}</code> },
        ...(p.showOwner
          ? [
              {
                label: tr('apps.console.col.owner'),
                cell: (c: ClientView) => c.orgName ?? tr('apps.console.owner_deployment'),
              },
            ]
          : []),
        {
          label: tr('apps.console.col.state'),
          cell: (c) => tr(c.disabledAt ? 'apps.console.state.disabled' : 'apps.console.state.active'),
        },
      ]}
    />
  );
}

/** What a client form shows again after a failure. */
export interface ClientFormValues {
  name?: string;
  type?: string;
  redirectUris?: string;
  postLogoutRedirectUris?: string;
  backchannelLogoutUri?: string;
}

/** The form that registers a client. */
export function RegisterClientForm(p: {
  s: ConsoleSpot;
  values?: ClientFormValues;
  error?: string;
  fresh: boolean;
}) {
  const { tr, pc, base } = p.s;
  const v = p.values ?? {};
  const type = v.type === 'public' ? 'public' : 'confidential';
  return (
    <div class="card narrow" id="register">
      <h2>{tr('apps.console.register')}</h2>
      <p class="hint">{tr('apps.console.register_lead')}</p>
      {p.fresh ? <p class="hint">{tr('apps.console.fresh_hint')}</p> : null}
      <FormError message={p.error} />
      <form method="post" action={`${base}/clients`} novalidate data-testid="register-client">
        <Csrf pc={pc} />
        <input type="hidden" name="once" value={p.s.once} />
        <Field
          id="name"
          name="name"
          label={tr('apps.console.field.name')}
          hint={tr('apps.console.field.name_hint')}
          value={v.name}
          maxLength={100}
          required
        />
        <fieldset>
          <legend>{tr('apps.console.field.type')}</legend>
          {(['confidential', 'public'] as const).map((t) => (
            <label class="radio">
              <input type="radio" name="type" value={t} checked={type === t} />
              <span>
                {tr(`apps.console.type.${t}`)}
                <small class="apps-sub">{tr(`apps.console.field.type_${t}_hint`)}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <ClientUriFields tr={tr} values={v} />
        <button type="submit">{tr('apps.console.submit_register')}</button>
      </form>
    </div>
  );
}

function ClientUriFields(p: { tr: Translate; values: ClientFormValues }) {
  const { tr } = p;
  return (
    <>
      <LinesField
        id="redirectUris"
        label={tr('apps.console.field.redirect_uris')}
        hint={tr('apps.console.field.redirect_uris_hint', LITERALS)}
        value={p.values.redirectUris}
      />
      <LinesField
        id="postLogoutRedirectUris"
        label={tr('apps.console.field.post_logout')}
        hint={tr('apps.console.field.post_logout_hint')}
        value={p.values.postLogoutRedirectUris}
        rows={2}
      />
      <Field
        id="backchannelLogoutUri"
        name="backchannelLogoutUri"
        label={tr('apps.console.field.backchannel')}
        hint={tr('apps.console.field.backchannel_hint', {
          ...LITERALS,
          standard: 'OpenID Connect Back-Channel Logout 1.0',
        })}
        value={p.values.backchannelLogoutUri}
        maxLength={2000}
      />
    </>
  );
}

function UriList(p: { tr: Translate; uris: string[]; testid: string }) {
  if (p.uris.length === 0) return <span>{p.tr('apps.console.detail.none')}</span>;
  return (
    <ul data-testid={p.testid}>
      {p.uris.map((u) => (
        <li>
          <code>{u}</code>
        </li>
      ))}
    </ul>
  );
}

/** What the client page shows besides the client: a secret just issued, a notice, a failed form. */
export interface ClientPageState {
  secret?: string;
  done?: string;
  editError?: string;
  editValues?: ClientFormValues;
  receiverError?: string;
  receiverValues?: { endpointUrl?: string; events?: string[] };
}

/** A client's page: what a developer needs, the change form, the secret, the receivers, disabling. */
export function ClientPage(p: {
  s: ConsoleSpot;
  client: ClientView;
  receivers: SignalReceiverView[];
  issuer: string;
  when: (d: Date) => string;
  st: ClientPageState;
  fresh: boolean;
  /** Whether to say whose client it is (the operator console, which shows every organisation's). */
  showOwner: boolean;
}) {
  const { s, client: c, st } = p;
  const { tr, pc, base } = s;
  const m = c.metadata;
  const path = `${base}/clients/${encodeURIComponent(c.clientId)}`;
  const active = c.disabledAt === null;
  const canChange = s.canChange && active;
  const edit: ClientFormValues = st.editValues ?? {
    name: c.name,
    redirectUris: m.redirect_uris.join('\n'),
    postLogoutRedirectUris: m.post_logout_redirect_uris.join('\n'),
    backchannelLogoutUri: m.backchannel_logout_uri ?? '',
  };
  const facts: [string, ComponentChildren][] = [
    [tr('apps.console.detail.issuer'), <code data-testid="issuer">{p.issuer}</code>],
    [
      tr('apps.console.detail.discovery'),
      <code data-testid="discovery">{`${p.issuer}/.well-known/openid-configuration`}</code>,
    ],
    [tr('apps.console.detail.client_id'), <code data-testid="client-id">{c.clientId}</code>],
    ...(p.showOwner
      ? [
          [
            tr('apps.console.col.owner'),
            <span data-testid="owner">{c.orgName ?? tr('apps.console.owner_deployment')}</span>,
          ] as [string, ComponentChildren],
        ]
      : []),
    [tr('apps.console.detail.type'), tr(`apps.console.type.${c.type}`)],
    [tr('apps.console.detail.auth_method'), <code>{m.token_endpoint_auth_method}</code>],
    [
      tr('apps.console.detail.redirect_uris'),
      <UriList tr={tr} uris={m.redirect_uris} testid="redirect-uris" />,
    ],
    [
      tr('apps.console.detail.post_logout'),
      <UriList tr={tr} uris={m.post_logout_redirect_uris} testid="post-logout-uris" />,
    ],
    [
      tr('apps.console.detail.backchannel'),
      m.backchannel_logout_uri ? <code>{m.backchannel_logout_uri}</code> : tr('apps.console.detail.none'),
    ],
    [
      tr('apps.console.detail.acr'),
      <span data-testid="acr">{tr('apps.console.detail.acr_hint', LITERALS)}</span>,
    ],
  ];
  return (
    <div>
      <div class="card">
        <AppsTabs s={s} current="clients" />
      </div>
      {st.secret ? (
        <SecretOnce
          tr={tr}
          title={tr('apps.console.secret.client_title', { name: c.name })}
          secret={st.secret}
          lost="apps.console.secret.lost"
        />
      ) : null}
      <div class="card">
        <h1 data-testid="client-name">{c.name}</h1>
        <Done message={st.done} />
        {active ? null : (
          <Notice kind="warn">
            <p data-testid="client-disabled">
              {tr('apps.console.detail.disabled', { time: p.when(c.disabledAt as Date) })}
            </p>
          </Notice>
        )}
        <p class="lead">{tr('apps.console.detail.lead', { name: c.name })}</p>
        <h2>{tr('apps.console.detail.developer')}</h2>
        <dl class="apps-facts" data-testid="developer-facts">
          {facts.map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
        {c.type === 'public' ? <p class="hint">{tr('apps.console.secret.none_public')}</p> : null}
        {s.canChange ? null : <p class="hint">{tr('apps.console.operator_reviewer')}</p>}
        <p>
          <a href={base}>{tr('apps.console.back_list')}</a>
        </p>
      </div>
      {canChange ? (
        <div class="card narrow">
          <h2>{tr('apps.console.edit')}</h2>
          {p.fresh ? <p class="hint">{tr('apps.console.fresh_hint')}</p> : null}
          <FormError message={st.editError} />
          <form method="post" action={path} novalidate data-testid="edit-client">
            <Csrf pc={pc} />
            <Field
              id="name"
              name="name"
              label={tr('apps.console.field.name')}
              hint={tr('apps.console.field.name_hint')}
              value={edit.name}
              maxLength={100}
              required
            />
            <ClientUriFields tr={tr} values={edit} />
            <button type="submit">{tr('apps.console.submit_save')}</button>
          </form>
          {c.type === 'confidential' ? (
            <div class="apps-danger">
              <h3>{tr('apps.console.rotate')}</h3>
              <p class="hint">{tr('apps.console.rotate_hint')}</p>
              <PostButton
                pc={pc}
                action={`${path}/rotate`}
                once={p.s.once}
                label={tr('apps.console.rotate_submit')}
                class="secondary"
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <div class="card">
        <h2>{tr('apps.console.receivers')}</h2>
        <p class="hint">
          {tr('apps.console.receivers_lead', { standard: 'OpenID Shared Signals Framework: CAEP, RISC' })}
        </p>
        <ReceiversTable s={s} path={path} receivers={p.receivers} canChange={canChange} />
      </div>
      {canChange ? (
        <div class="card narrow">
          <h2>{tr('apps.console.receivers.add')}</h2>
          <FormError message={st.receiverError} />
          <form method="post" action={`${path}/receivers`} novalidate data-testid="add-receiver">
            <Csrf pc={pc} />
            <Field
              id="endpointUrl"
              name="endpointUrl"
              label={tr('apps.console.receivers.url')}
              hint={tr('apps.console.receivers.url_hint', LITERALS)}
              value={st.receiverValues?.endpointUrl}
              maxLength={2000}
              required
            />
            <Field
              id="authToken"
              name="authToken"
              type="password"
              autocomplete="off"
              label={tr('apps.console.receivers.token')}
              hint={tr('apps.console.receivers.token_hint', LITERALS)}
              maxLength={512}
            />
            <EventChecks
              legend={tr('apps.console.receivers.events')}
              events={SIGNAL_EVENT_TYPES}
              checked={st.receiverValues?.events ?? SIGNAL_EVENT_TYPES}
              label={(e) => signalLabel(tr, e)}
              code={(e) => signalEventName(e)}
            />
            <button type="submit">{tr('apps.console.receivers.submit')}</button>
          </form>
        </div>
      ) : null}
      {canChange ? (
        <div class="card narrow">
          <h2>{tr('apps.console.disable')}</h2>
          <p class="hint">{tr('apps.console.disable_hint')}</p>
          <PostButton
            pc={pc}
            action={`${path}/disable`}
            label={tr('apps.console.disable_submit')}
            class="danger"
          />
        </div>
      ) : null}
    </div>
  );
}

function ReceiversTable(p: {
  s: ConsoleSpot;
  path: string;
  receivers: SignalReceiverView[];
  canChange: boolean;
}) {
  const { tr, pc } = p.s;
  if (p.receivers.length === 0) return <p data-testid="no-receivers">{tr('apps.console.receivers.none')}</p>;
  return (
    <DataTable
      stack
      testid="receivers"
      rows={p.receivers}
      rowProps={(r) => ({ 'data-receiver': r.id, 'data-state': r.disabledAt ? 'disabled' : 'active' })}
      columns={[
        {
          label: tr('apps.console.receivers.col.url'),
          cell: (r) => <span class="apps-url">{r.endpointUrl}</span>,
          primary: true,
        },
        {
          label: tr('apps.console.receivers.col.events'),
          cell: (r) => r.events.map((e) => signalLabel(tr, e)).join('、'),
        },
        {
          label: tr('apps.console.receivers.col.token'),
          cell: (r) =>
            tr(r.hasAuthToken ? 'apps.console.receivers.token_set' : 'apps.console.receivers.token_none'),
        },
        {
          label: tr('apps.console.col.state'),
          cell: (r) => tr(r.disabledAt ? 'apps.console.state.disabled' : 'apps.console.state.active'),
        },
        {
          label: '',
          cell: (r) =>
            p.canChange && !r.disabledAt ? (
              <PostButton
                pc={pc}
                action={`${p.path}/receivers/${encodeURIComponent(r.id)}/disable`}
                label={tr('apps.console.receivers.disable')}
                class="danger"
                inline
              />
            ) : null,
        },
      ]}
    />
  );
}

/** What the webhooks page shows besides the list. */
export interface WebhooksPageState {
  secret?: string;
  done?: string;
  error?: string;
  values?: { url?: string; description?: string; events?: string[] };
}

/** The webhook endpoints page: the list (rotate, disable) and the register form. */
export function WebhooksPage(p: {
  s: ConsoleSpot;
  endpoints: WebhookEndpointView[];
  when: (d: Date) => string;
  st: WebhooksPageState;
  fresh: boolean;
  limit: number;
}) {
  const { s, st } = p;
  const { tr, pc, base } = s;
  const sep = pc.locale === 'ja' ? '、' : ', ';
  return (
    <div>
      <div class="card">
        <AppsTabs s={s} current="webhooks" />
      </div>
      {st.secret ? (
        <SecretOnce
          tr={tr}
          title={tr('apps.console.secret.webhook_title')}
          secret={st.secret}
          lost="apps.console.secret.lost_webhook"
        />
      ) : null}
      <div class="card">
        <h1>{tr('apps.console.webhooks.title')}</h1>
        <Done message={st.done} />
        <p class="lead">{tr('apps.console.webhooks.lead', { ...LITERALS, standard: 'Standard Webhooks' })}</p>
        <h2>{tr('apps.console.webhooks.list')}</h2>
        {p.endpoints.length === 0 ? (
          <p data-testid="no-webhooks">{tr('apps.console.webhooks.none')}</p>
        ) : (
          <DataTable
            stack
            testid="webhooks"
            rows={p.endpoints}
            rowProps={(e) => ({ 'data-endpoint': e.id, 'data-state': e.disabledAt ? 'disabled' : 'active' })}
            columns={[
              {
                label: tr('apps.console.webhooks.col.url'),
                cell: (e) => <span class="apps-url">{e.url}</span>,
                primary: true,
              },
              { label: tr('apps.console.webhooks.col.description'), cell: (e) => e.description },
              {
                label: tr('apps.console.webhooks.col.events'),
                cell: (e) => e.events.map((x) => webhookLabel(tr, x)).join(sep),
              },
              {
                label: tr('apps.console.webhooks.col.state'),
                cell: (e) => (
                  <>
                    {tr(e.disabledAt ? 'apps.console.state.disabled' : 'apps.console.state.active')}
                    {e.previousUntil && !e.disabledAt ? (
                      <small class="apps-sub">
                        {tr('apps.console.webhooks.rotating', { time: p.when(e.previousUntil) })}
                      </small>
                    ) : null}
                  </>
                ),
              },
              {
                label: '',
                cell: (e) =>
                  s.canChange && !e.disabledAt ? (
                    <div class="actions">
                      <PostButton
                        pc={pc}
                        action={`${base}/webhooks/${encodeURIComponent(e.id)}/rotate`}
                        once={s.once}
                        label={tr('apps.console.webhooks.rotate')}
                        class="secondary"
                        inline
                      />
                      <PostButton
                        pc={pc}
                        action={`${base}/webhooks/${encodeURIComponent(e.id)}/disable`}
                        label={tr('apps.console.webhooks.disable')}
                        class="danger"
                        inline
                      />
                    </div>
                  ) : null,
              },
            ]}
          />
        )}
        <p class="hint">{tr('apps.console.webhooks.limit', { limit: p.limit })}</p>
        <p class="hint">
          {tr('apps.console.deliveries_hint')}{' '}
          <a href={`${base}/deliveries`} data-testid="deliveries-link">
            {tr('apps.console.nav.deliveries')}
          </a>
        </p>
        {s.canChange ? null : <p class="hint">{tr('apps.console.operator_reviewer')}</p>}
      </div>
      {s.canChange ? (
        <div class="card narrow">
          <h2>{tr('apps.console.webhooks.register')}</h2>
          {p.fresh ? <p class="hint">{tr('apps.console.fresh_hint')}</p> : null}
          <FormError message={st.error} />
          <form method="post" action={`${base}/webhooks`} novalidate data-testid="register-webhook">
            <Csrf pc={pc} />
            <input type="hidden" name="once" value={s.once} />
            <Field
              id="url"
              name="url"
              label={tr('apps.console.webhooks.url')}
              hint={tr('apps.console.webhooks.url_hint', LITERALS)}
              value={st.values?.url}
              maxLength={2000}
              required
            />
            <Field
              id="description"
              name="description"
              label={tr('apps.console.webhooks.description')}
              hint={tr('apps.console.webhooks.description_hint')}
              value={st.values?.description}
              maxLength={200}
            />
            <EventChecks
              legend={tr('apps.console.webhooks.events')}
              events={WEBHOOK_EVENT_TYPES}
              checked={st.values?.events ?? []}
              label={(e) => webhookLabel(tr, e)}
              code={(e) => e}
            />
            <button type="submit">{tr('apps.console.webhooks.submit')}</button>
          </form>
        </div>
      ) : null}
    </div>
  );
}

/** The list page: the clients, the register form, and the way to webhooks and the delivery log. */
export function ClientsPage(p: {
  s: ConsoleSpot;
  clients: ClientView[];
  showOwner: boolean;
  lead: string;
  done?: string;
  form: { values?: ClientFormValues; error?: string };
  fresh: boolean;
  limit: number;
}) {
  const { s } = p;
  const { tr, base } = s;
  return (
    <div>
      <div class="card">
        <AppsTabs s={s} current="clients" />
      </div>
      <div class="card">
        <h1>{tr('apps.console.title')}</h1>
        <Done message={p.done} />
        <p class="lead">{p.lead}</p>
        <h2>{tr('apps.console.list')}</h2>
        <ClientsTable s={s} clients={p.clients} showOwner={p.showOwner} />
        <p class="hint">{tr('apps.console.clients_limit', { limit: p.limit })}</p>
        <p class="hint">
          {tr('apps.console.deliveries_hint')}{' '}
          <a href={`${base}/deliveries`} data-testid="deliveries-link">
            {tr('apps.console.nav.deliveries')}
          </a>
        </p>
        {s.canChange ? null : <p class="hint">{tr('apps.console.operator_reviewer')}</p>}
      </div>
      {s.canChange ? (
        <RegisterClientForm s={s} values={p.form.values} error={p.form.error} fresh={p.fresh} />
      ) : null}
    </div>
  );
}
