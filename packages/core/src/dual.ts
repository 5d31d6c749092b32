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

/** A dual number: `value` is the primal, `tangent` its directional derivative R{·}. */
export interface Dual {
  readonly value: number;
  readonly tangent: number;
}

/** Makes a dual number; the tangent defaults to 0 (a constant). */
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

/**
 * Dual arithmetic. Every function is pure and returns a new {@link Dual}.
 *
 * @example
 * ```ts
 * const z = D.add(D.mul(dual(2, 1), dual(3, 0)), D.constant(1)); // z = 7, R{z} = 3
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
} as const;
