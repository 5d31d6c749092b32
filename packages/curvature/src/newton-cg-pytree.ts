/**
 * `newtonCG` on pytrees: the thin bridge from `@dualtape/core` to {@link newtonCGFlat}.
 *
 * This is the only file of the package that imports `@dualtape/core`; everything else works on
 * plain `Float64Array`s so it can be used (and tested) with any Hessian-vector source.
 */
import { flatten, hvpOperator, noExtraArguments, unflatten, type Differentiable, type Pytree, type ValueTree } from '@dualtape/core';
import { newtonCGFlat, type NewtonCGOptions, type NewtonCGOracleResult, type NewtonCGResult } from './newton-cg.js';
import { checkFunction } from './checks.js';
import { refuseNested } from './nesting.js';
import { extraArgumentError } from './arity.js';

/**
 * Result of {@link newtonCG}: as {@link NewtonCGResult}, with `x` shaped like `x0`.
 *
 * @example
 * ```ts
 * const r: NewtonCGPytreeResult<{ a: number; b: number }> = newtonCG(rosen, { a: -1.2, b: 1 });
 * r.x.b; // ≈ 1
 * ```
 */
export type NewtonCGPytreeResult<T extends Pytree> = Omit<NewtonCGResult, 'x'> & { x: ValueTree<T> };

/**
 * Minimizes a dualtape function of a pytree (number, `Float64Array`, `number[]`, nested plain
 * objects) by trust-region Newton–CG with exact Hessian-vector products. Options are those of
 * {@link newtonCGFlat}; `onIteration` receives the flattened iterate (object keys in insertion
 * order, arrays in index order). In the result, arrays of `x0` come back as `Float64Array`s.
 *
 * @example
 * ```ts
 * import { newtonCG } from '@dualtape/curvature';
 * const rosen = (p: { a: Scalar; b: Scalar }) => p.b.sub(p.a.square()).square().mul(100).add(p.a.neg().add(1).square());
 * const r = newtonCG(rosen, { a: -1.2, b: 1 });
 * r.x; // { a: ≈1, b: ≈1 }
 * ```
 * @throws {CurvatureInputError} when `f` is not a function; otherwise as {@link newtonCGFlat}.
 * @throws {NestedTransformError} (from `@dualtape/core`) when called inside the function of another
 *   transform (`grad`, `compile`, …): call it at top level.
 */
export function newtonCG<T extends Pytree>(
  f: Differentiable<T>,
  x0: T,
  opts: NewtonCGOptions = {},
): NewtonCGPytreeResult<T> {
  noExtraArguments('newtonCG', arguments, 3, 'newtonCG(f, x0, options)', undefined, extraArgumentError);
  checkFunction('newtonCG', 'f', f, '(x) => Scalar of the parameter tree x');
  // One recording per point gives value, gradient and an H·v operator reusing that tape.
  // unflatten turns number[] leaves into Float64Array, a pytree of the same structure, so
  // recording f at it as a T is sound.
  const oracle = (xFlat: Float64Array): NewtonCGOracleResult => {
    const op = hvpOperator<T>(f, unflatten(x0, xFlat) as T);
    refuseNested('newtonCG', op.value, op.grad);
    return {
      value: op.value,
      grad: flatten(op.grad as Pytree),
      // applyFlat re-runs only the tangent lanes of the recorded tape, on flat vectors directly.
      apply: (v: Float64Array) => op.applyFlat(v),
    };
  };
  const result = newtonCGFlat(oracle, flatten(x0), opts);
  return { ...result, x: unflatten(x0, result.x) };
}
