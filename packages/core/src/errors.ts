/**
 * Typed errors. Each names what was expected and what was found, so a caller can act on it; the
 * engine throws rather than return a number it cannot stand behind.
 * @module
 */

/**
 * Base class of every error dualtape throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   grad((x: Tensor) => x.sum())([1, 2, 3].map(String) as never);
 * } catch (e) {
 *   if (e instanceof DualtapeError) console.error(`${e.name}: ${e.message}`); // StructureError: x[0] is a string; …
 * }
 * ```
 */
export class DualtapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Operand shapes that cannot be combined (both shapes are in the message).
 *
 * @example
 * ```ts
 * tensor([1, 2]).add(tensor([1, 2, 3])); // throws ShapeError: add: shapes [2] and [3] cannot be broadcast together
 * ```
 */
export class ShapeError extends DualtapeError {}

/**
 * A pytree (`x`, `v`, a cotangent) whose structure or leaf lengths differ from the one expected.
 *
 * @example
 * ```ts
 * hvp((p: { w: Tensor }) => p.w.sum(), { w: [1, 2] }, { w: [1] }); // throws StructureError: v.w is a vector of length 1 but x.w is a vector of length 2
 * ```
 */
export class StructureError extends DualtapeError {}

/**
 * A transform was given a function that returned the wrong kind of value (e.g. a tensor to `grad`).
 *
 * @example
 * ```ts
 * grad((x: Tensor) => x.square() as never)([1, 2]); // throws OutputError: grad: f must return a scalar, got a tensor of shape [2]; …
 * ```
 */
export class OutputError extends DualtapeError {}

/**
 * A node was used after its transform call had finished; nodes live only inside `f`.
 *
 * @example
 * ```ts
 * let kept: Scalar | undefined;
 * grad((x: Scalar) => (kept = x.square()))(3);
 * kept!.value; // throws StaleNodeError: read values inside f, or use the transform's result
 * ```
 */
export class StaleNodeError extends DualtapeError {}

/**
 * A transform was nested in a way that cannot be differentiated: a top-level operator (hvpOperator,
 * vjp) applied to nodes of another transform, or a user op whose rules compute on numbers called
 * inside a nested transform. The message says what to do instead.
 *
 * @example
 * ```ts
 * const H = hvpOperator((x: Tensor) => x.square().sum(), [1, 2]); // made at top level: H holds numbers
 * grad((v: Tensor) => (H.apply(v) as unknown as Tensor).sum())([1, 1]); // throws NestedTransformError
 * ```
 */
export class NestedTransformError extends DualtapeError {}

/**
 * A node was used where JavaScript wanted a number or a string: JS arithmetic (`x * 2`, `x + y`),
 * `Math.sin(x)`, a comparison (`x > 0`) or a template string. JS operators cannot be recorded, so the
 * result would be silently wrong; the message names the op to use instead.
 *
 * @example
 * ```ts
 * grad((x: Scalar) => Math.sin(x as never))(1); // throws NodeConversionError: … use the ops: … sin(x) or x.sin()
 * ```
 */
export class NodeConversionError extends DualtapeError {}

/**
 * A non-finite number (NaN or ±Infinity) was met where `{ checkFinite: true }` forbids it.
 *
 * @example
 * ```ts
 * grad((x: Scalar) => x.log(), { checkFinite: true })(-1); // throws FiniteError: grad: the value of node 1 (log) is NaN; …
 * ```
 */
export class FiniteError extends DualtapeError {}

/**
 * The tape grew past its node budget (`{ maxNodes }`), stopped before memory runs out.
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => {
 *   let s = x.sum();
 *   for (let i = 0; i < 100; i++) s = s.mul(1.01);
 *   return s;
 * };
 * grad(f, { maxNodes: 50 })([1, 2]); // throws TapeBudgetError: grad: the tape reached its budget of 50 nodes; …
 * ```
 */
export class TapeBudgetError extends DualtapeError {}

/**
 * An argument is outside what an operation accepts (an axis out of range, an index out of bounds).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3]).at(5); // throws ArgumentError: at: index 5 is out of bounds for shape [3]
 * ```
 */
export class ArgumentError extends DualtapeError {}

/**
 * A matrix that an op must invert or solve with is singular, or singular to working precision (a
 * pivot of its LU factorization is zero or negligible, or a triangular matrix has a zero on its
 * diagonal).
 * The message names the op, the pivot and, for a stack of matrices, which one.
 *
 * @example
 * ```ts
 * try { grad((m: Tensor) => inv(m.reshape([2, 2])).sum())([1, 2, 2, 4]); }
 * catch (e) { if (e instanceof SingularMatrixError) console.log(e.message); }
 * ```
 */
export class SingularMatrixError extends ArgumentError {}

/**
 * `cholesky` met a matrix that is not symmetric positive definite: a pivot was ≤ 0, or lost to
 * rounding. The message names the pivot (the leading minor that fails) and its value.
 *
 * @example
 * ```ts
 * try { grad((m: Tensor) => cholesky(m.reshape([2, 2])).sum())([1, 2, 2, 1]); }
 * catch (e) { if (e instanceof NotPositiveDefiniteError) console.log(e.message); } // pivot 1 is −3
 * ```
 */
export class NotPositiveDefiniteError extends ArgumentError {}
