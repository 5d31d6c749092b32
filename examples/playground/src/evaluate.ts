/**
 * From the text boxes to a trace: compile the user's function, parse x and v, trace, and check H·v
 * against central differences of the gradient. No DOM here; the test runs the same code in Node.
 * @module
 */
import * as dt from '@dualtape/core';
import { flatten, formatNumber, trace, unflatten, valueAndGrad, type Differentiable, type Pytree, type Trace } from '@dualtape/core';

/** An error to show in the page, saying which box it came from. */
export class PlaygroundError extends Error {
  constructor(readonly where: 'function' | 'x' | 'v', message: string) {
    super(message);
    this.name = 'PlaygroundError';
  }
}

/** A differentiable function built from user text. */
export type UserFunction = Differentiable<Pytree>;

/**
 * `new Function('dt', 'return (' + src + ')')` called with the core module: the text must be one
 * function expression, e.g. `(x) => x.sin().mul(x)`.
 */
export function compileFunction(src: string, core: typeof dt = dt): UserFunction {
  let made: unknown;
  try {
    made = new Function('dt', `"use strict";\nreturn (${src}\n);`)(core);
  } catch (error) {
    throw new PlaygroundError('function', `${errorText(error)} — the box must hold one function expression, e.g. (x) => x.sin().mul(x)`);
  }
  if (typeof made !== 'function') {
    throw new PlaygroundError('function', `the source evaluates to ${made === null ? 'null' : typeof made}, not a function; write e.g. (x) => x.sin().mul(x)`);
  }
  return made as UserFunction;
}

/** x or v from JSON: a number, an array of numbers, or an object / array of those. */
export function parseTree(text: string, where: 'x' | 'v'): Pytree {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlaygroundError(where, `${where} is not valid JSON (${errorText(error)}); write e.g. [1, 2] or { "w": [1, 2], "b": 0 }`);
  }
  if (value === null || (typeof value !== 'number' && typeof value !== 'object')) {
    throw new PlaygroundError(where, `${where} must be a number, an array or an object of numbers`);
  }
  try {
    flatten(value as Pytree);
  } catch (error) {
    throw new PlaygroundError(where, errorText(error));
  }
  return value as Pytree;
}

/** H·v beside its central-difference estimate (∇f(x + hv) − ∇f(x − hv)) / 2h. */
export interface FiniteDifferenceCheck {
  readonly h: number;
  /** Flattened, in the order of `flatten(x)`. */
  readonly hvp: Float64Array;
  readonly estimate: Float64Array;
  /** max |H·v − estimate| / max(1, max |H·v|). */
  readonly relativeError: number;
}

export interface Evaluation {
  readonly trace: Trace;
  readonly x: Pytree;
  readonly v: Pytree;
  readonly grad: Float64Array;
  readonly check: FiniteDifferenceCheck;
}

/** Compiles and traces the three boxes; every failure is a {@link PlaygroundError}. */
export function evaluate(src: string, xText: string, vText: string, core: typeof dt = dt): Evaluation {
  const f = compileFunction(src, core);
  const x = parseTree(xText, 'x');
  const v = parseTree(vText, 'v');
  let t: Trace;
  try {
    t = trace(f, x, v);
  } catch (error) {
    const where = error instanceof dt.StructureError && /\bv\b/.test(error.message) ? 'v' : 'function';
    throw new PlaygroundError(where, errorText(error));
  }
  return { trace: t, x, v, grad: flatten(t.grad as Pytree), check: finiteDifference(f, x, v, flatten(t.hvp as Pytree)) };
}

export function finiteDifference(f: UserFunction, x: Pytree, v: Pytree, hvp: Float64Array): FiniteDifferenceCheck {
  const xs = flatten(x);
  const vs = flatten(v);
  const norm = (a: Float64Array) => a.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  // A step of ~1e-5 relative to x balances truncation (h²) against rounding (ε/h) for the gradient.
  const h = (1e-5 * Math.max(1, norm(xs))) / Math.max(1e-12, norm(vs));
  const g = valueAndGrad(f);
  const at = (s: number) => flatten(g(unflatten(x, xs.map((e, k) => e + s * h * vs[k])) as Pytree).grad as Pytree);
  const plus = at(1);
  const minus = at(-1);
  const estimate = plus.map((p, k) => (p - minus[k]) / (2 * h));
  let worst = 0;
  hvp.forEach((e, k) => { worst = Math.max(worst, Math.abs(e - estimate[k])); });
  return { h, hvp, estimate, relativeError: worst / Math.max(1, norm(hvp)) };
}

/** Below this relative difference H·v and its finite-difference estimate agree. */
export const AGREEMENT_TOLERANCE = 1e-5;

/** Whether the results can be trusted, in words for the page. */
export interface Agreement {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The verdict on one evaluation: a pass only when f, ∇f, H·v and the estimate are all finite and
 * H·v agrees with the estimate. A NaN anywhere fails, even where every comparison with it is
 * vacuously small (f = NaN with ∇f = H·v = 0 compares equal to its estimate).
 */
export function agreement(ev: Pick<Evaluation, 'trace' | 'grad' | 'check'>): Agreement {
  const { value } = ev.trace;
  const { relativeError, estimate, hvp, h } = ev.check;
  const notFinite = (a: ArrayLike<number>) => Array.prototype.some.call(a, (e: number) => !Number.isFinite(e));
  if (!Number.isFinite(value)) return { ok: false, text: `f(x) is ${value}, not a finite number: ∇f and H·v mean nothing here` };
  if (notFinite(ev.grad)) return { ok: false, text: '∇f(x) has an entry that is not a finite number' };
  if (notFinite(hvp)) return { ok: false, text: 'H·v has an entry that is not a finite number' };
  if (notFinite(estimate)) return { ok: false, text: 'the finite-difference estimate is not finite: f is not smooth near x along v' };
  const shown = `relative difference ${formatNumber(relativeError, 2)} (h = ${formatNumber(h, 2)})`;
  if (!(relativeError < AGREEMENT_TOLERANCE)) return { ok: false, text: `${shown}: H·v and the finite differences disagree` };
  return { ok: true, text: shown };
}

/** The message of anything thrown, with its class name when it has one. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
