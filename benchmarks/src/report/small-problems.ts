/** The report's single-table problems: scalar Rosenbrock, the full Hessian, Newton-CG; each beside JAX CPU. */
import type { HessianResult, LanesRow, NewtonResult, RosenbrockResult } from '../lib/protocol.js';
import { ms, ratio, sci, verdictText, cell } from './format.js';
import { jaxCpuEmptyNote, jaxCpuResults, jaxRowsTable, xJaxOf } from './jax-cpu.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { spliceSection } from './splice.js';

const jaxFailures = (outcomes: readonly Outcome[], problem: string) => failure(outcomes, (t) => t.suite === 'jax-cpu' && t.problem === problem);

export function scalarSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const out: string[] = ['## Scalar graph: extended Rosenbrock written with scalar ops', ''];
  const o = outcomes.find((x) => x.task.suite === 'rosenbrock');
  if (!o?.result) return [...out, ...failure(outcomes, (t) => t.suite === 'rosenbrock'), ''];
  const r = o.result as RosenbrockResult;
  out.push('f(x) = Σᵢ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)², every operation a scalar node on the tape. H·v checked against the closed form (2×2 blocks), which is also timed as the floor: a plain loop with no AD. ' +
    '× JAX CPU: dualtape\'s ms / the ms of JAX CPU float64 on the same x and v, written the way a JAX user writes it (over the whole vector, `x[0::2]`, `x[1::2]`), timed right after.');
  out.push('');
  out.push('| n | tape nodes | gradAndHvp ms | ns / node | × JAX CPU | valueAndGrad ms | ns / node | × JAX CPU | closed-form H·v ms | gradAndHvp / closed form | rel. error vs closed form |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${r.n.toLocaleString('en-US')} | ${r.nodes.toLocaleString('en-US')} | ${ms(r.gradAndHvpMs)} | ${((r.gradAndHvpMs * 1e6) / r.nodes).toFixed(1)} | ${ratio(xJaxOf(outcomes, 'rosenbrock', 'jaxcpu.vec.jvpgrad.f64', r.gradAndHvpMs))} | ` +
    `${ms(r.valueAndGradMs)} | ${((r.valueAndGradMs * 1e6) / r.nodes).toFixed(1)} | ${ratio(xJaxOf(outcomes, 'rosenbrock', 'jaxcpu.vec.vg.f64', r.valueAndGradMs))} | ${ms(r.closedFormMs)} | ${ratio(r.gradAndHvpMs / r.closedFormMs)} | ${sci(r.err)} |`);
  out.push('');
  const t = r.tensor;
  if (t) {
    out.push('The same f written with tensor ops, as the JAX CPU version is (`a = x.slice(0, null, 0, 2)`, `b = x.slice(1, null, 0, 2)`, then elementwise ops and one `sum`: a handful of tensor nodes instead of 10⁶ scalar ones):');
    out.push('');
    out.push('| n | gradAndHvp ms | × JAX CPU | valueAndGrad ms | × JAX CPU | gradAndHvp / closed form | rel. error vs closed form |');
    out.push('|---:|---:|---:|---:|---:|---:|---:|');
    out.push(`| ${r.n.toLocaleString('en-US')} | ${ms(t.gradAndHvpMs)} | ${ratio(xJaxOf(outcomes, 'rosenbrock', 'jaxcpu.vec.jvpgrad.f64', t.gradAndHvpMs))} | ` +
      `${ms(t.valueAndGradMs)} | ${ratio(xJaxOf(outcomes, 'rosenbrock', 'jaxcpu.vec.vg.f64', t.valueAndGradMs))} | ${ratio(t.gradAndHvpMs / r.closedFormMs)} | ${sci(t.err)} |`);
    out.push('');
  }
  out.push(...jaxCpuEmptyNote(env));
  out.push(...jaxRowsTable(jaxCpuResults(outcomes, 'rosenbrock').flatMap((j) => j.rows), 'rel. error vs closed form'));
  out.push(...jaxFailures(outcomes, 'rosenbrock'));
  return out;
}

const HESSIAN_HEADING = '## Full Hessian: `hessian` (one recording, blocks of tangent lanes) against W separate `hvp` calls';

export function hessianSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const out: string[] = [HESSIAN_HEADING, ''];
  const h = outcomes.find((x) => x.task.suite === 'hessian')?.result as HessianResult | undefined;
  if (h) {
    out.push('f(x) = Σ tanh((A·x)ᵢ) + ½‖x‖² with a dense W×W matrix A; columns checked against hvp with unit vectors and the whole matrix against one sweep pair per direction. ' +
      `hessian carries ${h.lanes} unit directions per tangent sweep and reverse sweep (its default \`lanes\`, chosen from W and the tape: as many as keep a sweep's lanes within about 8 MB, at least 16), so A·Ẋ and Aᵀ·Ḡ are matrix-matrix products; ` +
      '"one direction per sweep" is one hvpOperator and W applies (hessian before lanes). ' +
      '× JAX CPU: dualtape\'s ms / the ms of JAX CPU float64 on the same A and x (`jit(hessian(f))`; W calls of `jit(jvp(grad(f)))`), whose Hessian is checked against dualtape\'s.');
    out.push('');
    out.push('| W | hessian ms | × JAX CPU | one direction per sweep ms | W × hvp ms | × JAX CPU | speed-up vs W × hvp | rel. error |');
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
    out.push(`| ${h.W} | ${ms(h.hessianMs)} | ${ratio(xJaxOf(outcomes, 'hessian', 'jaxcpu.hessian.f64', h.hessianMs))} | ${ms(h.oneByOneMs)} | ${ms(h.separateMs)} | ` +
      `${ratio(xJaxOf(outcomes, 'hessian', 'jaxcpu.hvploop.f64', h.separateMs))} | ${ratio(h.separateMs / h.hessianMs)} | ${sci(h.err)} |`);
    out.push('');
    out.push(...lanesTable(h.lanesRows));
  } else out.push(...failure(outcomes, (t) => t.suite === 'hessian'));
  out.push('');
  out.push(...jaxCpuEmptyNote(env));
  out.push(...jaxRowsTable(jaxCpuResults(outcomes, 'hessian').flatMap((j) => j.rows), 'rel. error vs dualtape\'s hessian'));
  out.push(...jaxFailures(outcomes, 'hessian'));
  return out;
}

/** hvpMany with k lanes against k applies of one hvpOperator. */
function lanesTable(rows: readonly LanesRow[]): string[] {
  const out = [
    '### k tangent lanes: `hvpMany` against k sweep pairs',
    '',
    'hvpMany(f, x, V) with k directions: one recording and gradient sweep, then ONE tangent sweep and ONE reverse sweep whose tangents and R-adjoints are k wide. ' +
      'Against it: k applies of an hvpOperator made beforehand (one sweep pair per direction). "record + ∇f ms" is hvpMany with no direction (recording f, its value and gradient sweeps); ' +
      '"lanes ns / node / direction" counts only the lane sweeps: (hvpMany − record + ∇f) / (nodes · k), a difference of two timings on a shared machine; "hvpMany ns / node / direction" includes recording f once. ' +
      'Each row checks hvpMany against the applies (≤ 1e-13) and Rosenbrock against its closed form.',
    '',
    '| problem | n | tape nodes | k | hvpMany ms | record + ∇f ms | k applies ms | lanes ns / node / direction | hvpMany ns / node / direction | k applies ns / node / direction | sweeps: applies / lanes | rel. error |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const per = (msValue: number) => (r.nodes > 0 && msValue > 0 ? ((msValue * 1e6) / (r.nodes * r.k)).toFixed(1) : '—');
    // A difference of two timings: load during one of them can make it meaningless (then '—').
    const lanesMs = r.hvpManyMs - r.operatorMs;
    out.push(`| ${cell(r.problem)} | ${r.n.toLocaleString('en-US')} | ${r.nodes > 0 ? r.nodes.toLocaleString('en-US') : '—'} | ${r.k} | ${ms(r.hvpManyMs)} | ${ms(r.operatorMs)} | ${ms(r.repeatedMs)} | ` +
      `${per(lanesMs)} | ${per(r.hvpManyMs)} | ${per(r.repeatedMs)} | ${lanesMs > 0 ? ratio(r.repeatedMs / lanesMs) : '—'} | ${sci(r.err)} |`);
  }
  return out;
}

/** \`doc\` with its full-Hessian section (and the lanes table in it) replaced by \`lines\`: \`--only=hessian\` rewrites only that. */
export function spliceHessianSection(doc: string, lines: readonly string[]): string {
  return spliceSection(doc, (l) => l.startsWith('## Full Hessian'), lines);
}

export function newtonSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const out: string[] = ['## Newton-CG (trust region, Steihaug CG) on extended Rosenbrock, tensor ops', ''];
  const n = outcomes.find((x) => x.task.suite === 'newton')?.result as NewtonResult | undefined;
  const jax = jaxCpuResults(outcomes, 'newton').flatMap((j) => j.rows);
  out.push('From x₀ = (−1.2, 1, −1.2, 1, …), stopping at ‖∇f‖ ≤ max(1e-8, 1e-12·‖∇f(x₀)‖) or after 200 iterations. ' +
    'JAX CPU: `scipy.optimize.minimize(method="trust-ncg")` — the same trust-region Steihaug-CG algorithm with the same defaults and stopping test — with f and ∇f from `jit(value_and_grad(f))` and `hessp = jit(jvp(grad(f)))`; ' +
    'the outer loop and the CG vectors are scipy\'s (numpy), compilation is excluded. × JAX CPU: dualtape\'s wall time / JAX + scipy\'s.');
  out.push('');
  out.push('| solver | n | wall time s | × JAX CPU | iterations | H·v products | final f | converged | rel. error of H·v at x₀ | note |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---|');
  const jaxRow = jax.find((r) => r.newton);
  if (n) {
    const x = jaxRow?.newton ? n.seconds / jaxRow.newton.seconds : null;
    out.push(`| dualtape newtonCG | ${n.n.toLocaleString('en-US')} | ${n.seconds.toFixed(2)} | ${ratio(x)} | ${n.iterations} | ${n.hvpCount} | ${n.value.toExponential(2)} | ${n.converged} | — | V8 warm-up included (fresh process) |`);
  }
  for (const r of jax) {
    const s = r.newton;
    out.push(`| ${cell(r.label)} | ${n ? n.n.toLocaleString('en-US') : '—'} | ${s ? s.seconds.toFixed(2) : '—'} | — | ${s?.iterations ?? '—'} | ${s?.hvpCount ?? '—'} | ${s ? s.value.toExponential(2) : '—'} | ${s?.converged ?? '—'} | ${sci(r.err)} ${verdictText(r)} | ${cell(r.note ?? '')} |`);
  }
  out.push('');
  if (!n) out.push(...failure(outcomes, (t) => t.suite === 'newton'));
  out.push(...jaxCpuEmptyNote(env));
  out.push(...jaxFailures(outcomes, 'newton'));
  const notes = [...new Set(jaxCpuResults(outcomes, 'newton').flatMap((j) => j.notes.slice(1)))];
  for (const note of notes) out.push(`- ${note}`);
  if (notes.length) out.push('');
  return out;
}
