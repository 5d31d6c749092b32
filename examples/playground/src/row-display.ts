/**
 * How a tape row reads on the page, shared by the table and the graph: its title, its shape, its
 * lanes, and the optional group (the nested transform that recorded it) it belongs to.
 * @module
 */
import { formatLane, formatNumber, type Lane, type Trace, type TraceRow } from '@dualtape/core';

/** Significant digits of the numbers in the table and the graph (hovering a cell shows all). */
export const DIGITS = 5;

/**
 * The row's group label, e.g. `grad #1 · reverse`, when the engine gives one: a row may carry an
 * optional `frame` string naming the nested transform that recorded it. Rows without one (all rows
 * of today's engine) belong to no group, and the page shows no grouping at all.
 */
export function groupOf(row: TraceRow): string | undefined {
  const frame = (row as TraceRow & { readonly frame?: unknown }).frame;
  return typeof frame === 'string' && frame.trim() !== '' ? frame.trim() : undefined;
}

/** Whether any row of the trace has a group label. */
export function hasGroups(t: Trace): boolean {
  return t.rows.some((r) => groupOf(r) !== undefined);
}

/** The heading of rows outside every group, shown only when other rows have a group. */
export const TOP_LEVEL = 'top level';

/**
 * Runs of consecutive rows with the same group, in tape order: where the table puts a heading. One
 * run with no label when the trace has no groups.
 */
export function groupRuns(t: Trace): Array<{ readonly label: string | undefined; readonly rows: readonly TraceRow[] }> {
  const runs: Array<{ label: string | undefined; rows: TraceRow[] }> = [];
  for (const row of t.rows) {
    const label = groupOf(row);
    const last = runs[runs.length - 1];
    if (last && last.label === label) last.rows.push(row);
    else runs.push({ label, rows: [row] });
  }
  return runs;
}

/**
 * The shape column: `scalar` for every rank-0 node, whether a Scalar or a 0-d tensor (a literal
 * like the 1.1 in `x.mul(1.1)` becomes one), and `[2,1]` otherwise.
 */
export function shapeText(row: TraceRow): string {
  return row.shape.length === 0 ? 'scalar' : `[${row.shape.join(',')}]`;
}

/** A lane as text; a rank-0 node's one number is shown as a number, like a scalar's. */
export function laneText(row: TraceRow, lane: Lane): string {
  if (row.shape.length === 0 && typeof lane !== 'number') return formatNumber(lane[0], DIGITS);
  return formatLane(lane, { digits: DIGITS });
}

/** `leaf x.w1`, `mul`: the op column of the table. */
export function opText(row: TraceRow): string {
  return row.role === 'leaf' && row.label ? `${row.op} ${row.label}` : row.op;
}

/** `#3 leaf x.w1`, `#5 mul`: the row's name in the graph and the status line. */
export function rowName(row: TraceRow): string {
  return `#${row.index} ${opText(row)}`;
}
