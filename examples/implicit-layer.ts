/**
 * An implicit layer with its own derivative (guide page 6): z = tanh(W·z + U·x + b), a fixed point found
 * by iterating on plain numbers, made differentiable by `customJvp` with the implicit function
 * theorem's JVP, ż = (I − D·W)⁻¹·D·(Ẇ·z + U̇·x + ḃ), D = diag(1 − z²) — JAX's `custom_jvp` for a
 * deep-equilibrium layer.
 *
 *   1. f, ∇f and H·v against the same fixed point unrolled with ops (100 iterations recorded);
 *   2. H·v against central differences of ∇f;
 *   3. what each records: one node for the layer against thousands;
 *   4. Newton-CG (trust region) on the loss through the layer, H·v from the rule;
 *   5. a loss holding a derivative of the layer (nested transforms): the rule is differentiated again.
 *
 * Run: pnpm example implicit-layer
 */
import { customJvp, eye, grad, gradAndHvp, solve, tensor, trace, type Scalar, type Tensor } from '@dualtape/core';
import { newtonCG } from '@dualtape/curvature';
import { check, checkAtMost, finish } from './lib/check.js';

const H = 5, D = 3;
/** Seeded numbers in [−scale, scale). */
const numbers = (n: number, seed: number, scale = 1) => Array.from({ length: n }, (_, k) => scale * Math.sin(12.9898 * (k + 1) + 78.233 * seed));
const rows = (a: number[], cols: number) => Array.from({ length: a.length / cols }, (_, i) => a.slice(i * cols, (i + 1) * cols));

type Params = { W: Tensor; U: Tensor; b: Tensor };
type Point = { W: number[][]; U: number[][]; b: number[] };
const x = tensor(numbers(D, 1)).value, target = numbers(H, 2, 0.5);

/** The fixed point on plain numbers: 200 steps of z ← tanh(W·z + U·x + b) (‖W‖ < 0.5: a contraction). */
function solveFixedPoint(W: Float64Array, U: Float64Array, b: Float64Array): Float64Array {
  const drive = Float64Array.from({ length: H }, (_, i) => b[i] + U.slice(i * D, (i + 1) * D).reduce((s, u, j) => s + u * x[j], 0));
  let z = new Float64Array(H);
  for (let step = 0; step < 200; step++) z = z.map((_, i) => Math.tanh(drive[i] + W.slice(i * H, (i + 1) * H).reduce((s, w, j) => s + w * z[j], 0)));
  return z;
}

// z = tanh(W·z + U·x + b), solved on numbers; ż = (I − D·W)⁻¹·D·(Ẇ·z + U̇·x + ḃ), D = diag(1 − z²).
const layer = customJvp(
  ({ W, U, b }: Params) => tensor(solveFixedPoint(W.value, U.value, b.value)),
  ({ W }, { W: dW, U: dU, b: db }, z) => {
    const d = z.square().neg().add(1);
    return solve(eye(H).sub(d.reshape([H, 1]).mul(W)), d.mul(dW.matmul(z).add(dU.matmul(tensor(x))).add(db)));
  },
);
/** The same layer written with ops: 100 steps recorded on the tape and differentiated step by step. */
const unrolled = ({ W, U, b }: Params): Tensor => {
  const drive = U.matmul(tensor(x)).add(b);
  let z: Tensor = drive.mul(0);
  for (let step = 0; step < 100; step++) z = W.matmul(z).add(drive).tanh();
  return z;
};
/** ½‖z − t‖² + 0.01‖W‖²; the matrices reshaped here, as an optimizer may hand them over flat. */
const lossThrough = (zOf: (p: Params) => Tensor) => (p: Params): Scalar => {
  const shaped = { W: p.W.reshape([H, H]), U: p.U.reshape([H, D]), b: p.b };
  return zOf(shaped).sub(target).square().sum().mul(0.5).add(p.W.square().sum().mul(0.01));
};

const p0: Point = { W: rows(numbers(H * H, 3, 0.2), H), U: rows(numbers(H * D, 4), D), b: numbers(H, 5, 0.3) };
const v: Point = { W: rows(numbers(H * H, 6), H), U: rows(numbers(H * D, 7), D), b: numbers(H, 8) };
const flat = (t: { W: ArrayLike<number>; U: ArrayLike<number>; b: ArrayLike<number> }) => [...Array.from(t.W), ...Array.from(t.U), ...Array.from(t.b)];

console.log('1. the implicit layer against the fixed point unrolled with ops');
const implicit = gradAndHvp(lossThrough(layer), p0, v);
const ops = gradAndHvp(lossThrough(unrolled), p0, v);
check('f', implicit.value, ops.value, 1e-13);
check('∇f', flat(implicit.grad), flat(ops.grad), 1e-12);
check('H·v', flat(implicit.hvp), flat(ops.hvp), 1e-12);

console.log('2. H·v against (∇f(w + hv) − ∇f(w − hv)) / 2h');
const h = 1e-5;
const shifted = (s: number): Point => ({
  W: p0.W.map((r, i) => r.map((w, j) => w + s * h * v.W[i][j])),
  U: p0.U.map((r, i) => r.map((u, j) => u + s * h * v.U[i][j])),
  b: p0.b.map((c, i) => c + s * h * v.b[i]),
});
const gPlus = flat(grad(lossThrough(layer))(shifted(1))), gMinus = flat(grad(lossThrough(layer))(shifted(-1)));
check('H·v', flat(implicit.hvp), gPlus.map((g, k) => (g - gMinus[k]) / (2 * h)), 1e-7);

console.log('3. what each records');
const nodes = (f: (p: Params) => Scalar) => trace(f, p0, v).rows.length;
const [oneNode, unrolledNodes] = [nodes(lossThrough(layer)), nodes(lossThrough(unrolled))];
console.log(`  tape nodes: ${oneNode} with the implicit layer (one node for it), ${unrolledNodes} unrolled`);
checkAtMost('nodes with the implicit layer / unrolled', oneNode / unrolledNodes, 0.1);

console.log('4. Newton-CG (trust region) on the loss through the layer');
const fit = newtonCG(lossThrough(layer), p0, { gradTolerance: 1e-10, maxIterations: 100 });
console.log(`  ${fit.iterations} iterations, ${fit.hvpCount} H·v products, f = ${fit.value.toExponential(3)}, ${fit.reason}`);
const gradAtFit = grad(lossThrough(layer))(fit.x as never) as unknown as { W: Float64Array; U: Float64Array; b: Float64Array };
checkAtMost('‖∇f‖ at the end', Math.hypot(...flat(gradAtFit)), 1e-10);

console.log('5. a loss that holds a derivative: ½‖∂f/∂b‖², differentiated through the inner gradient');
// Nested: the inner grad records the rule's sweeps as ops, and gradAndHvp differentiates them again.
const penalty = (zOf: (p: Params) => Tensor) => (p: Params): Scalar =>
  (grad(lossThrough(zOf))(p) as unknown as Params).b.square().sum().mul(0.5);
const nestedImplicit = gradAndHvp(penalty(layer), p0, v), nestedOps = gradAndHvp(penalty(unrolled), p0, v);
check('∇ of the penalty', flat(nestedImplicit.grad), flat(nestedOps.grad), 1e-11);
check('H·v of the penalty (third derivatives of the layer)', flat(nestedImplicit.hvp), flat(nestedOps.hvp), 1e-10);

finish();
