import type { ComponentChildren } from 'preact';
import { countryName } from '../../activity/geo.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { Locale } from '../../kernel/context.ts';
import { isNoticeCategory } from '../../notices/preferences.ts';
import { isMessageKind } from '../../notifications/message-kinds.ts';
import type { ContactMatch } from '../../recovery-form/scoring.ts';
import type { T } from '../../web/render.tsx';
import type { RequestView } from '../console-service.ts';

/* Page components of the operator console (props → JSX); the handlers are in routes.tsx. */

/** An audit entry's details in words: known fields by their name, codes by their label. */
export function auditDetail(tr: T, detail: Record<string, string>): string {
  const names: Record<string, Parameters<T>[0]> = {
    ip: 'operator.audit.detail.ip',
    reason: 'operator.audit.detail.reason',
    kind: 'operator.audit.detail.kind',
    category: 'operator.audit.detail.category',
    subject: 'operator.audit.detail.subject',
    method: 'operator.audit.detail.method',
    step: 'operator.audit.detail.step',
    name: 'operator.audit.detail.name',
  };
  const values: Record<string, Parameters<T>[0]> = {
    totp: 'operator.audit.value.totp',
    password: 'operator.audit.value.password',
    enrol: 'operator.audit.value.enrol',
    code: 'operator.audit.value.code',
  };
  return Object.entries(detail)
    .map(([k, v]) => {
      const value =
        k === 'kind' && isMessageKind(v)
          ? tr(`messages.kind.${v}`)
          : k === 'category' && isNoticeCategory(v)
            ? tr(`notices.category.${v}`)
            : (k === 'method' || k === 'step') && values[v]
              ? tr(values[v])
              : v;
      return names[k] ? tr(names[k], { value }) : `${k}: ${value}`;
    })
    .join(' / ');
}

export const when = (locale: Locale, d: Date | null) => (d ? formatDateTime(locale, d, 'Asia/Tokyo') : '—');

export function Match(props: { tr: T; ok: boolean | null; maybe?: boolean; children?: ComponentChildren }) {
  const cls = props.maybe ? 'm-maybe' : props.ok ? 'm-yes' : 'm-no';
  return <span class={cls}>{props.children}</span>;
}

export function contactText(tr: T, m: ContactMatch): string {
  return tr(`operator.match.${m}`);
}

export function Evidence(props: { tr: T; r: RequestView; locale: Locale }) {
  const { tr, r } = props;
  const e = r.evidence;
  if (!e) return <p>{tr('operator.request.no_answer')}</p>;
  const none = <span class="hint">{tr('operator.request.no_answer')}</span>;
  const yesNo = (b: boolean) => (
    <Match tr={tr} ok={b}>
      {tr(b ? 'operator.match.yes' : 'operator.match.no')}
    </Match>
  );
  return (
    <table data-testid="evidence">
      <tbody>
        <tr>
          <th>{tr('operator.ev.name')}</th>
          <td>
            {e.displayName === 'blank' ? (
              none
            ) : (
              <Match tr={tr} ok={e.displayName === 'match'}>
                {tr(`operator.match.${e.displayName}`)}
              </Match>
            )}
          </td>
        </tr>
        <tr>
          <th>{tr('operator.ev.passwords')}</th>
          <td>
            {e.passwords.length === 0
              ? none
              : e.passwords.map((ok, i) => (
                  <div>
                    {tr('operator.ev.password_n', { n: i + 1 })}:{' '}
                    <Match tr={tr} ok={ok}>
                      {tr(ok ? 'operator.match.match' : 'operator.match.mismatch')}
                    </Match>
                  </div>
                ))}
          </td>
        </tr>
        <tr>
          <th>{tr('operator.ev.countries')}</th>
          <td>
            {e.countries.length === 0
              ? none
              : e.countries.map((c) => (
                  <div>
                    {c.code}: {yesNo(c.seen)}
                  </div>
                ))}
          </td>
        </tr>
        <tr>
          <th>{tr('operator.ev.devices')}</th>
          <td>
            {e.devices.length === 0
              ? none
              : e.devices.map((d) => (
                  <div>
                    {tr(`recovery_form.device.${d.os as 'ios'}`)}: {yesNo(d.seen)}
                  </div>
                ))}
          </td>
        </tr>
        {(['emails', 'phones'] as const).map((k) => (
          <tr>
            <th>{tr(`operator.ev.${k}`)}</th>
            <td>
              {e[k].length === 0
                ? none
                : e[k].map((c) => (
                    <div>
                      {c.masked}:{' '}
                      <Match
                        tr={tr}
                        ok={c.found === 'current' || c.found === 'past'}
                        maybe={c.found === 'activity'}
                      >
                        {contactText(tr, c.found)}
                      </Match>
                    </div>
                  ))}
            </td>
          </tr>
        ))}
        <tr>
          <th>{tr('operator.ev.providers')}</th>
          <td>
            {e.providers.length === 0
              ? none
              : e.providers.map((p) => (
                  <div>
                    {p.label.ja === p.label.en ? p.label.en : `${p.label.ja} / ${p.label.en}`}:{' '}
                    <Match tr={tr} ok={p.matched}>
                      {tr(p.matched ? 'operator.match.match' : 'operator.match.mismatch')}
                    </Match>
                  </div>
                ))}
          </td>
        </tr>
        <tr>
          <th>{tr('operator.ev.here_device')}</th>
          <td>{yesNo(e.here.deviceSeen)}</td>
        </tr>
        <tr>
          <th>{tr('operator.ev.here_country')}</th>
          <td>
            {countryName(e.here.country, props.locale)}: {yesNo(e.here.countrySeen)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
