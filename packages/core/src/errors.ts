/**
 * Typed errors. Each names what was expected and what was found, so a caller can act on it; the
 * engine throws rather than return a number it cannot stand behind.
 * @module
 */

/** Base class of every error dualtape throws on purpose. */
export class DualtapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Operand shapes that cannot be combined (both shapes are in the message). */
export class ShapeError extends DualtapeError {}

/** A pytree (`x`, `v`, a cotangent) whose structure or leaf lengths differ from the one expected. */
export class StructureError extends DualtapeError {}

/** A transform was given a function that returned the wrong kind of value (e.g. a tensor to `grad`). */
export class OutputError extends DualtapeError {}

/** A node was used after its transform call had finished; nodes live only inside `f`. */
export class StaleNodeError extends DualtapeError {}

/**
 * A transform was nested in a way that cannot be differentiated: a top-level operator (hvpOperator,
 * vjp) applied to nodes of another transform, or a user op whose rules compute on numbers called
 * inside a nested transform. The message says what to do instead.
 */
export class NestedTransformError extends DualtapeError {}

/**
 * A node was used where JavaScript wanted a number or a string: JS arithmetic (`x * 2`, `x + y`),
 * `Math.sin(x)`, a comparison (`x > 0`) or a template string. JS operators cannot be recorded, so the
 * result would be silently wrong; the message names the op to use instead.
 */
export class NodeConversionError extends DualtapeError {}

/** A non-finite number (NaN or ±Infinity) was met where `{ checkFinite: true }` forbids it. */
export class FiniteError extends DualtapeError {}

/** The tape grew past its node budget (`{ maxNodes }`), stopped before memory runs out. */
export class TapeBudgetError extends DualtapeError {}

/** An argument is outside what an operation accepts (an axis out of range, an index out of bounds). */
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
