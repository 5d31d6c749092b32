/**
 * Node handles: what `f` receives and returns. A {@link Scalar} is an index into the tape's typed
 * arrays; a {@link Tensor} also carries its Float64Array lanes. Every op is a method here and a
 * function in `ops/`, so `a.mul(b)` and `mul(a, b)` are the same thing.
 * @module
 */
import type { Shape } from './shape.js';
import { MAX_RANK, checkRank, formatShape, listOf, sizeOf } from './shape.js';
import { CONSTANT, NO_INPUT, checkLive, eagerTape, recordingTape, ruleOf, staleNode, type Tape } from './tape.js';
import { keep } from './algebra/numbers.js';
import { Lazy, evaluate } from './algebra/fusion.js';
import { ArgumentError, NodeConversionError, ShapeError } from './errors.js';
import { describeValue } from './options.js';
import { shown } from './shown.js';
import * as ops from './ops/index.js';
import { noExtraArguments } from './arity.js';

/**
 * Plain array data: a Float64Array, a number[], or nested number arrays (a matrix, …) of that shape.
 *
 * @example
 * ```ts
 * const m: ArrayData = [[1, 2], [3, 4]]; // a 2×2 matrix
 * tensor(m).matmul([1, 1]).value;        // [3, 7]
 * ```
 */
export type ArrayData =
  | Float64Array
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

/**
 * An op's operand: a node, or a constant — a plain number, or array data (a tensor of its shape).
 * Constants carry no tangent and receive no adjoint.
 *
 * @example
 * ```ts
 * grad((x: Tensor) => x.mul(2).add([1, 1]).sum())([3, 4]); // [2, 2]: 2 and [1, 1] are constants
 * ```
 */
export type Operand = Node | number | ArrayData;

/**
 * The result type of an elementwise binary op: a tensor if either operand is one (or array data).
 *
 * @example
 * ```ts
 * const y: Combined<Scalar, Tensor> = scalar(2).mul(tensor([1, 2])); // a Tensor
 * ```
 */
export type Combined<A, B> = A extends Tensor | ArrayData ? Tensor : B extends Tensor | ArrayData ? Tensor : Scalar;
/**
 * The result type of an elementwise unary op: the operand's kind.
 *
 * @example
 * ```ts
 * const y: Same<Tensor> = tensor([1, -1]).abs(); // a Tensor
 * ```
 */
export type Same<A> = A extends Tensor ? Tensor : Scalar;

/**
 * An op as a method calls it: with the method's own arguments, then with whatever the method was
 * given past its last parameter (`...extra`), placed past the op's last parameter so that the op
 * refuses it with its own message. JavaScript would drop it: `x.add(y, z)` would be x + y, `x.log(10)`
 * ln x, `A.solve(b, 3)` the solve. TypeScript rejects such calls already (`extra: never[]`); this is
 * for plain JavaScript.
 */
type Forwarding<R> = (...args: unknown[]) => R;

/** Methods shared by scalars and tensors. */
abstract class NodeBase {
  constructor(
    /** @internal The tape this node was recorded on. */
    readonly tape: Tape,
    /** @internal Position on the tape (creation order). */
    readonly id: number,
  ) {}

  private self(): Node {
    return this as unknown as Node;
  }

  /**
   * Refuses to turn into a number or a string: `x * 2`, `x + y`, `Math.sin(x)`, `x > 0` and
   * `` `${x}` `` would compute with no derivative and give a silently wrong result; throws
   * {@link NodeConversionError} saying which op to use.
   * @example
   * ```ts
   * grad((x: Scalar) => x.mul(2))(1); // 2, where x * 2 throws NodeConversionError
   * ```
   */
  [Symbol.toPrimitive](hint: string): never {
    throw conversionError(kindOf(this), hint);
  }

  /**
   * Throws {@link NodeConversionError}, as converting to a primitive does: read a node's number with
   * `x.value`.
   * @example
   * ```ts
   * scalar(2).value; // 2, where scalar(2).valueOf() throws NodeConversionError
   * ```
   */
  valueOf(): never {
    throw conversionError(kindOf(this), 'number');
  }

  /**
   * Throws {@link NodeConversionError}: `JSON.stringify` of a node (or of an object holding one) would
   * otherwise fail inside with a TypeError about a circular structure (a node refers to its tape).
   * @example
   * ```ts
   * JSON.stringify(Array.from(tensor([1, 2]).value)); // '[1,2]', where JSON.stringify(tensor([1, 2])) throws
   * ```
   */
  toJSON(): never {
    throw conversionError(kindOf(this), 'json');
  }


  /** True when the node depends on the parameters (carries a tangent and an adjoint). */
  get isActive(): boolean {
    return this.tape.active[this.id] === 1;
  }

  /**
   * x + b, elementwise; `b` is a node, a number or array data, broadcast as in NumPy ({@link ops.add | add}).
   * @example
   * ```ts
   * tensor([1, 2]).add(tensor([[10], [20]])).value; // [11, 12, 21, 22], shape [2, 2]
   * ```
   */
  add<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.add as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x − b, elementwise with broadcasting ({@link ops.sub | sub}).
   * @example
   * ```ts
   * tensor([5, 7]).sub(2).value; // [3, 5]
   * ```
   */
  sub<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.sub as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x·b, elementwise with broadcasting ({@link ops.mul | mul}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.mul(x).mul(3))(2); // 12 = 6x
   * ```
   */
  mul<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.mul as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x / b, elementwise with broadcasting ({@link ops.div | div}).
   * @example
   * ```ts
   * tensor([1, 2]).div(4).value; // [0.25, 0.5]
   * ```
   */
  div<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.div as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x to the power b, elementwise with broadcasting ({@link ops.pow | pow}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.pow(3))(2); // 12 = 3x²
   * ```
   */
  pow<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.pow as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * The larger of x and b, elementwise with broadcasting ({@link ops.maximum | maximum}).
   * @example
   * ```ts
   * tensor([1, 5]).maximum(3).value; // [3, 5]
   * ```
   */
  maximum<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.maximum as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * The smaller of x and b, elementwise with broadcasting ({@link ops.minimum | minimum}).
   * @example
   * ```ts
   * tensor([1, 5]).minimum(3).value; // [1, 3]
   * ```
   */
  minimum<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.minimum as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x > b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.greater | greater}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).greater(2).value; // [0, 0, 1]
   * ```
   */
  greater<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.greater as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x ≥ b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.greaterEqual | greaterEqual}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).greaterEqual(2).value; // [0, 1, 1]
   * ```
   */
  greaterEqual<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.greaterEqual as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x < b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.less | less}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).less(2).value; // [1, 0, 0]
   * ```
   */
  less<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.less as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x ≤ b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.lessEqual | lessEqual}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).lessEqual(2).value; // [1, 1, 0]
   * ```
   */
  lessEqual<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.lessEqual as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x = b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.equal | equal}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).equal(2).value; // [0, 1, 0]
   * ```
   */
  equal<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.equal as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * 1 where x ≠ b, 0 elsewhere, elementwise with broadcasting; derivative 0 ({@link ops.notEqual | notEqual}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).notEqual(2).value; // [1, 0, 1]
   * ```
   */
  notEqual<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.notEqual as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x mod b with the sign of b (NumPy's `remainder`, Python's `%`), elementwise with broadcasting ({@link ops.remainder | remainder}).
   * @example
   * ```ts
   * tensor([5, -5, 7.5]).remainder(3).value; // [2, 1, 1.5]
   * ```
   */
  remainder<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.remainder as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * −x ({@link ops.neg | neg}).
   * @example
   * ```ts
   * tensor([1, -2]).neg().value; // [-1, 2]
   * ```
   */
  neg(...extra: never[]): Same<this> { return (ops.neg as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x², elementwise ({@link ops.square | square}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.square())(3); // 6
   * ```
   */
  square(...extra: never[]): Same<this> { return (ops.square as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * √x, elementwise ({@link ops.sqrt | sqrt}).
   * @example
   * ```ts
   * tensor([4, 9]).sqrt().value; // [2, 3]
   * ```
   */
  sqrt(...extra: never[]): Same<this> { return (ops.sqrt as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * eˣ, elementwise ({@link ops.exp | exp}).
   * @example
   * ```ts
   * hvp((x: Scalar) => x.exp(), 0, 1); // 1: every derivative of eˣ at 0
   * ```
   */
  exp(...extra: never[]): Same<this> { return (ops.exp as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Natural logarithm, elementwise ({@link ops.log | log}).
   * @example
   * ```ts
   * tensor([1, Math.E]).log().value; // [0, 1]
   * ```
   */
  log(...extra: never[]): Same<this> { return (ops.log as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln(1 + x), accurate for small x ({@link ops.log1p | log1p}).
   * @example
   * ```ts
   * scalar(1e-20).log1p().value; // 1e-20, where Math.log(1 + 1e-20) is 0
   * ```
   */
  log1p(...extra: never[]): Same<this> { return (ops.log1p as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * sin x, elementwise ({@link ops.sin | sin}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.sin())(0); // 1
   * ```
   */
  sin(...extra: never[]): Same<this> { return (ops.sin as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * cos x, elementwise ({@link ops.cos | cos}).
   * @example
   * ```ts
   * hvp((x: Scalar) => x.cos(), 0, 1); // -1: cos″(0)
   * ```
   */
  cos(...extra: never[]): Same<this> { return (ops.cos as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * tanh x, elementwise ({@link ops.tanh | tanh}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.tanh())(0); // 1
   * ```
   */
  tanh(...extra: never[]): Same<this> { return (ops.tanh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The logistic function 1/(1 + e⁻ˣ), elementwise ({@link ops.sigmoid | sigmoid}).
   * @example
   * ```ts
   * tensor([0, Math.log(3)]).sigmoid().value; // [0.5, 0.75]
   * ```
   */
  sigmoid(...extra: never[]): Same<this> { return (ops.sigmoid as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * max(x, 0), elementwise ({@link ops.relu | relu}).
   * @example
   * ```ts
   * tensor([-1, 2]).relu().value; // [0, 2]
   * ```
   */
  relu(...extra: never[]): Same<this> { return (ops.relu as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln(1 + eˣ), the smooth relu, without overflow ({@link ops.softplus | softplus}).
   * @example
   * ```ts
   * tensor([0, 1000]).softplus().value; // [0.6931, 1000]: ln 2, and no overflow
   * ```
   */
  softplus(...extra: never[]): Same<this> { return (ops.softplus as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * |x|, elementwise ({@link ops.abs | abs}).
   * @example
   * ```ts
   * tensor([-2, 3]).abs().value; // [2, 3]
   * ```
   */
  abs(...extra: never[]): Same<this> { return (ops.abs as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  // Elementwise functions (issue 15): trigonometric, hyperbolic, exponential, special functions, activations.
  /**
   * tan x, elementwise ({@link ops.tan | tan}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.tan())(0); // 1
   * ```
   */
  tan(...extra: never[]): Same<this> { return (ops.tan as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse sine, elementwise ({@link ops.asin | asin}).
   * @example
   * ```ts
   * scalar(1).asin().value; // 1.5708 = π/2
   * ```
   */
  asin(...extra: never[]): Same<this> { return (ops.asin as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse cosine, elementwise ({@link ops.acos | acos}).
   * @example
   * ```ts
   * scalar(0).acos().value; // 1.5708 = π/2
   * ```
   */
  acos(...extra: never[]): Same<this> { return (ops.acos as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse tangent, elementwise ({@link ops.atan | atan}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.atan())(1); // 0.5 = 1/(1 + x²)
   * ```
   */
  atan(...extra: never[]): Same<this> { return (ops.atan as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Hyperbolic sine, elementwise ({@link ops.sinh | sinh}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.sinh())(0); // 1 = cosh 0
   * ```
   */
  sinh(...extra: never[]): Same<this> { return (ops.sinh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Hyperbolic cosine, elementwise ({@link ops.cosh | cosh}).
   * @example
   * ```ts
   * scalar(0).cosh().value; // 1
   * ```
   */
  cosh(...extra: never[]): Same<this> { return (ops.cosh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse hyperbolic sine, elementwise ({@link ops.asinh | asinh}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.asinh())(0); // 1
   * ```
   */
  asinh(...extra: never[]): Same<this> { return (ops.asinh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse hyperbolic cosine, elementwise; x ≥ 1 ({@link ops.acosh | acosh}).
   * @example
   * ```ts
   * scalar(1).acosh().value; // 0
   * ```
   */
  acosh(...extra: never[]): Same<this> { return (ops.acosh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Inverse hyperbolic tangent, elementwise; |x| ≤ 1 ({@link ops.atanh | atanh}).
   * @example
   * ```ts
   * scalar(0.5).atanh().value; // 0.5493 = ln 3 / 2
   * ```
   */
  atanh(...extra: never[]): Same<this> { return (ops.atanh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * eˣ − 1, accurate for small x ({@link ops.expm1 | expm1}).
   * @example
   * ```ts
   * scalar(1e-20).expm1().value; // 1e-20, where Math.exp(1e-20) - 1 is 0
   * ```
   */
  expm1(...extra: never[]): Same<this> { return (ops.expm1 as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 2ˣ, elementwise ({@link ops.exp2 | exp2}).
   * @example
   * ```ts
   * tensor([3, -1]).exp2().value; // [8, 0.5]
   * ```
   */
  exp2(...extra: never[]): Same<this> { return (ops.exp2 as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Base-2 logarithm, elementwise ({@link ops.log2 | log2}).
   * @example
   * ```ts
   * tensor([8, 0.5]).log2().value; // [3, -1]
   * ```
   */
  log2(...extra: never[]): Same<this> { return (ops.log2 as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Base-10 logarithm, elementwise ({@link ops.log10 | log10}).
   * @example
   * ```ts
   * tensor([1000, 0.01]).log10().value; // [3, -2]
   * ```
   */
  log10(...extra: never[]): Same<this> { return (ops.log10 as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * Cube root, elementwise, negative for negative x ({@link ops.cbrt | cbrt}).
   * @example
   * ```ts
   * tensor([27, -8]).cbrt().value; // [3, -2]
   * ```
   */
  cbrt(...extra: never[]): Same<this> { return (ops.cbrt as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1/√x, elementwise ({@link ops.rsqrt | rsqrt}).
   * @example
   * ```ts
   * tensor([4, 0.25]).rsqrt().value; // [0.5, 2]
   * ```
   */
  rsqrt(...extra: never[]): Same<this> { return (ops.rsqrt as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1/x, elementwise ({@link ops.reciprocal | reciprocal}).
   * @example
   * ```ts
   * tensor([4, -0.5]).reciprocal().value; // [0.25, -2]
   * ```
   */
  reciprocal(...extra: never[]): Same<this> { return (ops.reciprocal as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The error function, elementwise ({@link ops.erf | erf}).
   * @example
   * ```ts
   * grad((x: Scalar) => x.erf())(0); // 1.1284 = 2/√π
   * ```
   */
  erf(...extra: never[]): Same<this> { return (ops.erf as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1 − erf x, accurate where erf x is near 1 ({@link ops.erfc | erfc}).
   * @example
   * ```ts
   * tensor([0, 10]).erfc().value; // [1, 2.088e-45]
   * ```
   */
  erfc(...extra: never[]): Same<this> { return (ops.erfc as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The exact GELU x·Φ(x), Φ the standard normal distribution function ({@link ops.gelu | gelu}).
   * @example
   * ```ts
   * tensor([0, 1]).gelu().value; // [0, 0.8413]
   * ```
   */
  gelu(...extra: never[]): Same<this> { return (ops.gelu as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x·sigmoid(x), the SiLU or swish ({@link ops.silu | silu}).
   * @example
   * ```ts
   * scalar(1).silu().value; // 0.7311
   * ```
   */
  silu(...extra: never[]): Same<this> { return (ops.silu as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln(x/(1 − x)), the inverse of the sigmoid, elementwise ({@link ops.logit | logit}).
   * @example
   * ```ts
   * tensor([0.5, 0.75]).logit().value; // [0, 1.0986] (ln 3)
   * ```
   */
  logit(...extra: never[]): Same<this> { return (ops.logit as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * −1, 0 or 1 by the sign of x; its derivative is 0 ({@link ops.sign | sign}).
   * @example
   * ```ts
   * tensor([-2, 0, 3]).sign().value; // [-1, 0, 1]
   * ```
   */
  sign(...extra: never[]): Same<this> { return (ops.sign as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The largest integer ≤ x; its derivative is 0 ({@link ops.floor | floor}).
   * @example
   * ```ts
   * tensor([1.7, -1.2]).floor().value; // [1, -2]
   * ```
   */
  floor(...extra: never[]): Same<this> { return (ops.floor as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x rounded toward zero; its derivative is 0 ({@link ops.trunc | trunc}).
   * @example
   * ```ts
   * tensor([1.7, -1.7]).trunc().value; // [1, -1]
   * ```
   */
  trunc(...extra: never[]): Same<this> { return (ops.trunc as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1 where x is NaN, 0 elsewhere; derivative 0 ({@link ops.isNan | isNan}).
   * @example
   * ```ts
   * tensor([1, NaN, -Infinity]).isNan().value; // [0, 1, 0]
   * ```
   */
  isNan(...extra: never[]): Same<this> { return (ops.isNan as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1 where x is finite, 0 elsewhere; derivative 0 ({@link ops.isFinite | isFinite}).
   * @example
   * ```ts
   * tensor([1, NaN, -Infinity]).isFinite().value; // [1, 0, 0]
   * ```
   */
  isFinite(...extra: never[]): Same<this> { return (ops.isFinite as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * 1 where x is ±∞, 0 elsewhere; derivative 0 ({@link ops.isInf | isInf}).
   * @example
   * ```ts
   * tensor([1, NaN, -Infinity]).isInf().value; // [0, 0, 1]
   * ```
   */
  isInf(...extra: never[]): Same<this> { return (ops.isInf as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The smallest integer ≥ x; its derivative is 0 ({@link ops.ceil | ceil}).
   * @example
   * ```ts
   * tensor([1.2, -1.7]).ceil().value; // [2, -1]
   * ```
   */
  ceil(...extra: never[]): Same<this> { return (ops.ceil as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x rounded to the nearest integer, halves to even; its derivative is 0 ({@link ops.round | round}).
   * @example
   * ```ts
   * tensor([0.5, 1.5, 2.5]).round().value; // [0, 2, 2]
   * ```
   */
  round(...extra: never[]): Same<this> { return (ops.round as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * This node's value as a constant: no derivative passes through it, in any transform, nested ones
   * included ({@link ops.stopGradient | stopGradient}; JAX's `lax.stop_gradient`, PyTorch's `detach`).
   * @example
   * ```ts
   * grad((x: Scalar) => x.mul(x.stopGradient()))(3); // 3: x·c with c = 3 held fixed
   * ```
   */
  stopGradient(...extra: never[]): Same<this> { return (ops.stopGradient as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln|Γ(x)|, elementwise ({@link ops.lgamma | lgamma}).
   * @example
   * ```ts
   * scalar(5).lgamma().value; // 3.1781 = ln 4!
   * ```
   */
  lgamma(...extra: never[]): Same<this> { return (ops.lgamma as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ψ(x) = Γ′(x)/Γ(x), elementwise ({@link ops.digamma | digamma}).
   * @example
   * ```ts
   * scalar(1).digamma().value; // -0.5772 = −γ
   * ```
   */
  digamma(...extra: never[]): Same<this> { return (ops.digamma as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln σ(x) = −softplus(−x), without overflow ({@link ops.logSigmoid | logSigmoid}).
   * @example
   * ```ts
   * tensor([0, -1000]).logSigmoid().value; // [-0.6931, -1000]
   * ```
   */
  logSigmoid(...extra: never[]): Same<this> { return (ops.logSigmoid as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * sin(πx)/(πx), 1 at 0, elementwise ({@link ops.sinc | sinc}).
   * @example
   * ```ts
   * tensor([0, 0.5]).sinc().value; // [1, 0.6366]
   * ```
   */
  sinc(...extra: never[]): Same<this> { return (ops.sinc as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The inverse error function, elementwise ({@link ops.erfinv | erfinv}).
   * @example
   * ```ts
   * tensor([0, 0.5]).erfinv().value; // [0, 0.4769]
   * ```
   */
  erfinv(...extra: never[]): Same<this> { return (ops.erfinv as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * The standard normal distribution function Φ, elementwise ({@link ops.ndtr | ndtr}).
   * @example
   * ```ts
   * tensor([0, 1]).ndtr().value; // [0.5, 0.8413]
   * ```
   */
  ndtr(...extra: never[]): Same<this> { return (ops.ndtr as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * ln Φ(x), stable in both tails ({@link ops.logNdtr | logNdtr}).
   * @example
   * ```ts
   * tensor([0, -40]).logNdtr().value; // [-0.6931, -804.6084]
   * ```
   */
  logNdtr(...extra: never[]): Same<this> { return (ops.logNdtr as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * λ·elu(x, α) with the self-normalizing constants ({@link ops.selu | selu}).
   * @example
   * ```ts
   * tensor([-1, 1]).selu().value; // [-1.1113, 1.0507]
   * ```
   */
  selu(...extra: never[]): Same<this> { return (ops.selu as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x/(1 + |x|), elementwise ({@link ops.softsign | softsign}).
   * @example
   * ```ts
   * tensor([-3, 1]).softsign().value; // [-0.75, 0.5]
   * ```
   */
  softsign(...extra: never[]): Same<this> { return (ops.softsign as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x·tanh(softplus(x)), elementwise ({@link ops.mish | mish}).
   * @example
   * ```ts
   * tensor([0, 1]).mish().value; // [0, 0.8651]
   * ```
   */
  mish(...extra: never[]): Same<this> { return (ops.mish as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * min(max(x, 0), 6), elementwise ({@link ops.relu6 | relu6}).
   * @example
   * ```ts
   * tensor([-1, 3, 8]).relu6().value; // [0, 3, 6]
   * ```
   */
  relu6(...extra: never[]): Same<this> { return (ops.relu6 as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x limited to [−1, 1], elementwise ({@link ops.hardTanh | hardTanh}).
   * @example
   * ```ts
   * tensor([-2, 0.5, 3]).hardTanh().value; // [-1, 0.5, 1]
   * ```
   */
  hardTanh(...extra: never[]): Same<this> { return (ops.hardTanh as Forwarding<Node>)(this.self(), ...extra) as Same<this>; }
  /**
   * x for x > 0, α(e^(x/α) − 1) below, elementwise ({@link ops.celu | celu}).
   * @example
   * ```ts
   * tensor([-1, 2]).celu(2).value; // [-0.7869, 2]
   * ```
   */
  celu(alpha = 1, ...extra: never[]): Same<this> { return (ops.celu as Forwarding<Node>)(this.self(), alpha, ...extra) as Same<this>; }
  /**
   * x for x > 0, α(eˣ − 1) below, elementwise ({@link ops.elu | elu}).
   * @example
   * ```ts
   * tensor([-1, 2]).elu().value; // [-0.6321, 2]
   * ```
   */
  elu(alpha = 1, ...extra: never[]): Same<this> { return (ops.elu as Forwarding<Node>)(this.self(), alpha, ...extra) as Same<this>; }
  /**
   * x for x > 0, slope·x below, elementwise ({@link ops.leakyRelu | leakyRelu}).
   * @example
   * ```ts
   * tensor([-1, 2]).leakyRelu(0.1).value; // [-0.1, 2]
   * ```
   */
  leakyRelu(slope = 0.01, ...extra: never[]): Same<this> { return (ops.leakyRelu as Forwarding<Node>)(this.self(), slope, ...extra) as Same<this>; }
  /**
   * ψ⁽ⁿ⁾ of this node: `x.polygamma(n)` is {@link ops.polygamma | polygamma}(n, x).
   * @example
   * ```ts
   * scalar(1).polygamma(1).value; // 1.6449 = π²/6
   * ```
   */
  polygamma(n: number, ...extra: never[]): Same<this> { return (ops.polygamma as Forwarding<Node>)(n, this.self(), ...extra) as Same<this>; }
  /**
   * x limited to [lo, hi], elementwise; the bounds may be nodes ({@link ops.clip | clip}).
   * @example
   * ```ts
   * tensor([-2, 0.5, 3]).clip(0, 1).value; // [0, 0.5, 1]
   * ```
   */
  clip<L extends Operand, H extends Operand>(lo: L, hi: H, ...extra: never[]): Combined<this, Combined<L, H>> {
    return (ops.clip as Forwarding<Node>)(this.self(), lo, hi, ...extra) as Combined<this, Combined<L, H>>;
  }
  /**
   * {@link ops.atan2 | atan2}(this, b), the angle of the point (b, this): this node is the y-coordinate, `b` the x-coordinate.
   * @example
   * ```ts
   * scalar(1).atan2(-1).value; // 2.3562 = 3π/4
   * ```
   */
  atan2<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.atan2 as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * √(x² + b²) without overflow, elementwise ({@link ops.hypot | hypot}).
   * @example
   * ```ts
   * scalar(3).hypot(4).value; // 5
   * ```
   */
  hypot<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.hypot as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * ln(eˣ + eᵇ) without overflow, elementwise ({@link ops.logAddExp | logAddExp}).
   * @example
   * ```ts
   * scalar(1000).logAddExp(1000).value; // 1000.6931 = 1000 + ln 2
   * ```
   */
  logAddExp<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.logAddExp as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x·ln b, and 0 where x = 0, elementwise ({@link ops.xlogy | xlogy}).
   * @example
   * ```ts
   * tensor([0, 2]).xlogy(tensor([0, Math.E])).value; // [0, 2]
   * ```
   */
  xlogy<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.xlogy as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
  /**
   * x·ln(1 + b), and 0 where x = 0, elementwise ({@link ops.xlog1py | xlog1py}).
   * @example
   * ```ts
   * scalar(3).xlog1py(1e-20).value; // 3e-20
   * ```
   */
  xlog1py<B extends Operand>(b: B, ...extra: never[]): Combined<this, B> { return (ops.xlog1py as Forwarding<Node>)(this.self(), b, ...extra) as Combined<this, B>; }
}

/**
 * A scalar node: what `f` receives for a number, and what a reduction or `at` returns. Its value and
 * tangent live in the tape's typed arrays. Every op is a method: `x.tanh()` is `tanh(x)`.
 *
 * @example
 * ```ts
 * grad((x: Scalar) => x.mul(x).sin())(1); // 1.0806 = 2x·cos x²
 * ```
 */
export class Scalar extends NodeBase {
  // Spelled out: a derived class's implicit constructor forwards ...args, slower on the hot path.
  /** @internal Nodes are made by ops and transforms, never by `new`. */
  constructor(tape: Tape, id: number) {
    if (typeof id !== 'number') throw constructedByHand('Scalar');
    super(tape, id);
  }
  /** `'scalar'`: tells a scalar node from a tensor node without `instanceof`. */
  get kind(): 'scalar' {
    return 'scalar';
  }
  /** The primal value. Throws {@link StaleNodeError} once the transform call has finished. */
  get value(): number {
    return checkLive(this.tape, 'value').vals[this.id];
  }
  /** The tangent R{value} (0 outside hvp/jvp). */
  get tangent(): number {
    return checkLive(this.tape, 'tangent').dots[this.id];
  }
  /**
   * `Scalar(value)`, for logs and debuggers (a template string `${x}` throws instead, see
   * {@link NodeConversionError}).
   * @example
   * ```ts
   * scalar(2).toString(); // 'Scalar(2)'
   * ```
   */
  override toString(): string {
    return `Scalar(${this.value})`;
  }
}

/**
 * A float64 tensor node: row-major data plus a shape. What `f` receives for an array, and what
 * {@link tensor} makes for a constant. Every op is a method: `w.matmul(x).tanh()`.
 *
 * @example
 * ```ts
 * grad((w: Tensor) => w.square().sum())([1, 2]); // [2, 4]
 * ```
 */
export class Tensor extends NodeBase {
  /** `'tensor'`: tells a tensor node from a scalar node without `instanceof`. */
  get kind(): 'tensor' {
    return 'tensor';
  }
  /** The number of elements: the product of the shape. */
  readonly size: number;
  /** @internal adjoint x̄, allocated on first use */
  bar: Float64Array | null = null;
  /** @internal R{x̄} */
  barDot: Float64Array | null = null;
  private storedData: Float64Array;
  private storedDot: Float64Array | null;
  // A deferred value is computed on first read: a transpose that matmul reads through never is, and
  // elementwise work (a bias add) may be fused into its readers' loops instead (dataWork).
  private pendingData: Pending | null = null;
  private pendingDot: Pending | null = null;

  /** @internal Nodes are made by ops and transforms, never by `new`. */
  constructor(
    tape: Tape,
    id: number,
    /** The dimensions, outermost first (`[]` for a 0-d tensor). */
    readonly shape: Shape,
    data: Float64Array,
    dataDot: Float64Array | null,
  ) {
    if (typeof id !== 'number') throw constructedByHand('Tensor');
    super(tape, id);
    this.storedData = data;
    this.storedDot = dataDot;
    this.size = data === DEFERRED ? sizeOf(shape) : data.length;
    // x[1] = 5 on a tensor node would be ignored by the engine: make it an error instead. (Not on
    // scalar nodes, where it would cost a third of a scalar op; they are not indexed like arrays.)
    Object.preventExtensions(this);
  }

  /** @internal primal data (replaced, never changed in place, when a compiled program replays) */
  get data(): Float64Array {
    const pending = this.pendingData;
    if (pending !== null) {
      this.pendingData = null;
      this.storedData = this.computed(pending);
    }
    return this.storedData;
  }
  /** @internal */
  set data(data: Float64Array) {
    this.pendingData = null;
    this.storedData = data;
  }
  /** @internal tangent R{data}; null means zero */
  get dataDot(): Float64Array | null {
    const pending = this.pendingDot;
    if (pending !== null) {
      this.pendingDot = null;
      this.storedDot = this.computed(pending);
    }
    return this.storedDot;
  }
  /** @internal */
  set dataDot(dot: Float64Array | null) {
    this.pendingDot = null;
    this.storedDot = dot;
  }
  /**
   * @internal Sets the primal to be computed on first read (see {@link newDeferredTensor}): by a
   * function, or as elementwise work of the numbers algebra, which a consumer may fuse instead.
   */
  deferData(data: Pending): void {
    this.pendingData = data;
  }
  /** @internal Sets the tangent to be computed on first read, as {@link deferData}; null: it is zero. */
  deferDot(dot: Pending | null): void {
    this.storedDot = null;
    this.pendingDot = dot;
  }
  /** @internal The primal as elementwise work not done yet (Lanes.fusedVal), else null. */
  get dataWork(): Lazy | null {
    return this.pendingData instanceof Lazy ? this.pendingData : null;
  }
  /** @internal The tangent as elementwise work not done yet (Lanes.fusedDot), else null. */
  get dotWork(): Lazy | null {
    return this.pendingDot instanceof Lazy ? this.pendingDot : null;
  }
  /** A deferred lane's numbers: the function run, or the work done in one fused loop. */
  private computed(pending: Pending): Float64Array {
    return keep(pending instanceof Lazy ? evaluate(pending, this.tape.o.timesFn, null, false) : pending());
  }

  /** The primal values (row-major). Do not modify. Throws {@link StaleNodeError} once the call has finished. */
  get value(): Float64Array {
    checkLive(this.tape, 'value');
    return this.data;
  }
  /** The tangent R{value}, or zeros. */
  get tangent(): Float64Array {
    checkLive(this.tape, 'tangent');
    return this.dataDot ?? new Float64Array(this.size);
  }

  /**
   * Sum of all elements (a scalar), or along `axis`, a number or a list (a tensor) ({@link ops.sum | sum}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).sum(1).value; // [3, 7]
   * ```
   */
  sum(axis?: undefined, keepDims?: false): Scalar;
  sum(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  sum(axis: number | readonly number[], keepDims?: boolean): Tensor;
  sum(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node {
    return (ops.sum as Forwarding<Node>)(this, axis, keepDims, ...extra);
  }
  /**
   * Mean of all elements, or along `axis`, a number or a list ({@link ops.mean | mean}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).mean(0).value; // [2, 3]
   * ```
   */
  mean(axis?: undefined, keepDims?: false): Scalar;
  mean(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  mean(axis: number | readonly number[], keepDims?: boolean): Tensor;
  mean(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node {
    return (ops.mean as Forwarding<Node>)(this, axis, keepDims, ...extra);
  }
  /**
   * The matrix product with NumPy's `matmul` rules: stacks broadcast, vectors are rows or columns ({@link ops.matmul | matmul}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])).value; // [3, 7]
   * ```
   */
  matmul(b: Tensor | ArrayData, ...extra: never[]): Tensor { return (ops.matmul as Forwarding<Tensor>)(this, b, ...extra); }
  /**
   * The inner product of two vectors of one length ({@link ops.dot | dot}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).dot(tensor([4, 5, 6])).value; // 32
   * ```
   */
  dot(b: Tensor | ArrayData, ...extra: never[]): Scalar { return (ops.dot as Forwarding<Scalar>)(this, b, ...extra); }
  /**
   * The axes reversed, or permuted by `perm` ({@link ops.transpose | transpose}).
   * @example
   * ```ts
   * tensor([[1, 2, 3]]).transpose().shape; // [3, 1]
   * ```
   */
  transpose(perm?: readonly number[], ...extra: never[]): Tensor { return (ops.transpose as Forwarding<Tensor>)(this, perm, ...extra); }
  /**
   * The same elements, row-major, in another shape ({@link ops.reshape | reshape}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4, 5, 6]).reshape([2, 3]).shape; // [2, 3]
   * ```
   */
  reshape(shape: Shape, ...extra: never[]): Tensor { return (ops.reshape as Forwarding<Tensor>)(this, shape, ...extra); }
  /**
   * The tensor repeated along new leading axes and axes of length 1 to fill `shape`, as NumPy's
   * `broadcast_to` ({@link ops.broadcastTo | broadcastTo}); the adjoint sums the copies back.
   * @example
   * ```ts
   * tensor([[1], [2]]).broadcastTo([2, 3]).value; // [1, 1, 1, 2, 2, 2]
   * ```
   */
  broadcastTo(shape: Shape, ...extra: never[]): Tensor { return (ops.broadcastTo as Forwarding<Tensor>)(this, shape, ...extra); }
  /**
   * One element as a scalar node: a flat index or one index per axis, negative from the end ({@link ops.at | at}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).at([1, 0]).value; // 3
   * ```
   */
  at(index: number | readonly number[], ...extra: never[]): Scalar { return (ops.at as Forwarding<Scalar>)(this, index, ...extra); }
  /**
   * The tensor's slices along its first axis, in order, as NumPy iterates an array: each is a node,
   * {@link ops.take | take}(x, i, 0), so destructuring and `for … of` inside a transform keep the
   * derivatives (a 1-D tensor gives 0-d tensors). A 0-d tensor has no axis to iterate: it throws
   * {@link NodeConversionError}.
   * @example
   * ```ts
   * grad(([a, b]: Tensor) => a.mul(b))([2, 3]); // [3, 2]
   * ```
   */
  *[Symbol.iterator](): Iterator<Tensor> {
    if (this.shape.length === 0) {
      throw new NodeConversionError('a 0-d tensor node was iterated (destructured or spread, or in for … of); it has no axis to iterate: use it whole, or read its number with x.value');
    }
    const n = this.shape[0];
    for (let i = 0; i < n; i++) yield ops.take(this, i, 0);
  }
  /**
   * Elements `start` to `end` (exclusive) along `axis`, every `step`-th, as Python's `x[start:end:step]` ({@link ops.slice | slice}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).slice(1, 3).value; // [2, 3]
   * ```
   */
  slice(start: number | null | undefined, end?: number | null, axis = 0, step = 1, ...extra: never[]): Tensor {
    return (ops.slice as Forwarding<Tensor>)(this, start, end, axis, step, ...extra);
  }
  /**
   * This tensor and `others` joined along `axis` ({@link ops.concat | concat}).
   * @example
   * ```ts
   * tensor([1, 2]).concat([tensor([3])]).value; // [1, 2, 3]
   * ```
   */
  concat(others: readonly Tensor[], axis = 0, ...extra: never[]): Tensor { return (ops.concat as Forwarding<Tensor>)([this, ...othersArg(others, 'concat')], axis, ...extra); }
  /**
   * This tensor and `others` (same shape) stacked along a new axis ({@link ops.stack | stack}).
   * @example
   * ```ts
   * tensor([1, 2]).stack([tensor([3, 4])]).shape; // [2, 2]
   * ```
   */
  stack(others: readonly Tensor[], axis = 0, ...extra: never[]): Tensor { return (ops.stack as Forwarding<Tensor>)([this, ...othersArg(others, 'stack')], axis, ...extra); }
  /**
   * ln Σ eˣ over all elements, or along `axis`, without overflow ({@link ops.logSumExp | logSumExp}).
   * @example
   * ```ts
   * tensor([1000, 1000]).logSumExp().value; // 1000.6931 = 1000 + ln 2
   * ```
   */
  logSumExp(axis?: undefined, keepDims?: false): Scalar;
  logSumExp(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  logSumExp(axis: number | readonly number[], keepDims?: boolean): Tensor;
  logSumExp(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node {
    return (ops.logSumExp as Forwarding<Node>)(this, axis, keepDims, ...extra);
  }
  /**
   * eˣ normalized to sum 1 along `axis` (default the last) ({@link ops.softmax | softmax}).
   * @example
   * ```ts
   * tensor([0, Math.log(3)]).softmax().value; // [0.25, 0.75]
   * ```
   */
  softmax(axis: number | readonly number[] = -1, ...extra: never[]): Tensor { return (ops.softmax as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * Elements of this where `mask` is true, of `other` elsewhere ({@link ops.where | where}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).where([1, 0, 1], 0).value; // [1, 0, 3]
   * ```
   */
  where(mask: MaskLike, other: Operand, ...extra: never[]): Tensor { return (ops.where as Forwarding<Tensor>)(mask, this, other, ...extra); }
  // Reductions over axes, shape and indexing (issue 15): each the op of the same name on this tensor.
  /**
   * The largest element, or the largest along `axis` ({@link ops.max | max}).
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).max(1).value; // [5, 7]
   * ```
   */
  max(axis?: undefined, keepDims?: false): Scalar;
  max(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  max(axis: number | readonly number[], keepDims?: boolean): Tensor;
  max(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node { return (ops.max as Forwarding<Node>)(this, axis, keepDims, ...extra); }
  /**
   * The smallest element, or the smallest along `axis` ({@link ops.min | min}).
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).min(1).value; // [1, 2]
   * ```
   */
  min(axis?: undefined, keepDims?: false): Scalar;
  min(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  min(axis: number | readonly number[], keepDims?: boolean): Tensor;
  min(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node { return (ops.min as Forwarding<Node>)(this, axis, keepDims, ...extra); }
  /**
   * The product of all elements, or along `axis` ({@link ops.prod | prod}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).prod().value; // 24
   * ```
   */
  prod(axis?: undefined, keepDims?: false): Scalar;
  prod(axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  prod(axis: number | readonly number[], keepDims?: boolean): Tensor;
  prod(axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node { return (ops.prod as Forwarding<Node>)(this, axis, keepDims, ...extra); }
  /**
   * The variance of all elements, or along `axis`; `ddof: 1` divides by n − 1 ({@link ops.variance | variance}, {@link ops.VarianceOptions | VarianceOptions}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).variance().value; // 1.25
   * tensor([1, 2, 3, 4]).variance(undefined, { ddof: 1 }).value; // 1.6667
   * ```
   */
  variance(axis?: undefined, options?: false | { readonly ddof?: number; readonly keepDims?: false }): Scalar;
  variance(axis: number | readonly number[] | undefined, options: true | (ops.VarianceOptions & { readonly keepDims: true })): Tensor;
  variance(axis: number | readonly number[], options?: boolean | ops.VarianceOptions): Tensor;
  variance(axis?: number | readonly number[], options?: boolean | ops.VarianceOptions, ...extra: never[]): Node {
    return (ops.variance as Forwarding<Node>)(this, axis, options, ...extra);
  }
  /**
   * The standard deviation, the square root of {@link Tensor.variance | variance} ({@link ops.std | std}).
   * @example
   * ```ts
   * tensor([1, 3]).std().value; // 1
   * ```
   */
  std(axis?: undefined, options?: false | { readonly ddof?: number; readonly keepDims?: false }): Scalar;
  std(axis: number | readonly number[] | undefined, options: true | (ops.VarianceOptions & { readonly keepDims: true })): Tensor;
  std(axis: number | readonly number[], options?: boolean | ops.VarianceOptions): Tensor;
  std(axis?: number | readonly number[], options?: boolean | ops.VarianceOptions, ...extra: never[]): Node {
    return (ops.std as Forwarding<Node>)(this, axis, options, ...extra);
  }
  /**
   * The vector 2-norm, or another `ord` (1, ∞, `'fro'`, …), of all elements or along `axis` ({@link ops.norm | norm}).
   * @example
   * ```ts
   * tensor([3, 4]).norm().value; // 5
   * tensor([3, -4]).norm(1).value; // 7
   * ```
   */
  norm(ord?: number | 'fro', axis?: undefined, keepDims?: false): Scalar;
  norm(ord: number | 'fro' | undefined, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
  norm(ord: number | 'fro' | undefined, axis: number | readonly number[], keepDims?: boolean): Tensor;
  norm(ord?: number | 'fro', axis?: number | readonly number[], keepDims = false, ...extra: never[]): Node {
    return (ops.norm as Forwarding<Node>)(this, ord, axis, keepDims, ...extra);
  }
  /**
   * A matrix norm of this matrix, or of each of a stack: `'fro'`, `'nuc'`, 2 (spectral), 1, ∞, … ({@link ops.matrixNorm | matrixNorm}, {@link ops.MatrixNormOrder | MatrixNormOrder}).
   * @example
   * ```ts
   * tensor([[3, 0], [0, -4]]).matrixNorm(2).value; // 4
   * ```
   */
  matrixNorm(ord?: ops.MatrixNormOrder, keepDims?: false): Node;
  matrixNorm(ord: ops.MatrixNormOrder | undefined, keepDims: true): Tensor;
  matrixNorm(ord?: ops.MatrixNormOrder, keepDims = false, ...extra: never[]): Node {
    return (ops.matrixNorm as Forwarding<Node>)(this, ord, keepDims, ...extra);
  }
  /**
   * Running sums along `axis` (of x flattened without one) ({@link ops.cumsum | cumsum}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).cumsum().value; // [1, 3, 6]
   * ```
   */
  cumsum(axis?: number, ...extra: never[]): Tensor { return (ops.cumsum as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * Running products along `axis` (of x flattened without one) ({@link ops.cumprod | cumprod}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).cumprod().value; // [1, 2, 6]
   * ```
   */
  cumprod(axis?: number, ...extra: never[]): Tensor { return (ops.cumprod as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * The flat index of the largest element, or the indices along `axis`; plain numbers, not nodes ({@link ops.argmax | argmax}).
   * @example
   * ```ts
   * tensor([3, 9, 4]).argmax(); // 1
   * ```
   */
  argmax(axis?: undefined, keepDims?: false): number;
  argmax(axis: number | undefined, keepDims: true): Int32Array;
  argmax(axis: number, keepDims?: boolean): Int32Array;
  argmax(axis?: number, keepDims = false, ...extra: never[]): number | Int32Array {
    return (ops.argmax as Forwarding<number | Int32Array>)(this, axis, keepDims, ...extra);
  }
  /**
   * The flat index of the smallest element, or the indices along `axis`; plain numbers, not nodes ({@link ops.argmin | argmin}).
   * @example
   * ```ts
   * tensor([3, 9, 4]).argmin(); // 0
   * ```
   */
  argmin(axis?: undefined, keepDims?: false): number;
  argmin(axis: number | undefined, keepDims: true): Int32Array;
  argmin(axis: number, keepDims?: boolean): Int32Array;
  argmin(axis?: number, keepDims = false, ...extra: never[]): number | Int32Array {
    return (ops.argmin as Forwarding<number | Int32Array>)(this, axis, keepDims, ...extra);
  }
  /**
   * Axes `a` and `b` exchanged ({@link ops.swapAxes | swapAxes}).
   * @example
   * ```ts
   * tensor([[1, 2, 3]]).swapAxes(0, 1).shape; // [3, 1]
   * ```
   */
  swapAxes(a: number, b: number, ...extra: never[]): Tensor { return (ops.swapAxes as Forwarding<Tensor>)(this, a, b, ...extra); }
  /**
   * Axes moved from `source` to `destination`, the others keeping their order ({@link ops.moveAxis | moveAxis}).
   * @example
   * ```ts
   * tensor(new Float64Array(24), [2, 3, 4]).moveAxis(0, -1).shape; // [3, 4, 2]
   * ```
   */
  moveAxis(source: number | readonly number[], destination: number | readonly number[], ...extra: never[]): Tensor { return (ops.moveAxis as Forwarding<Tensor>)(this, source, destination, ...extra); }
  /**
   * Axes of length 1 removed: all of them, or those in `axis` ({@link ops.squeeze | squeeze}).
   * @example
   * ```ts
   * tensor([[1, 2]]).squeeze().shape; // [2]
   * ```
   */
  squeeze(axis?: number | readonly number[], ...extra: never[]): Tensor { return (ops.squeeze as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * A new axis of length 1 inserted at `axis` ({@link ops.expandDims | expandDims}).
   * @example
   * ```ts
   * tensor([1, 2]).expandDims(0).shape; // [1, 2]
   * ```
   */
  expandDims(axis: number | readonly number[], ...extra: never[]): Tensor { return (ops.expandDims as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * The order of elements reversed along `axis` (every axis without one) ({@link ops.flip | flip}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).flip().value; // [3, 2, 1]
   * ```
   */
  flip(axis?: number | readonly number[], ...extra: never[]): Tensor { return (ops.flip as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * Elements shifted cyclically by `shift` along `axis` (x flattened without one) ({@link ops.roll | roll}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).roll(1).value; // [3, 1, 2]
   * ```
   */
  roll(shift: number | readonly number[], axis?: number | readonly number[], ...extra: never[]): Tensor { return (ops.roll as Forwarding<Tensor>)(this, shift, axis, ...extra); }
  /**
   * The whole tensor repeated `reps` times along each axis ({@link ops.tile | tile}).
   * @example
   * ```ts
   * tensor([1, 2]).tile(2).value; // [1, 2, 1, 2]
   * ```
   */
  tile(reps: number | readonly number[], ...extra: never[]): Tensor { return (ops.tile as Forwarding<Tensor>)(this, reps, ...extra); }
  /**
   * Each element repeated `repeats` times along `axis` (x flattened without one) ({@link ops.repeat | repeat}).
   * @example
   * ```ts
   * tensor([1, 2]).repeat(2).value; // [1, 1, 2, 2]
   * ```
   */
  repeat(repeats: number | readonly number[], axis?: number, ...extra: never[]): Tensor { return (ops.repeat as Forwarding<Tensor>)(this, repeats, axis, ...extra); }
  /**
   * Padded at both ends of every axis, with a constant, the edge or a reflection ({@link ops.pad | pad}).
   * @example
   * ```ts
   * tensor([1, 2, 3]).pad(1).value; // [0, 1, 2, 3, 0]
   * tensor([1, 2, 3]).pad([2, 0], 'edge').value; // [1, 1, 1, 2, 3]
   * ```
   */
  pad(widths: Parameters<typeof ops.pad>[1], mode?: Parameters<typeof ops.pad>[2], value?: number, ...extra: never[]): Tensor {
    return (ops.pad as Forwarding<Tensor>)(this, widths, mode, value, ...extra);
  }
  /**
   * Cut along `axis` into that many equal parts, or at the given indices ({@link ops.split | split}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).split(2).map((part) => part.value); // [[1, 2], [3, 4]]
   * ```
   */
  split(sections: number | readonly number[], axis = 0, ...extra: never[]): Tensor[] { return (ops.split as Forwarding<Tensor[]>)(this, sections, axis, ...extra); }
  /**
   * The elements at `indices` along `axis` (of x flattened without one), a gather ({@link ops.take | take}).
   * @example
   * ```ts
   * tensor([10, 20, 30]).take([2, 0]).value; // [30, 10]
   * ```
   */
  take(indices: number | ArrayLike<number>, axis?: number, ...extra: never[]): Tensor { return (ops.take as Forwarding<Tensor>)(this, indices, axis, ...extra); }
  /**
   * Gathered along `axis` with one index per result element ({@link ops.takeAlongAxis | takeAlongAxis}).
   * @example
   * ```ts
   * tensor([[3, 1], [2, 5]]).takeAlongAxis([1, 0, 0, 1], 1).value; // [1, 3, 2, 5]
   * ```
   */
  takeAlongAxis(indices: ArrayLike<number> | readonly (readonly unknown[] | ArrayLike<number>)[], axis: number, ...extra: never[]): Tensor { return (ops.takeAlongAxis as Forwarding<Tensor>)(this, indices, axis, ...extra); }
  /**
   * Sorted along `axis` (the last by default), smallest first unless `{ descending: true }` ({@link ops.sort | sort}).
   * @example
   * ```ts
   * tensor([3, 1, 2]).sort().value; // [1, 2, 3]
   * ```
   */
  sort(axis?: number, options?: ops.SortOptions, ...extra: never[]): Tensor { return (ops.sort as Forwarding<Tensor>)(this, axis, options, ...extra); }
  /**
   * The q-quantile along `axis` (of this tensor flattened without one), NumPy's 'linear' method ({@link ops.quantile | quantile}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).quantile(0.25).value; // 1.75
   * ```
   */
  quantile(q: number, axis?: undefined, keepDims?: false): Scalar;
  quantile(q: number | readonly number[], axis?: number, keepDims?: boolean): Tensor;
  quantile(q: number | readonly number[], axis?: number, keepDims = false, ...extra: never[]): Scalar | Tensor {
    return (ops.quantile as Forwarding<Scalar | Tensor>)(this, q, axis, keepDims, ...extra);
  }
  /**
   * The median along `axis` (of this tensor flattened without one) ({@link ops.median | median}).
   * @example
   * ```ts
   * tensor([3, 1, 2]).median().value; // 2
   * ```
   */
  median(axis?: undefined, keepDims?: false): Scalar;
  median(axis: number | undefined, keepDims: true): Tensor;
  median(axis: number, keepDims?: boolean): Tensor;
  median(axis?: number, keepDims = false, ...extra: never[]): Scalar | Tensor {
    return (ops.median as Forwarding<Scalar | Tensor>)(this, axis, keepDims, ...extra);
  }
  /**
   * The indices that sort along `axis`; plain integers, not nodes ({@link ops.argsort | argsort}).
   * @example
   * ```ts
   * tensor([30, 10, 20]).argsort(); // Int32Array [1, 2, 0]
   * ```
   */
  argsort(axis?: number, options?: ops.SortOptions, ...extra: never[]): Int32Array { return (ops.argsort as Forwarding<Int32Array>)(this, axis, options, ...extra); }
  /**
   * Where each of `values` goes into this sorted 1-D tensor; plain integers, not nodes ({@link ops.searchSorted | searchSorted}).
   * @example
   * ```ts
   * tensor([0, 1, 3, 6]).searchSorted([2, 6]); // Int32Array [2, 3]
   * ```
   */
  searchSorted(values: Tensor | Scalar | number | ArrayLike<number>, options?: ops.SearchSortedOptions, ...extra: never[]): Int32Array {
    return (ops.searchSorted as Forwarding<Int32Array>)(this, values, options, ...extra);
  }
  /**
   * The piecewise-linear interpolant of the points (xp, fp) at this tensor's elements ({@link ops.interp | interp}).
   * @example
   * ```ts
   * tensor([0.5, 2]).interp([0, 1, 3], [0, 10, 30]).value; // [5, 20]
   * ```
   */
  interp(xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: ops.InterpOptions, ...extra: never[]): Tensor {
    return (ops.interp as Forwarding<Tensor>)(this, xp, fp, options, ...extra);
  }
  /**
   * The k largest along `axis` (the last by default), largest first, and their indices ({@link ops.topK | topK}).
   * @example
   * ```ts
   * tensor([1, 5, 3]).topK(2).indices; // Int32Array [1, 2]
   * ```
   */
  topK(k: number, axis?: number, ...extra: never[]): ops.TopK { return (ops.topK as Forwarding<ops.TopK>)(this, k, axis, ...extra); }
  /**
   * This tensor with `updates` added at `indices` along `axis`, repeated indices adding up ({@link ops.scatterAdd | scatterAdd}).
   * @example
   * ```ts
   * tensor([0, 0, 0]).scatterAdd([0, 2, 0], tensor([1, 2, 3])).value; // [4, 0, 2]
   * ```
   */
  scatterAdd(indices: number | ArrayLike<number>, updates: Operand, axis?: number, ...extra: never[]): Tensor {
    return (ops.scatterAdd as Forwarding<Tensor>)(this, indices, updates, axis, ...extra);
  }
  /**
   * This tensor with `updates` written at `indices` along `axis`, each index once ({@link ops.scatterSet | scatterSet}; JAX's `x.at[i].set(u)`).
   * @example
   * ```ts
   * tensor([1, 2, 3]).scatterSet([0, 2], tensor([9, 8])).value; // [9, 2, 8]
   * ```
   */
  scatterSet(indices: number | ArrayLike<number>, updates: Operand, axis?: number, ...extra: never[]): Tensor {
    return (ops.scatterSet as Forwarding<Tensor>)(this, indices, updates, axis, ...extra);
  }

  /**
   * NumPy's `diag`: a vector's diagonal matrix, or a matrix's `k`-th diagonal ({@link ops.diag | diag}).
   * @example
   * ```ts
   * tensor([1, 2]).diag().value; // [1, 0, 0, 2], a 2×2 matrix
   * tensor([[1, 2], [3, 4]]).diag().value; // [1, 4]
   * ```
   */
  diag(k = 0, ...extra: never[]): Tensor { return (ops.diag as Forwarding<Tensor>)(this, k, ...extra); }
  /**
   * The lower triangle (on and below the `k`-th diagonal), zeros above ({@link ops.tril | tril}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).tril().value; // [1, 0, 3, 4]
   * ```
   */
  tril(k = 0, ...extra: never[]): Tensor { return (ops.tril as Forwarding<Tensor>)(this, k, ...extra); }
  /**
   * The upper triangle (on and above the `k`-th diagonal), zeros below ({@link ops.triu | triu}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).triu().value; // [1, 2, 0, 4]
   * ```
   */
  triu(k = 0, ...extra: never[]): Tensor { return (ops.triu as Forwarding<Tensor>)(this, k, ...extra); }
  /**
   * The trace of a matrix (a scalar), or of each matrix of a batch (a tensor) ({@link ops.matrixTrace | matrixTrace}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).matrixTrace().value; // 5
   * ```
   */
  matrixTrace(offset = 0, ...extra: never[]): Node { return (ops.matrixTrace as Forwarding<Node>)(this, offset, ...extra); }
  // Linear algebra (issue 15): this tensor is the matrix A (or a stack of them).
  /**
   * x with A·x = b, A this matrix, by LU with partial pivoting ({@link ops.solve | solve}).
   * @example
   * ```ts
   * tensor([[2, 0], [0, 4]]).solve(tensor([2, 2])).value; // [1, 0.5]
   * ```
   */
  solve(b: Tensor, ...extra: never[]): Tensor { return (ops.solve as Forwarding<Tensor>)(this, b, ...extra); }
  /**
   * The lower-triangular L with L·Lᵀ = A, A this symmetric positive definite matrix ({@link ops.cholesky | cholesky}).
   * @example
   * ```ts
   * tensor([[4, 2], [2, 2]]).cholesky().value; // [2, 0, 1, 1]
   * ```
   */
  cholesky(...extra: never[]): Tensor { return (ops.cholesky as Forwarding<Tensor>)(this, ...extra); }
  /**
   * x with T·x = b, T this triangular matrix, by substitution ({@link ops.triangularSolve | triangularSolve}, {@link ops.TriangularSolveOptions | TriangularSolveOptions}).
   * @example
   * ```ts
   * tensor([[2, 0], [1, 1]]).triangularSolve(tensor([2, 3])).value; // [1, 2]
   * ```
   */
  triangularSolve(b: Tensor, options?: ops.TriangularSolveOptions, ...extra: never[]): Tensor { return (ops.triangularSolve as Forwarding<Tensor>)(this, b, options, ...extra); }
  /**
   * The inverse matrix; prefer {@link Tensor.solve | solve} for A⁻¹·b ({@link ops.inv | inv}).
   * @example
   * ```ts
   * tensor([[2, 0], [0, 4]]).inv().value; // [0.5, 0, 0, 0.25]
   * ```
   */
  inv(...extra: never[]): Tensor { return (ops.inv as Forwarding<Tensor>)(this, ...extra); }
  /**
   * The Moore–Penrose pseudo-inverse, from the SVD ({@link ops.pinv | pinv}, {@link ops.PinvOptions | PinvOptions}).
   * @example
   * ```ts
   * tensor([[1, 0], [0, 2], [0, 0]]).pinv().value; // [1, 0, 0, 0, 0.5, 0]
   * ```
   */
  pinv(options?: ops.PinvOptions, ...extra: never[]): Tensor { return (ops.pinv as Forwarding<Tensor>)(this, options, ...extra); }
  /**
   * The matrix exponential e^A, by scaling and squaring with a Padé approximant ({@link ops.expm | expm}).
   * @example
   * ```ts
   * tensor([[0, 1], [0, 0]]).expm().value; // [1, 1, 0, 1]
   * ```
   */
  expm(...extra: never[]): Tensor { return (ops.expm as Forwarding<Tensor>)(this, ...extra); }
  /**
   * The principal square root Y (Y·Y = A) ({@link ops.sqrtm | sqrtm}).
   * @example
   * ```ts
   * tensor([[4, 0], [0, 9]]).sqrtm().value; // [2, 0, 0, 3]
   * ```
   */
  sqrtm(...extra: never[]): Tensor { return (ops.sqrtm as Forwarding<Tensor>)(this, ...extra); }
  /**
   * The principal matrix logarithm Y (e^Y = A) ({@link ops.logm | logm}).
   * @example
   * ```ts
   * tensor([[Math.E, 0], [0, 1]]).logm().value; // [1, 0, 0, 0]
   * ```
   */
  logm(...extra: never[]): Tensor { return (ops.logm as Forwarding<Tensor>)(this, ...extra); }
  /**
   * The minimum-norm least-squares solution of A·x ≈ b, A this matrix ({@link ops.lstsq | lstsq}, {@link ops.LstsqOptions | LstsqOptions}).
   * @example
   * ```ts
   * tensor([[1, 0], [1, 1], [1, 2]]).lstsq(tensor([1, 2, 2])).x.value; // [1.1667, 0.5]
   * ```
   */
  lstsq(b: Tensor | ArrayData, options?: ops.LstsqOptions, ...extra: never[]): ops.LeastSquares { return (ops.lstsq as Forwarding<ops.LeastSquares>)(this, b, options, ...extra); }
  /**
   * The determinant; with `batched: true`, one per matrix of a stack ({@link ops.det | det}, {@link ops.DetOptions | DetOptions}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).det().value; // -2
   * ```
   */
  det(options?: { readonly batched?: false }): Scalar;
  det(options: { readonly batched: true }): Tensor;
  det(options?: ops.DetOptions, ...extra: never[]): Node { return (ops.det as Forwarding<Node>)(this, options, ...extra); }
  /**
   * ln det A without overflow, NaN for a negative determinant ({@link ops.logDet | logDet}, {@link ops.DetOptions | DetOptions}).
   * @example
   * ```ts
   * tensor([[2, 0], [0, 3]]).logDet().value; // 1.7918 = ln 6
   * ```
   */
  logDet(options?: { readonly batched?: false }): Scalar;
  logDet(options: { readonly batched: true }): Tensor;
  logDet(options?: ops.DetOptions, ...extra: never[]): Node { return (ops.logDet as Forwarding<Node>)(this, options, ...extra); }
  /**
   * The sign of det A and ln|det A|, for any nonsingular A ({@link ops.slogdet | slogdet}, {@link ops.DetOptions | DetOptions}).
   * @example
   * ```ts
   * const { sign, logAbsDet } = tensor([[1, 2], [3, 4]]).slogdet(); // sign −1, logAbsDet.value = ln 2
   * ```
   */
  slogdet(options?: { readonly batched?: false }): ops.SignAndLogDet<number, Scalar>;
  slogdet(options: { readonly batched: true }): ops.SignAndLogDet<Tensor, Tensor>;
  slogdet(options?: ops.DetOptions, ...extra: never[]): ops.SignAndLogDet<number | Tensor, Node> { return (ops.slogdet as Forwarding<ops.SignAndLogDet<number | Tensor, Node>>)(this, options, ...extra); }
  /**
   * The eigenvalues (ascending) and unit eigenvectors (columns) of this symmetric matrix, read as (A + Aᵀ)/2 ({@link ops.eigh | eigh}, {@link ops.Eigendecomposition | Eigendecomposition}).
   * @example
   * ```ts
   * tensor([[2, 1], [1, 2]]).eigh().values.value;  // [1, 3]
   * tensor([[2, 1], [1, 2]]).eigh().vectors.value; // [0.7071, 0.7071, -0.7071, 0.7071]: columns (1, −1)/√2, (1, 1)/√2
   * ```
   */
  eigh(...extra: never[]): ops.Eigendecomposition { return (ops.eigh as Forwarding<ops.Eigendecomposition>)(this, ...extra); }
  /**
   * The reduced QR decomposition of this matrix [..., m, n]: orthonormal columns q and upper triangular (wide: trapezoidal) r with a diagonal ≥ 0 ({@link ops.qr | qr}, {@link ops.QRDecomposition | QRDecomposition}).
   * @example
   * ```ts
   * tensor([[3, 1], [4, 2]]).qr().r.value; // [5, 2.2, 0, 0.4]
   * tensor([[3, 1], [4, 2]]).qr().q.value; // [0.6, -0.8, 0.8, 0.6]
   * ```
   */
  qr(...extra: never[]): ops.QRDecomposition { return (ops.qr as Forwarding<ops.QRDecomposition>)(this, ...extra); }
  /**
   * The LU decomposition with partial pivoting of this matrix [..., m, n], A = p·l·u ({@link ops.lu | lu}, {@link ops.LUDecomposition | LUDecomposition}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).lu().u.value;           // [3, 4, 0, 0.6667]
   * tensor([[1, 2], [3, 4]]).lu().l.value;           // [1, 0, 0.3333, 1]
   * tensor([[1, 2], [3, 4]]).lu().permutation.value; // [1, 0]: row 0 of l·u is row 1 of A
   * ```
   */
  lu(...extra: never[]): ops.LUDecomposition { return (ops.lu as Forwarding<ops.LUDecomposition>)(this, ...extra); }
  /**
   * The reduced singular value decomposition of this matrix, A = u·diag(s)·vt, s descending ({@link ops.svd | svd}, {@link ops.SingularValueDecomposition | SingularValueDecomposition}).
   * @example
   * ```ts
   * tensor([[3, 0], [0, -2]]).svd().s.value;  // [3, 2]
   * tensor([[3, 0], [0, -2]]).svd().u.value;  // [1, 0, 0, -1]: A·v = s·u with vt = I
   * ```
   */
  svd(...extra: never[]): ops.SingularValueDecomposition { return (ops.svd as Forwarding<ops.SingularValueDecomposition>)(this, ...extra); }
  // Products and neural-network ops (issue 15): each the op of the same name, this tensor first.
  /**
   * Einstein summation over this tensor and `others`, NumPy's subscripts ({@link ops.einsum | einsum}).
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).einsum('ii').value; // [5]: the trace, a 0-d tensor
   * ```
   */
  einsum(subscripts: string, ...others: Tensor[]): Tensor { return ops.einsum(subscripts, this, ...others); }
  /**
   * The sum of products over the last `axes` axes of this and the first of `b`, or over the listed pairs ({@link ops.tensordot | tensordot}, {@link ops.TensordotAxes | TensordotAxes}).
   * @example
   * ```ts
   * tensor([1, 2]).tensordot(tensor([3, 4]), 1).value; // [11]: a 0-d tensor
   * ```
   */
  tensordot(b: Tensor, axes?: ops.TensordotAxes, ...extra: never[]): Tensor { return (ops.tensordot as Forwarding<Tensor>)(this, b, axes, ...extra); }
  /**
   * The outer product of two vectors, a matrix ({@link ops.outer | outer}).
   * @example
   * ```ts
   * tensor([1, 2]).outer(tensor([3, 4])).value; // [3, 4, 6, 8], shape [2, 2]
   * ```
   */
  outer(b: Tensor, ...extra: never[]): Tensor { return (ops.outer as Forwarding<Tensor>)(this, b, ...extra); }
  /**
   * The Kronecker product with b: block (i, j) is this[i, j]·b ({@link ops.kron | kron}).
   * @example
   * ```ts
   * tensor([1, 2]).kron(tensor([1, 10])).value; // [1, 10, 2, 20]
   * ```
   */
  kron(b: Tensor, ...extra: never[]): Tensor { return (ops.kron as Forwarding<Tensor>)(this, b, ...extra); }
  /**
   * The cross product of 3-vectors along `axis` (the last by default) ({@link ops.cross | cross}).
   * @example
   * ```ts
   * tensor([1, 0, 0]).cross(tensor([0, 1, 0])).value; // [0, 0, 1]
   * ```
   */
  cross(b: Tensor, axis = -1, ...extra: never[]): Tensor { return (ops.cross as Forwarding<Tensor>)(this, b, axis, ...extra); }
  /**
   * The n-th discrete difference along `axis` (the last by default), NumPy's `diff` ({@link ops.diff | diff}).
   * @example
   * ```ts
   * tensor([1, 4, 9, 16]).diff().value; // [3, 5, 7]
   * ```
   */
  diff(n = 1, axis = -1, ...extra: never[]): Tensor { return (ops.diff as Forwarding<Tensor>)(this, n, axis, ...extra); }
  /**
   * The n-th power of a square matrix (or of each of a stack); n = 0 gives I, n < 0 powers of the inverse ({@link ops.matrixPower | matrixPower}).
   * @example
   * ```ts
   * tensor([[1, 1], [1, 0]]).matrixPower(5).value; // [8, 5, 5, 3]
   * ```
   */
  matrixPower(n: number, ...extra: never[]): Tensor { return (ops.matrixPower as Forwarding<Tensor>)(this, n, ...extra); }
  /**
   * 1-D convolution of [N, W, C] (or [W, C]) signals with [fw, C, K] filters ({@link ops.conv1d | conv1d}, {@link ops.ConvOptions | ConvOptions}).
   * @example
   * ```ts
   * tensor([[1], [2], [3]]).conv1d(tensor([1, 1], [2, 1, 1])).value; // [3, 5]
   * ```
   */
  conv1d(filters: Tensor, options?: ops.ConvOptions, ...extra: never[]): Tensor { return (ops.conv1d as Forwarding<Tensor>)(this, filters, options, ...extra); }
  /**
   * 2-D convolution of NHWC images with HWIO filters ({@link ops.conv2d | conv2d}, {@link ops.ConvOptions | ConvOptions}).
   * @example
   * ```ts
   * tensor(new Float64Array(9).fill(1), [3, 3, 1]).conv2d(tensor([1, 1, 1, 1], [2, 2, 1, 1])).value; // [4, 4, 4, 4]
   * ```
   */
  conv2d(filters: Tensor, options?: ops.ConvOptions, ...extra: never[]): Tensor { return (ops.conv2d as Forwarding<Tensor>)(this, filters, options, ...extra); }
  /**
   * The largest element of each `size` window of NHWC images ({@link ops.maxPool2d | maxPool2d}, {@link ops.PoolOptions | PoolOptions}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4], [2, 2, 1]).maxPool2d(2).value; // [4]
   * ```
   */
  maxPool2d(size: number | readonly number[], options?: ops.PoolOptions, ...extra: never[]): Tensor { return (ops.maxPool2d as Forwarding<Tensor>)(this, size, options, ...extra); }
  /**
   * The mean of each `size` window of NHWC images ({@link ops.avgPool2d | avgPool2d}, {@link ops.AvgPoolOptions | AvgPoolOptions}).
   * @example
   * ```ts
   * tensor([1, 2, 3, 4], [2, 2, 1]).avgPool2d(2).value; // [2.5]
   * tensor([1, 2, 3, 4], [2, 2, 1]).avgPool2d(2, { stride: 1, padding: [1, 0, 1, 0] }).value; // [1, 1.5, 2, 2.5]
   * tensor([1, 2, 3, 4], [2, 2, 1]).avgPool2d(2, { stride: 1, padding: [1, 0, 1, 0], countPadding: true }).value; // [0.25, 0.75, 1, 2.5]
   * ```
   */
  avgPool2d(size: number | readonly number[], options?: ops.AvgPoolOptions, ...extra: never[]): Tensor { return (ops.avgPool2d as Forwarding<Tensor>)(this, size, options, ...extra); }
  /**
   * ln softmax(x) along `axis` (default the last), without overflow ({@link ops.logSoftmax | logSoftmax}).
   * @example
   * ```ts
   * tensor([0, Math.log(3)]).logSoftmax().value; // [-1.3863, -0.2877] = [ln ¼, ln ¾]
   * ```
   */
  logSoftmax(axis: number | readonly number[] = -1, ...extra: never[]): Tensor { return (ops.logSoftmax as Forwarding<Tensor>)(this, axis, ...extra); }
  /**
   * `Tensor(shape)`, for logs and debuggers (a template string `${x}` throws instead).
   * @example
   * ```ts
   * tensor([[1, 2]]).toString(); // 'Tensor([1,2])'
   * ```
   */
  override toString(): string {
    return `Tensor(${formatShape(this.shape)})`;
  }
}

/**
 * Any node: a {@link Scalar} or a {@link Tensor}.
 *
 * @example
 * ```ts
 * const total = (x: Node): Scalar => (x instanceof Tensor ? x.sum() : x);
 * ```
 */
export type Node = Scalar | Tensor;

/**
 * A select mask: truthy (nonzero) entries pick the first operand; a tensor node may depend on x (no derivative flows into it).
 *
 * @example
 * ```ts
 * where([true, false], tensor([1, 2]), tensor([3, 4])).value; // [1, 4]
 * ```
 */
export type MaskLike = ArrayLike<number | boolean> | readonly (readonly unknown[])[] | boolean | number | Tensor;

/**
 * True for a scalar or tensor node (what `f` receives and ops return), false for numbers, arrays
 * and anything else.
 *
 * @example
 * ```ts
 * isNode(tensor([1, 2])); // true
 * isNode([1, 2]); // false
 * ```
 */
export function isNode(x: unknown): x is Node {
  return x instanceof Scalar || x instanceof Tensor;
}

/** Records a scalar node whose value and tangent the caller already computed. */
export function newScalar(tape: Tape, op: number, a: number, b: number, active: boolean, value: number, dot: number): Scalar {
  const i = tape.pushScalar(op, a, b, active);
  tape.vals[i] = value;
  tape.dots[i] = dot;
  return new Scalar(tape, i);
}

/** Records a tensor node holding `data` (and tangent `dot`, null for zero). */
export function newTensor(
  tape: Tape, op: number, a: number, b: number, active: boolean,
  shape: Shape, data: Float64Array, dot: Float64Array | null,
): Tensor {
  if (shape.length > MAX_RANK) checkRank(shape, ruleOf(op).name);
  const i = tape.pushTensor(op, a, b, active);
  // Arrays kept by a node are no longer an adjoint lane's to take (numbers.ts, takeFresh).
  const t = new Tensor(tape, i, shape, keep(data), active && dot ? keep(dot) : null);
  tape.tensors.push(t);
  return t;
}

/** How a deferred lane is computed: a function, or elementwise work of the numbers algebra. */
type Pending = (() => Float64Array) | Lazy;

/** Stands for the data of a deferred tensor until its first read. */
const DEFERRED = new Float64Array(0);

/**
 * A tensor node whose primal is computed on first read, not now: for a view such as a transpose,
 * which a consumer (matmul) may read through to its input, so that no copy is ever made, or for a sum
 * whose elementwise readers compute it in their own loops. The function or work must read only arrays
 * that are not changed before the node's value is next set (node values and tangents; a compiled
 * program's leaves change in place, but its replay defers the value again).
 */
export function newDeferredTensor(tape: Tape, op: number, a: number, b: number, active: boolean, shape: Shape, data: Pending): Tensor {
  const t = newTensor(tape, op, a, b, active, shape, DEFERRED, null);
  t.deferData(data);
  return t;
}

export function constantScalar(tape: Tape, value: number): Scalar {
  return newScalar(tape, CONSTANT, NO_INPUT, NO_INPUT, false, value, 0);
}

export function constantTensor(tape: Tape, data: Float64Array, shape: Shape): Tensor {
  return newTensor(tape, CONSTANT, NO_INPUT, NO_INPUT, false, shape, data, null);
}

/**
 * A constant tensor: data such as X or targets T. Inside a function being differentiated it goes on
 * that call's tape and carries no tangent and receives no adjoint, so no work is spent on it in the
 * reverse sweep. Outside any transform it is a plain value, and ops on it compute plain values
 * (`f(tensor(x)).value` evaluates f). `data` is a Float64Array or number[] with `shape` (default: one
 * axis), or a nested number[][] whose shape is inferred.
 *
 * @example
 * ```ts
 * grad((w: Tensor) => tensor([1, 2, 3]).mul(w).sum())(new Float64Array([1, 1, 1]));
 * tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])).value; // Float64Array [3, 7], no transform needed
 * ```
 */
export function tensor(data: ArrayLike<number> | readonly (readonly unknown[])[], shape?: Shape): Tensor {
  noExtraArguments('tensor', arguments, 2, 'tensor(data, shape)', 'the shape is one array: tensor(data, [2, 3])');
  const tape = recordingTape() ?? eagerTape();
  checkLive(tape, 'tensor');
  const { values, inferred } = tensorData(data, 'tensor');
  const s = shape === undefined ? inferred : checkShape(shape, 'tensor');
  if (sizeOf(s) !== values.length) {
    throw new ShapeError(`tensor(): ${values.length} values do not fill shape ${formatShape(s)} (${sizeOf(s)} elements)`);
  }
  return constantTensor(tape, values, s);
}

/**
 * A constant scalar: inside a function being differentiated, a constant of that call; outside any
 * transform, a plain value.
 *
 * @example
 * ```ts
 * grad((x: Scalar) => x.mul(scalar(3)))(2); // 3
 * ```
 */
export function scalar(value: number): Scalar {
  if (typeof value !== 'number') throw new ArgumentError(`scalar(): expected a number, got ${describeValue(value)}`);
  const tape = recordingTape() ?? eagerTape();
  return constantScalar(checkLive(tape, 'scalar'), value);
}

/**
 * The numbers and shape of tensor data: a Float64Array or number[] (one axis), or nested arrays of
 * numbers (a rectangular array; its shape). Anything else is a typed error naming `opName`.
 */
export function tensorData(data: unknown, opName: string): { values: Float64Array; inferred: Shape } {
  if (data instanceof Float64Array) return { values: data, inferred: [data.length] };
  if (data instanceof Scalar || data instanceof Tensor) {
    throw new ArgumentError(`${opName}: got a node; a node is already a tensor or scalar, use it directly`);
  }
  if (!Array.isArray(data)) {
    throw new ArgumentError(`${opName}: expected a Float64Array, a number[] or nested number arrays, got ${describeValue(data)}`);
  }
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
    // An array that contains itself would loop here forever; no tensor has this many axes.
    if (shape.length > MAX_RANK) {
      throw new ShapeError(`${opName}: nested arrays deeper than ${MAX_RANK} levels (or an array containing itself); give a Float64Array and a shape`);
    }
  }
  const values = new Float64Array(sizeOf(shape));
  let at = 0;
  const visit = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ArgumentError(`${opName}: element ${path} is ${describeValue(node)}, not a number`);
      values[at++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`${opName}: nested arrays are not rectangular: ${path} ${Array.isArray(node) ? `has length ${node.length}, expected ${shape[depth]}` : `is ${describeValue(node)}, expected an array`} (shape ${formatShape(shape)})`);
    }
    // An index loop: forEach skips holes, which must be reported instead.
    for (let k = 0; k < node.length; k++) visit(node[k], depth + 1, `${path}[${k}]`);
  };
  visit(data, 0, '');
  return { values, inferred: shape };
}

/** A shape given by a caller: an array of non-negative integers, or a typed error naming `opName`. */
export function checkShape(given: unknown, opName: string): Shape {
  const shape = listOf(given) ?? given;
  if (!Array.isArray(shape)) throw new ShapeError(`${opName}: a shape is an array of non-negative integers, got ${shown(given)}`);
  // An index loop: some() skips holes, and [2, , 3] has one.
  for (let k = 0; k < shape.length; k++) {
    const d: unknown = shape[k];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 2 ** 31) {
      throw new ShapeError(`${opName}: a shape is an array of non-negative integers, got ${shown(given)} (entry ${k} is ${k in shape ? shown(d) : 'a hole'})`);
    }
  }
  return checkRank([...shape] as Shape, opName);
}

/**
 * x as a node of tape t: itself, or — for a plain value computed outside any transform (an eager
 * node) — a constant copy on t. Ops call this on every operand after {@link commonTape}.
 */
export function onTape(x: Node, t: Tape, opName: string): Node {
  if (x.tape === t) return x;
  if (x.tape.finished) throw staleNode(opName, x.tape);
  if (!x.tape.eager) throw new Error(`dualtape internal error: ${opName} mixed two live tapes`);
  return x instanceof Scalar ? constantScalar(t, x.tape.vals[x.id]) : constantTensor(t, x.data, x.shape);
}

/**
 * Indexing a node as if it were an array: `x[1]` reads undefined (then NaN in JS arithmetic) and
 * `x[1] = 5` is ignored in sloppy mode, both silently. Accessors for the first indices on the shared
 * prototype make either one a {@link NodeConversionError} in any mode, at no cost per node (a tensor
 * node is also non-extensible, so a larger index throws the engine's own TypeError in strict code).
 */
const GUARDED_INDICES = 1024;

function indexError(kind: string, index: string, write: boolean): NodeConversionError {
  return new NodeConversionError(
    write
      ? `${kind} is not an array and cannot be assigned to (x[${index}] = …): nodes are immutable values on the tape; ` +
          'build a new node instead, e.g. where(mask, replacement, x) or concat/stack of the pieces'
      : `${kind} is not an array (x[${index}]): read an element as a node with x.at(${index}) (differentiable) ` +
          `or as a plain number with x.value[${index}]`,
  );
}

for (let k = 0; k < GUARDED_INDICES; k++) {
  const index = String(k);
  Object.defineProperty(NodeBase.prototype, index, {
    get(this: NodeBase): never {
      throw indexError(kindOf(this), index, false);
    },
    set(this: NodeBase): never {
      throw indexError(kindOf(this), index, true);
    },
    enumerable: false,
    configurable: false,
  });
}

// x.length reads undefined, so `for (let i = 0; i < x.length; i++)` runs no iteration and the result
// (a sum, a gradient) is silently 0; NumPy's len(x) is x.shape[0]. An accessor on the shared prototype
// makes it a NodeConversionError saying what to read instead. Not in the types, as the indices.
Object.defineProperty(NodeBase.prototype, 'length', {
  get(this: NodeBase): never {
    throw new NodeConversionError(
      this instanceof Tensor
        ? "a tensor node has no length (x.length): its first axis is x.shape[0] (NumPy's len(x)), its element count x.size; " +
            'iterate it with for (const row of x), or read elements with x.at(i)'
        : 'a scalar node has no length (x.length): it is one number; a list of them is a tensor node (x.shape[0]) or a pytree',
    );
  },
  enumerable: false,
  configurable: false,
});

// Destructuring a scalar node (`const [a, b] = x`, often a pytree leaf that was meant to be a list)
// would be the engine's TypeError "not iterable": a NodeConversionError names it. Not in the types,
// so TypeScript rejects such code before it runs.
Object.defineProperty(Scalar.prototype, Symbol.iterator, {
  value(this: Scalar): never {
    throw new NodeConversionError(
      'a scalar node was iterated (destructured or spread, or in for … of); it is one number: to pass several, give the transform an array (a tensor node, which iterates) or a list of numbers (a pytree)',
    );
  },
  enumerable: false,
  configurable: false,
});

/**
 * `new Tensor([1, 2])` or `new Scalar(2)`: the classes are exported for instanceof and types, and their
 * constructors take a tape and a position. Without this the node was made broken (new Scalar(2)) or
 * failed inside with a TypeError (new Tensor([1, 2])).
 */
function constructedByHand(cls: 'Scalar' | 'Tensor'): ArgumentError {
  const make = cls === 'Tensor' ? 'tensor(data, shape)' : 'scalar(value)';
  return new ArgumentError(`new ${cls}(…): nodes are made by ops and transforms, not by new; make a constant with ${make}`);
}

/** How messages name a node: 'a tensor node' or 'a scalar node'. */
function kindOf(x: NodeBase): string {
  return x instanceof Tensor ? 'a tensor node' : 'a scalar node';
}

function conversionError(kind: string, hint: string): NodeConversionError {
  if (hint === 'json') {
    return new NodeConversionError(
      `${kind} was converted to JSON (JSON.stringify); JSON cannot hold a node: serialize its numbers, x.value for a scalar or Array.from(x.value) for a tensor`,
    );
  }
  if (hint === 'string') {
    return new NodeConversionError(
      `${kind} was converted to a string (a template string or String(x)); read its number with x.value, or print a trace with formatTrace(trace(f, x, v))`,
    );
  }
  return new NodeConversionError(
    `${kind} was used as a plain number (JS arithmetic such as x * 2 or x + y, Math.sin(x), or a comparison x > 0); ` +
      'JS operators are not recorded, so the derivative would be silently wrong. Use the ops: x.mul(2), add(x, y), sin(x) or x.sin(); ' +
      'compare x.value (a plain number), or choose elementwise with where(mask, a, b)',
  );
}

export { describeValue } from './options.js';

/** The `others` of x.concat(others) and x.stack(others): an array (spread as it is, anything else would be a TypeError). */
function othersArg<T>(others: readonly T[], method: string): readonly T[] {
  if (!Array.isArray(others as unknown)) {
    const got = others instanceof NodeBase ? `${kindOf(others)} (put it in an array)` : describeValue(others);
    throw new ArgumentError(`${method}: others must be an array of tensors, as in x.${method}([y, z]); got ${got}`);
  }
  return others;
}
