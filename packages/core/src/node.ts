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
}

/** A scalar node. Its value and tangent live in the tape's typed arrays. */
export class Scalar extends NodeBase {
  // Spelled out: a derived class's implicit constructor forwards ...args, slower on the hot path.
  constructor(tape: Tape, id: number) {
    super(tape, id);
    // x.foo = … on a node would be ignored by the engine: make it an error instead.
    Object.preventExtensions(this);
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
    /** @internal primal data */
    readonly data: Float64Array,
    /** @internal tangent R{data}; null means zero */
    public dataDot: Float64Array | null,
  ) {
    super(tape, id);
    this.size = data.length;
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

  /** Sum of all elements (a scalar), or along `axis` (a tensor). */
  sum(): Scalar;
  sum(axis: number, keepDims?: boolean): Tensor;
  sum(axis?: number, keepDims = false): Node {
    return axis === undefined ? ops.sum(this) : ops.sum(this, axis, keepDims);
  }
  /** Mean of all elements, or along `axis`. */
  mean(): Scalar;
  mean(axis: number, keepDims?: boolean): Tensor;
  mean(axis?: number, keepDims = false): Node {
    return axis === undefined ? ops.mean(this) : ops.mean(this, axis, keepDims);
  }
  matmul(b: Tensor | ArrayData): Tensor { return ops.matmul(this, b); }
  dot(b: Tensor | ArrayData): Scalar { return ops.dot(this, b); }
  transpose(): Tensor { return ops.transpose(this); }
  reshape(shape: Shape): Tensor { return ops.reshape(this, shape); }
  at(index: number | readonly number[]): Scalar { return ops.at(this, index); }
  slice(start: number, end: number, axis = 0): Tensor { return ops.slice(this, start, end, axis); }
  concat(others: readonly Tensor[], axis = 0): Tensor { return ops.concat([this, ...others], axis); }
  /** This tensor and `others` (same shape) stacked along a new axis. */
  stack(others: readonly Tensor[], axis = 0): Tensor { return ops.stack([this, ...others], axis); }
  logSumExp(): Scalar;
  logSumExp(axis: number, keepDims?: boolean): Tensor;
  logSumExp(axis?: number, keepDims = false): Node {
    return axis === undefined ? ops.logSumExp(this) : ops.logSumExp(this, axis, keepDims);
  }
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** Elements of this where `mask` is true, of `other` elsewhere. */
  where(mask: MaskLike, other: Operand): Tensor { return ops.where(mask, this, other); }
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
