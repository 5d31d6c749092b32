/**
 * Coming from JAX (docs/from-jax.md): a JAX program line by line in dualtape, each result checked
 * against a closed form.
 *
 *   1. jax.grad of a logistic loss over a parameter pytree, with the data closed over;
 *   2. H·v (jvp of grad), the Hessian and a Jacobian;
 *   3. grad of grad, and lax.stop_gradient;
 *   4. jit: record once, replay at new points;
 *   5. vmap: per-example gradients (f runs once per example: a loop, not a vectorisation);
 *   6. jax.checkpoint, and custom_jvp: for an elementwise function (defineOp) and for tensors (customJvp);
 *   7. grad(loss)(params, batch), vmap with in_axes=(None, 0), jnp.where(x > 0, …) and unpacking.
 *
 * Run: pnpm example from-jax
 */
import {
  checkpoint, compile, customJvp, defineOp, grad, gradAndHvp, greater, hessian, hvp, jacobian, softplus, stopGradient, tensor, vmap, where, type Scalar,
  type Tensor,
} from '@dualtape/core';
import { check, finish } from './lib/check.js';

// The data: three points in 2-D with labels ±1, and the parameters { w, b } of a linear classifier.
const xs = [[0.5, 1.5], [-1, 0.2], [2, -0.7]];
const labels = [1, -1, 1];
const X = tensor(xs);
const t = tensor(labels);
const params = { w: [0.5, -0.3], b: 0.1 };

// 1. jax.grad(loss)(params) — f takes one argument (a pytree); data is closed over.
// JAX:  def loss(p): return jnp.sum(jax.nn.softplus(-t * (X @ p['w'] + p['b'])))
const loss = (p: { w: Tensor; b: Scalar }) => softplus(X.matmul(p.w).add(p.b).mul(t).neg()).sum();
const g = grad(loss)(params); // { w: Float64Array [..], b: number }, shaped like params

// The closed forms, with zₙ = xₙ·w + b, σ the logistic sigmoid and uₙ = [xₙ; 1]:
// ∇E = Σ −tₙ σ(−tₙ zₙ) uₙ,  H = Σ σ(zₙ) σ(−zₙ) uₙ uₙᵀ.
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const us = xs.map((x) => [x[0], x[1], 1]);
const zs = xs.map((x) => x[0] * params.w[0] + x[1] * params.w[1] + params.b);
const gradE = [0, 1, 2].map((i) => zs.reduce((s, z, n) => s - labels[n] * sigmoid(-labels[n] * z) * us[n][i], 0));
const hessE = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => zs.reduce((s, z, n) => s + sigmoid(z) * sigmoid(-z) * us[n][i] * us[n][j], 0)));
console.log('1. grad of a logistic loss over { w, b }');
check('grad(loss)(params) against Σ −tₙ σ(−tₙ zₙ) [xₙ; 1]', [...g.w, g.b], gradE, 1e-15);

// 2. H·v: JAX's jax.jvp(jax.grad(loss), (params,), (v,))[1]. The direction v has params' structure.
const v = { w: [1, 0], b: 0 };
const Hv = hvp(loss, params, v);
const { value, grad: g2, hvp: Hv2 } = gradAndHvp(loss, params, v); // f, ∇f and H·v in one pass
// jax.hessian(loss)(params): here one n×n row-major Float64Array over the flattened parameters
// (w's entries, then b: the order of flatten(params)).
const H = hessian(loss, params);
// jax.jacrev(f)(x) for f: ℝ² → ℝ²: m×n row-major.
const J = jacobian((x: Tensor) => x.mul(x.at(0)), [2, 3]); // [[2·x₀, 0], [x₁, x₀]] = [4, 0, 3, 2]
console.log('\n2. H·v, the Hessian, a Jacobian');
check('hvp(loss, params, v) against H·v', [...Hv.w, Hv.b], [0, 1, 2].map((i) => hessE[3 * i]), 1e-15);
check('gradAndHvp gives the same f, ∇f and H·v', [...g2.w, g2.b, ...Hv2.w, Hv2.b], [...g.w, g.b, ...Hv.w, Hv.b], 0);
check('the loss value', value, zs.reduce((s, z, n) => s + Math.log1p(Math.exp(-labels[n] * z)), 0), 1e-15);
check('hessian(loss, params) against Σ σ(z)σ(−z) uuᵀ', H, hessE, 1e-15);
check('jacobian of x·x₀ at [2, 3]', J, [4, 0, 3, 2], 0);

// 3. jax.grad(jax.grad(f)): transforms nest to any depth, for scalar functions of a scalar.
const d2 = grad(grad((x: Scalar) => x.sin()))(0.3); // −sin 0.3
// lax.stop_gradient(y): the value passes, no derivative does, in every enclosing transform too.
const held = grad((x: Scalar) => x.mul(stopGradient(x)))(3); // d/dx (x·c) with c = 3 held: 3
console.log('\n3. nesting and stop_gradient');
check('grad(grad(sin))(0.3) = −sin 0.3', d2, -Math.sin(0.3), 1e-15);
check('grad of x·stopGradient(x) at 3 is 3, not 6', held, 3, 0);

// 4. jax.jit: compile records f once at a point and replays the recording at new points.
const program = compile(loss, params);
const moved = { w: [0.2, 0.1], b: -0.4 };
const replayed = program.gradAndHvp(moved, v);
const direct = gradAndHvp(loss, moved, v);
console.log('\n4. compile (jit)');
check('a replay at new parameters equals recording there', [replayed.value, ...replayed.grad.w, replayed.grad.b, ...replayed.hvp.w],
  [direct.value, ...direct.grad.w, direct.grad.b, ...direct.hvp.w], 0);

// 5. jax.vmap(jax.grad(loss_one), in_axes=(None, 0, 0)): vmap splits every leaf of its argument along
// axis 0 and calls f once per example (a loop: no batching rules), stacking the results.
const lossOne = (ex: { x: number[]; t: number }) => (p: { w: Tensor; b: Scalar }) => softplus(tensor(ex.x).dot(p.w).add(p.b).mul(-ex.t));
const perExample = vmap((ex: { x: number[]; t: number }) => grad(lossOne(ex))(params))({ x: xs, t: labels });
// perExample.w is 3×2 row-major (row n is example n's ∇w), perExample.b has one number per example.
console.log('\n5. per-example gradients (vmap)');
const summed = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, n) => s + (i < 2 ? perExample.w[2 * n + i] : perExample.b[n]), 0));
check('the per-example gradients sum to the full gradient', summed, gradE, 1e-15);
const explicit = xs.map((x, n) => grad(lossOne({ x, t: labels[n] }))(params));
check('vmap equals the explicit loop', [...perExample.w, ...perExample.b], [...explicit.flatMap((gn) => [...gn.w]), ...explicit.map((gn) => gn.b)], 0);

// 6. jax.checkpoint(layer): the block is recomputed in the reverse sweep instead of kept. Everything
// it differentiates is passed in its argument (closing over a parameter is refused).
const layer = checkpoint((p: { w: Tensor; h: Tensor }) => p.h.matmul(p.w).tanh());
const deep = (w: Tensor) => layer({ w: w.reshape([2, 2]), h: X.matmul(w.reshape([2, 2])) }).square().sum();
const plain = (w: Tensor) => X.matmul(w.reshape([2, 2])).matmul(w.reshape([2, 2])).tanh().square().sum();
const w0 = [0.3, -0.2, 0.1, 0.4], v0 = [1, 0, -1, 0.5];
const withCheckpoint = gradAndHvp(deep, w0, v0), without = gradAndHvp(plain, w0, v0);
// jax.custom_jvp for an elementwise function: defineOp with its partial derivatives, written with
// the algebra o so that they nest.
const cube = defineOp({ name: 'cube', primal: (x) => x ** 3, partials: (o, [x]) => [o.mul(3, o.mul(x, x))] });
console.log('\n6. checkpoint and a custom op');
check('checkpoint changes nothing in f, ∇f, H·v', [withCheckpoint.value, ...withCheckpoint.grad, ...withCheckpoint.hvp],
  [without.value, ...without.grad, ...without.hvp], 1e-15);
check('the third derivative of a custom cube is 6', grad(grad(grad((x: Scalar) => cube(x))))(0.7), 6, 1e-15);
check('and it works on tensors', grad((x: Tensor) => cube(x).sum())([1, 2]), [3, 12], 0);
// jax.custom_jvp for a function of tensors: customJvp(f, (x, dx, y) => ẏ). f may compute on numbers
// (here √x by Newton's iteration); the rule, written with ops, gives every derivative, nested too.
const newtonSqrt = customJvp(
  (x: Tensor) => tensor(x.value.map((a) => Array.from({ length: 60 }).reduce((r: number) => 0.5 * (r + a / r), Math.max(a, 1)))),
  (_x, dx, y) => dx.div(y.mul(2)),
);
check('customJvp: d²/dx² √x = −x^(−3/2)/4 at 4, by grad of grad', grad((x: Tensor) => (grad((t: Tensor) => newtonSqrt(t).sum())(x) as unknown as Tensor).sum())([4]), [-1 / 32], 1e-15);

// 7. The JAX idioms of several arguments: jax.grad(loss)(params, batch) (further arguments go to f
// as they are), vmap(grad(loss), in_axes=(None, 0))(params, batch), jnp.where(z > 0, z, 0.1 * z), and
// unpacking an array (a tensor iterates over its first axis).
type Batch = { x: number[][]; t: number[] };
const lossOn = (p: { w: Tensor; b: Scalar }, batch: Batch) => softplus(tensor(batch.x).matmul(p.w).add(p.b).mul(tensor(batch.t)).neg()).sum();
const gBatch = grad(lossOn)(params, { x: xs, t: labels });
const lossAt = (p: { w: Tensor; b: Scalar }, ex: { x: number[]; t: number }) => softplus(tensor(ex.x).dot(p.w).add(p.b).mul(-ex.t));
const perExample2 = vmap((p: typeof params, ex: { x: number[]; t: number }) => grad(lossAt)(p, ex), { inAxes: [null, 0] })(params, { x: xs, t: labels });
const leaky = grad((z: Tensor) => where(greater(z, 0), z, z.mul(0.1)).sum())([-1, 2]); // [0.1, 1]
const unpacked = grad(([a, b]: Tensor) => a.mul(b.sin()))([2, 0.5]); // [sin 0.5, 2 cos 0.5]
console.log('\n7. several arguments, in_axes, where, unpacking');
check('grad(lossOn)(params, batch) is grad of the closed-over loss', [...gBatch.w, gBatch.b], [...g.w, g.b], 0);
check('vmap with inAxes [null, 0] equals vmap over a closure', [...perExample2.w, ...perExample2.b], [...perExample.w, ...perExample.b], 0);
check('where(greater(z, 0), z, 0.1z) has gradient 0.1 or 1', leaky, [0.1, 1], 0);
check('const [a, b] = x differentiates a·sin b', unpacked, [Math.sin(0.5), 2 * Math.cos(0.5)], 1e-15);

finish();
