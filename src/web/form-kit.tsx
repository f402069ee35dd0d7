import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { type Static, Type as T, type TObject, type TOptional, type TString } from 'typebox';
import { AppError } from '../kernel/errors.ts';
import { errorMessage } from './plumbing.ts';
import { Csrf, Notice, type PageContext } from './render.tsx';

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
  const raw = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.properties)) {
    const v = raw[name];
    out[name] = typeof v === 'string' ? v : undefined;
  }
  return out as Static<S>;
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
  back?: { href: string; label: string };
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
      <form method="post" action={p.action} novalidate>
        <Csrf pc={p.pc} />
        {p.children}
        <button type="submit">{p.submit}</button>
      </form>
      {p.back ? (
        <p>
          <a href={p.back.href}>{p.back.label}</a>
        </p>
      ) : null}
    </div>
  );
}
