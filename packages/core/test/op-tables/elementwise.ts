// Elementwise functions beyond the core set: trigonometric, hyperbolic, special functions, activations.
// Points stay inside each op's domain and away from its kinks and jumps by more than the finite
// differences reach (checkGrads steps ~1e-5).
import * as ops from '../../src/ops/index.js';
import { tensor, type Scalar, type Tensor } from '../../src/index.js';
import { anyReal, awayFromZero, binaryCases, positive, unaryCases, uniform, type Case, type Table } from './cases.js';

/** A comparison op as where's mask and as a factor, on operands of several shapes. */
function comparisonCases(op: (a: Tensor, b: Tensor | number) => Tensor): Case[] {
  return [
    { f: (p: { a: Tensor; b: Tensor }) => ops.where(op(p.a, p.b), p.a.square(), p.a.mul(p.b)).sum(), x: () => ({ a: anyReal(4), b: anyReal(4) }) as never },
    { f: (p: { a: Tensor; b: Tensor }) => op(p.a.reshape([2, 3]), p.b).mul(p.a.reshape([2, 3]).mul(p.b)).sum(), x: () => ({ a: anyReal(6), b: anyReal(3) }) as never },
    { f: (x: Tensor) => ops.where(op(x, 0.25), x.sin(), x.cos()).sum(), x: () => anyReal(5) },
  ];
}

/** Fractional part in [0.2, 0.8): away from the integers, where floor and ceil jump. */
const awayFromIntegers = (n: number) => uniform(n, -3, 3).map((v) => Math.floor(v) + 0.2 + 0.6 * (v - Math.floor(v)));
/** Within 0.3 of an integer: away from the half-integers, where round jumps. */
const awayFromHalves = (n: number) => uniform(n, -3, 3).map((v) => Math.round(v) + 0.6 * (v - Math.round(v)));
const between = (lo: number, hi: number) => (n: number) => uniform(n, lo, hi);
/** Away from relu6's kinks at 0 and 6 by at least 0.2: on each of its three pieces. */
const offRelu6Kinks = (n: number) => uniform(n, 0, 3).map((v) => (v < 1 ? -2 + 1.8 * v : v < 2 ? 0.2 + 5.6 * (v - 1) : 6.2 + 2 * (v - 2)));
/** Away from hardTanh's kinks at ±1 by at least 0.1. */
const offUnitKinks = (n: number) => uniform(n, -2.5, 2.5).map((v) => (Math.abs(Math.abs(v) - 1) < 0.1 ? 0.5 * v : v));

export const table: Table = {
  tan: unaryCases(ops.tan, between(-1.2, 1.2)),
  asin: unaryCases(ops.asin, between(-0.9, 0.9)),
  acos: unaryCases(ops.acos, between(-0.9, 0.9)),
  atan: unaryCases(ops.atan, between(-4, 4)),
  sinh: unaryCases(ops.sinh, anyReal),
  cosh: unaryCases(ops.cosh, anyReal),
  asinh: unaryCases(ops.asinh, between(-3, 3)),
  acosh: unaryCases(ops.acosh, between(1.2, 3)),
  atanh: unaryCases(ops.atanh, between(-0.9, 0.9)),
  expm1: unaryCases(ops.expm1, anyReal),
  exp2: unaryCases(ops.exp2, anyReal),
  log2: unaryCases(ops.log2, positive),
  log10: unaryCases(ops.log10, positive),
  cbrt: unaryCases(ops.cbrt, (n) => awayFromZero(n, 0.3, 2)),
  rsqrt: unaryCases(ops.rsqrt, positive),
  reciprocal: unaryCases(ops.reciprocal, (n) => awayFromZero(n, 0.5, 2)),
  erf: unaryCases(ops.erf, between(-2, 2)),
  erfc: unaryCases(ops.erfc, between(-2, 2.5)),
  gelu: unaryCases(ops.gelu, between(-3, 3)),
  silu: unaryCases(ops.silu, between(-4, 4)),
  logit: unaryCases(ops.logit, between(0.1, 0.9)),
  elu: [
    ...unaryCases((x: Tensor) => ops.elu(x, 1.5), (n) => awayFromZero(n, 0.1, 2)),
    { f: (x: Tensor) => ops.elu(x).square().sum(), x: () => awayFromZero(3, 0.1, 2) },
  ],
  leakyRelu: [
    ...unaryCases((x: Tensor) => ops.leakyRelu(x, 0.2), (n) => awayFromZero(n, 0.1, 2)),
    { f: (x: Tensor) => ops.leakyRelu(x).mul(x).sum(), x: () => awayFromZero(3, 0.1, 2) },
  ],
  // Piecewise constant: the cases multiply by x so that the gradient is the op's value.
  sign: unaryCases(ops.sign, (n) => awayFromZero(n, 0.2, 2)),
  floor: unaryCases(ops.floor, awayFromIntegers),
  ceil: unaryCases(ops.ceil, awayFromIntegers),
  round: unaryCases(ops.round, awayFromHalves),
  trunc: unaryCases(ops.trunc, awayFromIntegers),
  // Masks of the kind of number: finite points give isFinite 1, the others 0; as where's mask and as a factor.
  ...Object.fromEntries((['isNan', 'isFinite', 'isInf'] as const).map((name) => [name, [
    ...unaryCases(ops[name], anyReal),
    { f: (x: Tensor) => ops.where(ops[name](x.log()), x.square(), x.sin()).sum(), x: () => [...positive(2), -0.5] },
  ]])),
  // Comparisons: as a mask for where (the gradient follows the branch each element is on) and as a
  // factor (the gradient of mask·a·b is mask·b, mask·a). Random points never tie, so equal is 0 there.
  ...Object.fromEntries(
    (['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual'] as const).map((name) => [name, comparisonCases(ops[name])]),
  ),
  remainder: [
    ...binaryCases(ops.remainder, anyReal, (n) => awayFromZero(n, 0.4, 2)),
    { f: (p: { a: Tensor; b: Tensor }) => ops.remainder(p.a.mul(3), p.b).mul(p.b).sum(), x: () => ({ a: anyReal(4), b: awayFromZero(4, 0.4, 2) }) as never },
  ],
  lgamma: [
    ...unaryCases(ops.lgamma, between(0.3, 4)),
    // Reflection: x < 0 between the poles.
    { f: (x: Scalar) => ops.lgamma(x).mul(x), x: () => uniform(1, -1.8, -1.2)[0] },
  ],
  digamma: [
    ...unaryCases(ops.digamma, between(0.3, 4)),
    { f: (x: Tensor) => ops.digamma(x).mul(x).sum(), x: () => uniform(2, -2.8, -2.2) },
  ],
  polygamma: [
    { f: (x: Scalar) => ops.polygamma(1, x).mul(x), x: () => uniform(1, 0.5, 3)[0] },
    { f: (x: Tensor) => ops.polygamma(2, x).mul(x.sin().add(2)).sum(), x: () => uniform(3, 0.5, 3) },
    { f: (x: Tensor) => ops.polygamma(0, x.at(0)).mul(ops.polygamma(3, x).sum()), x: () => uniform(2, 1, 3) },
    { f: (x: Scalar) => ops.polygamma(1, x), x: () => uniform(1, -1.8, -1.2)[0] },
  ],
  clip: [
    // Number bounds: points inside, below and above, away from the bounds.
    { f: (x: Tensor) => ops.clip(x.mul(x), 0.5, 2).mul(x).sum(), x: () => [0.3, -1.1, 1.6] },
    { f: (x: Scalar) => ops.clip(x, -1, 1).mul(x.exp()), x: () => uniform(1, -0.8, 0.8)[0] },
    // Node bounds, broadcast: lo a scalar, hi a tensor of x's shape.
    {
      f: (p: { x: Tensor; lo: Scalar; hi: Tensor }) => ops.clip(p.x, p.lo, p.hi).square().sum(),
      x: () => ({ x: [-2, 0.1, 0.5, 3], lo: -1, hi: [2, 2, 0.2, 1] }) as never,
    },
    { f: (p: { x: Scalar; b: Tensor }) => ops.clip(p.x, p.b.at(0), p.b.at(1)).mul(p.b.sum()), x: () => ({ x: 0.5, b: [1, 2] }) as never },
  ],
  atan2: [
    // b > 0 keeps the points off the branch cut (b < 0, a = 0), where θ jumps by 2π.
    ...binaryCases(ops.atan2, anyReal, positive),
    { f: (p: { a: Tensor; b: Tensor }) => ops.atan2(p.a, p.b).square().sum(), x: () => ({ a: awayFromZero(3, 0.5, 2), b: uniform(3, -2, -0.3) }) as never },
  ],
  hypot: binaryCases(ops.hypot, (n) => awayFromZero(n, 0.3, 2), anyReal),
  logSigmoid: [
    ...unaryCases(ops.logSigmoid, between(-4, 4)),
    { f: (x: Tensor) => ops.logSigmoid(x).mul(x).sum(), x: () => [-30, 25, 0.5] },
  ],
  xlogy: [
    ...binaryCases(ops.xlogy, anyReal, positive),
    // x = 0 in one entry: there ∂y/∂b is exactly 0 (not 0/b's rounding), and finite differences agree.
    { f: (p: { a: Tensor; b: Tensor }) => ops.xlogy(p.a.mul(tensor([0, 1, 1])), p.b).sum().square(), x: () => ({ a: anyReal(3), b: positive(3) }) as never },
  ],
  xlog1py: binaryCases(ops.xlog1py, anyReal, between(-0.7, 2)),
  sinc: [
    ...unaryCases(ops.sinc, between(-3, 3)),
    // Near 0, where the derivatives come from the Maclaurin series, and across the switch at |πx| = 2.
    { f: (x: Tensor) => ops.sinc(x).mul(x.cos()).sum(), x: () => [...uniform(3, -0.05, 0.05), 0.62, -0.66] },
  ],
  erfinv: [
    ...unaryCases(ops.erfinv, between(-0.9, 0.9)),
    { f: (x: Tensor) => ops.erfinv(x).sum(), x: () => [0.98, -0.97, 0.4] },
  ],
  ndtr: unaryCases(ops.ndtr, between(-3, 3)),
  logNdtr: [
    ...unaryCases(ops.logNdtr, between(-4, 3)),
    // The left tail, where r and x + r come from the continued fraction.
    { f: (x: Tensor) => ops.logNdtr(x).sum(), x: () => [...uniform(2, -30, -3), -2.1, -1.9, 6] },
  ],
  selu: unaryCases(ops.selu, (n) => awayFromZero(n, 0.1, 2)),
  celu: [
    ...unaryCases((x: Tensor) => ops.celu(x, 0.7), (n) => awayFromZero(n, 0.1, 2)),
    { f: (x: Tensor) => ops.celu(x).square().sum(), x: () => awayFromZero(3, 0.1, 2) },
  ],
  softsign: unaryCases(ops.softsign, (n) => awayFromZero(n, 0.1, 3)),
  mish: [
    ...unaryCases(ops.mish, between(-4, 4)),
    { f: (x: Tensor) => ops.mish(x).sum(), x: () => [-12, 9, -1.2] },
  ],
  relu6: unaryCases(ops.relu6, offRelu6Kinks),
  hardTanh: unaryCases(ops.hardTanh, offUnitKinks),
  logAddExp: [
    ...binaryCases(ops.logAddExp, anyReal, anyReal),
    { f: (x: Tensor) => ops.logAddExp(x, tensor([30, -30, 0])).sum().square(), x: () => anyReal(3) },
  ],
};
