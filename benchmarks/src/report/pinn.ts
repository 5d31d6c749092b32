/**
 * The PINN anchor section: JAX + scipy on u″ = −π² sin(πx) (benchmarks/jax/pinn.py), quoted from
 * the results that script saved (benchmarks/jax/pinn-results.json), so that a regenerated report
 * keeps it. It is measured by its own command, not by `pnpm bench`.
 */
import { cell, ms, sci } from './format.js';

export interface PinnStage {
  readonly stage: string;
  readonly iterations: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly loss: number;
  readonly relL2: number;
  readonly hvpCount?: number;
  readonly message?: string;
}

export interface PinnNetwork {
  readonly network: string;
  readonly parameters: number;
  readonly compileSeconds: number;
  readonly stages: PinnStage[];
  readonly secondsToTarget: number | null;
  readonly cpuSecondsToTarget: number | null;
  readonly perCall: { jvpGradLoopUs: number; gradLoopUs: number; jvpGradDispatchUs: number; gradDispatchUs: number; loopCalls: number };
}

export interface PinnResults {
  readonly command: string;
  readonly date: string;
  readonly machine: { cpu: string; cores: number; loadAverage: string };
  readonly versions: Record<string, string>;
  readonly target: number;
  readonly networks: PinnNetwork[];
}

export function pinnSection(pinn: PinnResults | undefined): string[] {
  const out: string[] = ['## PINN anchor: JAX + scipy on this machine', ''];
  out.push('u″ = −π² sin(πx) on [0, 1], u(0) = u(1) = 0 (exact solution sin πx); tanh networks; 64 evenly spaced collocation points; ' +
    'L(θ) = mean over the points of (u_xx + π² sin πx)² + ½ (u(0)² + u(1)²), u_xx = `grad(grad(u))` in x, vmapped; float64. ' +
    'Schedule: Adam 5000 steps (lr 1e-3) → L-BFGS (scipy L-BFGS-B, memory 50) → trust-region Newton-CG (scipy trust-ncg, `hessp = jit(jvp(grad(L)))`). ' +
    'The exact loss, initialisation and settings are in the docstring of `benchmarks/jax/pinn.py`; it is the yardstick of dualtape\'s `pnpm example pinn` (issue 16). ' +
    'Measured by its own command, not by `pnpm bench`, and quoted here from `benchmarks/jax/pinn-results.json`:');
  out.push('');
  out.push('```sh');
  out.push('.venv/bin/python benchmarks/jax/pinn.py   # needs jax and scipy: python3 -m venv .venv && .venv/bin/pip install jax scipy');
  out.push('```');
  out.push('');
  if (!pinn) return [...out, 'No saved results: run the command above.', ''];
  out.push(`Run on ${pinn.date}, ${pinn.machine.cpu}, ${pinn.machine.cores} cores, load average at start ${pinn.machine.loadAverage}; ${Object.entries(pinn.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  out.push('');
  out.push('| network | W | stage | iterations | H·v products | wall time at its end s | CPU time at its end s | loss | rel. L2 error (1001 points) |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const n of pinn.networks) {
    for (const s of n.stages) out.push(`| ${n.network} | ${n.parameters} | ${cell(s.stage)} | ${s.iterations} | ${s.hvpCount ?? '—'} | ${s.seconds.toFixed(2)} | ${s.cpuSeconds.toFixed(2)} | ${sci(s.loss)} | ${sci(s.relL2)} |`);
  }
  out.push('');
  out.push(`| network | wall time to rel. L2 error ≤ ${sci(pinn.target)} s | CPU time to it s | jit compilation s (excluded) | jvp(grad(L)) µs / call, compiled loop | grad(L) µs / call, compiled loop | ratio | jvp(grad(L)) µs, one call from Python | grad(L) µs, one call from Python |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of pinn.networks) {
    const c = n.perCall;
    const reached = (s: number | null) => (s === null ? 'not reached' : s.toFixed(2));
    out.push(`| ${n.network} | ${reached(n.secondsToTarget)} | ${reached(n.cpuSecondsToTarget)} | ${n.compileSeconds.toFixed(1)} | ${ms(c.jvpGradLoopUs)} | ${ms(c.gradLoopUs)} | ${(c.jvpGradLoopUs / c.gradLoopUs).toFixed(2)} | ${ms(c.jvpGradDispatchUs)} | ${ms(c.gradDispatchUs)} |`);
  }
  out.push('');
  out.push('Wall time runs from the start of Adam; the error is checked after every 500 Adam steps and every scipy iteration, and those checks\' own time is excluded. ' +
    'CPU time is that of the Python process (all its threads): on a loaded machine the wall time also counts the time other processes held the cores. ' +
    'Most of the time is scipy\'s L-BFGS-B itself, not JAX: with memory 50 its `setulb` step took ~1.5 ms per iteration here (cProfile), against ~0.3 ms with memory 10, which however stalls above 1e-8 on 1-16-1. ' +
    'Per-call times: the fastest of several runs of a `lax.fori_loop` of calls, each feeding the next (H·v normalised into the next direction), divided by the number of calls; and 100 jitted calls from Python, each waited for.');
  out.push('');
  return out;
}
