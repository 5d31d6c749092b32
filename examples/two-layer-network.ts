/**
 * The two-layer network of PRML §5.4.6 built from core ops, against the hand-derived R-propagation of
 * @dualtape/nn (guide page 4).
 *
 * Part 1 traces the smallest interesting case, D = 1 input, H = 2 tanh hidden units, K = 1 linear
 * output, one pattern, and names the equation of §5.4.6 each step realizes (5.98–5.111).
 * Part 2 checks a 2-3-2 network on 5 patterns: E, ∇E and H·v agree with `rPropagation`.
 *
 * Run: pnpm example two-layer-network
 */
import { flatten, formatLane, formatTrace, gradAndHvp, tensor, trace, type Tensor } from '@dualtape/core';
import { flattenParams, initParams, mulberry32, rPropagation, type TwoLayerSpec } from '@dualtape/nn';
import { EXAMPLES, noteFor } from './playground/src/examples.js';
import { check, finish } from './lib/check.js';

interface Params<T> { w1: T; b1: T; w2: T; b2: T }

/**
 * E(w) = ½ Σₙ Σₖ (yₙₖ − tₙₖ)² for N patterns, rows of X (N×D) and T (N×K), as one tape:
 * A = X·W1ᵀ + b1 (5.98), Z = h(A) (5.99), Y = Z·W2ᵀ + b2 (5.100).
 */
function networkLoss(spec: TwoLayerSpec, X: number[], T: number[]) {
  const { inputs: D, hidden: H, outputs: K } = spec;
  const N = X.length / D;
  return (p: Params<Tensor>) => {
    const A = tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).add(p.b1);
    const Z = A.tanh();
    const Y = Z.matmul(p.w2.reshape([K, H]).transpose()).add(p.b2);
    return Y.sub(tensor(T, [N, K])).square().sum().mul(0.5);
  };
}

// ---- Part 1: the 1-2-1 network, one pattern, step by step ------------------------------------------
console.log('Part 1. PRML §5.4.6 on a 1-2-1 network (x = 0.5, t = 0.2), the sweeps node by node\n');
const tiny: TwoLayerSpec = { inputs: 1, hidden: 2, outputs: 1, activation: 'tanh', output: 'linear' };
const example = EXAMPLES.find((e) => e.id === 'network')!;
const p1 = JSON.parse(example.x) as Params<number[]>;
const v1 = JSON.parse(example.v) as Params<number[]>;
// The same function as the playground's, written out: x first, then the layers.
const tinyLoss = (p: Params<Tensor>) => {
  const x = tensor([0.5]);
  const a = p.w1.reshape([2, 1]).matmul(x).add(p.b1);
  const z = a.tanh();
  const y = p.w2.reshape([1, 2]).matmul(z).add(p.b2);
  return y.sub(tensor([0.2])).square().sum().mul(0.5);
};
const t = trace(tinyLoss, p1, v1);
console.log(formatTrace(t, { reverse: false }));
const notes = example.notes!(t);
if (!notes) throw new Error('the tape differs from the one the PRML notes describe');
console.log('\nforward sweep: each node gets its value and R{value}');
for (const r of t.rows) {
  const note = noteFor(t, notes, r.index, 'forward');
  console.log(`  #${String(r.index).padEnd(2)} ${r.op.padEnd(8)} ${note}`);
}
console.log('\nreverse sweep: each active node, last to first, pushes (ȳ, R{ȳ}) into its inputs');
for (const s of t.reverse) {
  const into = s.pushes.map((q) => `#${q.input}`).join(', ');
  console.log(`  #${String(s.node).padEnd(2)} ${s.op.padEnd(8)} ${noteFor(t, notes, s.node, 'reverse')}${into ? `  → ${into}` : ''}`);
}
const tinyRef = rPropagation(tiny, toF64(p1), [0.5], [0.2], toF64(v1));
console.log(`\nH·v from the trace: ${formatLane(flatten(t.hvp))}`);
console.log('checks:');
check('E (trace) = E (rPropagation)', t.value, tinyRef.value, 1e-12);
check('∇E (trace) = ∇E (rPropagation, 5.104–5.109)', flatten(t.grad), flattenParams(tinyRef.grad), 1e-12);
check('H·v (trace) = H·v (rPropagation, 5.101–5.111)', flatten(t.hvp), flattenParams(tinyRef.hvp), 1e-12);

// ---- Part 2: a 2-3-2 network on 5 patterns ---------------------------------------------------------
console.log('\nPart 2. A 2-3-2 tanh network on 5 patterns: gradAndHvp against rPropagation');
const spec: TwoLayerSpec = { inputs: 2, hidden: 3, outputs: 2, activation: 'tanh', output: 'linear' };
const rand = mulberry32(7);
const X = Array.from({ length: 5 * 2 }, () => 2 * rand() - 1);
const T = Array.from({ length: 5 * 2 }, () => 2 * rand() - 1);
const params = initParams(spec, 1);
const v = initParams(spec, 2);
const engine = gradAndHvp(networkLoss(spec, X, T), params, v);
const reference = rPropagation(spec, params, X, T, v);
console.log(`  E = ${engine.value}`);
console.log(`  H·v = ${formatLane(flatten(engine.hvp), { maxEntries: 17 })}`);
check('E', engine.value, reference.value, 1e-12);
check('∇E', flatten(engine.grad), flattenParams(reference.grad), 1e-12);
check('H·v', flatten(engine.hvp), flattenParams(reference.hvp), 1e-12);
finish();

function toF64(p: Params<number[]>): Params<Float64Array> {
  return { w1: Float64Array.from(p.w1), b1: Float64Array.from(p.b1), w2: Float64Array.from(p.w2), b2: Float64Array.from(p.b2) };
}
