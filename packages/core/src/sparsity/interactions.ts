/**
 * Nonlinear interactions: the pairs (p, q) of inputs that some op multiplies together, the places
 * where the Hessian can be nonzero (Walther 2008). A nonlinear unary op on u adds deps(u) × deps(u),
 * a product a·b adds deps(a) × deps(b). Pairs are kept with p ≤ q, deduplicated in batches, and
 * turned into the symmetric pattern at the end.
 * @module
 */
import { EMPTY_SET, type IndexSets } from './index-sets.js';

/** A symmetric sparsity pattern in compressed rows: both triangles, columns sorted in each row. */
export interface SymmetricPattern {
  readonly n: number;
  /** Row r's columns are cols[rowStart[r] … rowStart[r + 1]). */
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
}

/** Deduplicate once this many pairs wait (keeps memory bounded when the same pairs recur). */
const BATCH = 1 << 22;
/** Products of sets with at most this many pairs are not remembered. */
const SMALL_PRODUCT = 16;
/** Set ids below this fit the numeric key of a pair of sets. */
const KEY_RANGE = 1 << 26;

export class Interactions {
  private ps = new Int32Array(1024);
  private qs = new Int32Array(1024);
  private length = 0;
  /** Pairs already deduplicated (sorted by p, then q): the state after the last batch. */
  private kept = 0;
  private squared = new Uint8Array(256);
  private readonly crossed = new Set<number>();

  constructor(private readonly sets: IndexSets) {}

  /** deps × deps for one set (a nonlinear unary op, or a product of an element with itself). */
  square(id: number): void {
    if (id === EMPTY_SET) return;
    if (id < this.squared.length && this.squared[id] === 1) return;
    if (id >= this.squared.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.squared.length * 2));
      grown.set(this.squared);
      this.squared = grown;
    }
    this.squared[id] = 1;
    const { pool } = this.sets;
    const at = this.sets.first(id), size = this.sets.size(id);
    for (let i = at; i < at + size; i++) for (let j = i; j < at + size; j++) this.push(pool[i], pool[j]);
  }

  /** a × b and b × a (a product). */
  cross(a: number, b: number): void {
    if (a === EMPTY_SET || b === EMPTY_SET) return;
    if (a === b) {
      this.square(a);
      return;
    }
    const lo = Math.min(a, b), hi = Math.max(a, b);
    // Remembering small products costs more than pushing their few pairs again (batches dedupe them).
    if (hi < KEY_RANGE && this.sets.size(a) * this.sets.size(b) > SMALL_PRODUCT) {
      const key = lo * KEY_RANGE + hi;
      if (this.crossed.has(key)) return;
      this.crossed.add(key);
    }
    const { pool } = this.sets;
    const A = this.sets.first(a), la = this.sets.size(a);
    const B = this.sets.first(b), lb = this.sets.size(b);
    for (let i = 0; i < la; i++) {
      const p = pool[A + i];
      for (let j = 0; j < lb; j++) {
        const q = pool[B + j];
        if (p <= q) this.push(p, q);
        else this.push(q, p);
      }
    }
  }

  /** The pattern of every pair recorded, both triangles. */
  pattern(): SymmetricPattern {
    this.deduplicate();
    const n = this.sets.n;
    const { ps, qs, length } = this;
    // Row r: its lower entries (c < r) come first, then its upper ones (c ≥ r); pairs are sorted by
    // (p, q), so filling in pair order keeps each part sorted.
    const lower = new Int32Array(n), upper = new Int32Array(n);
    for (let k = 0; k < length; k++) {
      upper[ps[k]]++;
      if (ps[k] !== qs[k]) lower[qs[k]]++;
    }
    const rowStart = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) rowStart[r + 1] = rowStart[r] + lower[r] + upper[r];
    const lowerAt = new Int32Array(n), upperAt = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      lowerAt[r] = rowStart[r];
      upperAt[r] = rowStart[r] + lower[r];
    }
    const cols = new Int32Array(rowStart[n]);
    for (let k = 0; k < length; k++) {
      const p = ps[k], q = qs[k];
      cols[upperAt[p]++] = q;
      if (p !== q) cols[lowerAt[q]++] = p;
    }
    return { n, rowStart, cols };
  }

  private push(p: number, q: number): void {
    if (this.length === this.ps.length) {
      if (this.length - this.kept >= BATCH) this.deduplicate();
      if (this.length === this.ps.length) {
        this.ps = grow(this.ps, this.ps.length * 2);
        this.qs = grow(this.qs, this.qs.length * 2);
      }
    }
    this.ps[this.length] = p;
    this.qs[this.length++] = q;
  }

  /** Sorts the pairs by (p, q) and drops repeats: a counting sort by p, then each row by q. */
  private deduplicate(): void {
    const n = this.sets.n;
    const { ps, qs, length } = this;
    const start = new Int32Array(n + 1);
    for (let k = 0; k < length; k++) start[ps[k] + 1]++;
    for (let r = 0; r < n; r++) start[r + 1] += start[r];
    const at = start.slice(0, n);
    const byRow = new Int32Array(length);
    for (let k = 0; k < length; k++) byRow[at[ps[k]]++] = qs[k];
    let out = 0;
    for (let r = 0; r < n; r++) {
      const row = byRow.subarray(start[r], start[r + 1]).sort();
      for (let k = 0; k < row.length; k++) {
        if (k > 0 && row[k] === row[k - 1]) continue;
        ps[out] = r;
        qs[out++] = row[k];
      }
    }
    this.length = out;
    this.kept = out;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
