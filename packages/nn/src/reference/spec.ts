/**
 * The two-layer network of PRML §5.4.6: its shape (spec), its parameter layout, input validation,
 * seeded initialisation, and the hidden-unit activation functions h, h', h''.
 *
 * Everything here is plain `Float64Array` bookkeeping — no automatic differentiation. The hand-derived
 * R-propagation in `r-propagation.ts` and the Gauss–Newton matrix in `outer-product.ts` build on it, and
 * the AD engine is checked against them.
 *
 * Notation follows the book: D inputs x_i, H hidden units with pre-activations a_j and outputs
 * z_j = h(a_j), K output units with pre-activations a_k and outputs y_k. Biases are weights on a fixed
 * input equal to 1 (PRML §5.1), stored separately as b1 (b_j) and b2 (b_k).
 *
 * @module
 */
import { OptionError, describeValue, isNode, nearestName, noExtraArguments } from '@dualtape/core';

/**
 * Names of the hidden-unit activation functions h(a).
 *
 * @example
 * ```ts
 * const act: Activation = 'tanh';
 * ```
 */
export type Activation = 'tanh' | 'logistic' | 'relu';

/**
 * Output-unit function, each paired with its canonical error function (PRML §5.2):
 *
 * - `'linear'`:   y_k = a_k,            E = ½ Σ_n Σ_k (y_nk − t_nk)²             (sum of squares)
 * - `'logistic'`: y_k = σ(a_k),         E = −Σ_n Σ_k [t ln y + (1 − t) ln(1 − y)] (binary cross-entropy)
 * - `'softmax'`:  y_k = softmax(a)_k,   E = −Σ_n Σ_k t_nk ln y_nk                (multiclass cross-entropy)
 *
 * For all three pairs the output error signal is δ_k = ∂E_n/∂a_k = y_k − t_k (PRML 5.18, 5.104), which is
 * why the backward equations of §5.4.6 do not depend on the output kind.
 *
 * @example
 * ```ts
 * const spec: TwoLayerSpec = { inputs: 4, hidden: 8, outputs: 3, activation: 'relu', output: 'softmax' };
 * ```
 */
export type OutputKind = 'linear' | 'logistic' | 'softmax';

/**
 * The allowed {@link Activation} names, in a fixed order (used in error messages).
 *
 * @example
 * ```ts
 * for (const activation of ACTIVATIONS) console.log(activationFunctions(activation).dh(0));
 * ```
 */
export const ACTIVATIONS: readonly Activation[] = Object.freeze(['tanh', 'logistic', 'relu'] as const);

/**
 * The allowed {@link OutputKind} names, in a fixed order (used in error messages).
 *
 * @example
 * ```ts
 * OUTPUT_KINDS.includes('softmax'); // true
 * ```
 */
export const OUTPUT_KINDS: readonly OutputKind[] = Object.freeze(['linear', 'logistic', 'softmax'] as const);

/**
 * Shape of a two-layer network: D = `inputs`, H = `hidden`, K = `outputs`.
 *
 * @example
 * ```ts
 * const spec: TwoLayerSpec = { inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' };
 * ```
 */
export interface TwoLayerSpec {
  /** D, the number of inputs x_i. */
  inputs: number;
  /** H, the number of hidden units z_j. */
  hidden: number;
  /** K, the number of outputs y_k. */
  outputs: number;
  /** Hidden-unit activation function h. */
  activation: Activation;
  /** Output-unit function and, with it, the error function (see {@link OutputKind}). */
  output: OutputKind;
}

/**
 * The weights of a two-layer network. The layout is a CONTRACT shared with the AD engine:
 *
 * - `w1`: H×D row-major, w_ji (first layer, hidden unit j, input i) at index `j·D + i`;
 * - `b1`: length H, the first-layer biases b_j;
 * - `w2`: K×H row-major, w_kj (second layer, output k, hidden unit j) at index `k·H + j`;
 * - `b2`: length K, the second-layer biases b_k.
 *
 * The flattened weight vector w (see {@link flattenParams}) concatenates them in the order w1, b1, w2, b2.
 * A direction v for Hessian-vector products uses the same type and layout.
 *
 * @example
 * ```ts
 * const params = initParams(spec, 42);
 * const w_ji = params.w1[j * spec.inputs + i];
 * ```
 */
export interface TwoLayerParams {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

/**
 * A row-major data matrix: N×D inputs X or N×K targets T, one pattern per row.
 *
 * @example
 * ```ts
 * const X: DataMatrix = [0.1, 0.2, 0.3,   0.4, 0.5, 0.6]; // N = 2 patterns, D = 3
 * ```
 */
export type DataMatrix = Float64Array | readonly number[];

/**
 * The four parameter blocks, in flattening order.
 *
 * @example
 * ```ts
 * for (const key of PARAM_KEYS) console.log(key, params[key].length);
 * ```
 */
export const PARAM_KEYS = Object.freeze(['w1', 'b1', 'w2', 'b2'] as const);

/**
 * One of the four parameter block names.
 *
 * @example
 * ```ts
 * const key: ParamKey = 'w2';
 * ```
 */
export type ParamKey = (typeof PARAM_KEYS)[number];

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/**
 * Thrown when a {@link TwoLayerSpec} is malformed: unknown activation or output kind, a size that is not a
 * positive integer, or output `'softmax'` with a single output.
 *
 * @example
 * ```ts
 * try { validateSpec({ ...spec, activation: 'sigmoid' as Activation }); }
 * catch (e) { if (e instanceof NetworkSpecError) console.log(e.message); }
 * ```
 */
export class NetworkSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkSpecError';
  }
}

/**
 * Thrown when parameters, a direction v, inputs X or targets T have the wrong length or type for the spec.
 * The message names the offending array, the expected length and the actual length.
 *
 * @example
 * ```ts
 * try { validateData(spec, new Float64Array(7), T); }
 * catch (e) { if (e instanceof NetworkShapeError) console.log(e.message); } // "X has length 7, which is not a multiple of D = 3"
 * ```
 */
export class NetworkShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkShapeError';
  }
}

/**
 * Thrown when data has the right shape but values the error function cannot accept: a non-finite entry,
 * a logistic target outside [0, 1], or a softmax target row that is negative or does not sum to 1.
 *
 * The softmax check matters for correctness, not just hygiene: ∂/∂a_k of −Σ_l t_l ln y_l is
 * y_k·Σ_l t_l − t_k, which equals the δ_k = y_k − t_k used throughout only when Σ_l t_l = 1.
 *
 * @example
 * ```ts
 * try { validateData(spec, X, [0.5, 0.2, 0.1]); } // softmax row summing to 0.8
 * catch (e) { if (e instanceof NetworkDataError) console.log(e.message); }
 * ```
 */
export class NetworkDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkDataError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------

function isPositiveInteger(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

function listNames(names: readonly string[]): string {
  return names.map((s) => `'${s}'`).join(', ');
}

/** A name as given, for messages: a string in JSON quotes (as before), anything else described safely. */
function showName(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : describeValue(v);
}

/**
 * The most parameters W a spec may have, 2²⁷ (134 217 728): one parameter vector is then 1 GiB, and a
 * Hessian-vector product holds four (values, tangents, adjoints and their tangents), 4 GiB, all a
 * WebAssembly memory addresses. Larger specs used to be accepted and then crashed or ran for minutes.
 */
const MAX_PARAMS = 2 ** 27;

const SPEC_KEYS: readonly (keyof TwoLayerSpec)[] = ['inputs', 'hidden', 'outputs', 'activation', 'output'];

/**
 * Checks that `spec` is a well-formed {@link TwoLayerSpec}. Throws {@link NetworkSpecError} otherwise,
 * also for output `'softmax'` with one output (a constant, which nothing can train), and when the
 * parameter count W = H·D + H + K·H + K exceeds 2²⁷ (134 217 728): one parameter vector is then 1 GiB,
 * and an H·v holds four of them, the 4 GiB a WebAssembly memory can address.
 *
 * @example
 * ```ts
 * validateSpec({ inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' }); // ok
 * validateSpec({ inputs: 0, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' });
 * // NetworkSpecError: spec.inputs (D) must be a positive integer, got 0
 * ```
 */
export function validateSpec(spec: unknown): asserts spec is TwoLayerSpec {
  noExtraArguments('validateSpec', arguments, 1, 'validateSpec(spec)');
  // An array, typed array or core node would otherwise be reported by its first key ('0', 'tape').
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || ArrayBuffer.isView(spec) || isNode(spec)) {
    throw new NetworkSpecError(
      `spec must be an object { inputs, hidden, outputs, activation, output }, got ${describeValue(spec)}`,
    );
  }
  const s = spec as Record<string, unknown>;
  // Unknown keys first: a misspelt `hiden` would otherwise surface as "hidden must be …, got undefined".
  for (const key of Object.keys(s)) {
    if (key === 'spec' && typeof s.spec === 'object' && s.spec !== null) {
      throw new NetworkSpecError(
        `spec has an unknown key 'spec': this looks like a TwoLayerNet; pass net.spec, not the net itself`,
      );
    }
    if (!(SPEC_KEYS as readonly string[]).includes(key)) {
      const near = nearestName(key, SPEC_KEYS);
      throw new NetworkSpecError(
        `spec has an unknown key '${key}'${near === null ? '.' : `; did you mean '${near}'?`} ` +
          `A spec has exactly the keys ${SPEC_KEYS.join(', ')}`,
      );
    }
  }
  const sizes: [string, string][] = [
    ['inputs', 'D'],
    ['hidden', 'H'],
    ['outputs', 'K'],
  ];
  for (const [key, symbol] of sizes) {
    if (!isPositiveInteger(s[key])) {
      throw new NetworkSpecError(`spec.${key} (${symbol}) must be a positive integer, got ${describeValue(s[key])}`);
    }
  }
  const [D, H, K] = [s.inputs, s.hidden, s.outputs] as number[];
  const W = H * D + H + K * H + K;
  if (W > MAX_PARAMS) {
    throw new NetworkSpecError(
      `spec has W = H·D + H + K·H + K = ${W} parameters (D = ${D}, H = ${H}, K = ${K}); at most 2²⁷ = ${MAX_PARAMS} are supported: ` +
        `a Hessian-vector product holds four vectors of W doubles (4 GiB at 2²⁷, the WebAssembly limit) besides the N×H hidden units. Reduce hidden, inputs or outputs`,
    );
  }
  if (!(ACTIVATIONS as readonly unknown[]).includes(s.activation)) {
    throw new NetworkSpecError(
      `Unknown activation ${showName(s.activation)}; expected one of ${listNames(ACTIVATIONS)}`,
    );
  }
  if (!(OUTPUT_KINDS as readonly unknown[]).includes(s.output)) {
    throw new NetworkSpecError(
      `Unknown output kind ${showName(s.output)}; expected one of ${listNames(OUTPUT_KINDS)}`,
    );
  }
  // A softmax over one output is the constant 1: loss and gradient are 0 at every weight, so training
  // "converges" at once and learns nothing.
  if (s.output === 'softmax' && K < 2) {
    throw new NetworkSpecError(
      `output 'softmax' needs spec.outputs (K) ≥ 2, got ${K}: over one output softmax is the constant 1, so the loss and ` +
        `its gradient are always 0; for one output use 'logistic' (binary cross-entropy)`,
    );
  }
}

/**
 * Expected length of each parameter block, with the product written out for error messages.
 */
function blockShapes(spec: TwoLayerSpec): Record<ParamKey, { length: number; formula: string }> {
  const { inputs: D, hidden: H, outputs: K } = spec;
  return {
    w1: { length: H * D, formula: `H×D = ${H}×${D} = ${H * D}` },
    b1: { length: H, formula: `H = ${H}` },
    w2: { length: K * H, formula: `K×H = ${K}×${H} = ${K * H}` },
    b2: { length: K, formula: `K = ${K}` },
  };
}

/**
 * Checks that `params` has the four blocks w1, b1, w2, b2 as `Float64Array`s of the lengths the spec
 * requires. Throws {@link NetworkShapeError} naming the key, the expected and the actual length.
 * `name` is used in messages (pass `'v'` when checking a Hessian-vector direction).
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @throws {NetworkShapeError} when `params` is not an object of four `Float64Array` blocks of the spec's lengths.
 * @throws {OptionError} (from `@dualtape/core`) when `name` is not a string.
 * @example
 * ```ts
 * validateParams(spec, initParams(spec, 1)); // ok
 * validateParams(spec, { ...params, b2: new Float64Array(5) });
 * // NetworkShapeError: params.b2 has length 5 but K = 2
 * ```
 */
export function validateParams(
  spec: TwoLayerSpec,
  params: unknown,
  name = 'params',
): asserts params is TwoLayerParams {
  noExtraArguments('validateParams', arguments, 3, 'validateParams(spec, params, name)');
  validateSpec(spec);
  checkLabel('validateParams', name);
  checkParamsObject(params, name);
  const p = params as Record<string, unknown>;
  const shapes = blockShapes(spec);
  for (const key of PARAM_KEYS) {
    const block = p[key];
    const { length, formula } = shapes[key];
    if (block === undefined) {
      throw new NetworkShapeError(`${name}.${key} is missing: expected a Float64Array of length ${formula}`);
    }
    if (!(block instanceof Float64Array)) {
      const actual = Array.isArray(block) ? 'an array' : describeValue(block);
      throw new NetworkShapeError(`${name}.${key} must be a Float64Array of length ${formula}, got ${actual}`);
    }
    if (block.length !== length) {
      throw new NetworkShapeError(`${name}.${key} has length ${block.length} but ${formula}`);
    }
  }
}

/** A label the caller gives for messages (`'params'`, `'v'`) must be a string: it is printed as is. */
function checkLabel(fn: string, name: unknown): asserts name is string {
  if (typeof name !== 'string') {
    throw new OptionError(`${fn}: name must be a string (the label used in messages, e.g. 'params' or 'v'), got ${describeValue(name)}`);
  }
}

/** `params` (or a direction) must be a plain object of blocks; a flat vector gets a pointer to unflattenParams. */
function checkParamsObject(params: unknown, name: string): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params) || ArrayBuffer.isView(params)) {
    const flat = Array.isArray(params) || ArrayBuffer.isView(params) ? ' (for a flat vector use unflattenParams(spec, flat))' : '';
    throw new NetworkShapeError(`${name} must be an object with keys w1, b1, w2, b2, got ${describeValue(params)}${flat}`);
  }
}

function isDataMatrix(m: unknown): m is DataMatrix {
  return m instanceof Float64Array || Array.isArray(m);
}

/**
 * Checks inputs X (N×D, row-major) and targets T (N×K, row-major) against the spec and returns N.
 *
 * Shape problems throw {@link NetworkShapeError} with expected and actual sizes; non-finite entries and
 * targets invalid for the output kind (logistic: t ∈ [0, 1]; softmax: each row non-negative, summing to 1)
 * throw {@link NetworkDataError}. At least one pattern is required (N ≥ 1).
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @example
 * ```ts
 * const N = validateData(spec, X, T); // X.length === N * spec.inputs, T.length === N * spec.outputs
 * validateData({ ...spec, inputs: 3, outputs: 3 }, new Float64Array(15), new Float64Array(10));
 * // NetworkShapeError: T has length 10 but N×K = 5×3 = 15
 * ```
 */
export function validateData(spec: TwoLayerSpec, X: unknown, T: unknown): number {
  noExtraArguments('validateData', arguments, 3, 'validateData(spec, X, T)');
  validateSpec(spec);
  const { inputs: D, outputs: K } = spec;
  checkDataEntries('X', X, D);
  checkDataEntries('T', T, K);
  if (X.length === 0) {
    throw new NetworkShapeError(`X has length 0: need at least one pattern (N ≥ 1) of D = ${D} inputs`);
  }
  if (X.length % D !== 0) {
    throw new NetworkShapeError(`X has length ${X.length}, which is not a multiple of D = ${D}`);
  }
  const N = X.length / D;
  if (T.length !== N * K) {
    throw new NetworkShapeError(`T has length ${T.length} but N×K = ${N}×${K} = ${N * K}`);
  }
  for (let m = 0; m < X.length; m++) {
    if (!Number.isFinite(X[m])) {
      throw new NetworkDataError(`X[${m}] (pattern ${Math.floor(m / D)}, input ${m % D}) is ${X[m]}, not a finite number`);
    }
  }
  for (let m = 0; m < T.length; m++) {
    if (!Number.isFinite(T[m])) {
      throw new NetworkDataError(`T[${m}] (pattern ${Math.floor(m / K)}, output ${m % K}) is ${T[m]}, not a finite number`);
    }
  }
  if (spec.output === 'logistic') {
    for (let m = 0; m < T.length; m++) {
      if (T[m] < 0 || T[m] > 1) {
        throw new NetworkDataError(
          `T[${m}] = ${T[m]} is outside [0, 1]; logistic outputs with cross-entropy need targets in [0, 1]`,
        );
      }
    }
  } else if (spec.output === 'softmax') {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const t = T[n * K + k];
        if (t < 0) {
          throw new NetworkDataError(`T[${n * K + k}] = ${t} is negative; softmax targets must be non-negative`);
        }
        sum += t;
      }
      // Tolerate round-off (e.g. targets that are themselves softmax outputs) but not genuinely wrong rows.
      if (Math.abs(sum - 1) > 1e-9) {
        throw new NetworkDataError(
          `T row ${n} sums to ${sum}; softmax cross-entropy needs each target row to sum to 1 ` +
            `(otherwise δ_k = y_k − t_k is not the gradient of E)`,
        );
      }
    }
  }
  return N;
}

/**
 * Checks that a data matrix is flat: a `Float64Array` or a `number[]` whose every entry is a number (its
 * length and finiteness are {@link validateData}'s business). Rows given as nested arrays are the common
 * slip: the message says so and how to flatten them, instead of reporting the row as a bad number.
 *
 * @throws {NetworkShapeError} naming the first entry that is not a number, and what it is.
 * @throws {OptionError} (from `@dualtape/core`) when `name` is not `'X'` or `'T'`.
 * @throws {NetworkSpecError} when `width` (D for X, K for T) is not a positive integer.
 * @example
 * ```ts
 * checkDataEntries('X', [[0.1], [0.2]], 1);
 * // NetworkShapeError: X[0] is an array of length 1: X must be flat and row-major (N×D numbers in one array,
 * // D = 1), not one array per pattern; pass X.flat() or a Float64Array
 * ```
 */
export function checkDataEntries(name: 'X' | 'T', M: unknown, width: number): asserts M is DataMatrix {
  noExtraArguments('checkDataEntries', arguments, 3, 'checkDataEntries(name, M, width)');
  if (name !== 'X' && name !== 'T') {
    throw new OptionError(`checkDataEntries: name must be 'X' or 'T' (it picks D or K in messages), got ${describeValue(name)}`);
  }
  if (!isPositiveInteger(width)) {
    const symbol = name === 'X' ? 'D' : 'K';
    throw new NetworkSpecError(`checkDataEntries: width (${symbol}, the row length of ${name}) must be a positive integer, got ${describeValue(width)}`);
  }
  const symbol = name === 'X' ? 'D' : 'K';
  const form = `a Float64Array or number[] of length N×${symbol} (${symbol} = ${width})`;
  if (!isDataMatrix(M)) throw new NetworkShapeError(`${name} must be ${form}, got ${describeValue(M)}`);
  if (M instanceof Float64Array) return;
  for (let m = 0; m < M.length; m++) {
    const entry: unknown = M[m];
    if (typeof entry === 'number') continue;
    if (Array.isArray(entry) || ArrayBuffer.isView(entry)) {
      throw new NetworkShapeError(
        `${name}[${m}] is ${describeValue(entry)}: ${name} must be flat and row-major (N×${symbol} numbers in one array, ` +
          `${symbol} = ${width}), not one array per pattern; pass ${name}.flat() or a Float64Array`,
      );
    }
    throw new NetworkShapeError(`${name}[${m}] is ${describeValue(entry)}; ${name} must be ${form} with every entry a number`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parameter vector
// ---------------------------------------------------------------------------------------------------------

/**
 * W, the total number of weights and biases: H·D + H + K·H + K.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @example
 * ```ts
 * paramCount({ inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' }); // 26
 * ```
 */
export function paramCount(spec: TwoLayerSpec): number {
  noExtraArguments('paramCount', arguments, 1, 'paramCount(spec)');
  validateSpec(spec);
  const { inputs: D, hidden: H, outputs: K } = spec;
  return H * D + H + K * H + K;
}

/**
 * Offsets of the four blocks inside the flattened vector (order w1, b1, w2, b2).
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @example
 * ```ts
 * const off = paramOffsets(spec);
 * flat[off.w2 + k * spec.hidden + j]; // w_kj
 * ```
 */
export function paramOffsets(spec: TwoLayerSpec): Record<ParamKey, number> {
  noExtraArguments('paramOffsets', arguments, 1, 'paramOffsets(spec)');
  validateSpec(spec);
  const { inputs: D, hidden: H, outputs: K } = spec;
  return { w1: 0, b1: H * D, w2: H * D + H, b2: H * D + H + K * H };
}

/**
 * Concatenates the blocks into one new vector of length W in the order w1, b1, w2, b2.
 *
 * @throws {NetworkShapeError} when `params` is not an object whose w1, b1, w2, b2 are `Float64Array`s.
 * @example
 * ```ts
 * const w = flattenParams(params); // w.length === paramCount(spec)
 * ```
 */
export function flattenParams(params: TwoLayerParams): Float64Array {
  noExtraArguments('flattenParams', arguments, 1, 'flattenParams(params)');
  checkParamsObject(params, 'params');
  for (const key of PARAM_KEYS) {
    const block: unknown = (params as unknown as Record<string, unknown>)[key];
    if (!(block instanceof Float64Array)) {
      const actual = block === undefined ? 'missing' : `got ${Array.isArray(block) ? 'an array' : describeValue(block)}`;
      throw new NetworkShapeError(`params.${key} must be a Float64Array (blocks w1, b1, w2, b2 are flattened in that order), ${actual}`);
    }
  }
  const flat = new Float64Array(params.w1.length + params.b1.length + params.w2.length + params.b2.length);
  let offset = 0;
  for (const key of PARAM_KEYS) {
    flat.set(params[key], offset);
    offset += params[key].length;
  }
  return flat;
}

/**
 * Splits a length-W vector (order w1, b1, w2, b2) into freshly allocated blocks; the inverse of
 * {@link flattenParams}. Throws {@link NetworkShapeError} if the length is not W.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @throws {NetworkShapeError} when `flat` is not a `Float64Array` or `number[]` of W numbers.
 * @example
 * ```ts
 * const back = unflattenParams(spec, flattenParams(params)); // equal blocks, new storage
 * ```
 */
export function unflattenParams(spec: TwoLayerSpec, flat: Float64Array | readonly number[]): TwoLayerParams {
  noExtraArguments('unflattenParams', arguments, 2, 'unflattenParams(spec, flat)');
  validateSpec(spec);
  const W = paramCount(spec);
  checkFlatVector(flat, W);
  if (flat.length !== W) {
    const { inputs: D, hidden: H, outputs: K } = spec;
    throw new NetworkShapeError(
      `flat parameter vector has length ${flat.length} but W = H·D + H + K·H + K = ${H * D} + ${H} + ${K * H} + ${K} = ${W}`,
    );
  }
  const shapes = blockShapes(spec);
  const off = paramOffsets(spec);
  const take = (key: ParamKey): Float64Array =>
    Float64Array.from(flat.slice(off[key], off[key] + shapes[key].length));
  return { w1: take('w1'), b1: take('b1'), w2: take('w2'), b2: take('b2') };
}

/** `flat` must be a Float64Array or an array of numbers (a string would become NaN silently). */
function checkFlatVector(flat: unknown, W: number): asserts flat is Float64Array | readonly number[] {
  const form = `a Float64Array or number[] of length W = ${W}`;
  if (!(flat instanceof Float64Array) && !Array.isArray(flat)) {
    throw new NetworkShapeError(`flat parameter vector must be ${form}, got ${describeValue(flat)}`);
  }
  if (flat instanceof Float64Array) return;
  for (let m = 0; m < flat.length; m++) {
    const entry: unknown = flat[m];
    if (typeof entry !== 'number') {
      throw new NetworkShapeError(`flat parameter vector[${m}] is ${describeValue(entry)}; it must be ${form} with every entry a number`);
    }
  }
}

/**
 * All-zero parameters (or directions) for `spec`; handy as an accumulator.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @example
 * ```ts
 * const v = zeroParams(spec); v.w2[0] = 1; // unit direction along w_{k=0, j=0}
 * ```
 */
export function zeroParams(spec: TwoLayerSpec): TwoLayerParams {
  noExtraArguments('zeroParams', arguments, 1, 'zeroParams(spec)');
  validateSpec(spec);
  const { inputs: D, hidden: H, outputs: K } = spec;
  return {
    w1: new Float64Array(H * D),
    b1: new Float64Array(H),
    w2: new Float64Array(K * H),
    b2: new Float64Array(K),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Seeded initialisation
// ---------------------------------------------------------------------------------------------------------

/**
 * Mulberry32: a tiny 32-bit seeded PRNG. Returns a function yielding uniform numbers in [0, 1).
 * Not cryptographic; used so that tests and examples are reproducible. The seed is an integer, taken
 * modulo 2³² (so −1 and 2³² − 1 give the same sequence).
 *
 * @throws {OptionError} (from `@dualtape/core`) when `seed` is not an integer (NaN, 2.5, a string or a
 *   bigint would otherwise all quietly pick some other seed's sequence).
 * @example
 * ```ts
 * const rand = mulberry32(7);
 * const u = rand(); // same sequence for the same seed, on every platform
 * ```
 */
export function mulberry32(seed: number): () => number {
  noExtraArguments('mulberry32', arguments, 1, 'mulberry32(seed)');
  checkSeed('mulberry32', seed);
  return mulberry32Unchecked(seed);
}

/**
 * Throws {@link OptionError} naming `fn` unless `seed` is an integer (a `number`).
 * @internal
 */
export function checkSeed(fn: string, seed: unknown): asserts seed is number {
  if (!Number.isInteger(seed)) {
    throw new OptionError(`${fn}: seed must be an integer (it is taken modulo 2³²), got ${describeValue(seed)}`);
  }
}

/**
 * {@link mulberry32} without the seed check, for callers that checked it already.
 * @internal
 */
export function mulberry32Unchecked(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Reproducible initial weights: each weight is uniform on (−1/√fan-in, 1/√fan-in) — fan-in D for the first
 * layer, H for the second — so pre-activations start at order 1 regardless of size; biases are uniform on
 * (−0.1, 0.1). The same seed always gives the same parameters.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid {@link TwoLayerSpec}.
 * @throws {OptionError} (from `@dualtape/core`) when `seed` is not an integer.
 * @example
 * ```ts
 * const params = initParams({ inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' }, 42);
 * ```
 */
export function initParams(spec: TwoLayerSpec, seed: number): TwoLayerParams {
  noExtraArguments('initParams', arguments, 2, 'initParams(spec, seed)');
  validateSpec(spec);
  checkSeed('initParams', seed);
  const rand = mulberry32Unchecked(seed);
  const uniform = (scale: number): number => (2 * rand() - 1) * scale;
  const p = zeroParams(spec);
  const s1 = 1 / Math.sqrt(spec.inputs);
  const s2 = 1 / Math.sqrt(spec.hidden);
  for (let m = 0; m < p.w1.length; m++) p.w1[m] = uniform(s1);
  for (let m = 0; m < p.b1.length; m++) p.b1[m] = uniform(0.1);
  for (let m = 0; m < p.w2.length; m++) p.w2[m] = uniform(s2);
  for (let m = 0; m < p.b2.length; m++) p.b2[m] = uniform(0.1);
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Activation functions h, h', h''
// ---------------------------------------------------------------------------------------------------------

/**
 * The logistic sigmoid σ(a) = 1/(1 + e^(−a)), evaluated so that e^(·) only ever sees a non-positive
 * argument: no overflow for large |a|, and full relative accuracy in both tails.
 *
 * @example
 * ```ts
 * logisticSigmoid(0);     // 0.5
 * logisticSigmoid(-1000); // ≈ 0 (no NaN, no overflow)
 * ```
 * @throws {NetworkDataError} when `a` is not a number (a string, bigint, symbol, null, … would be coerced
 *   or throw a bare TypeError). NaN gives NaN. The internal loops use an unchecked copy.
 */
export function logisticSigmoid(a: number): number {
  if (typeof a !== 'number') throw new NetworkDataError(`logisticSigmoid: a must be a number, got ${describeValue(a)}`);
  return sigmoidUnchecked(a);
}

/**
 * {@link logisticSigmoid} without the type check: the per-element function of the loops.
 * @internal
 */
export function sigmoidUnchecked(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a); // a < 0, so e ∈ (0, 1)
  return e / (1 + e);
}

/**
 * softplus(a) = ln(1 + e^a) = max(a, 0) + ln(1 + e^(−|a|)), stable for large |a|.
 * Used for the binary cross-entropy: −ln σ(a) = softplus(−a) and −ln(1 − σ(a)) = softplus(a).
 *
 * @example
 * ```ts
 * softplus(1000); // 1000 (the naive Math.log(1 + Math.exp(1000)) would be Infinity)
 * ```
 * @throws {NetworkDataError} when `a` is not a number. NaN gives NaN. The internal loops use an unchecked copy.
 */
export function softplus(a: number): number {
  if (typeof a !== 'number') throw new NetworkDataError(`softplus: a must be a number, got ${describeValue(a)}`);
  return softplusUnchecked(a);
}

/**
 * {@link softplus} without the type check: the per-element function of the loops.
 * @internal
 */
export function softplusUnchecked(a: number): number {
  return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
}

/**
 * A hidden-unit activation h together with its first and second derivatives, all as functions of the
 * pre-activation a (PRML 5.99 uses h; 5.102 and 5.105 use h'; 5.107 uses h'').
 *
 * These are per-element functions called inside the loops, so they take a `number` and do not check it
 * (a non-number argument is the caller's bug: it is coerced or throws JavaScript's own TypeError).
 *
 * @example
 * ```ts
 * const f: ActivationFunctions = activationFunctions('logistic');
 * f.h(0); f.dh(0); f.d2h(0); // 0.5, 0.25, 0
 * ```
 */
export interface ActivationFunctions {
  /** h(a). */
  h(a: number): number;
  /** h'(a) = dh/da. */
  dh(a: number): number;
  /** h''(a) = d²h/da². */
  d2h(a: number): number;
}

const TANH: ActivationFunctions = Object.freeze({
  h: (a: number) => Math.tanh(a),
  // h' = 1 − tanh²a = sech²a. Written as 1/cosh² so it keeps relative accuracy in the tails where
  // tanh a rounds to ±1 (cosh overflowing to Infinity correctly gives 0).
  dh: (a: number) => {
    const c = Math.cosh(a);
    return 1 / (c * c);
  },
  // h'' = d/da sech²a = −2 tanh a · sech²a.
  d2h: (a: number) => {
    const c = Math.cosh(a);
    return (-2 * Math.tanh(a)) / (c * c);
  },
});

const LOGISTIC: ActivationFunctions = Object.freeze({
  h: sigmoidUnchecked,
  // σ' = σ(1 − σ), and 1 − σ(a) = σ(−a) exactly: using σ(−a) avoids the cancellation in 1 − σ(a) for large a.
  dh: (a: number) => sigmoidUnchecked(a) * sigmoidUnchecked(-a),
  // σ'' = σ(1 − σ)(1 − 2σ), with 1 − 2σ(a) = σ(−a) − σ(a).
  d2h: (a: number) => {
    const s = sigmoidUnchecked(a);
    const sm = sigmoidUnchecked(-a);
    return s * sm * (sm - s);
  },
});

const RELU: ActivationFunctions = Object.freeze({
  h: (a: number) => (a > 0 ? a : 0),
  // Convention h'(0) = 0 (the subgradient most frameworks pick). ReLU is not differentiable at 0, so any
  // derivative-based check is only meaningful away from a_j = 0.
  dh: (a: number) => (a > 0 ? 1 : 0),
  // Piecewise linear: h'' = 0 everywhere it exists, so the first term of PRML 5.107 vanishes for ReLU.
  d2h: (_a: number) => 0,
});

const ACTIVATION_TABLE: Readonly<Record<Activation, ActivationFunctions>> = Object.freeze({
  tanh: TANH,
  logistic: LOGISTIC,
  relu: RELU,
});

/**
 * Returns h, h', h'' for an activation name. Throws {@link NetworkSpecError} for an unknown name (or one
 * that is not a string).
 *
 * @example
 * ```ts
 * const { h, dh, d2h } = activationFunctions('tanh');
 * dh(0); // 1
 * ```
 */
export function activationFunctions(activation: Activation): ActivationFunctions {
  if (typeof activation !== 'string' || !Object.prototype.hasOwnProperty.call(ACTIVATION_TABLE, activation)) {
    throw new NetworkSpecError(
      `Unknown activation ${showName(activation)}; expected one of ${listNames(ACTIVATIONS)}`,
    );
  }
  return ACTIVATION_TABLE[activation];
}
