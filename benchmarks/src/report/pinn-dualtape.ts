/**
 * The report's PINN section for dualtape (suites/pinn.ts) beside the JAX + scipy anchor
 * (pinn-results.json): the three numbers of issue 16 — the error reached, the time to a relative
 * L2 error of 1e-8, and one gradAndHvp of the PINN loss against JAX's jvp(grad(L)) — and the cost
 * of the nested loss against the plain data-fit loss of the same network.
 *
 * `pnpm bench --only=pinn` splices this section and the anchor's into docs/benchmarks.md in place
 * ({@link spliceSections}), leaving the other suites' sections as their last full run wrote them.
 */
import type { PerCall, PinnResult } from '../lib/protocol.js';
import { cell, ratio, sci } from './format.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import type { PinnNetwork, PinnResults } from './pinn.js';

const us = (t: PerCall) => `${t.cpuUs.toFixed(0)} (${t.us.toFixed(0)})`;
const seconds = (s: number | null | undefined) => (s === null || s === undefined ? 'not reached' : s.toFixed(2));

/** Within 2×: met; else by how much it is missed. */
const verdict = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x <= 2 ? 'met' : `**missed** (${(x / 2).toFixed(1)}× over the 2× bound)`);

export function pinnDualtapeSection(env: Environment, outcomes: readonly Outcome[], anchor: PinnResults | undefined): string[] {
  const out: string[] = ['## PINN: dualtape on the same problem (`pnpm example pinn`)', ''];
  const o = outcomes.find((x) => x.task.suite === 'pinn');
  if (!o?.result) return [...out, ...failure(outcomes, (t) => t.suite === 'pinn'), 'Not run: `pnpm bench --only=pinn` measures it.', ''];
  const r = o.result as PinnResult;
  const jax = (name: string): PinnNetwork | undefined => anchor?.networks.find((n) => n.network === name);
  out.push(`Measured by \`${env.command}\` on ${env.date}, commit ${env.commit}, Node ${env.node}, load average at start ${env.loadAverage} ` +
    `(this machine is shared: other jobs ran beside it). The loss, network, initial weights and schedule are those of the anchor above ` +
    '(examples/lib/pinn-problem.ts and pinn-schedule.ts, imported by the suite): u_xx = ∇ₓ Σⱼ (∇ₓ Σⱼ u(xⱼ))ⱼ by two nested `grad`s over all 64 points at once, ' +
    'inside `gradAndHvp` (or `valueAndGrad`, `hvpOperator`) over the weights. dualtape\'s optimizers are `@dualtape/curvature`\'s `adam`, `lbfgs` (memory 50, no gradient tolerance) and `newtonCG` ' +
    '(trust region, Steihaug CG on `hvpOperator(…).applyFlat`, ‖∇L‖ ≤ 1e-12, at most 1000 iterations).');
  out.push('');
  out.push('**One call.** µs per call, CPU time of the process (wall time in brackets), ' +
    `the fastest of ${env.quick ? '3 samples of 20 calls (80' : '9 samples of 200 calls (800'} for the data-fit loss) at the initial weights. ` +
    'JAX\'s `jvp(grad(L))` is the anchor\'s: a `lax.fori_loop` of calls divided by their number, wall time. × JAX divides dualtape\'s CPU µs by it (the wall ratio in brackets); the target of issue 16 is ≤ 2×. ' +
    'Tape nodes: the nodes one call records, the inner transforms\' sweeps included.');
  out.push('');
  out.push('| network | W | tape nodes PINN / data-fit | PINN gradAndHvp µs | data-fit gradAndHvp µs | PINN / data-fit | PINN valueAndGrad µs | PINN hvpOperator apply µs | JAX jvp(grad(L)) µs | × JAX | target ≤ 2× | H·v vs central differences |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const n of r.networks) {
    const j = jax(n.network)?.perCall.jvpGradLoopUs ?? null;
    const x = j === null ? null : n.pinnGradAndHvp.cpuUs / j;
    const xWall = j === null ? null : n.pinnGradAndHvp.us / j;
    out.push(`| ${n.network} | ${n.W} | ${n.nodes.pinn} / ${n.nodes.dataFit} | ${us(n.pinnGradAndHvp)} | ${us(n.dataFitGradAndHvp)} | ` +
      `${ratio(n.pinnGradAndHvp.cpuUs / n.dataFitGradAndHvp.cpuUs)} | ${us(n.pinnValueAndGrad)} | ${us(n.pinnApply)} | ${j === null ? '—' : j.toFixed(0)} | ` +
      `${ratio(x)} (${ratio(xWall)}) | ${verdict(x)} | ${sci(n.hvpVsFiniteDifferences)} |`);
  }
  out.push('');
  const trained = r.networks.filter((n) => n.training);
  if (trained.length) {
    out.push(`**Training.** The example's schedule, timed as the anchor times its own: from the start of Adam, the error on 1001 points checked after every 500 Adam steps and every L-BFGS and Newton-CG iteration, the checks' own time excluded.`);
    out.push('');
    out.push('| network | stage | iterations | H·v products | wall time at its end s | CPU time at its end s | loss | rel. L2 error | stopped because |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const n of trained) {
      for (const s of n.training!.stages) {
        out.push(`| ${n.network} | ${s.stage} | ${s.iterations} | ${s.hvpCount ?? '—'} | ${s.seconds.toFixed(2)} | ${s.cpuSeconds.toFixed(2)} | ${sci(s.loss)} | ${sci(s.relL2)} | ${cell(s.reason)} |`);
      }
    }
    out.push('');
    out.push(`| network | dualtape: wall s to rel. L2 ≤ ${sci(r.target)} | CPU s | JAX + scipy: wall s | CPU s | × JAX (CPU) | × JAX (wall) | target ≤ 2× | lowest rel. L2: dualtape | final: dualtape | final: JAX + scipy |`);
    out.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
    for (const n of trained) {
      const t = n.training!;
      const j = jax(n.network);
      const xCpu = t.cpuSecondsToTarget !== null && j?.cpuSecondsToTarget ? t.cpuSecondsToTarget / j.cpuSecondsToTarget : null;
      const xWall = t.secondsToTarget !== null && j?.secondsToTarget ? t.secondsToTarget / j.secondsToTarget : null;
      const final = t.stages[t.stages.length - 1]?.relL2;
      const jaxFinal = j?.stages[j.stages.length - 1]?.relL2;
      out.push(`| ${n.network} | ${seconds(t.secondsToTarget)} | ${seconds(t.cpuSecondsToTarget)} | ${seconds(j?.secondsToTarget)} | ${seconds(j?.cpuSecondsToTarget)} | ` +
        `${ratio(xCpu)} | ${ratio(xWall)} | ${t.cpuSecondsToTarget === null ? '**not reached**' : verdict(xCpu)} | ${sci(t.lowestRelL2)} | ${sci(final)} | ${sci(jaxFinal)} |`);
    }
    out.push('');
    out.push(`The ratios set this run against the JAX + scipy run saved in \`pinn-results.json\` (${anchor ? `${anchor.date}, load average ${anchor.machine.loadAverage}` : 'none saved'}). ` +
      'One run each: on this shared machine the wall time of a run moves by up to 3× with the load, on both sides (most of JAX + scipy\'s time is scipy\'s L-BFGS-B in Python); CPU time moves less; the header of examples/pinn.ts quotes one such run of each side. ' +
      'dualtape\'s L-BFGS does not stop by itself here (its line search tolerates the rounding noise of f, `relativeValueNoise`), so it uses all 20 000 iterations. ' +
      'The last Newton-CG iterations lower the loss further. The lowest error of the run is given beside the final one, and `pnpm example pinn` also prints the error with the line through u(0) and u(1) taken out (the part due to the boundary values).');
    out.push('');
  }
  return out;
}

/**
 * docs/benchmarks.md with its PINN sections (from `## PINN` up to the next section that is not a
 * PINN one) replaced by `lines`, or with `lines` put before `## Reproduce` when it has none yet.
 */
export function spliceSections(doc: string, lines: readonly string[]): string {
  const all = doc.split('\n');
  const isPinn = (l: string) => l.startsWith('## PINN');
  const first = all.findIndex(isPinn);
  const reproduce = all.findIndex((l) => l.startsWith('## Reproduce'));
  if (first === -1) {
    const at = reproduce === -1 ? all.length : reproduce;
    return [...all.slice(0, at), ...lines, ...all.slice(at)].join('\n');
  }
  let end = first + 1;
  while (end < all.length && !(all[end].startsWith('## ') && !isPinn(all[end]))) end++;
  return [...all.slice(0, first), ...lines, ...all.slice(end)].join('\n');
}
