/**
 * JAX CPU beside the dualtape rows: its results by problem, the "× JAX CPU" ratios (a method's ms
 * per call divided by the ms of JAX CPU doing the same job at the same precision, measured in the
 * same run), and the reason when JAX could not run.
 */
import { JAX_INSTALL_HINT } from '../lib/python.js';
import type { JaxCpuProblem, JaxCpuResult, JaxCpuRow, MethodResult, TwoLayerResult } from '../lib/protocol.js';
import { cell, ms, sci, verdictText } from './format.js';
import type { Environment, Outcome } from './outcome.js';

export function jaxCpuResults(outcomes: readonly Outcome[], problem: JaxCpuProblem): JaxCpuResult[] {
  return outcomes
    .filter((o) => o.result && (o.result as JaxCpuResult).suite === 'jax-cpu' && (o.result as JaxCpuResult).problem === problem)
    .map((o) => o.result as JaxCpuResult);
}

/** The JAX CPU two-layer results as one more group of rows beside the Node processes'. */
export function jaxTwoLayerGroups(outcomes: readonly Outcome[]): TwoLayerResult[] {
  return jaxCpuResults(outcomes, 'two-layer').flatMap((r) => {
    if (!r.size || r.W === undefined) return [];
    const sorted = [...r.handTimings].sort((a, b) => a - b);
    return [{ suite: 'two-layer', group: 'jax-cpu', size: r.size, W: r.W, handMs: sorted[sorted.length >> 1] ?? NaN, handTimings: r.handTimings, methods: r.rows, notes: r.notes }];
  });
}

/** The id of the JAX CPU row that does a two-layer method's job at its precision (null for JAX's own rows). */
export function twoLayerCounterpart(m: MethodResult): string | null {
  if (m.id.startsWith('jaxcpu.')) return null;
  const tag = m.precision === 'float64' ? 'f64' : 'f32';
  if (m.id === 'dualtape.valueAndGrad') return `jaxcpu.vg.${tag}`;
  if (m.id === 'dualtape.apply') return `jaxcpu.linearize.${tag}`;
  return `jaxcpu.jvpgrad.${tag}`;
}

/** ms of `m` / ms of its JAX CPU counterpart among `rows`; null without a counterpart or a time. */
export function xJax(m: MethodResult, rows: readonly MethodResult[]): number | null {
  const id = twoLayerCounterpart(m);
  const jax = id ? rows.find((r) => r.id === id) : undefined;
  return m.ms !== null && jax?.ms != null && jax.verdict !== 'not run' ? m.ms / jax.ms : null;
}

/** ms of a dualtape measurement / ms of the JAX CPU row `id` of `problem`; null when absent. */
export function xJaxOf(outcomes: readonly Outcome[], problem: JaxCpuProblem, id: string, dualtapeMs: number): number | null {
  const row = jaxCpuResults(outcomes, problem).flatMap((r) => r.rows).find((r) => r.id === id);
  return row?.ms != null ? dualtapeMs / row.ms : null;
}

/** Why the JAX CPU columns are empty, or null when JAX ran. */
export function jaxCpuAbsence(env: Environment): string | null {
  if (!env.jaxCpu) return 'these results were saved before `pnpm bench` ran JAX CPU';
  return env.jaxCpu.available ? null : env.jaxCpu.why;
}

/** The machine table's JAX CPU line. */
export function jaxCpuMachineRow(env: Environment): string {
  const absent = jaxCpuAbsence(env);
  if (absent || !env.jaxCpu?.available) return `| JAX CPU (Python) | not run: ${cell(absent ?? '')}; to add it: \`${JAX_INSTALL_HINT}\` at the repository root |`;
  const v = env.jaxCpu.versions;
  return `| JAX CPU (Python) | jax ${v.jax}, jaxlib ${v.jaxlib}, numpy ${v.numpy}, scipy ${v.scipy}; Python ${v.python} (\`${cell(env.jaxCpu.python)}\`) |`;
}

/** A sentence for a section whose "× JAX CPU" cells are empty, or nothing when JAX ran. */
export function jaxCpuEmptyNote(env: Environment): string[] {
  const absent = jaxCpuAbsence(env);
  return absent ? [`The × JAX CPU cells are empty: ${absent}. To fill them: \`${JAX_INSTALL_HINT}\` at the repository root, then \`pnpm bench\`.`, ''] : [];
}

/** The JAX CPU rows of a problem: what was timed, how accurate, how fast. */
export function jaxRowsTable(rows: readonly JaxCpuRow[], errorLabel: string): string[] {
  if (!rows.length) return [];
  const out = [`| JAX CPU, same inputs | precision | ms / call (fastest sample) | ${errorLabel} | verdict | samples | note |`, '|---|---|---:|---:|---|---:|---|'];
  for (const r of rows) out.push(`| ${cell(r.label)} | ${r.precision} | ${ms(r.ms)} | ${sci(r.err)} | ${verdictText(r)} | ${r.samples ?? '—'} | ${cell(r.note ?? '')} |`);
  out.push('');
  return out;
}
