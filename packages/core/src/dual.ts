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
import { ArgumentError } from './errors.js';
import { isNode } from './node.js';
import { describeValue } from './options.js';
import { tanhNumber } from './ops/special/hyperbolic-tangent.js';
import { noExtraArguments } from './arity.js';

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
  noExtraArguments('dual', arguments, 2, 'dual(value, tangent)');
  if (typeof value !== 'number' || typeof tangent !== 'number') {
    throw new ArgumentError(`dual: value and tangent must be numbers, got ${describeValue(value)} and ${describeValue(tangent)}`);
  }
  return { value, tangent };
}

/** A dual made by this module's own arithmetic, whose parts are numbers already. */
const make = (value: number, tangent: number): Dual => ({ value, tangent });

/**
 * Checks that each operand of `D.fn` is a dual number: a plain number or anything else would read as
 * NaN (`undefined` value and tangent), a silent wrong result.
 */
function duals(fn: string, ...xs: unknown[]): void {
  for (let k = 0; k < xs.length; k++) {
    const a = xs[k];
    const which = xs.length === 1 ? 'the operand' : `operand ${k + 1}`;
    // A scalar node has a number .value and .tangent too, but D computes on numbers and records nothing:
    // inside a transform the result would carry no derivative (and a finished call's node would fail
    // in its getter, naming the getter instead of D.fn).
    if (isNode(a)) {
      throw new ArgumentError(
        `D.${fn}: ${which} is ${describeValue(a)}; D works on dual numbers, dual(value, tangent), and records nothing: on nodes use the ops (x.mul(y), x.tanh(), …), or dual(x.value, t) for its number`,
      );
    }
    if (a === null || typeof a !== 'object' || typeof (a as Dual).value !== 'number' || typeof (a as Dual).tangent !== 'number') {
      throw new ArgumentError(`D.${fn}: ${which} is ${describeValue(a)}; expected a dual number, dual(value, tangent) (D.constant(c) for a constant)`);
    }
  }
}

/** Checks the number argument of `D.fn` (a scale or an exponent). */
function numberArg(fn: string, what: string, p: unknown): void {
  if (typeof p !== 'number') throw new ArgumentError(`D.${fn}: ${what} must be a number, got ${describeValue(p)}`);
}

const add = (a: Dual, b: Dual): Dual => {
  duals('add', a, b);
  return make(a.value + b.value, a.tangent + b.tangent);
};
const sub = (a: Dual, b: Dual): Dual => {
  duals('sub', a, b);
  return make(a.value - b.value, a.tangent - b.tangent);
};
const mul = (a: Dual, b: Dual): Dual => {
  duals('mul', a, b);
  return make(a.value * b.value, a.tangent * b.value + a.value * b.tangent);
};
const div = (a: Dual, b: Dual): Dual => {
  duals('div', a, b);
  const y = a.value / b.value;
  return make(y, (a.tangent - y * b.tangent) / b.value);
};
const neg = (a: Dual): Dual => {
  duals('neg', a);
  return make(-a.value, -a.tangent);
};
const scale = (a: Dual, s: number): Dual => {
  duals('scale', a);
  numberArg('scale', 'the factor', s);
  return make(a.value * s, a.tangent * s);
};
/** Applies a scalar function given its derivative at the primal: (f(x), f'(x)·ẋ). */
const lift = (a: Dual, y: number, dydx: number): Dual => {
  duals('lift', a);
  numberArg('lift', 'the value', y);
  numberArg('lift', 'the derivative', dydx);
  return make(y, dydx * a.tangent);
};
/** A function of one dual from its value and derivative at a.value, with the operand checked under its own name. */
const unary = (fn: string, valueAndSlope: (x: number) => readonly [number, number]) => (a: Dual): Dual => {
  duals(fn, a);
  const [y, dydx] = valueAndSlope(a.value);
  return make(y, dydx * a.tangent);
};
const exp = unary('exp', (x) => {
  const y = Math.exp(x);
  return [y, y];
});
const log = unary('log', (x) => [Math.log(x), 1 / x]);
const sqrt = unary('sqrt', (x) => {
  const y = Math.sqrt(x);
  return [y, 0.5 / y];
});
const sin = unary('sin', (x) => [Math.sin(x), Math.cos(x)]);
const cos = unary('cos', (x) => [Math.cos(x), -Math.sin(x)]);
const tanh = unary('tanh', (x) => {
  const y = tanhNumber(x);
  return [y, 1 - y * y];
});
const pow = (a: Dual, p: number): Dual => {
  numberArg('pow', 'the exponent', p);
  return unary('pow', (x) => [x ** p, p === 0 ? 0 : p * x ** (p - 1)])(a);
};
/** ln(1 + x), accurate for small |x|; d/dx = 1/(1 + x). */
const log1p = unary('log1p', (x) => [Math.log1p(x), 1 / (1 + x)]);
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
const sigmoid = unary('sigmoid', (x) => {
  const y = logistic(x);
  return [y, y * logistic(-x)];
});
/** softplus(x) = ln(1 + eˣ) as max(x, 0) + ln(1 + e^(−|x|)), which cannot overflow; d/dx = σ(x). */
const softplus = unary('softplus', (x) => [Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), logistic(x)]);

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
  constant: (value: number): Dual => {
    numberArg('constant', 'the value', value); // named as D.constant's, not dual's
    return make(value, 0);
  },
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
