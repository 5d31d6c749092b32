/**
 * The state of one forward walk over a recorded tape for the Hessian's sparsity pattern: where each
 * node's elements are (element handles, see element-graph.ts), and the interactions found so far.
 * The op handlers (op-sparsity.ts) read their inputs' elements and set their node's.
 *
 * A node's elements are addressed in one of three ways, so that ops which only move or relabel
 * elements (reshape, x.at(k), a unary op, an operand that covers the other) cost nothing per element:
 *   base[i] > 0    element k is the handle base[i] + k (a contiguous run: leaves, or a node aliased);
 *   base[i] = 0    no element depends on any input;
 *   base[i] = −1   element k is maps.get(i)[k] (0 where it depends on nothing).
 * @module
 */
import { shapeOf } from '../lanes.js';
import type { Shape } from '../shape.js';
import type { Tape } from '../tape.js';
import { ElementGraph, NOTHING } from './element-graph.js';
import type { IndexSets } from './index-sets.js';
import type { Interactions } from './interactions.js';

const MAPPED = -1;

export class Walk {
  private readonly base: Int32Array;
  private readonly maps = new Map<number, Int32Array>();

  /** `varies[i]` = 1 when node i's value can change with x (see {@link isConstant}). */
  constructor(
    readonly tape: Tape,
    readonly graph: ElementGraph,
    readonly sets: IndexSets,
    readonly pairs: Interactions,
    private readonly varies: Uint8Array,
  ) {
    this.base = new Int32Array(tape.length);
  }

  /** Number of elements of node i (1 for a scalar node). */
  size(i: number): number {
    return this.tape.slot[i] < 0 ? 1 : this.tape.tensorAt(i).size;
  }

  shape(i: number): Shape {
    return shapeOf(this.tape, i);
  }

  /**
   * True when node i is a constant: the same at every x (its exact zeros may cut a product off). Not
   * every inactive node is: a detached node (logSumExp's shift) carries no derivative but tracks x.
   */
  isConstant(i: number): boolean {
    return this.varies[i] === 0;
  }

  /** The values of node i, one per element. */
  values(i: number): Float64Array {
    return this.tape.slot[i] < 0 ? Float64Array.of(this.tape.vals[i]) : this.tape.tensorAt(i).data;
  }

  /** The handle of element k of node i. */
  element(i: number, k: number): number {
    const b = this.base[i];
    if (b > 0) return b + k;
    return b === 0 ? NOTHING : this.maps.get(i)![k];
  }

  /** The handles of every element of node i; null when none depends on an input. Never to be written. */
  elements(i: number): Int32Array | null {
    const b = this.base[i];
    if (b === 0) return null;
    if (b === MAPPED) return this.maps.get(i)!;
    const size = this.size(i);
    const out = new Int32Array(size);
    for (let k = 0; k < size; k++) out[k] = b + k;
    return out;
  }

  /** The handle of node i's first element when its elements are a contiguous run, else 0. */
  firstOfRun(i: number): number {
    return Math.max(this.base[i], 0);
  }

  /** Node i's elements are handles first, first + 1, … (first = 0: none depends on an input). */
  setRun(i: number, first: number): void {
    this.base[i] = first;
  }

  /** Node i's elements are the given handles. */
  setElements(i: number, handles: Int32Array): void {
    this.base[i] = MAPPED;
    this.maps.set(i, handles);
  }

  /** Node i has node x's elements, in the same order (reshape, neg, tanh, …). */
  alias(i: number, x: number): void {
    const b = this.base[x];
    this.base[i] = b;
    if (b === MAPPED) this.maps.set(i, this.maps.get(x)!);
  }

  /** Every element of node i depends on the set `id`. */
  setAll(i: number, id: number): void {
    const h = this.graph.stored(id);
    if (h === NOTHING) this.base[i] = 0;
    else this.setElements(i, new Int32Array(this.size(i)).fill(h));
  }

  /** The set element h depends on, formed now if needed. */
  setOf(h: number): number {
    return this.graph.setOfElement(h);
  }

  /** The union of the sets of all of node i's elements. */
  setOfNode(i: number): number {
    const handles = this.elements(i);
    return handles === null ? 0 : this.graph.setOfAll(handles);
  }

  /** A nonlinear function of element h: deps(h) × deps(h). */
  square(h: number): void {
    if (h !== NOTHING) this.pairs.square(this.graph.setOfElement(h));
  }

  /** A product of elements a and b: deps(a) × deps(b). */
  cross(a: number, b: number): void {
    if (a !== NOTHING && b !== NOTHING) this.pairs.cross(this.graph.setOfElement(a), this.graph.setOfElement(b));
  }
}
