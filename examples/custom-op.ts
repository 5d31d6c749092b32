/**
 * A custom op with `defineOp` (guide page 6): y = ln cosh x, the smooth absolute value used in robust
 * regression.
 *
 *   y   = ln cosh x            (computed as |x| + ln(1 + e^(−2|x|)) − ln 2, which cannot overflow)
 *   y′  = tanh x
 *   y″  = 1 − tanh² x
 *   y‴  = −2 tanh x (1 − tanh² x)
 *
 * 1. The nestable form: give the partial derivative y′ written with the algebra `o`. The engine
 *    derives the tangent and the dual backward rule from it (y″ included), and the op works inside
 *    nested transforms, so its third derivative is grad(grad(grad(logcosh))).
 * 2. The mistake to avoid: a partial frozen to a plain number keeps the gradient and loses H·v.
 * 3. The dual-number form: tangent and backward on numbers and dual numbers, for top-level use.
 *
 * Run: pnpm example custom-op
 */
import {
  D, NestedTransformError, defineOp, grad, gradAndHvp, tanh, tensor, type Scalar, type Tensor,
} from '@dualtape/core';
import { checkGrads } from '@dualtape/core/testing';
import { check, finish } from './lib/check.js';

// 1. The nestable form.
const logcosh = defineOp({
  name: 'logcosh',
  primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
  partials: (o, [x]) => [o.map(tanh, x)],
});

// Robust regression: E(w) = Σₙ ln cosh(xₙ·w − tₙ).
const X = [1, 0.5, 1, -1, 1, 2, 1, 3.5]; // 4 patterns × 2 features (a bias column and one input)
const T = [0.3, -1.1, 2.4, 9];
const loss = (w: Tensor) => logcosh(tensor(X, [4, 2]).matmul(w).sub(tensor(T))).sum();

const w = [0.2, 0.9];
const v = [1, -0.5];
const { value, grad: gradE, hvp: hvpE } = gradAndHvp(loss, w, v);
console.log(`1. E(w) = ${value}\n   ∇E   = [${Array.from(gradE).join(', ')}]\n   H·v  = [${Array.from(hvpE).join(', ')}]`);

// By hand: with rₙ = xₙ·w − tₙ, ∇E = Xᵀ tanh(r) and H·v = Xᵀ diag(1 − tanh² r) X v.
const r = T.map((t, n) => X[2 * n] * w[0] + X[2 * n + 1] * w[1] - t);
const Xv = T.map((_, n) => X[2 * n] * v[0] + X[2 * n + 1] * v[1]);
const gradByHand = [0, 1].map((j) => r.reduce((s, rn, n) => s + X[2 * n + j] * Math.tanh(rn), 0));
const hvpByHand = [0, 1].map((j) => r.reduce((s, rn, n) => s + X[2 * n + j] * (1 - Math.tanh(rn) ** 2) * Xv[n], 0));
check('E against Σ ln cosh rₙ', value, r.reduce((s, rn) => s + Math.log(Math.cosh(rn)), 0));
check('∇E against Xᵀ tanh(r)', gradE, gradByHand);
check('H·v against Xᵀ diag(1 − tanh² r) X v', hvpE, hvpByHand);

// Nested: the third derivative, and the library's harness at order 3 (finite differences of the
// order below, through nested transforms).
const third = grad(grad(grad(logcosh)))(0.8);
check('ln cosh‴(0.8) = −2 tanh x (1 − tanh² x)', third, -2 * Math.tanh(0.8) * (1 - Math.tanh(0.8) ** 2));
const scalarLoss = (p: { a: Scalar; b: Scalar }) => logcosh(p.a.mul(p.b)).add(p.a.square());
const checks = checkGrads(scalarLoss, { a: 0.8, b: -1.3 }, { order: 3 });
check(`checkGrads at order 3: ${checks.length} comparisons passed`, checks.filter((c) => c.passed).length, checks.length, 0);

// 2. The mistake TensorFlow.js made for tanh, exp and sigmoid (its issue 3252): a local derivative
// treated as a plain number. o.step(x, fn) is the algebra's piecewise constant (for masks at kinks),
// so tanh through it is frozen: the gradient is still right; H·v loses ȳ·(1 − tanh² x)·R{x}, here all
// of it.
const logcoshFrozen = defineOp({
  name: 'logcosh-frozen',
  primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
  partials: (o, [x]) => [o.step(x, Math.tanh)], // wrong at second order
});
const frozenLoss = (w: Tensor) => logcoshFrozen(tensor(X, [4, 2]).matmul(w).sub(tensor(T))).sum();
const frozen = gradAndHvp(frozenLoss, w, v);
console.log(`\n2. with the partial frozen: ∇E = [${Array.from(frozen.grad).join(', ')}], H·v = [${Array.from(frozen.hvp).join(', ')}]`);
check('frozen partial: the gradient is unchanged', frozen.grad, gradE);
check('frozen partial: H·v has lost the second-order term (it is 0 here)', frozen.hvp, [0, 0], 0);

// 3. The dual-number form: R{y} on numbers, and the backward rule in dual arithmetic, where
// D.tanh(x) carries its own tangent (1 − tanh² x)·R{x}. Top-level transforms only.
const logcoshDual = defineOp({
  name: 'logcoshDual',
  primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
  tangent: ([x], [xDot]) => Math.tanh(x) * xDot,
  backward: ([x], _y, yBar) => [D.mul(yBar, D.tanh(x))],
});
const dualLoss = (w: Tensor) => logcoshDual(tensor(X, [4, 2]).matmul(w).sub(tensor(T))).sum();
const byDual = gradAndHvp(dualLoss, w, v);
console.log('\n3. the dual-number form, at top level and nested:');
check('the same ∇E and H·v at top level', [...byDual.grad, ...byDual.hvp], [...gradE, ...hvpE], 1e-15);
try {
  grad(grad(logcoshDual))(0.8);
  check('nested: throws', 0, 1, 0);
} catch (error) {
  console.log(`   ${(error as Error).name}: ${(error as Error).message}`);
  check('nested: a NestedTransformError that says to give partials', Number(error instanceof NestedTransformError), 1, 0);
}

// Large arguments: the stable primal does not overflow where cosh would.
const far = gradAndHvp(logcosh, 800, 1);
check('at 800: ln cosh = 800 − ln 2, slope 1, curvature 0', [far.value, far.grad, far.hvp], [800 - Math.LN2, 1, 0]);
finish();
