/**
 * A custom op with `defineOp` (guide page 6): y = ln cosh x, the smooth absolute value used in robust
 * regression. Its rules:
 *
 *   y   = ln cosh x            (computed as |x| + ln(1 + e^(−2|x|)) − ln 2, which cannot overflow)
 *   y′  = tanh x
 *   y″  = 1 − tanh² x
 *
 * The backward rule is written on dual numbers, D.mul(ȳ, D.tanh(x)): the engine runs it on
 * (x, R{x}), so its R{·}, ȳ·(1 − tanh² x)·R{x}, the second-order term, comes with no more code.
 * A rule that freezes the local derivative as a plain number keeps the gradient and loses that term.
 *
 * Run: pnpm example custom-op
 */
import { D, defineOp, gradAndHvp, tensor, type Scalar, type Tensor } from '@dualtape/core';
import { checkGrads } from '@dualtape/core/testing';
import { check, finish } from './lib/check.js';

const logcosh = defineOp({
  name: 'logcosh',
  primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
  tangent: ([x], [xDot]) => Math.tanh(x) * xDot,
  backward: ([x], _y, yBar) => [D.mul(yBar, D.tanh(x))],
});

// Robust regression: E(w) = Σₙ ln cosh(xₙ·w − tₙ).
const X = [1, 0.5, 1, -1, 1, 2, 1, 3.5]; // 4 patterns × 2 features (a bias column and one input)
const T = [0.3, -1.1, 2.4, 9];
const loss = (w: Tensor) => (logcosh(tensor(X, [4, 2]).matmul(w).sub(tensor(T))) as Tensor).sum();

const w = [0.2, 0.9];
const v = [1, -0.5];
const { value, grad, hvp } = gradAndHvp(loss, w, v);
console.log(`E(w) = ${value}\n∇E   = [${Array.from(grad).join(', ')}]\nH·v  = [${Array.from(hvp).join(', ')}]`);

// By hand: with rₙ = xₙ·w − tₙ, ∇E = Xᵀ tanh(r) and H·v = Xᵀ diag(1 − tanh² r) X v.
const r = T.map((t, n) => X[2 * n] * w[0] + X[2 * n + 1] * w[1] - t);
const Xv = T.map((_, n) => X[2 * n] * v[0] + X[2 * n + 1] * v[1]);
const gradByHand = [0, 1].map((j) => r.reduce((s, rn, n) => s + X[2 * n + j] * Math.tanh(rn), 0));
const hvpByHand = [0, 1].map((j) => r.reduce((s, rn, n) => s + X[2 * n + j] * (1 - Math.tanh(rn) ** 2) * Xv[n], 0));
console.log('\nchecks:');
check('E against Σ ln cosh rₙ', value, r.reduce((s, rn) => s + Math.log(Math.cosh(rn)), 0));
check('∇E against Xᵀ tanh(r)', grad, gradByHand);
check('H·v against Xᵀ diag(1 − tanh² r) X v', hvp, hvpByHand);

// The same op on scalar nodes, and the library's own harness (finite differences, symmetry, …).
const scalarLoss = (p: { a: Scalar; b: Scalar }) => (logcosh(p.a.mul(p.b)) as Scalar).add(p.a.square());
const checks = checkGrads(scalarLoss, { a: 0.8, b: -1.3 }, { order: 2 });
check(`checkGrads: ${checks.length} comparisons passed`, checks.filter((c) => c.passed).length, checks.length, 0);
// The mistake TensorFlow.js made for tanh, exp and sigmoid (its issue 3252): a backward rule that
// treats the local derivative as a plain number, D.scale(ȳ, tanh x), instead of the dual D.tanh(x).
// The gradient is still right; H·v loses ȳ·(1 − tanh² x)·R{x}, which here is all of it.
const logcoshFrozen = defineOp({
  name: 'logcosh-frozen',
  primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
  tangent: ([x], [xDot]) => Math.tanh(x) * xDot,
  backward: ([x], _y, yBar) => [D.scale(yBar, Math.tanh(x.value))],
});
const frozenLoss = (w: Tensor) => (logcoshFrozen(tensor(X, [4, 2]).matmul(w).sub(tensor(T))) as Tensor).sum();
const frozen = gradAndHvp(frozenLoss, w, v);
console.log(`\nwith the local derivative frozen: ∇E = [${Array.from(frozen.grad).join(', ')}], H·v = [${Array.from(frozen.hvp).join(', ')}]`);
check('frozen rule: the gradient is unchanged', frozen.grad, grad);
check('frozen rule: H·v has lost the second-order term (it is 0 here)', frozen.hvp, [0, 0], 0);

// Large arguments: the stable primal does not overflow where cosh would.
check('ln cosh 800 = 800 − ln 2', gradAndHvp((x: Scalar) => logcosh(x) as Scalar, 800, 1).value, 800 - Math.LN2);
finish();
