/** The two-layer network section of the report: summaries (× hand-written, × JAX CPU) and a table per size. */
import { sizeLabel } from '../lib/problem.js';
import type { MethodResult, Size, TwoLayerResult } from '../lib/protocol.js';
import { cell, flag, ms, ratio, sci, verdictText } from './format.js';
import { jaxCpuEmptyNote, jaxTwoLayerGroups, xJax } from './jax-cpu.js';
import { failure, sameSize, type Environment, type Outcome } from './outcome.js';

/** Rows that compute one H·v from scratch (not the baselines, not gradient-only, not a reused point). */
const FROM_SCRATCH = (m: MethodResult) =>
  !['hand', 'nn.rPropagation', 'dualtape.valueAndGrad', 'dualtape.apply'].includes(m.id) && !/^jaxcpu\.(vg|linearize)\./.test(m.id);

/** A sentence per size naming the fastest correct methods, computed from the rows. */
function findings(methods: readonly MethodResult[]): string[] {
  const ok = methods.filter((m) => FROM_SCRATCH(m) && m.verdict === 'ok' && m.xHand !== null);
  const by = (a: MethodResult, b: MethodResult) => a.xHand! - b.xHand!;
  const fastest = [...ok].sort(by)[0];
  const fastest64 = ok.filter((m) => m.precision === 'float64').sort(by)[0];
  const gh = methods.find((m) => m.id === 'dualtape.gradAndHvp');
  const apply = methods.find((m) => m.id === 'dualtape.apply');
  if (!fastest) return [];
  const parts = [`Fastest H·v from scratch within its tolerance: **${fastest.label}** (${ratio(fastest.xHand)}, ${fastest.precision})`];
  if (fastest64 && fastest64 !== fastest) parts.push(`fastest within the float64 tolerance: **${fastest64.label}** (${ratio(fastest64.xHand)})`);
  if (gh && gh !== fastest && gh !== fastest64 && gh.xHand !== null && fastest.xHand !== null) parts.push(`dualtape gradAndHvp ${ratio(gh.xHand)}, ${(gh.xHand / fastest.xHand).toFixed(2)}× the time of the fastest`);
  if (apply && apply.xHand !== null) parts.push(`with the point recorded once, \`hvpOperator(...).apply\` ${ratio(apply.xHand)}`);
  const ghJax = gh ? xJax(gh, methods) : null;
  if (ghJax !== null) parts.push(`dualtape gradAndHvp takes ${ratio(ghJax)} the time of JAX CPU float64 (same run)`);
  return [`${parts.join('; ')}.`];
}

function summaryRows(order: readonly MethodResult[], bySize: readonly MethodResult[][], value: (m: MethodResult, rows: readonly MethodResult[]) => number | null): string[] {
  return order.map((o) => {
    const cells = bySize.map((rows) => {
      const m = rows.find((x) => x.id === o.id);
      return m ? `${ratio(value(m, rows))}${flag(m)}` : '—';
    });
    return `| ${cell(o.label)} | ${o.precision} | ${cells.join(' | ')} |`;
  });
}

export function twoLayerSection(env: Environment, outcomes: readonly Outcome[], sizes: readonly Size[]): string[] {
  const node = outcomes.filter((o) => o.result && (o.result as TwoLayerResult).suite === 'two-layer').map((o) => o.result as TwoLayerResult);
  // JAX CPU right after dualtape, as the run orders them; then the JavaScript peers.
  const jax = jaxTwoLayerGroups(outcomes);
  const results = [...node.filter((r) => r.group === 'dualtape'), ...jax, ...node.filter((r) => r.group !== 'dualtape')];
  const out: string[] = [];
  out.push('## Two-layer tanh network, sum-of-squares error: H·v');
  out.push('');
  out.push('E(w) = ½ Σₙₖ (yₙₖ − tₙₖ)², y = tanh(X·W1ᵀ + b1)·W2ᵀ + b2, sizes D-H-K with N patterns, W parameters. ' +
    'Every method computes H·v for the same w, v, X, T (seeded; JAX CPU reads them from files the Node side writes), and is checked against `rPropagation` of `@dualtape/nn` ' +
    '(the hand-derived PRML §5.4.6 R-propagation, float64) before it is timed.');
  out.push('');
  // Method order: as the groups report them.
  const order: MethodResult[] = [];
  for (const r of results) for (const m of r.methods) if (!order.some((o) => o.id === m.id)) order.push(m);
  const bySize = sizes.map((s) => results.filter((r) => sameSize(r.size, s)));
  const rowsBySize = bySize.map((rs) => rs.flatMap((r) => r.methods));
  const W = (i: number) => bySize[i][0]?.W;
  const header = `| method | precision | ${sizes.map((s, i) => `${sizeLabel(s)}${W(i) ? ` (W=${W(i)!.toLocaleString('en-US')})` : ''}`).join(' | ')} |`;
  const rule = `|---|---|${sizes.map(() => '---:').join('|')}|`;

  out.push('### Summary: time per call as × the hand-written R-propagation (lower is faster)');
  out.push('');
  out.push('Each ratio divides the method\'s time by the geometric mean of two timings of the hand-written plain-JS R-propagation ' +
    'taken in the same child process just before and just after the method. The hand-written row is that baseline timed as a method, so its distance from 1.00× shows the timing noise. ' +
    'JAX CPU runs in Python: its baseline is timed in the Node process that starts Python, just before and just after the whole Python run.');
  out.push('');
  out.push(header, rule, ...summaryRows(order, rowsBySize, (m) => m.xHand), '');

  out.push('### Summary: time per call as × JAX CPU (lower is faster)');
  out.push('');
  out.push('Each ratio divides the method\'s ms per call by the ms of JAX CPU (jax with XLA on this CPU, `jit`, timed after a warm-up call with `block_until_ready`, fastest sample) doing the same job at the same precision, measured in the same run right after the dualtape process of that size: ' +
    '`jit(jvp(value_and_grad(f)))` (f, ∇f and H·v) for every row that computes H·v from scratch, `jit(value_and_grad(f))` for valueAndGrad, `jit(linearize(grad(f), w)[1])` for `hvpOperator(...).apply`. ' +
    'Plain ms over ms, with no baseline correction: JAX and the dualtape process run one after the other, a minute apart at most. XLA and dualtape\'s kernels both use every core. ' +
    'For gradAndHvp, the section "gradAndHvp against JAX CPU, interleaved" below measures the same ratio with the two taking turns on the machine, which a disturbed minute cannot skew.');
  out.push('');
  out.push(...jaxCpuEmptyNote(env));
  out.push(header, rule, ...summaryRows(order.filter((m) => !m.id.startsWith('jaxcpu.')), rowsBySize, xJax), '');

  sizes.forEach((s, i) => {
    const rs = bySize[i];
    const rows = rowsBySize[i];
    out.push(`### ${sizeLabel(s)}${W(i) ? `, W = ${W(i)!.toLocaleString('en-US')}` : ''}`);
    out.push('');
    out.push('| method | precision | ms / call (fastest sample) | hand-written ms, adjacent | × hand-written | × JAX CPU | rel. error of H·v | verdict | samples | note |');
    out.push('|---|---|---:|---:|---:|---:|---:|---|---:|---|');
    for (const m of rows) {
      out.push(`| ${cell(m.label)} | ${m.precision} | ${ms(m.ms)} | ${ms(m.handMs)} | ${ratio(m.xHand)} | ${ratio(xJax(m, rows))} | ${sci(m.err)} | ${verdictText(m)} | ${m.samples ?? '—'} | ${cell(m.note ?? '')} |`);
    }
    out.push('');
    const own = rs.find((r) => r.group === 'dualtape');
    const peers = rs.filter((r) => r.group !== 'dualtape' && r.handTimings.length);
    const all = peers.flatMap((r) => r.handTimings);
    out.push(`Hand-written baseline timings: ${own ? `dualtape process median ${ms(own.handMs)} ms (${ms(Math.min(...own.handTimings))}–${ms(Math.max(...own.handTimings))} over ${own.handTimings.length} timings)` : 'dualtape process failed'}` +
      `${all.length ? `; the ${peers.length} peer processes ${ms(Math.min(...all))}–${ms(Math.max(...all))} ms (medians ${ms(Math.min(...peers.map((r) => r.handMs)))}–${ms(Math.max(...peers.map((r) => r.handMs)))})` : ''}.`);
    out.push('');
    out.push(...findings(rows));
    out.push('');
    const notes = [...new Set(rs.flatMap((r) => r.notes))];
    for (const n of notes) out.push(`- ${n}`);
    if (notes.length) out.push('');
    out.push(...failure(outcomes, (t) => (t.suite === 'two-layer' || (t.suite === 'jax-cpu' && t.problem === 'two-layer')) && t.size !== undefined && sameSize(t.size, s)));
  });
  return out;
}
