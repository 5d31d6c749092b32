/**
 * `lbfgs` and `adam` on pytrees: the bridge from a `@dualtape/core` function of a parameter tree to
 * {@link lbfgsFlat} and {@link adamFlat}, the way {@link newtonCG} bridges to {@link newtonCGFlat}.
 * f and ∇f come from one forward and one reverse sweep (core's `valueAndGrad`) per point.
 */
import { flatten, noExtraArguments, unflatten, valueAndGrad, type Differentiable, type Pytree, type ValueTree } from '@dualtape/core';
import { adamFlat, type AdamOptions, type AdamResult } from './adam.js';
import { lbfgsFlat, type LbfgsOptions, type LbfgsResult, type ValueAndGradientOracle } from './lbfgs.js';
import { checkFunction } from './checks.js';
import { refuseNested } from './nesting.js';
import { extraArgumentError } from './arity.js';

/**
 * Result of {@link lbfgs}: as {@link LbfgsResult}, with `x` shaped like `x0`.
 *
 * @example
 * ```ts
 * const r: LbfgsPytreeResult<{ w: number[]; b: number }> = lbfgs(loss, { w: [0, 0], b: 0 });
 * r.x.w; // Float64Array
 * ```
 */
export type LbfgsPytreeResult<T extends Pytree> = Omit<LbfgsResult, 'x'> & { x: ValueTree<T> };

/**
 * Result of {@link adam}: as {@link AdamResult}, with `x` shaped like `x0`.
 *
 * @example
 * ```ts
 * const r: AdamPytreeResult<{ w: number[] }> = adam(loss, { w: [0, 0] });
 * ```
 */
export type AdamPytreeResult<T extends Pytree> = Omit<AdamResult, 'x'> & { x: ValueTree<T> };

/** f and ∇f of a dualtape function at flat points, recorded at the structure of x0; `where` names the optimizer. */
function oracleOf<T extends Pytree>(where: string, f: Differentiable<T>, x0: T): ValueAndGradientOracle {
  const vg = valueAndGrad(f as (x: never) => ReturnType<Differentiable<T>>);
  // unflatten turns number[] leaves into Float64Array, a pytree of the same structure, so recording
  // f at it as a T is sound.
  return (xFlat: Float64Array) => {
    const { value, grad } = vg(unflatten(x0, xFlat) as T);
    refuseNested(where, value, grad);
    return { value, grad: flatten(grad as Pytree) };
  };
}

/**
 * Minimizes a dualtape function of a pytree (number, `Float64Array`, `number[]`, nested plain objects)
 * by L-BFGS with a strong Wolfe line search. Options and result are those of {@link lbfgsFlat}, with
 * `x` shaped like `x0` (arrays come back as `Float64Array`s); `onIteration` receives the flattened
 * iterate (object keys in insertion order, arrays in index order).
 *
 * @example
 * ```ts
 * import { lbfgs } from '@dualtape/curvature';
 * import type { Scalar } from '@dualtape/core';
 * const rosen = (p: { a: Scalar; b: Scalar }) => p.b.sub(p.a.square()).square().mul(100).add(p.a.neg().add(1).square());
 * const r = lbfgs(rosen, { a: -1.2, b: 1 }, { gradTolerance: 1e-10 });
 * r.x;      // { a: ≈1, b: ≈1 }
 * r.reason; // 'gradient-tolerance'
 * ```
 * @throws {CurvatureInputError} when `f` is not a function; otherwise as {@link lbfgsFlat}.
 * @throws {NestedTransformError} (from `@dualtape/core`) when called inside the function of another
 *   transform (`grad`, `compile`, …): call it at top level.
 */
export function lbfgs<T extends Pytree>(f: Differentiable<T>, x0: T, options?: LbfgsOptions): LbfgsPytreeResult<T> {
  noExtraArguments('lbfgs', arguments, 3, 'lbfgs(f, x0, options)', undefined, extraArgumentError);
  checkFunction('lbfgs', 'f', f, '(x) => Scalar of the parameter tree x');
  const result = lbfgsFlat(oracleOf('lbfgs', f, x0), flatten(x0), options);
  return { ...result, x: unflatten(x0, result.x) };
}

/**
 * Minimizes a dualtape function of a pytree by Adam. Options and result are those of
 * {@link adamFlat}, with `x` shaped like `x0`; `onIteration` receives the flattened iterate.
 *
 * @example
 * ```ts
 * import { adam, lbfgs } from '@dualtape/curvature';
 * // A network from a random start: Adam first, then L-BFGS from where it ended.
 * const warm = adam(loss, params, { learningRate: 1e-2, maxIterations: 5000 });
 * const fine = lbfgs(loss, warm.x, { gradTolerance: 0, maxIterations: 20000, memory: 50 });
 * ```
 * @throws {CurvatureInputError} when `f` is not a function; otherwise as {@link adamFlat}.
 * @throws {NestedTransformError} (from `@dualtape/core`) when called inside the function of another
 *   transform (`grad`, `compile`, …): call it at top level.
 */
export function adam<T extends Pytree>(f: Differentiable<T>, x0: T, options?: AdamOptions): AdamPytreeResult<T> {
  noExtraArguments('adam', arguments, 3, 'adam(f, x0, options)', undefined, extraArgumentError);
  checkFunction('adam', 'f', f, '(x) => Scalar of the parameter tree x');
  const result = adamFlat(oracleOf('adam', f, x0), flatten(x0), options);
  return { ...result, x: unflatten(x0, result.x) };
}
