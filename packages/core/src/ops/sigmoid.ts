// y = σ(x) = 1/(1 + e⁻ˣ);  dy/dx = σ(x)σ(−x) = y(1 − y);  d²y/dx² = y(1 − y)(1 − 2y).
// Evaluated as e^x/(1 + e^x) for x < 0 so that e^(−x) never overflows.
// 1 − 2y near 0 is −tanh(x/2) (the internal op sigmoidSpread when nested): 1 − 2y cancels there, y being ½
// to a rounding, so σ″ (and the third derivatives of softplus, logSigmoid, logAddExp and silu, which
// take it from here) lost their relative accuracy there: σ″(1e-9) = −1.25e-10 came out 8e-8 off.
import { defineUnary } from '../elementwise/unary.js';
import { tanhNumber } from './special/hyperbolic-tangent.js';

/**
 * The logistic sigmoid 1/(1 + e⁻ˣ), elementwise, stable for large |x|.
 * @function
 * @example
 * ```ts
 * sigmoid(tensor([0, Math.log(3)])).value; // [0.5, 0.75]
 * grad((x: Scalar) => sigmoid(x))(0);  // 0.25
 * ```
 */
export const sigmoid = defineUnary({
  name: 'sigmoid',
  f: stableSigmoid,
  // σ(x)·σ(−x), not y(1 − y): for large x, 1 − y cancels to rounding error. When nested, the op
  // sigmoidSlope: the product rule would form σ″ as σ′σ(−x) − σσ′(−x), which cancels near 0.
  df: (o, x, y) => (o.kind === 'nodes' ? o.map(sigmoidSlope, x) : o.mul(y, o.map(sigmoid, o.neg(x)))),
  // 1 − 2y as the op sigmoidSpread when nested; at top level from the numbers, 1 − 2y where it keeps
  // its relative accuracy (|x| ≥ 1: |1 − 2y| > 0.46) and −tanh(x/2) only near 0, where it cancels.
  d2f: (o, x, y, dy) => o.mul(dy, o.kind === 'nodes' ? o.map(sigmoidSpread, x) : o.step2(x, y, spreadOfSigmoid)),
});

/** 1 − 2σ(x) from x and y = σ(x): −tanh(x/2) near 0, where 1 − 2y would cancel; 1 − 2y elsewhere. */
function spreadOfSigmoid(x: number, y: number): number {
  return Math.abs(x) < 1 ? -tanhNumber(x / 2) : 1 - 2 * y;
}

// s(x) = 1 − 2σ(x) = σ(−x) − σ(x) = −tanh(x/2);  s′ = −2σ(x)σ(−x);  s″ = −2σ′(1 − 2σ) = s′·s.
// An op of its own so that its value keeps its relative accuracy near 0 at every level, and its
// derivatives are products of σ(x), σ(−x) and s (no 1 − 2σ formed anywhere). Not exported.
export const sigmoidSpread = defineUnary({
  name: 'sigmoidSpread',
  f: (x) => -tanhNumber(x / 2),
  df: (o, x) => o.mul(-2, o.map(sigmoidSlope, x)),
  d2f: (o, _x, y, dy) => o.mul(dy, y),
});

// σ′(x) = σ(x)σ(−x), σ's first derivative as an op of its own (used when a transform is nested); with
// s = sigmoidSpread(x) = 1 − 2σ:  σ″ = σ′·s;  σ‴ = σ′(s² − 2σ′) (s′ = −2σ′): products, no difference of
// nearly equal terms near 0. Its value is the top-level product σ(x)·σ(−x), so the two levels agree.
// Not exported.
export const sigmoidSlope = defineUnary({
  name: 'sigmoidSlope',
  f: (x) => stableSigmoid(x) * stableSigmoid(-x),
  df: (o, x, y) => o.mul(y, o.map(sigmoidSpread, x)),
  d2f: (o, x, y) => {
    const s = o.map(sigmoidSpread, x);
    return o.mul(y, o.sub(o.mul(s, s), o.mul(2, y)));
  },
});

/** σ(x) without overflow: exp is only ever taken of a non-positive number. */
export function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
