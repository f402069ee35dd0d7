import type { ComponentChildren } from 'preact';

/** One column of a `DataTable`: its heading and what a row shows in it. */
export interface Column<R> {
  /** The heading (also the cell's `data-label` in a stacked table); empty for a column of actions. */
  label: string;
  cell: (row: R) => ComponentChildren;
  /** The row's main value (drawn first and larger when the table is stacked on a phone). */
  primary?: boolean;
}

/**
 * A table of rows under their column headings. `stack` makes it a stacked table (`class="stack"`): on a
 * phone each row is a card and each cell shows its heading (`data-label`), except a column without one.
 * `rowProps` gives each row's own attributes (`data-testid`, `data-kind`).
 */
export function DataTable<R>(p: {
  columns: Column<R>[];
  rows: R[];
  stack?: boolean;
  testid?: string;
  rowProps?: (row: R) => Record<`data-${string}`, string>;
}) {
  return (
    <table data-testid={p.testid} class={p.stack ? 'stack' : undefined}>
      <thead>
        <tr>{p.columns.map((c) => (c.label ? <th>{c.label}</th> : <th />))}</tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr {...p.rowProps?.(r)}>
            {p.columns.map((c) => (
              <td
                data-label={p.stack && c.label ? c.label : undefined}
                class={c.primary ? 'primary' : undefined}
              >
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
