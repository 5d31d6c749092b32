/// <reference lib="dom" />
/**
 * The playground page: plain DOM. Every number on it comes from `trace` (the engine's own sweeps);
 * stepping only chooses how much of the recorded trace to show (`traceFrame`).
 * @module
 */
import * as dt from '@dualtape/core';
import { flatten, formatLane, formatNumber, traceFrame, traceLength, type Lane, type Pytree, type TraceFrame } from '@dualtape/core';
import { renderTraceSvg } from '@dualtape/viz';
import { EXAMPLES, noteFor, type PlaygroundExample, type StepNote } from './examples.js';
import { PlaygroundError, errorText, evaluate, type Evaluation } from './evaluate.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>('example'),
  blurb: $<HTMLParagraphElement>('blurb'),
  source: $<HTMLTextAreaElement>('source'),
  x: $<HTMLTextAreaElement>('x'),
  v: $<HTMLTextAreaElement>('v'),
  run: $<HTMLButtonElement>('run'),
  error: $<HTMLDivElement>('error'),
  value: $<HTMLOutputElement>('out-value'),
  grad: $<HTMLOutputElement>('out-grad'),
  hvp: $<HTMLOutputElement>('out-hvp'),
  fd: $<HTMLOutputElement>('out-fd'),
  fdError: $<HTMLOutputElement>('out-fd-error'),
  reset: $<HTMLButtonElement>('reset'),
  back: $<HTMLButtonElement>('back'),
  step: $<HTMLButtonElement>('step'),
  end: $<HTMLButtonElement>('end'),
  progress: $<HTMLDivElement>('progress-bar'),
  status: $<HTMLDivElement>('status'),
  tape: $<HTMLTableElement>('tape'),
  graph: $<HTMLDivElement>('graph'),
  zoom: $<HTMLInputElement>('zoom'),
};

interface State {
  readonly example: PlaygroundExample;
  readonly ev: Evaluation;
  readonly notes: ReadonlyMap<number, StepNote> | null;
  readonly total: number;
  position: number;
  /** Table cells per row: value, tangent, adjoint, adjointDot, equation. */
  readonly cells: HTMLTableCellElement[][];
}

let state: State | null = null;
let current: PlaygroundExample = EXAMPLES[0];
let drawing = 0;

const LANES = ['value', 'tangent', 'adjoint', 'adjointDot'] as const;

function init(): void {
  for (const ex of EXAMPLES) ui.example.add(new Option(ex.title, ex.id));
  ui.example.addEventListener('change', () => load(EXAMPLES.find((e) => e.id === ui.example.value) ?? EXAMPLES[0]));
  ui.run.addEventListener('click', run);
  ui.zoom.addEventListener('change', () => {
    ui.graph.classList.toggle('actual', ui.zoom.checked);
    if (state) follow(traceFrame(state.ev.trace, state.position).node);
  });
  for (const box of [ui.source, ui.x, ui.v]) {
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    });
  }
  ui.reset.addEventListener('click', () => go(0));
  ui.back.addEventListener('click', () => go((state?.position ?? 0) - 1));
  ui.step.addEventListener('click', () => go((state?.position ?? 0) + 1));
  ui.end.addEventListener('click', () => go(state?.total ?? 0));
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (e.key === 'ArrowRight') go((state?.position ?? 0) + 1);
    if (e.key === 'ArrowLeft') go((state?.position ?? 0) - 1);
  });
  // Anything that escapes the handlers still ends up on the page, never as a blank page.
  window.addEventListener('error', (e) => showError(errorText(e.error ?? e.message)));
  window.addEventListener('unhandledrejection', (e) => showError(errorText(e.reason)));
  (window as unknown as { dt: typeof dt }).dt = dt; // for experiments in the console
  load(EXAMPLES[0]);
}

function load(example: PlaygroundExample): void {
  current = example;
  ui.example.value = example.id;
  ui.blurb.textContent = example.blurb;
  ui.source.value = example.source;
  ui.x.value = example.x;
  ui.v.value = example.v;
  run();
}

function run(): void {
  hideError();
  let ev: Evaluation;
  try {
    ev = evaluate(ui.source.value, ui.x.value, ui.v.value);
  } catch (error) {
    const where = error instanceof PlaygroundError ? ` (in ${error.where === 'function' ? 'f' : error.where})` : '';
    showError(`${errorText(error).replace(/^PlaygroundError: /, '')}${where}`);
    clear();
    return;
  }
  const notes = current.notes?.(ev.trace) ?? null;
  state = { example: current, ev, notes, total: traceLength(ev.trace), position: 0, cells: buildTable(ev, notes) };
  showResults(ev);
  go(0);
}

function clear(): void {
  state = null;
  drawing++;
  for (const out of [ui.value, ui.grad, ui.hvp, ui.fd, ui.fdError]) { out.textContent = '—'; delete out.dataset.value; }
  ui.tape.tBodies[0].replaceChildren();
  ui.graph.innerHTML = '<div class="placeholder">Fix the error above to see the tape.</div>';
  ui.status.className = 'status';
  ui.status.textContent = 'No trace: fix the error above, then trace again.';
  ui.progress.style.width = '0';
  for (const b of [ui.reset, ui.back, ui.step, ui.end]) b.disabled = true;
}

function showError(message: string): void {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

function hideError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function flat(tree: unknown): number[] {
  return Array.from(typeof tree === 'number' ? [tree] : flatten(tree as Pytree));
}

function setOutput(out: HTMLOutputElement, values: number[], text?: string): void {
  out.dataset.value = JSON.stringify(values);
  out.textContent = text ?? (values.length === 1 ? formatNumber(values[0]) : `[${values.map((e) => formatNumber(e)).join(', ')}]`);
}

function showResults(ev: Evaluation): void {
  const t = ev.trace;
  setOutput(ui.value, [t.value]);
  setOutput(ui.grad, flat(t.grad));
  setOutput(ui.hvp, flat(t.hvp));
  setOutput(ui.fd, Array.from(ev.check.estimate));
  const e = ev.check.relativeError;
  ui.fdError.dataset.value = JSON.stringify([e]);
  ui.fdError.textContent = `relative difference ${formatNumber(e, 2)} (h = ${formatNumber(ev.check.h, 2)})`;
  ui.fdError.className = e < 1e-5 ? 'ok' : 'bad';
}

function buildTable(ev: Evaluation, notes: ReadonlyMap<number, StepNote> | null): HTMLTableCellElement[][] {
  const body = ui.tape.tBodies[0];
  ui.tape.classList.toggle('hide-eq', notes === null);
  const t = ev.trace;
  const cells = t.rows.map((r) => {
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
    td(r.role === 'leaf' && r.label ? `${r.op} ${r.label}` : r.index === t.output ? `${r.op} = f` : r.op);
    td(r.inputs.map((k) => `#${k}`).join(' '));
    td(r.kind === 'scalar' ? 'scalar' : `[${r.shape.join(',')}]`);
    const lanes = LANES.map((lane) => {
      const c = td('', 'lane');
      c.dataset.lane = lane;
      return c;
    });
    const eq = td('', 'eq');
    return [...lanes, eq];
  });
  body.replaceChildren(...cells.map((c) => c[0].parentElement as HTMLTableRowElement));
  return cells;
}

/** Equation numbers in a note: "(5.98)" → "5.98". */
function equations(note: string): string {
  return [...note.matchAll(/\((5\.\d+)\)/g)].map((m) => m[1]).join(', ');
}

function go(position: number): void {
  const s = state;
  if (!s) return;
  const previous = s.position;
  s.position = Math.max(0, Math.min(s.total, position));
  const frame = traceFrame(s.ev.trace, s.position);
  paintTable(s, frame, previous);
  paintStatus(s, frame);
  ui.progress.style.width = `${(100 * s.position) / Math.max(1, s.total)}%`;
  ui.reset.disabled = ui.back.disabled = s.position === 0;
  ui.step.disabled = ui.end.disabled = s.position === s.total;
  void drawGraph(s, frame);
}

function laneText(lane: Lane | null): string {
  return lane === null ? '' : formatLane(lane);
}

function paintTable(s: State, frame: TraceFrame, previous: number): void {
  const t = s.ev.trace;
  const targets = new Set(frame.step?.pushes.map((p) => p.input) ?? []);
  t.rows.forEach((r, i) => {
    const row = s.cells[i];
    const tr = row[0].parentElement as HTMLTableRowElement;
    tr.classList.toggle('current', i === frame.node);
    tr.classList.toggle('target', targets.has(i));
    const lanes = frame.lanes[i];
    LANES.forEach((name, k) => {
      const cell = row[k];
      const lane = lanes[name];
      const inactiveAdjoint = k >= 2 && !r.active;
      const text = inactiveAdjoint ? (frame.phase === 'reverse' ? '·' : '') : laneText(lane);
      if (cell.textContent !== text) {
        cell.textContent = text;
        cell.classList.remove('fresh');
        if (text !== '' && s.position === previous + 1) {
          void cell.offsetWidth; // restart the highlight animation
          cell.classList.add('fresh');
        }
      }
      if (lane !== null && !inactiveAdjoint) {
        const full = typeof lane === 'number' ? [lane] : Array.from(lane);
        cell.dataset.value = JSON.stringify(full);
        cell.title = typeof lane === 'number' ? String(lane) : `[${full.join(', ')}]`;
      } else {
        delete cell.dataset.value;
        cell.title = '';
      }
    });
    const note = s.notes?.get(i);
    row[4].textContent = note ? equations(frame.phase === 'reverse' ? note.reverse || note.forward : note.forward) : '';
  });
}

function paintStatus(s: State, frame: TraceFrame): void {
  const t = s.ev.trace;
  const n = t.rows.length;
  const el = ui.status;
  el.className = `status ${frame.phase === 'start' ? '' : frame.phase}`;
  el.dataset.phase = frame.done ? 'done' : frame.phase;
  el.dataset.position = String(s.position);
  const line = (cls: string, text: string) => {
    const d = document.createElement('div');
    d.className = cls;
    d.textContent = text;
    return d;
  };
  if (frame.phase === 'start') {
    el.replaceChildren(
      line('phase', `Ready: ${n} tape nodes forward, then ${t.reverse.length} reverse steps.`),
      line('why', 'Press Step (or →) to run the forward sweep one node at a time: each node gets its value and its tangent R{value}.'),
    );
    return;
  }
  const r = t.rows[frame.node];
  const name = `#${r.index} ${r.op}${r.inputs.length ? `(${r.inputs.map((k) => `#${k}`).join(', ')})` : ''}${r.label ? ` ${r.label}` : ''}`;
  if (frame.phase === 'forward') {
    const lanes = frame.lanes[r.index];
    el.replaceChildren(
      line('phase forward', `Forward sweep · step ${s.position} of ${n}`),
      line('what', `${name}: value = ${laneText(lanes.value)}, R{value} = ${laneText(lanes.tangent)}`),
      line('why', noteFor(t, s.notes, r.index, 'forward')),
    );
    if (s.position === n) el.append(line('why', 'Forward sweep done. Next: the reverse sweep, seeded with (f̄, R{f̄}) = (1, 0).'));
    return;
  }
  const step = frame.step!;
  const k = s.position - n;
  const pushes = step.pushes.length === 0
    ? 'a leaf: nothing to push, its dual adjoint is final'
    : `pushes into ${step.pushes.map((p) => `#${p.input} → (${laneText(p.adjoint)}, ${laneText(p.adjointDot)})`).join('; ')}`;
  el.replaceChildren(
    line('phase reverse', `Reverse sweep · step ${k} of ${t.reverse.length}${frame.done ? ' · done: ∇f and H·v are the leaves’ adjoint lanes' : ''}`),
    line('what', `${name}: (ȳ, R{ȳ}) = (${laneText(step.adjoint)}, ${laneText(step.adjointDot)}), ${pushes}`),
    line('why', noteFor(t, s.notes, r.index, 'reverse')),
  );
}

async function drawGraph(s: State, frame: TraceFrame): Promise<void> {
  const ticket = ++drawing;
  const notes = s.notes
    ? new Map([...s.notes].map(([i, note]) => [i, [equations(note.forward), equations(note.reverse)].filter(Boolean).join(' | ')] as const)
      .filter(([, text]) => text !== ''))
    : undefined;
  try {
    const svg = await renderTraceSvg(s.ev.trace, { frame, notes, digits: 4 });
    if (ticket !== drawing) return; // a later step already asked for another picture
    ui.graph.innerHTML = svg.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?/, '');
    ui.graph.dataset.position = String(frame.position);
    follow(frame.node);
  } catch (error) {
    if (ticket === drawing) ui.graph.innerHTML = `<div class="placeholder">The graph could not be drawn: ${escapeHtml(errorText(error))}</div>`;
  }
}

/** Scrolls the graph's own box (not the page) so that the current node is in view. */
function follow(node: number): void {
  const target = ui.graph.querySelector(`#node_${node}`);
  if (!target) return;
  const box = ui.graph.getBoundingClientRect();
  const r = target.getBoundingClientRect();
  const top = ui.graph.scrollTop + r.top - box.top - (box.height - r.height) / 2;
  const left = ui.graph.scrollLeft + r.left - box.left - (box.width - r.width) / 2;
  ui.graph.scrollTo({ top: Math.max(0, top), left: Math.max(0, left), behavior: 'smooth' });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

init();
