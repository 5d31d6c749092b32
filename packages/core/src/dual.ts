/**
 * Dual numbers: a value and its tangent, (x, ẋ), where ẋ = R{x} = vᵀ∇x is Pearlmutter's R-operator.
 * These are pure functions that never record anything; user-defined ops write their backward rules
 * with them, so the R{·} of every local derivative is carried along by the arithmetic itself.
 *
 * @example
 * ```ts
 * import { dual, D } from '@dualtape/core';
 * const x = dual(0.5, 1);          // x = 0.5, R{x} = 1
 * const y = D.mul(x, D.tanh(x));   // y = x·tanh x and R{y} = tanh x + x(1 − tanh² x)
 * ```
 * @module
 */

/**
 * A dual number: `value` is the primal, `tangent` its directional derivative R{·}.
 *
 * @example
 * ```ts
 * const x: Dual = dual(0.5, 1);
 * D.tanh(x).tangent; // 0.7864 = 1 − tanh² 0.5
 * ```
 */
export interface Dual {
  readonly value: number;
  readonly tangent: number;
}

/**
 * Makes a dual number; the tangent defaults to 0 (a constant).
 *
 * @example
 * ```ts
 * D.mul(dual(3, 1), dual(3, 1)).tangent; // 6: R{x²} = 2x·R{x}
 * dual(2).tangent; // 0
 * ```
 */
export function dual(value: number, tangent = 0): Dual {
  return { value, tangent };
}

const add = (a: Dual, b: Dual): Dual => dual(a.value + b.value, a.tangent + b.tangent);
const sub = (a: Dual, b: Dual): Dual => dual(a.value - b.value, a.tangent - b.tangent);
const mul = (a: Dual, b: Dual): Dual => dual(a.value * b.value, a.tangent * b.value + a.value * b.tangent);
const div = (a: Dual, b: Dual): Dual => {
  const y = a.value / b.value;
  return dual(y, (a.tangent - y * b.tangent) / b.value);
};
const neg = (a: Dual): Dual => dual(-a.value, -a.tangent);
const scale = (a: Dual, s: number): Dual => dual(a.value * s, a.tangent * s);
/** Applies a scalar function given its derivative at the primal: (f(x), f'(x)·ẋ). */
const lift = (a: Dual, y: number, dydx: number): Dual => dual(y, dydx * a.tangent);
const exp = (a: Dual): Dual => {
  const y = Math.exp(a.value);
  return lift(a, y, y);
};
const log = (a: Dual): Dual => lift(a, Math.log(a.value), 1 / a.value);
const sqrt = (a: Dual): Dual => {
  const y = Math.sqrt(a.value);
  return lift(a, y, 0.5 / y);
};
const sin = (a: Dual): Dual => lift(a, Math.sin(a.value), Math.cos(a.value));
const cos = (a: Dual): Dual => lift(a, Math.cos(a.value), -Math.sin(a.value));
const tanh = (a: Dual): Dual => {
  const y = Math.tanh(a.value);
  return lift(a, y, 1 - y * y);
};
const pow = (a: Dual, p: number): Dual => lift(a, a.value ** p, p === 0 ? 0 : p * a.value ** (p - 1));
/** ln(1 + x), accurate for small |x|; d/dx = 1/(1 + x). */
const log1p = (a: Dual): Dual => lift(a, Math.log1p(a.value), 1 / (1 + a.value));
/** σ(x) on one number, never computing e^(+large): e^x/(1 + e^x) below 0. */
const logistic = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};
/**
 * The logistic sigmoid σ(x) = 1/(1 + e⁻ˣ); d/dx = σ(x)·σ(−x), each factor computed in its stable
 * form, so the derivative keeps its relative accuracy in the tails where σ(x)(1 − σ(x)) would be 0.
 */
const sigmoid = (a: Dual): Dual => {
  const y = logistic(a.value);
  return lift(a, y, y * logistic(-a.value));
};
/** softplus(x) = ln(1 + eˣ) as max(x, 0) + ln(1 + e^(−|x|)), which cannot overflow; d/dx = σ(x). */
const softplus = (a: Dual): Dual => {
  const x = a.value;
  return lift(a, Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), logistic(x));
};

/**
 * Dual arithmetic. Every function is pure and returns a new {@link Dual}: `constant`, `add`, `sub`,
 * `mul`, `div`, `neg`, `scale` (by a number), `lift` (a function given its value and derivative),
 * `exp`, `log`, `log1p`, `sqrt`, `sin`, `cos`, `tanh`, `sigmoid`, `softplus`, `pow` (a number
 * exponent). `log1p`, `sigmoid` and `softplus` use the stable forms of the ops of the same names.
 *
 * @example
 * ```ts
 * D.add(D.mul(dual(2, 1), dual(3, 0)), D.constant(1)).tangent; // 3: z = 2·3 + 1, R{z} = 1·3
 * D.softplus(dual(0, 1)).tangent; // 0.5 = σ(0)
 * ```
 */
export const D = {
  constant: (value: number): Dual => dual(value, 0),
  add,
  sub,
  mul,
  div,
  neg,
  scale,
  lift,
  exp,
  log,
  sqrt,
  sin,
  cos,
  tanh,
  pow,
  log1p,
  sigmoid,
  softplus,
} as const;
