/**
 * The memory sections of the report (suites/memory.ts): one gradAndHvp call of the two-layer network
 * against the hand-written R-propagation, and the deep network with and without checkpoints; and
 * their splice for `--only=memory`.
 */
import { sizeLabel } from '../lib/problem.js';
import type { MemoryResult, Task } from '../lib/protocol.js';
import type { DeepMemoryResult, DeepNetwork } from '../suites/memory.js';
import { mb, ms, ratio, sci } from './format.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { measuredBy } from './splice.js';

const TWO_LAYER_HEADING = '## Memory of one gradAndHvp call against the hand-written R-propagation';
const DEEP_HEADING = '## Memory: checkpointing a deep network';

export const deepLabel = ({ layers, width, N }: DeepNetwork) => `${layers} tanh layers of width ${width}, N=${N}`;
export const checkpointLabel = (every: number) => (every === 0 ? 'no checkpoint' : every === 1 ? 'checkpoint per layer' : `checkpoint per ${every} layers`);

const isDeep = (t: Task) => t.suite === 'memory' && 'deep' in t;

function twoLayerSection(outcomes: readonly Outcome[]): string[] {
  const rs = outcomes.filter((o) => o.result && (o.result as MemoryResult).suite === 'memory').map((o) => o.result as MemoryResult);
  const out: string[] = [TWO_LAYER_HEADING, ''];
  out.push('Each (size, method) runs in a fresh process (`--expose-gc`), after a warm-up on a tiny network. ' +
    '**Peak RSS Δ**: the highest resident set size sampled by a worker thread every ~0.5 ms during the call, minus RSS just before it. ' +
    '**Heap Δ at end**: V8 heap + ArrayBuffer bytes right after the call minus before it (gc() before; uncollected garbage included). ' +
    '**Retained**: the same after dropping the result and gc(): what stays allocated (dualtape keeps its tape storage for reuse). ' +
    'One result set (f, ∇f, H·v) is 16·W bytes. ' +
    '**Later call**: the same call again in the same process, peak RSS Δ above what the first call left — the steady state of a training loop, ' +
    'where the matrix kernels\' WebAssembly memories (kept at the size of the largest product so far) and the tape\'s storage are already grown. ' +
    '**× hand-written** divides peak RSS Δ by the hand-written row\'s, first call and later call. ' +
    'The row after `await initKernels({ threads: true })` starts the kernels\' worker thread (a Node isolate, a one-time cost) before the call instead of inside it.');
  out.push('');
  out.push('| network | W | method | ms (this call) | peak RSS Δ MB | heap Δ at end MB | retained MB | bytes per parameter (peak RSS Δ / W) | process peak RSS MB | later call: ms | later call: peak RSS Δ MB | × hand-written (first, later) |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rs) {
    const hand = rs.find((h) => h.method === 'hand-written' && sizeLabel(h.size) === sizeLabel(r.size));
    const times = (a: number, b: number | undefined) => (b !== undefined && b >= 1 && a >= 1 ? ratio(a / b) : '—');
    const versus = r.method === 'hand-written' || !hand ? '—' : `${times(r.peakRssMB, hand.peakRssMB)}, ${times(r.laterPeakRssMB, hand.laterPeakRssMB)}`;
    const method = r.method === 'gradAndHvp, workers started' ? 'gradAndHvp after `await initKernels({ threads: true })`' : r.method;
    out.push(`| ${sizeLabel(r.size)} | ${r.W.toLocaleString('en-US')} | ${method} | ${ms(r.ms)} | ${mb(r.peakRssMB)} | ${mb(r.heapEndMB)} | ${mb(r.retainedMB)} | ` +
      `${r.peakRssMB >= 1 ? ((r.peakRssMB * 1024 * 1024) / r.W).toFixed(0) : '—'} | ${r.processPeakRssMB.toFixed(0)} | ${ms(r.laterMs)} | ${mb(r.laterPeakRssMB)} | ${versus} |`);
  }
  out.push('');
  out.push(...failure(outcomes, (t) => t.suite === 'memory' && !isDeep(t)));
  return out;
}

function deepSection(env: Environment, outcomes: readonly Outcome[], alone: boolean): string[] {
  const rs = outcomes.filter((o) => o.result && (o.result as DeepMemoryResult).suite === 'memory-deep').map((o) => o.result as DeepMemoryResult);
  if (rs.length === 0 && !outcomes.some((o) => isDeep(o.task))) return [];
  const out: string[] = [DEEP_HEADING, ''];
  if (alone) out.push(measuredBy(env), '');
  out.push('`checkpoint(f)` records a block of layers as one node and runs it again when the sweeps need it ' +
    '([guide: checkpointing](guide/09-checkpointing.md)): the tape keeps the blocks\' inputs and outputs instead of every layer\'s intermediates, ' +
    'and `gradAndHvp` runs each block twice more (a dual forward when it is recorded, a forward-over-reverse in the reverse sweep). ' +
    'Each row runs in a fresh process after a warm-up on a tiny network; **peak RSS Δ** and **heap Δ** are measured as in the section above, on one call. ' +
    '**Time**: the fastest of several calls, this row\'s network and the one without checkpoints timed alternately in the same process; ' +
    'CPU ms is the process\'s (user + system, all threads: the matrix kernels may use both cores), and **× no checkpoint** divides CPU times measured side by side. ' +
    '∇f and H·v are checked against the network without checkpoints in the same process.');
  out.push('');
  out.push('| network | W | method | peak RSS Δ MB | heap Δ at end MB | × no checkpoint (peak RSS Δ) | CPU ms | wall ms | × no checkpoint (CPU) | rel. diff ∇f, H·v |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rs) {
    const base = rs.find((b) => b.checkpointEvery === 0 && b.deep.layers === r.deep.layers && b.deep.width === r.deep.width && b.deep.N === r.deep.N);
    out.push(`| ${deepLabel(r.deep)} | ${r.W.toLocaleString('en-US')} | ${checkpointLabel(r.checkpointEvery)} | ${mb(r.peakRssMB)} | ${mb(r.heapEndMB)} | ` +
      `${base && base.peakRssMB > 0 ? ratio(r.peakRssMB / base.peakRssMB) : '—'} | ${ms(r.cpuMs)} | ${ms(r.wallMs)} | ${ratio(r.cpuMs / r.plainCpuMs)} | ${sci(r.gradErr)}, ${sci(r.hvpErr)} |`);
  }
  out.push('');
  out.push(...failure(outcomes, isDeep));
  return out;
}

/** Both memory sections; `alone` for `--only=memory`, whose sections say when they were measured. */
export function memorySections(env: Environment, outcomes: readonly Outcome[], alone: boolean): string[] {
  return [...twoLayerSection(outcomes), ...deepSection(env, outcomes, alone)];
}

/** `doc` with its memory sections replaced by `lines` (inserted before "## Scalar graph…" or "## Reproduce" when absent). */
export function spliceMemorySections(doc: string, lines: readonly string[]): string {
  let all = doc.split('\n');
  let at = -1;
  for (const heading of [TWO_LAYER_HEADING, DEEP_HEADING]) {
    const first = all.findIndex((l) => l === heading);
    if (first === -1) continue;
    let end = first + 1;
    while (end < all.length && !all[end].startsWith('## ')) end++;
    all = [...all.slice(0, first), ...all.slice(end)];
    if (at === -1 || first < at) at = first;
  }
  if (at === -1) {
    const next = all.findIndex((l) => l.startsWith('## Scalar graph') || l.startsWith('## Reproduce'));
    at = next === -1 ? all.length : next;
  }
  return [...all.slice(0, at), ...lines, ...all.slice(at)].join('\n');
}
