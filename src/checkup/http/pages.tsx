import { formatDateTime, type MessageKey } from '../../i18n/index.ts';
import type { Locale } from '../../kernel/context.ts';
import { describeMethod } from '../../security-info/methods-service.ts';
import { displayPhone } from '../../security-info/phone/format-phone.ts';
import { Csrf, type PageContext, translator } from '../../web/render.tsx';
import type { CheckAction, CheckItem } from '../checkup.ts';
import type { ConfirmableMethod } from '../periodic.ts';

/* Page components of the checkup pages (props → JSX); the handlers are in routes.tsx. */

/** A sentence with its `{date}` kept on one line: a date broken mid-number on a phone is hard to read. */
export function withDate(tr: ReturnType<typeof translator>, key: MessageKey, date: string) {
  const marker = '\uE002';
  const [before, after] = tr(key, { date: marker }).split(marker);
  return (
    <>
      {before}
      <span class="nowrap">{date}</span>
      {after}
    </>
  );
}

/** The label of each one-click path the checkup offers. */
export const ACTION_LABEL: Record<string, MessageKey> = {
  '/security/emails/add': 'checkup.action.add_email',
  '/security/phones/add': 'checkup.action.add_phone',
  '/security/totp': 'checkup.action.add_totp',
  '/security/passkeys/add': 'checkup.action.add_passkey',
  '/security/two-step': 'checkup.action.two_step',
  '/security/recovery-code': 'checkup.action.recovery_code',
  '/security': 'checkup.action.review',
  '/security/confirm-info': 'checkup.action.confirm',
};

export const shown = (m: Pick<ConfirmableMethod, 'kind' | 'value' | 'label'>, locale: Locale) =>
  m.kind === 'phone' ? displayPhone(m.value) : m.kind === 'email' ? m.value : describeMethod(m, locale);

/**
 * One action of a checkup item: a link, or a one-button form. `fields`: hidden fields the form sends (the
 * recovery-code button names the code it replaces, `replaces`).
 */
export function Action(props: {
  pc: PageContext;
  action: CheckAction;
  primary: boolean;
  fields?: Record<string, string>;
}) {
  const tr = translator(props.pc.locale);
  const label = tr(ACTION_LABEL[props.action.path] ?? 'checkup.action.review');
  const cls = props.primary ? 'button' : 'button secondary';
  if (props.action.method === 'post')
    return (
      <form method="post" action={props.action.path} class="inline">
        <Csrf pc={props.pc} />
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class={props.primary ? undefined : 'secondary'}>
          {label}
        </button>
      </form>
    );
  return (
    <a class={cls} href={props.action.path}>
      {label}
    </a>
  );
}

/** Verified methods with the date each was last confirmed. */
export function MethodDates(props: { pc: PageContext; timeZone: string; methods: ConfirmableMethod[] }) {
  const tr = translator(props.pc.locale);
  return (
    <ul class="methods">
      {props.methods.map((m) => (
        <li data-testid="confirm-method">
          <div class="m-main">
            <div class="m-value">{shown(m, props.pc.locale)}</div>
            <div class="m-meta">
              {tr(`method.kind.${m.kind}`)}
              {m.label && (m.kind === 'email' || m.kind === 'phone') ? ` · ${m.label}` : ''} ·{' '}
              <span data-testid="confirmed-at">
                {m.confirmedAt
                  ? withDate(
                      tr,
                      'checkup.method_confirmed',
                      formatDateTime(props.pc.locale, m.confirmedAt, props.timeZone),
                    )
                  : // Entering the code sent to it proved it was the owner's then.
                    withDate(
                      tr,
                      'checkup.method_verified',
                      formatDateTime(props.pc.locale, m.verifiedAt, props.timeZone),
                    )}
              </span>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The title and the reason a checkup item shows, worded for what the account has (see `CheckItem.variant`). */
export function advice(i: CheckItem) {
  if (i.variant === 'first_method')
    return {
      title: 'checkup.item.two_methods.first_method',
      why: 'checkup.item.two_methods.first_method_why',
    } as const;
  if (i.variant === 'needs_two_methods')
    return {
      title: 'checkup.item.two_step.needs_two_methods',
      why: 'checkup.item.two_step.needs_two_methods_why',
    } as const;
  return {
    title: `checkup.item.${i.id}.${i.ok ? 'done' : 'todo'}`,
    why: `checkup.item.${i.id}.why`,
  } as const;
}
