/// <reference lib="dom" />
/**
 * The tape table: one row per tape node, its four lanes filled in as the sweeps are stepped, with
 * a heading row above each run of rows that share a group label (none when the trace has none).
 * @module
 */
import type { Trace, TraceFrame } from '@dualtape/core';
import { equationNumbers, type StepNote } from './examples.js';
import { TOP_LEVEL, groupRuns, hasGroups, laneText, opText, shapeText } from './row-display.js';

const LANES = ['value', 'tangent', 'adjoint', 'adjointDot'] as const;
const COLUMNS = 9;

/** Per tape row: its four lane cells and its equation cell. */
interface RowCells {
  readonly tr: HTMLTableRowElement;
  readonly lanes: readonly HTMLTableCellElement[];
  readonly eq: HTMLTableCellElement;
}

export class TapeView {
  private rows: RowCells[] = [];

  constructor(private readonly table: HTMLTableElement) {}

  /** Builds the rows of a new trace, all lanes blank. */
  build(t: Trace, notes: ReadonlyMap<number, StepNote> | null): void {
    this.table.classList.toggle('hide-eq', notes === null);
    const grouped = hasGroups(t);
    const body: HTMLTableRowElement[] = [];
    this.rows = [];
    for (const run of groupRuns(t)) {
      if (grouped) {
        const heading = document.createElement('tr');
        heading.className = 'group';
        const cell = document.createElement('td');
        cell.colSpan = COLUMNS;
        cell.textContent = run.label ?? TOP_LEVEL;
        heading.append(cell);
        body.push(heading);
      }
      for (const r of run.rows) {
        const tr = document.createElement('tr');
        tr.dataset.row = String(r.index);
        tr.classList.add(r.role);
        if (r.index === t.output) tr.classList.add('output');
        const td = (text: string, cls?: string) => {
          const c = document.createElement('td');
          c.textContent = text;
          if (cls) c.className = cls;
          tr.append(c);
          return c;
        };
        td(String(r.index), 'num');
        td(r.index === t.output ? `${r.op} = f` : opText(r));
        td(r.inputs.map((k) => `#${k}`).join(' '));
        td(shapeText(r));
        const lanes = LANES.map((lane) => {
          const c = td('', 'lane');
          c.dataset.lane = lane;
          return c;
        });
        const eq = td('', 'eq');
        // The same facts in one line, for the phone layout (style.css), where the columns are hidden.
        const inputs = r.inputs.length ? `(${r.inputs.map((k) => `#${k}`).join(', ')})` : '';
        td(`#${r.index} ${opText(r)}${inputs}${r.index === t.output ? ' = f' : ''} · ${shapeText(r)}`, 'head');
        this.rows.push({ tr, lanes, eq });
        body.push(tr);
      }
    }
    this.table.tBodies[0].replaceChildren(...body);
  }

  /** Shows the lanes known at `frame`; `animate` flashes the cells that just got a number. */
  paint(t: Trace, frame: TraceFrame, notes: ReadonlyMap<number, StepNote> | null, animate: boolean): void {
    const targets = new Set(frame.step?.pushes.map((p) => p.input) ?? []);
    t.rows.forEach((r, i) => {
      const { tr, lanes: cells, eq } = this.rows[i];
      tr.classList.toggle('current', i === frame.node);
      tr.classList.toggle('target', targets.has(i));
      const lanes = frame.lanes[i];
      LANES.forEach((name, k) => {
        const cell = cells[k];
        const lane = lanes[name];
        const inactiveAdjoint = k >= 2 && !r.active;
        const text = inactiveAdjoint ? (frame.phase === 'reverse' ? '·' : '') : lane === null ? '' : laneText(r, lane);
        if (cell.textContent !== text) {
          cell.textContent = text;
          cell.classList.remove('fresh');
          if (text !== '' && animate) {
            void cell.offsetWidth; // restart the highlight animation
            cell.classList.add('fresh');
          }
        }
        if (lane !== null && !inactiveAdjoint) {
          const full = typeof lane === 'number' ? [lane] : Array.from(lane);
          cell.dataset.value = JSON.stringify(full);
          cell.title = full.length === 1 ? String(full[0]) : `[${full.join(', ')}]`;
        } else {
          delete cell.dataset.value;
          cell.title = '';
        }
      });
      const note = notes?.get(i);
      eq.textContent = note ? equationNumbers(frame.phase === 'reverse' ? note.reverse || note.forward : note.forward) : '';
    });
  }

  /** Keeps the current row in view inside the table's own scroll box (never scrolls the page). */
  follow(frame: TraceFrame): void {
    const row = this.rows[frame.node]?.tr;
    const box = this.table.parentElement;
    if (!row || !box) return;
    const head = this.table.tHead?.offsetHeight ?? 0;
    const top = row.offsetTop - head;
    const bottom = row.offsetTop + row.offsetHeight;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight;
  }

  clear(): void {
    this.rows = [];
    this.table.tBodies[0].replaceChildren();
  }
}
