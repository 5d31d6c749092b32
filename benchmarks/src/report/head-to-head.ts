/** The interleaved head-to-head section (suites/head-to-head.ts), and its splice for `--only=head-to-head`. */
import { median } from '../lib/measure.js';
import { sizeLabel } from '../lib/problem.js';
import type { Size } from '../lib/protocol.js';
import type { HeadToHeadResult, HeadToHeadRound, Window } from '../suites/head-to-head.js';
import { ms, ratio, sci } from './format.js';
import { jaxCpuEmptyNote } from './jax-cpu.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { measuredBy, spliceSection } from './splice.js';

const HEADING = '## gradAndHvp against JAX CPU, interleaved';

/** Issue 13's targets for gradAndHvp × JAX CPU float64: ≤ 3× at 784-1024-10, ≤ 2× at the smaller sizes. */
export function targetOf([D, H]: Size): number {
  return D === 784 && H === 1024 ? 3 : 2;
}

/** Each round's ratio dualtape / JAX of the two windows' fastest (or median) calls. */
export function roundRatios(rounds: readonly HeadToHeadRound[], pick: 'fastestMs' | 'medianMs' = 'fastestMs'): number[] {
  return rounds.map((r) => r.dualtape[pick] / r.jax[pick]);
}

/** The FMA side's rounds: its fastest call over JAX's and over the plain kernels' in the same round. */
function fmaRow(r: HeadToHeadResult): string | null {
  const rounds = r.rounds.filter((x): x is HeadToHeadRound & { fma: Window } => x.fma !== undefined);
  if (rounds.length === 0 || r.err.fma === undefined) return null;
  const toJax = rounds.map((x) => x.fma.fastestMs / x.jax.fastestMs);
  const toPlain = rounds.map((x) => x.fma.fastestMs / x.dualtape.fastestMs);
  const target = targetOf(r.size);
  const mid = median(toJax);
  const met = mid <= target ? (Math.max(...toJax) <= target ? 'met in every round' : 'met (median)') : '**not met**';
  return `| ${sizeLabel(r.size)} | ${ms(median(rounds.map((x) => x.fma.fastestMs)))} | ${ms(median(rounds.map((x) => x.jax.fastestMs)))} | ` +
    `**${ratio(mid)}** | ${ratio(Math.min(...toJax))} – ${ratio(Math.max(...toJax))} | ${ratio(median(toPlain))} | ≤ ${target}× | ${met} | ${sci(r.err.fma)} (${r.verdict.fma}) |`;
}

/**
 * The first layer's products alone against JAX's whole call, per round: a floor for the call's ratio
 * with these kernels. Where it is above the target, no work around the kernels can meet it.
 */
function floorRow(r: HeadToHeadResult): string | null {
  const rounds = r.rounds.filter((x) => x.floor !== undefined);
  if (rounds.length === 0) return null;
  const side = (pick: (x: HeadToHeadRound) => Window | undefined) => {
    const both = rounds.map((x) => [pick(x), x.jax] as const).filter((p): p is readonly [Window, Window] => p[0] !== undefined);
    if (both.length === 0) return '— | —';
    const toJax = both.map(([w, j]) => w.fastestMs / j.fastestMs);
    return `${ms(median(both.map(([w]) => w.fastestMs)))} | ${ratio(median(toJax))} (${ratio(Math.min(...toJax))} – ${ratio(Math.max(...toJax))})`;
  };
  const share = median(rounds.map((x) => x.floor!.plain.fastestMs / x.dualtape.fastestMs));
  const [D, H, , N] = r.size;
  const mflop = (4 * 2 * N * H * D) / 1e6;
  return `| ${sizeLabel(r.size)} | ${mflop < 10 ? mflop.toFixed(2) : mflop.toFixed(0)} | ${side((x) => x.floor?.plain)} | ${side((x) => x.floor?.fma)} | ${Math.round(100 * share)}% | ≤ ${targetOf(r.size)}× |`;
}

function row(r: HeadToHeadResult): string {
  const fastest = roundRatios(r.rounds);
  const medians = roundRatios(r.rounds, 'medianMs');
  const mid = median(fastest);
  const target = targetOf(r.size);
  const met = mid <= target ? (Math.max(...fastest) <= target ? 'met in every round' : 'met (median)') : '**not met**';
  const calls = r.rounds.reduce((n, x) => n + x.dualtape.calls, 0);
  const callsJax = r.rounds.reduce((n, x) => n + x.jax.calls, 0);
  return `| ${sizeLabel(r.size)} | ${r.W.toLocaleString('en-US')} | ${r.rounds.length} | ${ms(median(r.rounds.map((x) => x.dualtape.fastestMs)))} | ${ms(median(r.rounds.map((x) => x.jax.fastestMs)))} | ` +
    `**${ratio(mid)}** | ${ratio(Math.min(...fastest))} – ${ratio(Math.max(...fastest))} | ${ratio(median(medians))} | ≤ ${target}× | ${met} | ` +
    `${sci(r.err.dualtape)} (${r.verdict.dualtape}) / ${sci(r.err.jax)} (${r.verdict.jax}) | ${calls.toLocaleString('en-US')} / ${callsJax.toLocaleString('en-US')} |`;
}

export function headToHeadSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const mine = outcomes.filter((o) => o.task.suite === 'head-to-head');
  const results = mine.map((o) => o.result as HeadToHeadResult | undefined).filter((r): r is HeadToHeadResult => r !== undefined);
  const out: string[] = [HEADING, ''];
  out.push(measuredBy(env));
  out.push('');
  out.push('The two-layer tables above time JAX CPU right after dualtape, up to a minute apart; a disturbed minute on a shared machine moves a ratio by 2× at the small sizes. ' +
    'Here `gradAndHvp` and JAX CPU\'s `jit(jvp(value_and_grad(f)))` in float64 (same inputs, both H·v checked against `rPropagation`) take turns on the machine in short windows, ' +
    'dualtape first in even rounds and JAX first in odd ones, each window timing every call on its own after one untimed call (JAX with `block_until_ready`), after one unreported window each to warm up. ' +
    'A round\'s ratio is dualtape\'s fastest call over JAX\'s fastest call in the adjacent window; the table gives the median over rounds and their range, ' +
    'and beside it the median of the same ratio taken between the windows\' median calls. Targets are issue 13\'s. ' +
    'Run alone: `pnpm bench --only=head-to-head` (about three minutes).');
  out.push('');
  out.push(...jaxCpuEmptyNote(env));
  if (results.length) {
    const seconds = results[0].windowSeconds;
    out.push(`Window: ${seconds} s per side per round; JAX ${results[0].jaxVersion}.`);
    out.push('');
    out.push('| network | W | rounds | dualtape ms (median of fastest) | JAX CPU ms (median of fastest) | × JAX, median round | range over rounds | × JAX, median calls | target | target met | rel. error of H·v, dualtape / JAX | calls timed, dualtape / JAX |');
    out.push('|---|---:|---:|---:|---:|---:|---|---:|---|---|---|---|');
    for (const r of results) out.push(row(r));
    out.push('');
    const fused = results.map(fmaRow).filter((x): x is string => x !== null);
    if (fused.length) {
      out.push('**With the fused multiply-add kernels** (`setKernelBackend(\'auto\', { fma: true })`: relaxed SIMD\'s `f64x2.relaxed_madd`, an explicit opt-in on Node 20, which turns on V8\'s ' +
        '`--experimental-wasm-relaxed-simd` for the process; the default wherever the host ships relaxed SIMD, such as browsers and Node ≥ 22). The same call timed in a third window of each round, between the other two; ' +
        '"× plain" is its fastest call over the default kernels\' in the same round.');
      out.push('');
      out.push('| network | dualtape FMA ms (median of fastest) | JAX CPU ms (median of fastest) | × JAX, median round | range over rounds | × plain, median round | target | target met | rel. error of H·v |');
      out.push('|---|---:|---:|---:|---|---:|---|---|---|');
      out.push(...fused);
      out.push('');
    }
    const floors = results.map(floorRow).filter((x): x is string => x !== null);
    if (floors.length) {
      out.push('**The first layer\'s products alone**: the four matrix products the call cannot do without (X·W1ᵀ with its tangent X·V1ᵀ, and W1\'s adjoint δ1ᵀ·X with its R-adjoint R{δ1}ᵀ·X), ' +
        'made as the call makes them (two `gemmBatch` jobs on both cores, operands copied into the kernels\' memory, fresh results), in a short window after each round, with each kind of kernel; ' +
        '× JAX divides by the same round\'s JAX call (the whole of it). This is a floor under the call\'s ratio with these kernels: where it is near or above the target, no work around the kernels can meet it. ' +
        '"share" is the products\' time over the whole call\'s (default kernels, median round).');
      out.push('');
      out.push('| network | MFLOP | products alone ms | × JAX, median round (range) | with FMA ms | × JAX, median round (range) | share of the call | target |');
      out.push('|---|---:|---:|---|---:|---|---:|---|');
      out.push(...floors);
      out.push('');
    }
  }
  out.push(...failure(outcomes, (t) => t.suite === 'head-to-head'));
  return out;
}

export function spliceHeadToHeadSection(doc: string, lines: readonly string[]): string {
  return spliceSection(doc, (l) => l === HEADING, lines);
}
