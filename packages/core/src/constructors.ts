// Constant tensors by shape or rule, as NumPy's and JAX's array constructors: zeros, ones, full, eye,
// arange, linspace. Each is a constant node made by tensor(): inside f a constant of that call (no
// derivative), outside any transform a value whose numbers (`.value`) can be a transform's x. (A node
// given as x at top level works too, but its results come back as numbers, where the types say nodes.)
import { ArgumentError } from './errors.js';
import { checkShape, tensor, tensorData, type Tensor } from './node.js';
import { checkOptions, option, type OptionsSpec } from './options.js';
import { integerArg } from './ops/op-args.js';
import { checkedSize, type Shape } from './shape.js';
import { shown } from './shown.js';
import { noExtraArguments } from './arity.js';

/** A finite-or-not number argument, or an ArgumentError naming it. */
function numberArg(v: unknown, what: string, opName: string): number {
  if (typeof v !== 'number') throw new ArgumentError(`${opName}: ${what} must be a number, got ${shown(v)}`);
  return v;
}

/** A count (an integer ≥ 0, the ops' integerArg, up to 2³¹, a tensor axis's most), or an ArgumentError naming it. */
export function countArg(v: unknown, what: string, opName: string, min = 0): number {
  const n = integerArg(v, what, opName, min);
  if (n > 2 ** 31) throw new ArgumentError(`${opName}: ${what} must be at most 2³¹, got ${shown(v)}`);
  return n;
}

/**
 * Options of {@link linspace}.
 *
 * @example
 * ```ts
 * linspace(0, 1, 4, { endpoint: false }).value; // [0, 0.25, 0.5, 0.75]
 * ```
 */
export interface LinspaceOptions {
  /** Whether stop is the last value (default true), as NumPy's `endpoint`. */
  readonly endpoint?: boolean;
}
const LINSPACE_OPTIONS: OptionsSpec<LinspaceOptions> = { endpoint: option.boolean() };

/**
 * A tensor of `shape` with every element `value` (NumPy's and JAX's `full`).
 *
 * @example
 * ```ts
 * full([2], 0.5).value; // [0.5, 0.5]
 * ```
 */
export function full(shape: Shape, value: number): Tensor {
  noExtraArguments('full', arguments, 2, 'full(shape, value)', 'the shape is one array: full([2, 3], value)');
  const s = checkShape(shape, 'full');
  // The size is checked here: each axis may be up to 2³¹, and new Float64Array of their product is a RangeError.
  return tensor(new Float64Array(checkedSize(s, 'full')).fill(numberArg(value, 'value', 'full')), s);
}

/**
 * A tensor of zeros (NumPy's and JAX's `zeros`).
 *
 * @example
 * ```ts
 * zeros([2, 3]).value; // six 0s, shape [2, 3]
 * ```
 */
export function zeros(shape: Shape): Tensor {
  noExtraArguments('zeros', arguments, 1, 'zeros(shape)', 'for a shape of several axes pass one array: zeros([2, 3])');
  const s = checkShape(shape, 'zeros');
  return tensor(new Float64Array(checkedSize(s, 'zeros')), s);
}

/**
 * A tensor of ones (NumPy's and JAX's `ones`).
 *
 * @example
 * ```ts
 * ones([3]).value; // [1, 1, 1]
 * ```
 */
export function ones(shape: Shape): Tensor {
  noExtraArguments('ones', arguments, 1, 'ones(shape)', 'for a shape of several axes pass one array: ones([2, 3])');
  const s = checkShape(shape, 'ones');
  return tensor(new Float64Array(checkedSize(s, 'ones')).fill(1), s);
}

/**
 * An n×m matrix with ones on diagonal k (0 the main one, k > 0 above it, k < 0 below) and zeros
 * elsewhere (NumPy's `eye(N, M, k)`).
 *
 * @example
 * ```ts
 * eye(2).value;       // [1, 0, 0, 1]
 * eye(2, 3, 1).value; // [0, 1, 0, 0, 0, 1]
 * ```
 */
export function eye(n: number, m: number = n, k = 0): Tensor {
  noExtraArguments('eye', arguments, 3, 'eye(n, m, k)');
  countArg(n, 'n', 'eye');
  countArg(m, 'm', 'eye');
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new ArgumentError(`eye: k must be an integer, got ${shown(k)}`);
  checkedSize([n, m], 'eye');
  const data = new Float64Array(n * m);
  for (let i = Math.max(0, -k); i < n && i + k < m; i++) data[i * m + i + k] = 1;
  return tensor(data, [n, m]);
}

/**
 * Evenly spaced values start, start + step, … below stop (above it for a negative step), as NumPy's
 * `arange`: `arange(stop)` counts from 0 by 1. The length is ⌈(stop − start)/step⌉ (0 if negative);
 * element i is start + i·δ, with δ = (start + step) − start as NumPy computes it, so the numbers are
 * NumPy's bit for bit.
 *
 * @example
 * ```ts
 * arange(4).value;          // [0, 1, 2, 3]
 * arange(1, 2, 0.25).value; // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(startOrStop: number, stop?: number, step = 1): Tensor {
  noExtraArguments('arange', arguments, 3, 'arange(start, stop, step)');
  numberArg(startOrStop, stop === undefined ? 'stop' : 'start', 'arange');
  const [start, end] = stop === undefined ? [0, startOrStop] : [startOrStop, numberArg(stop, 'stop', 'arange')];
  numberArg(step, 'step', 'arange');
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new ArgumentError(`arange: start, stop and step must be finite and step non-zero, got ${shown(start)}, ${shown(end)}, ${shown(step)}`);
  }
  const length = Math.max(0, Math.ceil((end - start) / step));
  checkedSize([length], 'arange', 'use a larger step');
  const data = new Float64Array(length);
  // NumPy's fill: element 1 is start + step, and element i ≥ 2 is start + i·δ with δ the step as
  // element 1 holds it, (start + step) − start; start + i·step differs from NumPy's in the last bit.
  const delta = start + step - start;
  for (let i = 0; i < length; i++) data[i] = i === 1 ? start + step : start + i * delta;
  // Element 0 is start itself: start + 0·δ would turn −0 into +0.
  if (length > 0) data[0] = start;
  return tensor(data, [length]);
}

/**
 * `num` evenly spaced values from start to stop, both included (NumPy's `linspace`; with
 * `endpoint: false`, stop is left out and the step is (stop − start)/num). Element i is
 * start + i·step, and the last is stop exactly.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).value; // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num = 50, options: LinspaceOptions = {}): Tensor {
  noExtraArguments('linspace', arguments, 4, 'linspace(start, stop, num, options)');
  numberArg(start, 'start', 'linspace');
  numberArg(stop, 'stop', 'linspace');
  countArg(num, 'num', 'linspace');
  const endpoint = checkOptions('linspace', options, LINSPACE_OPTIONS).endpoint ?? true;
  // num may be 2³¹ (a count's bound), one more element than a tensor holds.
  checkedSize([num], 'linspace');
  const divisions = endpoint ? num - 1 : num;
  const step = divisions > 0 ? (stop - start) / divisions : NaN;
  const data = new Float64Array(num);
  // NumPy's way where the step underflows to 0 but stop ≠ start (a subnormal span): (i/divisions)·δ.
  const delta = stop - start;
  if (step === 0 && delta !== 0) for (let i = 0; i < num; i++) data[i] = start + (i / divisions) * delta;
  else for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (num > 0) data[0] = start;
  if (endpoint && num > 1) data[num - 1] = stop;
  return tensor(data, [num]);
}

/**
 * One-hot rows (JAX's `jax.nn.one_hot(indices, n)`): for each class index, a row of n numbers with 1
 * at the index and 0 elsewhere, so the result has the indices' shape plus a last axis of n. Indices
 * are integers in [0, n); unlike JAX, which gives a row of zeros for one outside, that is an
 * `ArgumentError` (weight such rows with a mask instead).
 *
 * @example
 * ```ts
 * oneHot([2, 0], 3).value; // [0, 0, 1, 1, 0, 0], shape [2, 3]
 * oneHot(2, 3).value; // [0, 0, 1], shape [3]: one index (a number, as argmax of a vector gives) is one row
 * ```
 */
export function oneHot(indices: number | ArrayLike<number> | readonly (readonly unknown[])[], n: number): Tensor {
  noExtraArguments('oneHot', arguments, 2, 'oneHot(indices, n)');
  countArg(n, 'n', 'oneHot');
  // One index is a row of shape [n], as JAX's one_hot of a 0-d index.
  if (typeof indices === 'number') return oneHot([indices], n).reshape([n]);
  const given = ArrayBuffer.isView(indices) && !(indices instanceof Float64Array) ? Float64Array.from(indices as ArrayLike<number>) : indices;
  const { values, inferred } = tensorData(given, 'oneHot');
  const data = new Float64Array(checkedSize([...inferred, n], 'oneHot'));
  values.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new ArgumentError(`oneHot: index ${shown(k)} at position ${i} is not an integer in [0, ${n}); JAX gives a row of zeros there, here weight such rows with a mask instead`);
    }
    data[i * n + k] = 1;
  });
  return tensor(data, [...inferred, n]);
}
