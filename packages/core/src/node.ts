/**
 * Node handles: what `f` receives and returns. A {@link Scalar} is an index into the tape's typed
 * arrays; a {@link Tensor} also carries its Float64Array lanes. Every op is a method here and a
 * function in `ops/`, so `a.mul(b)` and `mul(a, b)` are the same thing.
 * @module
 */
import type { Shape } from './shape.js';
import { formatShape, sizeOf } from './shape.js';
import { CONSTANT, NO_INPUT, checkLive, eagerTape, recordingTape, staleNode, type Tape } from './tape.js';
import { ArgumentError, NodeConversionError, ShapeError } from './errors.js';
import { describeValue } from './options.js';
import * as ops from './ops/index.js';

/** Plain array data: a Float64Array, a number[], or nested number arrays (a matrix, …) of that shape. */
export type ArrayData =
  | Float64Array
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

/**
 * An op's operand: a node, or a constant — a plain number, or array data (a tensor of its shape).
 * Constants carry no tangent and receive no adjoint.
 */
export type Operand = Node | number | ArrayData;

/** The result type of an elementwise binary op: a tensor if either operand is one (or array data). */
export type Combined<A, B> = A extends Tensor | ArrayData ? Tensor : B extends Tensor | ArrayData ? Tensor : Scalar;
/** The result type of an elementwise unary op: the operand's kind. */
export type Same<A> = A extends Tensor ? Tensor : Scalar;

/** Methods shared by scalars and tensors. */
abstract class NodeBase {
  constructor(
    /** The tape this node was recorded on. */
    readonly tape: Tape,
    /** Position on the tape (creation order). */
    readonly id: number,
  ) {}

  private self(): Node {
    return this as unknown as Node;
  }

  /**
   * Refuses to turn into a number or a string: `x * 2`, `x + y`, `Math.sin(x)`, `x > 0` and
   * `` `${x}` `` would compute with no derivative and give a silently wrong result.
   */
  [Symbol.toPrimitive](hint: string): never {
    throw conversionError(this.kindName(), hint);
  }

  /** @see {@link NodeBase[Symbol.toPrimitive]} */
  valueOf(): never {
    throw conversionError(this.kindName(), 'number');
  }

  private kindName(): string {
    return this instanceof Tensor ? 'a tensor node' : 'a scalar node';
  }

  /** True when the node depends on the parameters (carries a tangent and an adjoint). */
  get isActive(): boolean {
    return this.tape.active[this.id] === 1;
  }

  add<B extends Operand>(b: B): Combined<this, B> { return ops.add(this.self(), b) as Combined<this, B>; }
  sub<B extends Operand>(b: B): Combined<this, B> { return ops.sub(this.self(), b) as Combined<this, B>; }
  mul<B extends Operand>(b: B): Combined<this, B> { return ops.mul(this.self(), b) as Combined<this, B>; }
  div<B extends Operand>(b: B): Combined<this, B> { return ops.div(this.self(), b) as Combined<this, B>; }
  pow<B extends Operand>(b: B): Combined<this, B> { return ops.pow(this.self(), b) as Combined<this, B>; }
  maximum<B extends Operand>(b: B): Combined<this, B> { return ops.maximum(this.self(), b) as Combined<this, B>; }
  minimum<B extends Operand>(b: B): Combined<this, B> { return ops.minimum(this.self(), b) as Combined<this, B>; }
  neg(): Same<this> { return ops.neg(this.self()) as Same<this>; }
  square(): Same<this> { return ops.square(this.self()) as Same<this>; }
  sqrt(): Same<this> { return ops.sqrt(this.self()) as Same<this>; }
  exp(): Same<this> { return ops.exp(this.self()) as Same<this>; }
  log(): Same<this> { return ops.log(this.self()) as Same<this>; }
  log1p(): Same<this> { return ops.log1p(this.self()) as Same<this>; }
  sin(): Same<this> { return ops.sin(this.self()) as Same<this>; }
  cos(): Same<this> { return ops.cos(this.self()) as Same<this>; }
  tanh(): Same<this> { return ops.tanh(this.self()) as Same<this>; }
  sigmoid(): Same<this> { return ops.sigmoid(this.self()) as Same<this>; }
  relu(): Same<this> { return ops.relu(this.self()) as Same<this>; }
  softplus(): Same<this> { return ops.softplus(this.self()) as Same<this>; }
  abs(): Same<this> { return ops.abs(this.self()) as Same<this>; }
  // Elementwise functions (issue 15): trigonometric, hyperbolic, exponential, special functions, activations.
  tan(): Same<this> { return ops.tan(this.self()) as Same<this>; }
  asin(): Same<this> { return ops.asin(this.self()) as Same<this>; }
  acos(): Same<this> { return ops.acos(this.self()) as Same<this>; }
  atan(): Same<this> { return ops.atan(this.self()) as Same<this>; }
  sinh(): Same<this> { return ops.sinh(this.self()) as Same<this>; }
  cosh(): Same<this> { return ops.cosh(this.self()) as Same<this>; }
  asinh(): Same<this> { return ops.asinh(this.self()) as Same<this>; }
  acosh(): Same<this> { return ops.acosh(this.self()) as Same<this>; }
  atanh(): Same<this> { return ops.atanh(this.self()) as Same<this>; }
  expm1(): Same<this> { return ops.expm1(this.self()) as Same<this>; }
  exp2(): Same<this> { return ops.exp2(this.self()) as Same<this>; }
  log2(): Same<this> { return ops.log2(this.self()) as Same<this>; }
  log10(): Same<this> { return ops.log10(this.self()) as Same<this>; }
  cbrt(): Same<this> { return ops.cbrt(this.self()) as Same<this>; }
  rsqrt(): Same<this> { return ops.rsqrt(this.self()) as Same<this>; }
  reciprocal(): Same<this> { return ops.reciprocal(this.self()) as Same<this>; }
  erf(): Same<this> { return ops.erf(this.self()) as Same<this>; }
  erfc(): Same<this> { return ops.erfc(this.self()) as Same<this>; }
  gelu(): Same<this> { return ops.gelu(this.self()) as Same<this>; }
  silu(): Same<this> { return ops.silu(this.self()) as Same<this>; }
  logit(): Same<this> { return ops.logit(this.self()) as Same<this>; }
  sign(): Same<this> { return ops.sign(this.self()) as Same<this>; }
  floor(): Same<this> { return ops.floor(this.self()) as Same<this>; }
  ceil(): Same<this> { return ops.ceil(this.self()) as Same<this>; }
  round(): Same<this> { return ops.round(this.self()) as Same<this>; }
  lgamma(): Same<this> { return ops.lgamma(this.self()) as Same<this>; }
  digamma(): Same<this> { return ops.digamma(this.self()) as Same<this>; }
  elu(alpha = 1): Same<this> { return ops.elu(this.self(), alpha) as Same<this>; }
  leakyRelu(slope = 0.01): Same<this> { return ops.leakyRelu(this.self(), slope) as Same<this>; }
  /** ψ⁽ⁿ⁾ of this node: `x.polygamma(n)` is `polygamma(n, x)`. */
  polygamma(n: number): Same<this> { return ops.polygamma(n, this.self()) as Same<this>; }
  clip<L extends Operand, H extends Operand>(lo: L, hi: H): Combined<this, Combined<L, H>> {
    return ops.clip(this.self(), lo, hi) as Combined<this, Combined<L, H>>;
  }
  /** atan2(this, b): this node is the y-coordinate, `b` the x-coordinate. */
  atan2<B extends Operand>(b: B): Combined<this, B> { return ops.atan2(this.self(), b) as Combined<this, B>; }
  hypot<B extends Operand>(b: B): Combined<this, B> { return ops.hypot(this.self(), b) as Combined<this, B>; }
  logAddExp<B extends Operand>(b: B): Combined<this, B> { return ops.logAddExp(this.self(), b) as Combined<this, B>; }
}

/** A scalar node. Its value and tangent live in the tape's typed arrays. */
export class Scalar extends NodeBase {
  // Spelled out: a derived class's implicit constructor forwards ...args, slower on the hot path.
  constructor(tape: Tape, id: number) {
    super(tape, id);
  }
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
  override toString(): string {
    return `Scalar(${this.value})`;
  }
}

/** A float64 tensor node: row-major data plus a shape. */
export class Tensor extends NodeBase {
  get kind(): 'tensor' {
    return 'tensor';
  }
  readonly size: number;
  /** @internal adjoint x̄, allocated on first use */
  bar: Float64Array | null = null;
  /** @internal R{x̄} */
  barDot: Float64Array | null = null;

  constructor(
    tape: Tape,
    id: number,
    readonly shape: Shape,
    /** @internal primal data (replaced, never changed in place, when a compiled program replays) */
    public data: Float64Array,
    /** @internal tangent R{data}; null means zero */
    public dataDot: Float64Array | null,
  ) {
    super(tape, id);
    this.size = data.length;
    // x[1] = 5 on a tensor node would be ignored by the engine: make it an error instead. (Not on
    // scalar nodes, where it would cost a third of a scalar op; they are not indexed like arrays.)
    Object.preventExtensions(this);
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

  /** Sum of all elements (a scalar), or along `axis`, a number or a list (a tensor). */
  sum(): Scalar;
  sum(axis: number | readonly number[], keepDims?: boolean): Tensor;
  sum(axis?: number | readonly number[], keepDims = false): Node {
    return axis === undefined ? ops.sum(this) : ops.sum(this, axis, keepDims);
  }
  /** Mean of all elements, or along `axis`, a number or a list. */
  mean(): Scalar;
  mean(axis: number | readonly number[], keepDims?: boolean): Tensor;
  mean(axis?: number | readonly number[], keepDims = false): Node {
    return axis === undefined ? ops.mean(this) : ops.mean(this, axis, keepDims);
  }
  matmul(b: Tensor | ArrayData): Tensor { return ops.matmul(this, b); }
  dot(b: Tensor | ArrayData): Scalar { return ops.dot(this, b); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  reshape(shape: Shape): Tensor { return ops.reshape(this, shape); }
  at(index: number | readonly number[]): Scalar { return ops.at(this, index); }
  slice(start: number | null | undefined, end?: number | null, axis = 0, step = 1): Tensor {
    return ops.slice(this, start, end, axis, step);
  }
  concat(others: readonly Tensor[], axis = 0): Tensor { return ops.concat([this, ...others], axis); }
  /** This tensor and `others` (same shape) stacked along a new axis. */
  stack(others: readonly Tensor[], axis = 0): Tensor { return ops.stack([this, ...others], axis); }
  logSumExp(): Scalar;
  logSumExp(axis: number | readonly number[], keepDims?: boolean): Tensor;
  logSumExp(axis?: number | readonly number[], keepDims = false): Node {
    return axis === undefined ? ops.logSumExp(this) : ops.logSumExp(this, axis, keepDims);
  }
  softmax(axis: number | readonly number[] = -1): Tensor { return ops.softmax(this, axis); }
  /** Elements of this where `mask` is true, of `other` elsewhere. */
  where(mask: MaskLike, other: Operand): Tensor { return ops.where(mask, this, other); }
  // Reductions over axes, shape and indexing (issue 15): each the op of the same name on this tensor.
  max(): Scalar;
  max(axis: number | readonly number[], keepDims?: boolean): Tensor;
  max(axis?: number | readonly number[], keepDims = false): Node { return axis === undefined ? ops.max(this) : ops.max(this, axis, keepDims); }
  min(): Scalar;
  min(axis: number | readonly number[], keepDims?: boolean): Tensor;
  min(axis?: number | readonly number[], keepDims = false): Node { return axis === undefined ? ops.min(this) : ops.min(this, axis, keepDims); }
  prod(): Scalar;
  prod(axis: number | readonly number[], keepDims?: boolean): Tensor;
  prod(axis?: number | readonly number[], keepDims = false): Node { return axis === undefined ? ops.prod(this) : ops.prod(this, axis, keepDims); }
  variance(axis?: undefined, options?: { readonly ddof?: number }): Scalar;
  variance(axis: number | readonly number[], options?: boolean | ops.VarianceOptions): Tensor;
  variance(axis?: number | readonly number[], options?: boolean | ops.VarianceOptions): Node {
    return axis === undefined ? ops.variance(this, undefined, options as { ddof?: number }) : ops.variance(this, axis, options);
  }
  std(axis?: undefined, options?: { readonly ddof?: number }): Scalar;
  std(axis: number | readonly number[], options?: boolean | ops.VarianceOptions): Tensor;
  std(axis?: number | readonly number[], options?: boolean | ops.VarianceOptions): Node {
    return axis === undefined ? ops.std(this, undefined, options as { ddof?: number }) : ops.std(this, axis, options);
  }
  norm(ord?: number | 'fro'): Scalar;
  norm(ord: number | 'fro' | undefined, axis: number | readonly number[], keepDims?: boolean): Tensor;
  norm(ord?: number | 'fro', axis?: number | readonly number[], keepDims = false): Node {
    return axis === undefined ? ops.norm(this, ord) : ops.norm(this, ord, axis, keepDims);
  }
  cumsum(axis?: number): Tensor { return ops.cumsum(this, axis); }
  cumprod(axis?: number): Tensor { return ops.cumprod(this, axis); }
  argmax(): number;
  argmax(axis: number): Int32Array;
  argmax(axis?: number): number | Int32Array { return axis === undefined ? ops.argmax(this) : ops.argmax(this, axis); }
  argmin(): number;
  argmin(axis: number): Int32Array;
  argmin(axis?: number): number | Int32Array { return axis === undefined ? ops.argmin(this) : ops.argmin(this, axis); }
  swapAxes(a: number, b: number): Tensor { return ops.swapAxes(this, a, b); }
  moveAxis(source: number | readonly number[], destination: number | readonly number[]): Tensor { return ops.moveAxis(this, source, destination); }
  squeeze(axis?: number | readonly number[]): Tensor { return ops.squeeze(this, axis); }
  expandDims(axis: number | readonly number[]): Tensor { return ops.expandDims(this, axis); }
  flip(axis?: number | readonly number[]): Tensor { return ops.flip(this, axis); }
  roll(shift: number | readonly number[], axis?: number | readonly number[]): Tensor { return ops.roll(this, shift, axis); }
  tile(reps: number | readonly number[]): Tensor { return ops.tile(this, reps); }
  repeat(repeats: number | readonly number[], axis?: number): Tensor { return ops.repeat(this, repeats, axis); }
  pad(widths: Parameters<typeof ops.pad>[1], mode?: Parameters<typeof ops.pad>[2], value?: number): Tensor {
    return ops.pad(this, widths, mode, value);
  }
  split(sections: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sections, axis); }
  take(indices: number | ArrayLike<number>, axis?: number): Tensor { return ops.take(this, indices, axis); }
  scatterAdd(indices: number | ArrayLike<number>, updates: Operand, axis?: number): Tensor {
    return ops.scatterAdd(this, indices, updates, axis);
  }
  diag(k = 0): Tensor { return ops.diag(this, k); }
  tril(k = 0): Tensor { return ops.tril(this, k); }
  triu(k = 0): Tensor { return ops.triu(this, k); }
  /** The trace of a matrix (a scalar), or of each matrix of a batch (a tensor). */
  matrixTrace(offset = 0): Node { return ops.matrixTrace(this, offset); }
  // Linear algebra (issue 15): this tensor is the matrix A (or a stack of them).
  solve(b: Tensor): Tensor { return ops.solve(this, b); }
  cholesky(): Tensor { return ops.cholesky(this); }
  triangularSolve(b: Tensor, options?: ops.TriangularSolveOptions): Tensor { return ops.triangularSolve(this, b, options); }
  inv(): Tensor { return ops.inv(this); }
  det(options?: { readonly batched?: false }): Scalar;
  det(options: { readonly batched: true }): Tensor;
  det(options?: ops.DetOptions): Node { return ops.det(this, options); }
  logDet(options?: { readonly batched?: false }): Scalar;
  logDet(options: { readonly batched: true }): Tensor;
  logDet(options?: ops.DetOptions): Node { return ops.logDet(this, options); }
  slogdet(options?: { readonly batched?: false }): ops.SignAndLogDet<number, Scalar>;
  slogdet(options: { readonly batched: true }): ops.SignAndLogDet<Tensor, Tensor>;
  slogdet(options?: ops.DetOptions): ops.SignAndLogDet<number | Tensor, Node> { return ops.slogdet(this, options); }
  // Products and neural-network ops (issue 15): each the op of the same name, this tensor first.
  einsum(subscripts: string, ...others: Tensor[]): Tensor { return ops.einsum(subscripts, this, ...others); }
  tensordot(b: Tensor, axes?: ops.TensordotAxes): Tensor { return ops.tensordot(this, b, axes); }
  outer(b: Tensor): Tensor { return ops.outer(this, b); }
  conv1d(filters: Tensor, options?: ops.ConvOptions): Tensor { return ops.conv1d(this, filters, options); }
  conv2d(filters: Tensor, options?: ops.ConvOptions): Tensor { return ops.conv2d(this, filters, options); }
  maxPool2d(size: number | readonly number[], options?: ops.PoolOptions): Tensor { return ops.maxPool2d(this, size, options); }
  avgPool2d(size: number | readonly number[], options?: ops.PoolOptions): Tensor { return ops.avgPool2d(this, size, options); }
  logSoftmax(axis: number | readonly number[] = -1): Tensor { return ops.logSoftmax(this, axis); }
  override toString(): string {
    return `Tensor(${formatShape(this.shape)})`;
  }
}

/** Any node. */
export type Node = Scalar | Tensor;

/** A constant select mask: truthy entries pick the first operand. */
export type MaskLike = ArrayLike<number | boolean> | Tensor;

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
  const i = tape.pushTensor(op, a, b, active);
  const t = new Tensor(tape, i, shape, data, active ? dot : null);
  tape.tensors.push(t);
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
export function checkShape(shape: unknown, opName: string): Shape {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 2 ** 31)) {
    throw new ShapeError(`${opName}: a shape is an array of non-negative integers, got ${Array.isArray(shape) ? JSON.stringify(shape) : describeValue(shape)}`);
  }
  return [...shape] as Shape;
}

/**
 * x as a node of tape t: itself, or — for a plain value computed outside any transform (an eager
 * node) — a constant copy on t. Ops call this on every operand after {@link commonTape}.
 */
export function onTape(x: Node, t: Tape, opName: string): Node {
  if (x.tape === t) return x;
  if (x.tape.finished) throw staleNode(opName);
  if (!x.tape.eager) throw new Error(`dualtape internal error: ${opName} mixed two live tapes`);
  return x instanceof Scalar ? constantScalar(t, x.tape.vals[x.id]) : constantTensor(t, x.data, x.shape);
}

function conversionError(kind: string, hint: string): NodeConversionError {
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
