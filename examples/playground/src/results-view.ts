/// <reference lib="dom" />
/**
 * The Results card: f, ∇f, H·v, the finite-difference estimate and the verdict. A number that is
 * not finite is red, and so is the verdict unless everything is finite and agrees.
 * @module
 */
import { flatten, formatNumber, type Pytree } from '@dualtape/core';
import { agreement, type Evaluation } from './evaluate.js';

export interface ResultOutputs {
  readonly value: HTMLOutputElement;
  readonly grad: HTMLOutputElement;
  readonly hvp: HTMLOutputElement;
  readonly fd: HTMLOutputElement;
  readonly verdict: HTMLOutputElement;
}

function flat(tree: unknown): number[] {
  return Array.from(typeof tree === 'number' ? [tree] : flatten(tree as Pytree));
}

function show(out: HTMLOutputElement, values: number[]): void {
  out.dataset.value = JSON.stringify(values.map(String)); // String keeps NaN and ±Infinity, which JSON cannot
  out.textContent = values.length === 1 ? formatNumber(values[0]) : `[${values.map((e) => formatNumber(e)).join(', ')}]`;
  out.className = values.every(Number.isFinite) ? '' : 'bad';
}

export function showResults(outs: ResultOutputs, ev: Evaluation): void {
  show(outs.value, [ev.trace.value]);
  show(outs.grad, flat(ev.trace.grad));
  show(outs.hvp, flat(ev.trace.hvp));
  show(outs.fd, Array.from(ev.check.estimate));
  const verdict = agreement(ev);
  outs.verdict.dataset.value = JSON.stringify([String(ev.check.relativeError)]);
  outs.verdict.dataset.ok = String(verdict.ok);
  outs.verdict.textContent = verdict.text;
  outs.verdict.className = verdict.ok ? 'ok' : 'bad';
}

export function clearResults(outs: ResultOutputs): void {
  for (const out of Object.values(outs)) {
    out.textContent = '—';
    out.className = '';
    delete out.dataset.value;
    delete out.dataset.ok;
  }
}
