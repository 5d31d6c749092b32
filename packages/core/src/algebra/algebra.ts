/**
 * The algebra every rule computes with. Each op's tangent and dual backward rule is written once,
 * against an `o: Algebra`, and runs at every level of nesting:
 *
 *   at top level   `o` is {@link numbers}: values are plain numbers (scalar nodes) and Float64Arrays
 *                  (tensor nodes), and the rule is the fast numeric lane of one sweep;
 *   when nested    `o` is {@link nodes}: values are nodes of the enclosing tape, so the inner sweep is
 *                  itself recorded there and the enclosing transform differentiates through it.
 *
 * This is how JAX writes `jvp(sin) = mul(g, cos(x))` with primitives and how Stan runs one template on
 * `double` and on `var`: the rule is the same text; only what a "number" is changes.
 *
 * Conventions every implementation keeps:
 * - A plain number is a constant of any shape (it broadcasts), and the number 0 is a *symbolic* zero:
 *   `mul(0, x)` is 0 and `add(0, x)` is x without computing anything, so a plain gradient never pays
 *   for the tangent lanes it does not carry.
 * - `mul` and `matmul` treat an exact zero factor as a structural zero: 0·∞ = 0·NaN = 0 (see
 *   docs/conventions.md), so a branch masked out by `where` cannot poison a derivative.
 * - Two tensor operands of an elementwise method have the same shape; rules broadcast explicitly
 *   (`broadcastTo`) and reduce adjoints back (`sumTo`). Methods that depend on shapes are given them,
 *   because a Float64Array does not carry one.
 * @module
 */
import type { Node } from '../node.js';
import type { Shape } from '../shape.js';
import type { DualValue } from './dual.js';
import type { Lazy } from './fusion.js';
import type { LaneStack } from './lane-stack.js';

/**
 * A value a rule computes with: a number or Float64Array at top level (or elementwise work on them
 * that the numbers algebra has deferred, to run fused), a node when nested (and, in the dual algebra
 * that user ops' partials are evaluated in, a pair of those; in hvpMany's sweeps, a tangent or
 * R-adjoint holding one value per direction, lane-stack.ts). Rules treat values as opaque.
 *
 * @example
 * ```ts
 * // x and y are Values: compute with o, never with JS operators.
 * const myTanh = defineOp({ name: 'myTanh', primal: Math.tanh, partials: (o, _x, y) => [o.sub(1, o.mul(y, y))] });
 * ```
 */
export type Value = number | Float64Array | Lazy | Node | DualValue | LaneStack;

/**
 * An elementwise op as {@link Algebra.map} needs it: the op on nodes, its `math.f` on numbers.
 *
 * @example
 * ```ts
 * // Every elementwise op is one: sin′ = cos, applied as numbers at top level and as the op when nested.
 * defineOp({ name: 'mySin', primal: Math.sin, partials: (o, [x]) => [o.map(cos, x)] });
 * ```
 */
export interface Elementwise {
  (x: Node, p?: number): Node;
  readonly math: { readonly name: string; f(x: number, p: number): number };
}

/**
 * A binary elementwise op as {@link Algebra.map2} needs it.
 *
 * @example
 * ```ts
 * // ∂/∂a √(a² + b²) = a / hypot(a, b)
 * defineOp({ name: 'norm2', primal: Math.hypot, partials: (o, [a, b]) => [o.div(a, o.map2(hypot, a, b)), o.div(b, o.map2(hypot, a, b))] });
 * ```
 */
export interface Elementwise2 {
  (a: Node | number, b: Node | number): Node;
  readonly math: { readonly name: string; f(a: number, b: number): number };
}

/**
 * An operation as rules reach it through the algebra: its numeric kernel at top level, the op itself
 * when nested. An op whose rules need another op that the algebra does not list (a gather's adjoint is
 * a scatter) defines one of these beside itself, so adding an op touches its own file only.
 *
 * @example
 * ```ts
 * // y = 2x, elementwise: the kernel on numbers, an op on nodes.
 * const twice: Primitive = {
 *   name: 'twice',
 *   numbers: ([x]) => (typeof x === 'number' ? 2 * x : x.map((e) => 2 * e)),
 *   nodes: ([x]) => mul(x, 2),
 * };
 * // in a rule: o.apply(twice, [g], [shape], undefined)
 * ```
 */
export interface Primitive<P = undefined> {
  readonly name: string;
  /**
   * On numbers: each argument a number (a constant of any shape) or a Float64Array of the given shape.
   * Returns the result's data (or a number for a scalar). `o` is the algebra (for its structural-zero
   * products and strict-mode count).
   */
  numbers(args: readonly (number | Float64Array)[], shapes: readonly Shape[], params: P, o: Algebra): number | Float64Array;
  /** On nodes of the enclosing tape (or numbers, constants): records the op. */
  nodes(args: readonly (Node | number)[], shapes: readonly Shape[], params: P, o: Algebra): Node | number;
}

/**
 * One term of {@link Algebra.matmulSum}: op(a)·op(b), with the operands' own shapes (2-D) and
 * whether each is read transposed.
 *
 * @example
 * ```ts
 * // Inside a rule: C's tangent Ȧ·B + A·Ḃ as one sum of products.
 * const terms: ProductTerm[] = [
 *   { a: Adot, aShape: [m, k], ta: false, b: B, bShape: [k, n], tb: false },
 *   { a: A, aShape: [m, k], ta: false, b: Bdot, bShape: [k, n], tb: false },
 * ];
 * const Cdot = o.matmulSum(terms);
 * ```
 */
export interface ProductTerm {
  readonly a: Value;
  readonly aShape: Shape;
  readonly ta: boolean;
  readonly b: Value;
  readonly bShape: Shape;
  readonly tb: boolean;
}

/** Σ op(aᵢ)·op(bᵢ) as products added up in `o`: matmulSum where an algebra has nothing better. */
export function addedProducts(o: Algebra, terms: readonly ProductTerm[]): Value {
  let sum: Value = 0;
  for (const t of terms) {
    const p = o.matmul(t.a, t.aShape, t.b, t.bShape, t.ta, t.tb);
    sum = sum === 0 ? p : p === 0 ? sum : o.add(sum, p);
  }
  return sum;
}

/** The sums of {@link Algebra.matmulSums}, one after the other. */
export function separateSums(o: Algebra, sums: readonly (readonly ProductTerm[])[]): Value[] {
  return sums.map((terms) => o.matmulSum(terms));
}

/**
 * What rules compute with. See the module comment.
 *
 * @example
 * ```ts
 * // The partial derivative of sin, as numbers at top level and as nodes inside a nested transform:
 * const mySin = defineOp({ name: 'mySin', primal: Math.sin, partials: (o: Algebra, [x]) => [o.map(cos, x)] });
 * grad(grad((x: Scalar) => mySin(x)))(0); // -0: −sin 0, through the nested transform
 * ```
 */
export interface Algebra {
  /** `'numbers'` at top level, `'nodes'` when a nested transform records its sweeps on the enclosing tape. */
  readonly kind: 'numbers' | 'nodes';

  add(a: Value, b: Value): Value;
  sub(a: Value, b: Value): Value;
  /** Product with structural zeros: an exact 0 times anything (±∞ and NaN included) is 0. */
  mul(a: Value, b: Value): Value;
  div(a: Value, b: Value): Value;
  neg(a: Value): Value;
  /** An elementwise op applied at this level: its function on numbers, the op itself on nodes. */
  map(op: Elementwise, x: Value, p?: number): Value;
  /** A binary elementwise op applied at this level (operands of one shape, or numbers). */
  map2(op: Elementwise2, a: Value, b: Value): Value;

  /** The numbers behind a value (a node's primal), for masks and branch decisions in rules. */
  numbers(x: Value): number | Float64Array;
  /**
   * A piecewise-constant function of x, such as the 0/1 mask of a kink: `fn` applied to the numbers
   * behind x, returned as a constant of x's shape at this level (its derivative is 0 everywhere).
   */
  step(x: Value, fn: (v: number) => number): Value;
  /** The same for a function of two values of one shape (e.g. which of a and b is larger). */
  step2(a: Value, b: Value, fn: (u: number, v: number) => number): Value;
  /** A constant tensor of this level holding `data`. */
  constant(data: Float64Array, shape: Shape): Value;

  /** x repeated along broadcast dimensions, from shape `from` to `to` (NumPy rules). */
  broadcastTo(x: Value, from: Shape, to: Shape): Value;
  /** The adjoint of broadcastTo: sums x of shape `from` over the dimensions that broadcast from `to`. */
  sumTo(x: Value, from: Shape, to: Shape): Value;
  reshape(x: Value, from: Shape, to: Shape): Value;
  /** Axes permuted: result axis k is axis perm[k] of x. */
  transpose(x: Value, shape: Shape, perm: readonly number[]): Value;
  /**
   * The matrix product of 2-D a and b, either read transposed (`ta`, `tb`); shapes are the operands'
   * own (before transposition). Structural zeros as in `mul`.
   */
  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Value;
  /**
   * Σ op(aᵢ)·op(bᵢ) over 2-D terms with one result shape and one inner dimension, as `matmul` each
   * (the tangent Ȧ·B + A·Ḃ of a product, an R-adjoint R{C̄}·Bᵀ + C̄·Ḃᵀ). On numbers one kernel call
   * writes the sum, with no array per term; elsewhere the sum of the products.
   */
  matmulSum(terms: readonly ProductTerm[]): Value;
  /**
   * Several sums of products, as `matmulSum` each (a matmul's adjoint lanes: Ā, R{Ā}, B̄ and R{B̄}).
   * On numbers they run as one kernel job, an operand that several read copied in once and the
   * threads forked and joined once; elsewhere they are the sums one by one.
   */
  matmulSums(sums: readonly (readonly ProductTerm[])[]): Value[];
  /** Elements `start…end−1` along `axis` of x. */
  slice(x: Value, shape: Shape, start: number, end: number, axis: number): Value;
  /** x placed at `start` along `axis` inside zeros of length `n` there (the adjoint of slice). */
  pad(x: Value, shape: Shape, start: number, n: number, axis: number): Value;
  /** Tensors joined along `axis`. */
  concat(parts: readonly Value[], shapes: readonly Shape[], axis: number): Value;
  /** Element k (flat, row-major) of a tensor, as a scalar. */
  at(x: Value, shape: Shape, k: number): Value;
  /** A tensor of `shape` holding the scalar x at flat index k and zeros elsewhere (the adjoint of at). */
  oneHot(x: Value, shape: Shape, k: number): Value;
  /** Elementwise choice by a constant mask: a where pick[k] is 1, b elsewhere (both of the mask's shape, or numbers). */
  select(pick: Uint8Array, a: Value, b: Value, shape: Shape): Value;
  /** A scalar as a 0-d tensor, and back. */
  promote(x: Value): Value;
  demote(x: Value): Value;
  /** Any other operation, by its {@link Primitive}: the kernel on numbers, the op on nodes. */
  apply<P>(p: Primitive<P>, args: readonly Value[], shapes: readonly Shape[], params: P): Value;
}
