import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { DAY } from '../../kernel/clock.ts';
import { sha256 } from '../../kernel/crypto.ts';
import { fail } from '../../kernel/errors.ts';
import { token } from '../../kernel/random.ts';
import {
  formSchema,
  readForm,
  readParams,
  readQuery,
  readRepeated,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { textField } from '../../web/read-fields.ts';
import type { T as Translate } from '../../web/render.tsx';
import { LIMITS } from '../registry/actor.ts';
import {
  type ClientView,
  disableClient,
  getClient,
  listClients,
  registerClient,
  rotateClientSecret,
  updateClient,
} from '../registry/clients.ts';
import { disableSignalReceiver, listSignalReceivers, registerSignalReceiver } from '../registry/receivers.ts';
import {
  disableWebhookEndpoint,
  listWebhookEndpoints,
  registerWebhookEndpoint,
  rotateWebhookSecret,
} from '../registry/webhooks.ts';
import {
  type ConsoleKind,
  type ConsoleUser,
  operatorConsole,
  organisationConsole,
} from './console-scopes.tsx';
import {
  APPS_CONSOLE_CSS,
  type ClientFormValues,
  ClientPage,
  type ClientPageState,
  ClientsPage,
  type ConsoleSpot,
  WebhooksPage,
  type WebhooksPageState,
} from './console-views.tsx';

type Req = FastifyRequest;
type Rep = FastifyReply;

const ClientForm = formSchema({
  name: text(),
  type: text(),
  redirectUris: text(),
  postLogoutRedirectUris: text(),
  backchannelLogoutUri: text(),
});
const ReceiverForm = formSchema({ endpointUrl: text(), authToken: text() });
const WebhookForm = formSchema({ url: text(), description: text() });
const IdParams = formSchema({ id: text(), rid: text() });
const DoneQuery = formSchema({ done: text() });

/** One URI per line, blank lines and outer spaces dropped (a URI never holds a space). At most 100 lines. */
function lines(v: string | undefined): string[] {
  return (v ?? '')
    .split(/\r?\n/)
    .slice(0, 100)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The notices a page shows after a redirect (`?done=`), from a fixed list. */
const DONE: Record<string, MessageKey> = {
  saved: 'apps.console.saved',
  disabled: 'apps.console.disabled_done',
  receiver_added: 'apps.console.receivers.added',
  receiver_disabled: 'apps.console.receivers.disabled_done',
  webhook_disabled: 'apps.console.webhooks.disabled_done',
  already_sent: 'apps.console.already_sent',
};
const doneOf = (req: Req, tr: Translate) => {
  const key = DONE[readQuery(req, DoneQuery).done ?? ''];
  return key ? tr(key) : undefined;
};

/**
 * Registering applications (OpenID Connect clients), webhook endpoints and signal receivers
 * (docs/flows/apps-registry.md), the same pages in two consoles: operators at /operator/apps, organisation
 * admins at /organisation/console/apps. Every POST is CSRF-checked; a secret is only ever in the answer to
 * the POST that issued it (never in a URL, a redirect or a later page). For organisation admins, creating,
 * issuing secrets and changing redirect URIs need a fresh proof (the same step-up as API tokens).
 */
export function appsConsoleRoutes(web: FastifyInstance, deps: Deps): void {
  web.get('/assets/apps-console.css', async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(APPS_CONSOLE_CSS),
  );
  for (const kind of [operatorConsole(deps), organisationConsole(deps)]) consolePages(web, deps, kind);
}

function consolePages(web: FastifyInstance, deps: Deps, kind: ConsoleKind): void {
  const { base } = kind;
  const spot = (u: ConsoleUser, pc: ConsoleSpot['pc'], tr: Translate): ConsoleSpot => ({
    pc,
    tr,
    base,
    canChange: u.canChange,
    once: token(deps.random, 18),
  });
  /**
   * Whether this is the first time this drawing of a secret-issuing form is sent (its `once` token, taken
   * race-safely through the limiter for a day). A form sent again — the browser reloading the page that
   * showed the secret — is not: it issues nothing and the page says so.
   */
  const firstSend = async (req: Req): Promise<boolean> => {
    const once = textField(req.body, 'once');
    if (once === undefined) return true;
    if (once.length > 64) return false;
    return (await deps.limiter.take(`form-once:${sha256(once)}`, 1, DAY, deps.clock.now())).allowed;
  };
  const clientPath = (id: string) => `${base}/clients/${encodeURIComponent(id)}`;

  /** A GET or POST of this console: the user, or null after answering. */
  const get = (path: string, handle: (req: Req, reply: Rep, u: ConsoleUser) => Promise<Rep>) =>
    web.get(path, async (req, reply) => {
      const u = await kind.user(req, reply);
      return u ? handle(req, reply, u) : reply;
    });
  /** A change: CSRF-checked, only for a user who may change things (others go back to the page). */
  const post = (
    path: string,
    handle: (req: Req, reply: Rep, u: ConsoleUser) => Promise<Rep>,
    back: (req: Req) => string,
  ) =>
    web.post(path, { preValidation: web.csrfProtection }, async (req, reply) => {
      const u = await kind.user(req, reply);
      if (!u) return reply;
      if (!u.canChange) return reply.redirect(back(req), 303);
      return handle(req, reply, u);
    });

  // The list of clients and the register form.
  const drawList = (
    req: Req,
    reply: Rep,
    u: ConsoleUser,
    form: { values?: ClientFormValues; error?: string },
    status = 200,
  ) =>
    listClients(deps, u.listScope).then((clients) =>
      u.send(
        req,
        reply,
        ({ pc, tr }) => ({
          title: tr('apps.console.title'),
          body: (
            <ClientsPage
              s={spot(u, pc, tr)}
              clients={clients}
              showOwner={u.listScope === 'all'}
              lead={tr(u.by.kind === 'operator' ? 'apps.console.lead_operator' : 'apps.console.lead')}
              done={doneOf(req, tr)}
              form={form}
              fresh={u.needsFresh}
              limit={LIMITS.clientsPerScope}
            />
          ),
        }),
        status,
      ),
    );
  get(base, (req, reply, u) => drawList(req, reply, u, {}));

  post(
    `${base}/clients`,
    async (req, reply, u) => {
      if (!u.fresh(req, reply, base)) return reply;
      if (!(await firstSend(req))) return reply.redirect(`${base}?done=already_sent`, 303);
      const form = readForm(req, ClientForm);
      const r = await submitForm(
        req,
        reply,
        () =>
          registerClient(deps, u.by, {
            orgId: u.orgId,
            name: form.name ?? '',
            type: form.type as 'confidential',
            redirectUris: lines(form.redirectUris),
            postLogoutRedirectUris: lines(form.postLogoutRedirectUris),
            backchannelLogoutUri: form.backchannelLogoutUri,
          }),
        (f) => drawList(req, reply, u, { values: form, error: f.message }, f.status),
      );
      if (!r.ok) return r.reply;
      const client = await getClient(deps, u.by, r.value.clientId);
      // The secret is in this answer only.
      if (r.value.secret) return drawClient(req, reply, u, client, { secret: r.value.secret });
      return reply.redirect(clientPath(client.clientId), 303);
    },
    () => base,
  );

  // A client's page.
  const drawClient = async (
    req: Req,
    reply: Rep,
    u: ConsoleUser,
    client: ClientView,
    st: ClientPageState,
    status = 200,
  ) => {
    const receivers = await listSignalReceivers(deps, client.clientId);
    return u.send(
      req,
      reply,
      ({ pc, tr }) => ({
        title: client.name,
        body: (
          <ClientPage
            s={spot(u, pc, tr)}
            client={client}
            receivers={receivers}
            issuer={deps.config.publicUrl}
            when={(d) => u.when(pc.locale, d)}
            st={{ ...st, done: st.done ?? doneOf(req, tr) }}
            fresh={u.needsFresh}
            showOwner={u.listScope === 'all'}
          />
        ),
      }),
      status,
    );
  };
  const clientOf = (req: Req, u: ConsoleUser) => getClient(deps, u.by, readParams(req, IdParams).id);
  const backToClient = (req: Req) => clientPath(readParams(req, IdParams).id ?? '');

  get(`${base}/clients/:id`, async (req, reply, u) => drawClient(req, reply, u, await clientOf(req, u), {}));

  post(
    `${base}/clients/:id`,
    async (req, reply, u) => {
      const client = await clientOf(req, u);
      if (!u.fresh(req, reply, clientPath(client.clientId))) return reply;
      const form = readForm(req, ClientForm);
      const r = await submitForm(
        req,
        reply,
        () =>
          updateClient(deps, u.by, client.clientId, {
            name: form.name ?? '',
            redirectUris: lines(form.redirectUris),
            postLogoutRedirectUris: lines(form.postLogoutRedirectUris),
            backchannelLogoutUri: form.backchannelLogoutUri ?? '',
          }),
        (f) => drawClient(req, reply, u, client, { editError: f.message, editValues: form }, f.status),
      );
      if (!r.ok) return r.reply;
      return reply.redirect(`${clientPath(client.clientId)}?done=saved`, 303);
    },
    backToClient,
  );

  post(
    `${base}/clients/:id/rotate`,
    async (req, reply, u) => {
      const client = await clientOf(req, u);
      if (!u.fresh(req, reply, clientPath(client.clientId))) return reply;
      if (!(await firstSend(req)))
        return reply.redirect(`${clientPath(client.clientId)}?done=already_sent`, 303);
      const secret = await rotateClientSecret(deps, u.by, client.clientId);
      return drawClient(req, reply, u, client, { secret });
    },
    backToClient,
  );

  post(
    `${base}/clients/:id/disable`,
    async (req, reply, u) => {
      const client = await clientOf(req, u);
      await disableClient(deps, u.by, client.clientId);
      return reply.redirect(`${clientPath(client.clientId)}?done=disabled`, 303);
    },
    backToClient,
  );

  post(
    `${base}/clients/:id/receivers`,
    async (req, reply, u) => {
      const client = await clientOf(req, u);
      // A receiver carries a token and receives users' security events: a fresh proof, as for a secret.
      if (!u.fresh(req, reply, clientPath(client.clientId))) return reply;
      const form = readForm(req, ReceiverForm);
      const events = readRepeated(req, 'events');
      const r = await submitForm(
        req,
        reply,
        () =>
          registerSignalReceiver(deps, u.by, {
            clientId: client.clientId,
            endpointUrl: form.endpointUrl ?? '',
            authToken: form.authToken,
            events,
          }),
        (f) =>
          drawClient(
            req,
            reply,
            u,
            client,
            { receiverError: f.message, receiverValues: { endpointUrl: form.endpointUrl, events } },
            f.status,
          ),
      );
      if (!r.ok) return r.reply;
      return reply.redirect(`${clientPath(client.clientId)}?done=receiver_added`, 303);
    },
    backToClient,
  );

  post(
    `${base}/clients/:id/receivers/:rid/disable`,
    async (req, reply, u) => {
      const client = await clientOf(req, u);
      const rid = readParams(req, IdParams).rid ?? '';
      const mine = (await listSignalReceivers(deps, client.clientId)).some((x) => x.id === rid);
      if (mine) await disableSignalReceiver(deps, u.by, rid);
      return reply.redirect(`${clientPath(client.clientId)}?done=receiver_disabled`, 303);
    },
    backToClient,
  );

  // Webhook endpoints.
  const hooks = `${base}/webhooks`;
  const drawHooks = async (req: Req, reply: Rep, u: ConsoleUser, st: WebhooksPageState, status = 200) => {
    const endpoints = await listWebhookEndpoints(deps, u.orgId);
    return u.send(
      req,
      reply,
      ({ pc, tr }) => ({
        title: tr('apps.console.webhooks.title'),
        body: (
          <WebhooksPage
            s={spot(u, pc, tr)}
            endpoints={endpoints}
            when={(d) => u.when(pc.locale, d)}
            st={{ ...st, done: st.done ?? doneOf(req, tr) }}
            fresh={u.needsFresh}
            limit={LIMITS.webhookEndpointsPerScope}
          />
        ),
      }),
      status,
    );
  };
  get(hooks, (req, reply, u) => drawHooks(req, reply, u, {}));

  post(
    hooks,
    async (req, reply, u) => {
      if (!u.fresh(req, reply, hooks)) return reply;
      if (!(await firstSend(req))) return reply.redirect(`${hooks}?done=already_sent`, 303);
      const form = readForm(req, WebhookForm);
      const events = readRepeated(req, 'events');
      const r = await submitForm(
        req,
        reply,
        () =>
          registerWebhookEndpoint(deps, u.by, {
            orgId: u.orgId,
            url: form.url ?? '',
            description: form.description ?? '',
            events,
          }),
        (f) => drawHooks(req, reply, u, { error: f.message, values: { ...form, events } }, f.status),
      );
      if (!r.ok) return r.reply;
      return drawHooks(req, reply, u, { secret: r.value.secret });
    },
    () => hooks,
  );

  /** An endpoint of this console's scope (the operator's are the deployment's own), or `apps.not_found`. */
  const endpointOf = async (req: Req, u: ConsoleUser) => {
    const id = readParams(req, IdParams).id ?? '';
    const found = (await listWebhookEndpoints(deps, u.orgId)).find((e) => e.id === id);
    if (!found) fail('apps.not_found');
    return found;
  };

  post(
    `${hooks}/:id/rotate`,
    async (req, reply, u) => {
      const endpoint = await endpointOf(req, u);
      if (!u.fresh(req, reply, hooks)) return reply;
      if (!(await firstSend(req))) return reply.redirect(`${hooks}?done=already_sent`, 303);
      const secret = await rotateWebhookSecret(deps, u.by, endpoint.id);
      return drawHooks(req, reply, u, { secret });
    },
    () => hooks,
  );

  post(
    `${hooks}/:id/disable`,
    async (req, reply, u) => {
      const endpoint = await endpointOf(req, u);
      await disableWebhookEndpoint(deps, u.by, endpoint.id);
      return reply.redirect(`${hooks}?done=webhook_disabled`, 303);
    },
    () => hooks,
  );
}
