/// <reference lib="dom" />
/**
 * The status box above the tape: which step was just taken, what it computed, and why (the op's
 * rule, or the textbook equation it realizes).
 * @module
 */
import { formatLane, type Lane, type Trace, type TraceFrame } from '@dualtape/core';
import { noteFor, type StepNote } from './examples.js';
import { DIGITS, groupOf, laneText, rowName } from './row-display.js';

export function paintStatus(el: HTMLElement, t: Trace, frame: TraceFrame, notes: ReadonlyMap<number, StepNote> | null): void {
  const n = t.rows.length;
  el.className = `status ${frame.phase === 'start' ? '' : frame.phase}`;
  el.dataset.phase = frame.done ? 'done' : frame.phase;
  el.dataset.position = String(frame.position);
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
  const group = groupOf(r);
  const name = `${group ? `[${group}] ` : ''}${rowName(r)}${r.inputs.length ? `(${r.inputs.map((k) => `#${k}`).join(', ')})` : ''}`;
  const lane = (l: Lane | null) => (l === null ? '' : laneText(r, l));
  if (frame.phase === 'forward') {
    const lanes = frame.lanes[r.index];
    el.replaceChildren(
      line('phase forward', `Forward sweep · step ${frame.position} of ${n}`),
      line('what', `${name}: value = ${lane(lanes.value)}, R{value} = ${lane(lanes.tangent)}`),
      line('why', noteFor(t, notes, r.index, 'forward')),
    );
    if (frame.position === n) el.append(line('why', 'Forward sweep done. Next: the reverse sweep, seeded with (f̄, R{f̄}) = (1, 0).'));
    return;
  }
  const step = frame.step!;
  const other = (l: Lane) => formatLane(l, { digits: DIGITS });
  const pushes = step.pushes.length === 0
    ? 'a leaf: nothing to push, its dual adjoint is final'
    : `pushes into ${step.pushes.map((p) => `#${p.input} → (${other(p.adjoint)}, ${other(p.adjointDot)})`).join('; ')}`;
  el.replaceChildren(
    line('phase reverse', `Reverse sweep · step ${frame.position - n} of ${t.reverse.length}${frame.done ? ' · done: ∇f and H·v are the leaves’ adjoint lanes' : ''}`),
    line('what', `${name}: (ȳ, R{ȳ}) = (${lane(step.adjoint)}, ${lane(step.adjointDot)}), ${pushes}`),
    line('why', noteFor(t, notes, r.index, 'reverse')),
  );
}
