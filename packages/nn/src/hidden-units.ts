/**
 * Hidden-unit outputs z_j = h(a_j) for plotting (PRML Figure 5.3 draws them dashed). Plain loops: this
 * is a forward pass only, nothing is differentiated.
 *
 * @module
 */
import { noExtraArguments } from '@dualtape/core';
import { activationFunctions, validateParams, validateSpec, type DataMatrix, type TwoLayerParams, type TwoLayerSpec } from './reference/index.js';
import { checkInputs } from './validate.js';

/**
 * z_j = h(Σ_i w_ji x_i + b_j) for every pattern, N×H row-major.
 *
 * @throws {NetworkSpecError} when `spec` is not a valid spec.
 * @throws {NetworkShapeError | NetworkDataError} for parameters or inputs that do not fit it.
 * @example
 * ```ts
 * const Z = hiddenOutputs(spec, params, X); // Z[n * H + j] = z_j for pattern n
 * ```
 */
export function hiddenOutputs(spec: TwoLayerSpec, params: TwoLayerParams, X: DataMatrix): Float64Array {
  noExtraArguments('hiddenOutputs', arguments, 3, 'hiddenOutputs(spec, params, X)');
  validateSpec(spec);
  validateParams(spec, params, 'params');
  checkInputs(spec, X);
  return hiddenOutputsUnchecked(spec, params, X);
}

/**
 * {@link hiddenOutputs} for inputs already validated.
 * @internal
 */
export function hiddenOutputsUnchecked(spec: TwoLayerSpec, params: TwoLayerParams, X: DataMatrix): Float64Array {
  const { inputs: D, hidden: H } = spec;
  const { h } = activationFunctions(spec.activation);
  const N = X.length / D;
  const Z = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      let a = params.b1[j];
      for (let i = 0; i < D; i++) a += params.w1[j * D + i] * X[n * D + i];
      Z[n * H + j] = h(a);
    }
  }
  return Z;
}
