/// <reference lib="dom" />
/**
 * The playground page: plain DOM. The user's code runs in a Web Worker (./runner.ts), so the page
 * never freezes; every number on it comes from `trace` (the engine's own sweeps), and stepping
 * only chooses how much of the recorded trace to show (`traceFrame`).
 * @module
 */
import * as dt from '@dualtape/core';
import { traceFrame, traceLength } from '@dualtape/core';
import { EXAMPLES, equationNumbers, type PlaygroundExample, type StepNote } from './examples.js';
import { PlaygroundError, errorText, type Evaluation } from './evaluate.js';
import { GraphView } from './graph-view.js';
import { clearResults, showResults } from './results-view.js';
import { RunStopped, UserCodeRunner } from './runner.js';
import { paintStatus } from './status-view.js';
import { TapeView } from './tape-view.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>('example'),
  blurb: $<HTMLParagraphElement>('blurb'),
  source: $<HTMLTextAreaElement>('source'),
  x: $<HTMLTextAreaElement>('x'),
  v: $<HTMLTextAreaElement>('v'),
  run: $<HTMLButtonElement>('run'),
  stop: $<HTMLButtonElement>('stop'),
  runState: $<HTMLSpanElement>('run-state'),
  timeLimit: $<HTMLSpanElement>('time-limit'),
  error: $<HTMLDivElement>('error'),
  reset: $<HTMLButtonElement>('reset'),
  back: $<HTMLButtonElement>('back'),
  step: $<HTMLButtonElement>('step'),
  end: $<HTMLButtonElement>('end'),
  progress: $<HTMLDivElement>('progress-bar'),
  status: $<HTMLDivElement>('status'),
};
const results = {
  value: $<HTMLOutputElement>('out-value'),
  grad: $<HTMLOutputElement>('out-grad'),
  hvp: $<HTMLOutputElement>('out-hvp'),
  fd: $<HTMLOutputElement>('out-fd'),
  verdict: $<HTMLOutputElement>('out-fd-error'),
};
const tape = new TapeView($<HTMLTableElement>('tape'));
const graph = new GraphView($<HTMLDivElement>('graph'), $<HTMLInputElement>('zoom'));
const runner = new UserCodeRunner(() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'dualtape f' }));

/** The select's entry for boxes that no longer hold an example's text. */
const EDITED = 'edited';
const IDLE_HINT = 'Ctrl+Enter in a box does the same';

interface State {
  readonly ev: Evaluation;
  readonly notes: ReadonlyMap<number, StepNote> | null;
  readonly total: number;
  position: number;
}

let state: State | null = null;
/** The example the boxes were loaded from; its notes still apply while the op sequence matches. */
let origin: PlaygroundExample = EXAMPLES[0];

function init(): void {
  for (const ex of EXAMPLES) ui.example.add(new Option(ex.title, ex.id));
  ui.timeLimit.textContent = String(runner.timeLimitMs / 1000);
  ui.example.addEventListener('change', () => {
    const ex = EXAMPLES.find((e) => e.id === ui.example.value);
    if (ex) load(ex);
  });
  ui.run.addEventListener('click', () => void run());
  ui.stop.addEventListener('click', () => runner.stop());
  for (const box of [ui.source, ui.x, ui.v]) {
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); }
    });
    box.addEventListener('input', markEdited);
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
  window.addEventListener('error', (e) => {
    // Not an error of the page's code: the browser's notice that a resize settled over two frames.
    if (e.error == null && /^ResizeObserver loop/.test(e.message)) return;
    showError(errorText(e.error ?? e.message));
  });
  window.addEventListener('unhandledrejection', (e) => showError(errorText(e.reason)));
  (window as unknown as { dt: typeof dt }).dt = dt; // for experiments in the console
  load(EXAMPLES[0]);
}

function load(example: PlaygroundExample): void {
  origin = example;
  ui.example.querySelector(`option[value="${EDITED}"]`)?.remove();
  ui.example.value = example.id;
  ui.blurb.textContent = example.blurb;
  ui.blurb.classList.remove('edited');
  ui.source.value = example.source;
  ui.x.value = example.x;
  ui.v.value = example.v;
  void run();
}

/**
 * Once the boxes differ from the example they were loaded from, its title and description no
 * longer describe them: the select says so, and the blurb says how to get the example back.
 */
function markEdited(): void {
  const edited = ui.source.value !== origin.source || ui.x.value !== origin.x || ui.v.value !== origin.v;
  let entry = ui.example.querySelector<HTMLOptionElement>(`option[value="${EDITED}"]`);
  if (!edited) {
    entry?.remove();
    ui.example.value = origin.id;
    ui.blurb.textContent = origin.blurb;
    ui.blurb.classList.remove('edited');
    return;
  }
  if (!entry) {
    entry = new Option('Your own function (edited)', EDITED);
    ui.example.add(entry, 0);
  }
  ui.example.value = EDITED;
  ui.blurb.textContent = `Your own f, x and v, edited from “${origin.title}”, whose description no longer applies. Pick an example above to go back to one.`;
  ui.blurb.classList.add('edited');
}

async function run(): Promise<void> {
  hideError();
  setRunning(true);
  try {
    const ev = await runner.run(ui.source.value, ui.x.value, ui.v.value);
    const notes = origin.notes?.(ev.trace) ?? null;
    state = { ev, notes, total: traceLength(ev.trace), position: 0 };
    showResults(results, ev);
    tape.build(ev.trace, notes);
    go(0);
  } catch (error) {
    if (error instanceof RunStopped && error.reason === 'replaced') return; // the newer run shows its own outcome
    const where = error instanceof PlaygroundError ? ` (in ${error.where === 'function' ? 'f' : error.where})` : '';
    showError(`${error instanceof PlaygroundError || error instanceof RunStopped ? error.message : errorText(error)}${where}`);
    clear();
  } finally {
    if (!runner.running) setRunning(false);
  }
}

function setRunning(running: boolean): void {
  ui.run.disabled = running;
  ui.stop.disabled = !running;
  ui.runState.textContent = running ? 'Running f in a worker…' : IDLE_HINT;
  ui.runState.classList.toggle('running', running);
}

function clear(): void {
  state = null;
  clearResults(results);
  tape.clear();
  graph.clear('Fix the error to see the tape.');
  ui.status.className = 'status';
  delete ui.status.dataset.phase;
  delete ui.status.dataset.position;
  ui.status.textContent = 'No trace: fix the error, then trace again.';
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

function go(position: number): void {
  const s = state;
  if (!s) return;
  const previous = s.position;
  s.position = Math.max(0, Math.min(s.total, position));
  const t = s.ev.trace;
  const frame = traceFrame(t, s.position);
  tape.paint(t, frame, s.notes, s.position === previous + 1);
  tape.follow(frame);
  paintStatus(ui.status, t, frame, s.notes);
  ui.progress.style.width = `${(100 * s.position) / Math.max(1, s.total)}%`;
  ui.reset.disabled = ui.back.disabled = s.position === 0;
  ui.step.disabled = ui.end.disabled = s.position === s.total;
  void graph.draw(t, frame, graphNotes(s.notes));
}

/** The equation numbers of each note, forward | reverse, for the graph's nodes. */
function graphNotes(notes: ReadonlyMap<number, StepNote> | null): ReadonlyMap<number, string> | undefined {
  if (!notes) return undefined;
  const out = new Map<number, string>();
  for (const [i, note] of notes) {
    const text = [equationNumbers(note.forward), equationNumbers(note.reverse)].filter(Boolean).join(' | ');
    if (text) out.set(i, text);
  }
  return out;
}

init();
