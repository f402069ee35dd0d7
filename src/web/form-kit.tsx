import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { type Static, Type as T, type TObject, type TOptional, type TString } from 'typebox';
import { AppError } from '../kernel/errors.ts';
import { errorMessage } from './plumbing.ts';
import { textField } from './read-fields.ts';
import {
  Csrf,
  Notice,
  type PageContext,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from './render.tsx';

/**
 * The small form kit every web page uses (issue 12): a form's fields declared once as a schema, the
 * "run the service, show its error on the same form" step, and the card every form page is drawn in.
 */

/** A text field of a form (`application/x-www-form-urlencoded`): absent, or one string. */
export type FormField = TOptional<TString>;

/** A form's schema: its text fields by name. `_csrf` is checked before the handler runs and not listed. */
export function formSchema<P extends Record<string, FormField>>(fields: P): TObject<P> {
  return T.Object(fields);
}

/** One text field of a form schema. */
export const text = (): FormField => T.Optional(T.String());

/**
 * The declared fields of the form body, each a string or undefined: a field sent twice, as anything but
 * text, or not declared is not passed on. Services still check every value (length, format): the schema
 * says what a form holds, the service what a value may be.
 */
export function readForm<S extends TObject<Record<string, FormField>>>(
  req: FastifyRequest,
  schema: S,
): Static<S> {
  return pick(req.body, schema);
}

function pick<S extends TObject<Record<string, FormField>>>(source: unknown, schema: S): Static<S> {
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.properties)) out[name] = textField(source, name);
  return out as Static<S>;
}

/**
 * Every text value of a form field sent more than once (checkboxes of one name), in order; anything but text is
 * left out.
 */
export function readRepeated(req: FastifyRequest, name: string): string[] {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return [];
  const v: unknown = Object.getOwnPropertyDescriptor(body, name)?.value;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/**
 * One field of a JSON body a page's script posts (the WebAuthn answer, a name), as sent, or undefined when the
 * body is not an object or lacks it (own properties only, never the prototype). The service checks the value.
 */
export function readJsonField(req: FastifyRequest, name: string): unknown {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b)
    ? Object.getOwnPropertyDescriptor(b, name)?.value
    : undefined;
}

/** A form that is one button (end a session, send a code, confirm): CSRF token included. */
export function PostButton(p: {
  pc: PageContext;
  action: string;
  label: string;
  class?: string;
  inline?: boolean;
  /**
   * A box to tick before the button acts (an action that cannot be undone): sent as `confirm=yes`; the route
   * checks it with {@link isConfirmed} (browsers also refuse to send the form unticked).
   */
  confirm?: string;
  /** A token naming this one drawing of the form (`once`): the route refuses it sent a second time. */
  once?: string;
}) {
  return (
    <form method="post" action={p.action} class={p.inline ? 'inline' : undefined}>
      <Csrf pc={p.pc} />
      {p.once ? <input type="hidden" name="once" value={p.once} /> : null}
      {p.confirm ? (
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> {p.confirm}
        </label>
      ) : null}
      <button type="submit" class={p.class}>
        {p.label}
      </button>
    </form>
  );
}

/** Whether a {@link PostButton} with `confirm` was ticked. */
export function isConfirmed(req: FastifyRequest): boolean {
  return textField(req.body, 'confirm') === 'yes';
}

/** What a failed form action shows: its localised message, its status and the error itself. */
export interface FormFailure {
  message: string;
  status: number;
  error: AppError;
}

/**
 * Runs a form's action. An expected failure (`AppError`) is shown on the same form: `again` draws the page
 * with the message and the error's status; a 429 also answers `Retry-After`. Anything else propagates to
 * the error page. Returns the action's value, or the reply `again` sent.
 */
export async function submitForm<V>(
  req: FastifyRequest,
  reply: FastifyReply,
  action: () => Promise<V>,
  again: (failure: FormFailure) => FastifyReply | Promise<FastifyReply>,
): Promise<{ ok: true; value: V } | { ok: false; reply: FastifyReply }> {
  try {
    return { ok: true, value: await action() };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.status === 429 && typeof e.params.seconds === 'number')
      reply.header('retry-after', String(e.params.seconds));
    return {
      ok: false,
      reply: await again({ message: errorMessage(req.ctx.locale, e), status: e.status, error: e }),
    };
  }
}

/**
 * The card of a one-form page: title, optional lead and error, the form (CSRF token included) with its
 * fields and submit button, and an optional way back under it.
 */
export function FormCard(p: {
  pc: PageContext;
  title: string;
  lead?: ComponentChildren;
  error?: string;
  action: string;
  submit: string;
  /** The submit button's look when it is not the usual one: `danger` for what cannot be undone. */
  submitClass?: 'danger' | 'secondary';
  back?: { href: string; label: string };
  /** Drawn between the lead (and error) and the form: a warning with its own buttons, a summary. */
  before?: ComponentChildren;
  /** Drawn under the form, before the way back: links to other ways ("forgot your password?"). */
  after?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <div class="card narrow">
      <h1>{p.title}</h1>
      {p.lead ? <p class="lead">{p.lead}</p> : null}
      {p.error ? (
        <Notice kind="error">
          <p>{p.error}</p>
        </Notice>
      ) : null}
      {p.before}
      <form method="post" action={p.action} novalidate>
        <Csrf pc={p.pc} />
        {p.children}
        <button type="submit" class={p.submitClass}>
          {p.submit}
        </button>
      </form>
      {p.after}
      {p.back ? (
        <p>
          <a href={p.back.href}>{p.back.label}</a>
        </p>
      ) : null}
    </div>
  );
}

/** Path parameters or query of a page: their declared text fields, each a string or undefined. */
export function readParams<S extends TObject<Record<string, FormField>>>(req: FastifyRequest, schema: S) {
  return pick(req.params, schema);
}

/** The declared text fields of a page's query string (`?done=…`), each a string or undefined. */
export function readQuery<S extends TObject<Record<string, FormField>>>(req: FastifyRequest, schema: S) {
  return pick(req.query, schema);
}

/** What a form page draws: its title and the body under the page header. */
export interface FormPageView {
  title: string;
  body: VNode;
}

/**
 * Draws a page from a view (title and body) in the request's page context: for a form that shows its result
 * on a page of its own after a successful POST (a message reference checked, the account secured).
 */
export async function sendView(
  req: FastifyRequest,
  reply: FastifyReply,
  view: (pc: PageContext, tr: Translate) => FormPageView | Promise<FormPageView>,
  status = 200,
): Promise<FastifyReply> {
  const pc = pageContext(req, reply);
  const v = await view(pc, translator(pc.locale));
  return sendPage(reply, pc, v.title, v.body, status);
}

/** What a form page's `page` receives: the page context, the values to show again, the failure if any. */
export interface FormPageInput<G, F> {
  req: FastifyRequest;
  /** The reply, for a header the page needs (the page is sent by formPage). */
  reply: FastifyReply;
  pc: PageContext;
  tr: Translate;
  /** What `guard` let through (for example the signed-in session). */
  who: G;
  /** The values typed so far (empty on the first GET; after a failure, all but the `forget` fields). */
  values: Partial<F>;
  failure?: FormFailure;
}

/**
 * One form page at `path` (issue 12): `GET path` draws it, `POST path` (CSRF-checked) reads the declared
 * fields, runs `submit`, and either calls `done` (usually a 303 redirect) or draws the same page again with
 * the typed values (minus `forget`), the localised error and the error's status (`Retry-After` on a 429).
 * `guard` runs first on both (`postGuard`, when given, on the POST): it returns who may use the page, or null
 * after answering (a redirect).
 * An error that is not an `AppError` goes to the error page.
 */
export function formPage<S extends TObject<Record<string, FormField>>, G, V>(
  web: FastifyInstance,
  spec: {
    path: string;
    form: S;
    guard: (req: FastifyRequest, reply: FastifyReply) => G | null | Promise<G | null>;
    /** The guard of the POST when it needs more than the GET (a fresh proof to change what the page shows). */
    postGuard?: (req: FastifyRequest, reply: FastifyReply) => G | null | Promise<G | null>;
    page: (input: FormPageInput<G, Static<S>>) => FormPageView | Promise<FormPageView>;
    submit: (input: { req: FastifyRequest; reply: FastifyReply; who: G; form: Static<S> }) => Promise<V>;
    done: (input: {
      req: FastifyRequest;
      reply: FastifyReply;
      who: G;
      form: Static<S>;
      value: V;
    }) => FastifyReply | Promise<FastifyReply>;
    /** Fields never drawn back into the page after a failure (passwords, codes). */
    forget?: (keyof Static<S>)[];
    /** The page context (default `pageContext`: the user's header); the operator console passes its own. */
    context?: (req: FastifyRequest, reply: FastifyReply) => PageContext;
  },
): void {
  const draw = async (
    req: FastifyRequest,
    reply: FastifyReply,
    who: G,
    values: Partial<Static<S>>,
    failure?: FormFailure,
  ) => {
    const pc = (spec.context ?? pageContext)(req, reply);
    const view = await spec.page({ req, reply, pc, tr: translator(pc.locale), who, values, failure });
    return sendPage(reply, pc, view.title, view.body, failure?.status ?? 200);
  };
  web.get(spec.path, async (req, reply) => {
    const who = await spec.guard(req, reply);
    if (who === null) return reply;
    return draw(req, reply, who, {});
  });
  web.post(spec.path, { preValidation: web.csrfProtection }, async (req, reply) => {
    const who = await (spec.postGuard ?? spec.guard)(req, reply);
    if (who === null) return reply;
    const form = readForm(req, spec.form);
    const r = await submitForm(
      req,
      reply,
      () => spec.submit({ req, reply, who, form }),
      (failure) => {
        const values: Partial<Static<S>> = { ...form };
        for (const f of spec.forget ?? []) delete values[f];
        return draw(req, reply, who, values, failure);
      },
    );
    return r.ok ? spec.done({ req, reply, who, form, value: r.value }) : r.reply;
  });
}
