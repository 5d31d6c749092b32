/**
 * Input checks for the AD-backed network. They sit in front of the reference validators so that a
 * length mismatch between X and T names the expected size as well as the actual one: the reference's
 * `validateData` can only say "not a multiple of D" when X is the array that is off.
 *
 * @module
 */
import { OptionError, describeValue, noExtraArguments } from '@dualtape/core';
import {
  NetworkShapeError,
  checkDataEntries,
  validateData,
  validateParams,
  validateSpec,
  type DataMatrix,
  type TwoLayerParams,
  type TwoLayerSpec,
} from './reference/index.js';

/**
 * The parameter tree in the one key order the engine flattens in (w1, b1, w2, b2). Written as a type
 * alias rather than reusing the `TwoLayerParams` interface because only object types declared with
 * `type` are assignable to core's `Pytree` index signature.
 *
 * @example
 * ```ts
 * const tree: ParamTree = toParamTree(spec, initParams(spec, 1));
 * ```
 */
export type ParamTree = { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array };

/**
 * Validates `params` against the spec and returns a fresh object holding the same arrays in the
 * order w1, b1, w2, b2. Core flattens objects in key insertion order, so a caller's `{ b1, w1, … }`
 * would otherwise silently permute the rows and columns of `hessian()` and of flat directions.
 *
 * @throws {NetworkShapeError} naming the block, its expected and its actual length.
 * @throws {NetworkSpecError} when `spec` is not a valid spec.
 * @throws {OptionError} when `name` (the label in messages) is not a string.
 * @example
 * ```ts
 * toParamTree(spec, { b2, w2, b1, w1 }); // → { w1, b1, w2, b2 } (same arrays, no copy)
 * ```
 */
export function toParamTree(spec: TwoLayerSpec, params: unknown, name = 'params'): ParamTree {
  noExtraArguments('toParamTree', arguments, 3, 'toParamTree(spec, params, name)');
  if (typeof name !== 'string') {
    throw new OptionError(`toParamTree: name must be a string (the label used in messages, e.g. 'params' or 'v'), got ${describeValue(name)}`);
  }
  validateParams(spec, params, name);
  const p = params as TwoLayerParams;
  return { w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2 };
}

function patterns(length: number, width: number): number | null {
  const n = length / width;
  return length > 0 && Number.isInteger(n) ? n : null;
}

/**
 * Checks inputs X (N×D) and targets T (N×K) and returns N. A length mismatch throws
 * {@link NetworkShapeError} stating the expected length (from the other array's N) and the actual one;
 * everything else (finite values, targets valid for the output kind) is the reference's `validateData`.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid spec.
 * @throws {NetworkShapeError | NetworkDataError} for X or T of the wrong kind, length or values.
 * @example
 * ```ts
 * checkData({ ...spec, inputs: 1, outputs: 1 }, new Float64Array(50), new Float64Array(49));
 * // NetworkShapeError: T has length 49 but X holds N = 50 patterns, so expected N×K = 50×1 = 50
 * ```
 */
export function checkData(spec: TwoLayerSpec, X: DataMatrix, T: DataMatrix): number {
  noExtraArguments('checkData', arguments, 3, 'checkData(spec, X, T)');
  validateSpec(spec);
  // Entries first: nested rows change the lengths, and the length messages below would mislead.
  checkDataEntries('X', X, spec.inputs);
  checkDataEntries('T', T, spec.outputs);
  const { inputs: D, outputs: K } = spec;
  const nX = patterns(X.length, D);
  const nT = patterns(T.length, K);
  if (nX !== null && nT !== null && nX !== nT) {
    throw new NetworkShapeError(
      `T has length ${T.length} but X holds N = ${nX} patterns (length ${X.length} = N×D, D = ${D}), ` +
        `so expected N×K = ${nX}×${K} = ${nX * K}`,
    );
  }
  if (nX === null && nT !== null) {
    throw new NetworkShapeError(
      `X has length ${X.length} but T holds N = ${nT} patterns (length ${T.length} = N×K, K = ${K}), ` +
        `so expected N×D = ${nT}×${D} = ${nT * D}`,
    );
  }
  if (nX !== null && nT === null) {
    throw new NetworkShapeError(
      `T has length ${T.length} but X holds N = ${nX} patterns (length ${X.length} = N×D, D = ${D}), ` +
        `so expected N×K = ${nX}×${K} = ${nX * K}`,
    );
  }
  if (nX === null && nT === null) {
    throw new NetworkShapeError(
      `X has length ${X.length} and T has length ${T.length}; expected N×D and N×K for one N ≥ 1 ` +
        `(D = ${D}, K = ${K}), but neither is a whole number of patterns`,
    );
  }
  return validateData(spec, X, T);
}

/**
 * Checks inputs X (N×D) alone, for prediction, and returns N.
 *
 * @throws {NetworkShapeError} when X is empty or its length is not a multiple of D.
 * @throws {NetworkSpecError} when `spec` is not a valid spec.
 * @example
 * ```ts
 * checkInputs({ ...spec, inputs: 3 }, new Float64Array(7));
 * // NetworkShapeError: X has length 7 but expected N×D with D = 3 (e.g. 6 or 9)
 * ```
 */
export function checkInputs(spec: TwoLayerSpec, X: DataMatrix): number {
  noExtraArguments('checkInputs', arguments, 2, 'checkInputs(spec, X)');
  validateSpec(spec);
  const D = spec.inputs;
  checkDataEntries('X', X, D);
  if (patterns(X.length, D) === null) {
    const below = Math.floor(X.length / D) * D;
    const above = below + D;
    const examples = below > 0 ? `${below} or ${above}` : `${above}`;
    throw new NetworkShapeError(`X has length ${X.length} but expected N×D with D = ${D} and N ≥ 1 (e.g. ${examples})`);
  }
  // Targets valid for every output kind (a one-hot row sums to 1) so only X is being checked.
  const N = X.length / D;
  const dummyT = new Float64Array(N * spec.outputs);
  for (let n = 0; n < N; n++) dummyT[n * spec.outputs] = 1;
  return validateData(spec, X, dummyT);
}
