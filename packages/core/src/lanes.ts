/**
 * Lanes: where a sweep reads and writes the four numbers of each node — value y, tangent R{y},
 * adjoint ȳ and R{ȳ} — as rules see them. Two implementations:
 *
 * - the {@link Tape} itself, for a top-level transform: typed arrays for scalar nodes and
 *   Float64Arrays on the tensor handles, computed with the `numbers` algebra;
 * - a nested transform's frame (frame.ts), whose tangents and adjoints are nodes of the enclosing
 *   tape, computed with the `nodes` algebra, so the sweep is recorded where it runs.
 *
 * A lane that holds nothing reads as the number 0, the algebra's symbolic zero.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import type { Shape } from './shape.js';
import type { Tape } from './tape.js';

export interface Lanes {
  /** The tape that holds the nodes' structure (ops, inputs, op data) and primal values. */
  readonly tape: Tape;
  /** Which lanes of the dual adjoint the current reverse sweep fills. */
  readonly sweepBar: boolean;
  readonly sweepBarDot: boolean;
  /** True when node i depends on this transform's inputs (only such nodes carry tangents and adjoints). */
  isActive(i: number): boolean;
  /** y of node i. */
  val(i: number): Value;
  /** R{y} of node i, 0 when it has none. */
  dot(i: number): Value;
  /**
   * y of node i for the algebra's elementwise operations only: where it is elementwise work not done
   * yet (a deferred add, node.ts), it comes as that work, for the operation to fuse into its own loop
   * (fusion.ts). A rule that reads the numbers themselves, or hands them to anything else, uses val.
   */
  fusedVal(i: number): Value;
  /** R{y} of node i, as {@link fusedVal} gives y. */
  fusedDot(i: number): Value;
  /** ȳ of node i, 0 when nothing has reached it. */
  bar(i: number): Value;
  /** R{ȳ} of node i. */
  barDot(i: number): Value;
  setDot(i: number, v: Value): void;
  /** y of node i := v (only when replaying a recorded tape). */
  setVal(i: number, v: Value): void;
  /**
   * ȳ += v (v has node i's shape, or is a number). `spent` names the node whose rule is running when
   * this write is that rule's last read of its own ȳ: a sweep that lets the node's lanes go once it has
   * pushed (the transforms' freeing sweeps) may then put the sum in that node's array instead of a new
   * one, since the fused loop reads each element before it writes it. Other lanes ignore it.
   */
  addBar(i: number, v: Value, spent?: number): void;
  /** R{ȳ} += v; `spent` as for {@link addBar}, naming the last read of the running node's R{ȳ}. */
  addBarDot(i: number, v: Value, spent?: number): void;
  /** Element k of ȳ of tensor node i += v, a scalar (the adjoint of reading one element). */
  addBarAt(i: number, k: number, v: Value): void;
  addBarDotAt(i: number, k: number, v: Value): void;
}

/** The shape of node i of a tape: `[]` for a scalar node. */
export function shapeOf(tape: Tape, i: number): Shape {
  return tape.isTensor(i) ? tape.tensorAt(i).shape : SCALAR_SHAPE;
}

export const SCALAR_SHAPE: Shape = Object.freeze([]) as Shape;
