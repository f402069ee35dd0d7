import { describeDevice, deviceLabel } from '../../activity/device.ts';
import { Csrf, type PageContext, translator } from '../../web/render.tsx';

/* Page components shared by the sessions and trusted-devices pages (props → JSX); handlers are beside them. */

/**
 * One row of a device table: the browser's User-Agent, its IP, a date or time, and where its button posts
 * (ending it), or null for the browser in use (marked as the current one instead).
 */
export interface DeviceRow {
  userAgent: string;
  ip: string;
  when: string;
  end: string | null;
}

/**
 * The table of an account's browsers (signed-in sessions, trusted devices): device, IP, `whenLabel` (last
 * seen, trusted until) and a button per row (`endLabel`); each row is marked `data-testid={testId}`. On a
 * phone the table stacks (`data-label` names each cell). With more than one row, a button under it ends
 * them all (`endAll`).
 */
export function DeviceTable(props: {
  pc: PageContext;
  whenLabel: string;
  testId: string;
  rows: DeviceRow[];
  endLabel: string;
  /** The label of the row in use (`end: null`). */
  currentLabel?: string;
  endAll: { action: string; label: string };
}) {
  const { pc, whenLabel, testId, rows } = props;
  const tr = translator(pc.locale);
  return (
    <>
      <div class="table-wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>{tr('sessions.device')}</th>
              <th>{tr('sessions.ip')}</th>
              <th>{whenLabel}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-testid={testId}>
                <td data-label={tr('sessions.device')} class="primary">
                  {deviceLabel(describeDevice(r.userAgent), pc.locale)}
                </td>
                <td data-label={tr('sessions.ip')}>{r.ip}</td>
                <td data-label={whenLabel}>{r.when}</td>
                <td class="row-action">
                  {r.end === null ? (
                    <strong>{props.currentLabel}</strong>
                  ) : (
                    <PostButton pc={pc} action={r.end} label={props.endLabel} class="secondary" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > 1 ? (
        <PostButton pc={pc} action={props.endAll.action} label={props.endAll.label} class="danger" />
      ) : null}
    </>
  );
}

/** A button that posts (with the CSRF token) to `action` and nothing else. */
function PostButton(props: { pc: PageContext; action: string; label: string; class: string }) {
  return (
    <form method="post" action={props.action}>
      <Csrf pc={props.pc} />
      <button type="submit" class={props.class}>
        {props.label}
      </button>
    </form>
  );
}
