/**
 * Which inputs each element of the tape depends on, kept lazily. An element is known by a handle
 * (0: depends on nothing). Its dependency set is either stored (an id of {@link IndexSets}) or is the
 * union of other elements' sets, kept as edges to them and only formed when a nonlinear op asks for
 * it (then remembered).
 *
 * Why lazy: a running sum s = s + tᵢ over n terms has sets of sizes 1, 2, …, n; forming each one
 * would cost O(n²) time and memory while no Hessian entry ever needs them. Small unions (up to
 * `eagerLimit` indices) are formed at once, so chains of linear ops on a few inputs (a time
 * stepper, a stencil) never build long lazy chains to walk again.
 * @module
 */
import { EMPTY_SET, type IndexSets } from './index-sets.js';

/** The handle of an element that depends on no input. */
export const NOTHING = 0;

/** The set of an element not formed yet. */
const LAZY = -1;

export class ElementGraph {
  /** By handle: its set id, or LAZY. */
  private setOf: Int32Array;
  /** By handle: its edges are edges[edgeStart[h] … edgeStart[h + 1]). */
  private edgeStart: Int32Array;
  private edges: Int32Array;
  private edgeCount = 0;
  private next = 1;
  /** Per handle, the stamp of the walk that last visited it. */
  private visited: Int32Array;
  private stamp = 0;
  private stack = new Int32Array(256);
  private found = new Int32Array(256);

  /** `expected`: about how many elements the walk will make (they grow as needed). */
  constructor(readonly sets: IndexSets, expected = 1024, readonly eagerLimit = 32) {
    const capacity = Math.max(expected, 1024);
    this.setOf = new Int32Array(capacity);
    this.edgeStart = new Int32Array(capacity + 1);
    this.visited = new Int32Array(capacity);
    this.edges = new Int32Array(capacity);
  }

  /** A new element whose set is `id`. */
  stored(id: number): number {
    if (id === EMPTY_SET) return NOTHING;
    const h = this.newHandle();
    this.setOf[h] = id;
    this.edgeStart[h + 1] = this.edgeCount;
    return h;
  }

  /** The set of `h` if it is formed, else −1. */
  storedSet(h: number): number {
    return h === NOTHING ? EMPTY_SET : this.setOf[h];
  }

  /** An element depending on what a or b depends on: a or b itself when one covers the other. */
  union2(a: number, b: number): number {
    if (a === NOTHING || a === b) return b;
    if (b === NOTHING) return a;
    const sa = this.setOf[a], sb = this.setOf[b];
    if (sa !== LAZY && sb !== LAZY) {
      const id = this.sets.union2(sa, sb, this.eagerLimit);
      if (id === sa) return a;
      if (id === sb) return b;
      if (id !== -1) return this.stored(id);
    }
    const h = this.newHandle();
    this.setOf[h] = LAZY;
    this.pushEdge(a);
    this.pushEdge(b);
    this.edgeStart[h + 1] = this.edgeCount;
    return h;
  }

  /** An element depending on what any of `handles[from … to)` depends on. */
  unionOf(handles: ArrayLike<number>, from = 0, to = handles.length): number {
    let first = NOTHING;
    let several = false;
    let allStored = true;
    for (let k = from; k < to; k++) {
      const h = handles[k];
      if (h === NOTHING) continue;
      if (first === NOTHING) first = h;
      else if (h !== first) several = true;
      if (this.setOf[h] === LAZY) allStored = false;
    }
    if (!several) return first;
    if (allStored) {
      const ids = this.room('found', to - from);
      for (let k = from; k < to; k++) ids[k - from] = this.storedSet(handles[k]);
      const id = this.sets.unionOf(ids, 0, to - from, this.eagerLimit);
      if (id !== -1) {
        for (let k = from; k < to; k++) if (this.storedSet(handles[k]) === id) return handles[k];
        return this.stored(id);
      }
    }
    const h = this.newHandle();
    this.setOf[h] = LAZY;
    for (let k = from; k < to; k++) if (handles[k] !== NOTHING) this.pushEdge(handles[k]);
    this.edgeStart[h + 1] = this.edgeCount;
    return h;
  }

  /** The set `h` depends on, formed now if it was lazy (and kept). */
  setOfElement(h: number): number {
    if (h === NOTHING) return EMPTY_SET;
    const known = this.setOf[h];
    if (known !== LAZY) return known;
    const id = this.walk([h], 0, 1);
    this.setOf[h] = id;
    return id;
  }

  /** The union of the sets of `handles[from … to)`, formed without keeping anything. */
  setOfAll(handles: ArrayLike<number>, from = 0, to = handles.length): number {
    return this.walk(handles, from, to);
  }

  /** Collects the stored sets reachable from the roots through lazy elements, and unites them. */
  private walk(roots: ArrayLike<number>, from: number, to: number): number {
    const stamp = ++this.stamp;
    let top = 0;
    let found = 0;
    for (let k = from; k < to; k++) {
      const r = roots[k];
      if (r === NOTHING || this.visited[r] === stamp) continue;
      this.visited[r] = stamp;
      this.room('stack', top + 1)[top++] = r;
    }
    const { visited } = this;
    while (top > 0) {
      const u = this.stack[--top];
      const s = this.setOf[u];
      if (s !== LAZY) {
        if (s !== EMPTY_SET) this.room('found', found + 1)[found++] = s;
        continue;
      }
      const end = this.edgeStart[u + 1];
      for (let e = this.edgeStart[u]; e < end; e++) {
        const w = this.edges[e];
        if (visited[w] === stamp) continue;
        visited[w] = stamp;
        this.room('stack', top + 1)[top++] = w;
      }
    }
    return this.sets.unionOf(this.found, 0, found);
  }

  private newHandle(): number {
    const h = this.next++;
    if (h + 1 >= this.setOf.length) {
      const size = this.setOf.length * 2;
      this.setOf = grow(this.setOf, size);
      this.edgeStart = grow(this.edgeStart, size + 1);
      this.visited = grow(this.visited, size);
    }
    this.edgeStart[h] = this.edgeCount;
    return h;
  }

  private pushEdge(to: number): void {
    if (this.edgeCount === this.edges.length) this.edges = grow(this.edges, this.edges.length * 2);
    this.edges[this.edgeCount++] = to;
  }

  private room(which: 'stack' | 'found', size: number): Int32Array {
    if (this[which].length < size) this[which] = grow(this[which], Math.max(size, this[which].length * 2));
    return this[which];
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
