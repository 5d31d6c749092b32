/**
 * Sets of input indices (positions in flatten(x)), each known by an id, its members sorted and
 * stored in one shared pool (no object per set: a pattern walk makes one set per product it meets).
 * Sets are interned — equal contents, one id — so the interactions a set takes part in are recorded
 * once however many nodes carry it (a dense constant matrix times x gives every row the same set).
 * Ids 1 … n are the singletons {0} … {n − 1}.
 * @module
 */

/** The id of the empty set. */
export const EMPTY_SET = 0;

/** Returned by a union whose result would exceed its limit. */
export const TOO_LARGE = -1;

export class IndexSets {
  /** Members of set id: pool[start[id] … start[id] + size[id]). */
  pool: Int32Array;
  private poolLength: number;
  private start: Int32Array;
  private sizes: Int32Array;
  private next: number;
  /** Open-addressing table of ids by content hash (0: free slot, else id + 1). */
  private table: Int32Array;
  /** Per input index, the stamp of the union that last saw it (dedupes without clearing). */
  private readonly seen: Int32Array;
  private stamp = 0;
  private scratch = new Int32Array(64);

  constructor(readonly n: number) {
    // Room for the singletons and as many more to start with; both grow as sets are added.
    this.pool = new Int32Array(n + Math.max(n, 1024));
    for (let v = 0; v < n; v++) this.pool[v] = v;
    this.poolLength = n;
    this.start = new Int32Array(n + 1 + Math.max(n, 1024));
    this.sizes = new Int32Array(this.start.length);
    for (let v = 0; v < n; v++) {
      this.start[v + 1] = v;
      this.sizes[v + 1] = 1;
    }
    this.next = n + 1;
    // Singletons are found by index, never through the table.
    this.table = new Int32Array(1024);
    this.seen = new Int32Array(n);
  }

  /** Where set id's members start in {@link pool} (read with {@link size}; the pool may move as sets are added). */
  first(id: number): number {
    return this.start[id];
  }

  size(id: number): number {
    return this.sizes[id];
  }

  /** The id of {v}. */
  singleton(v: number): number {
    return v + 1;
  }

  /** The id of a ∪ b, or TOO_LARGE beyond `limit` members; a or b itself when the other adds nothing. */
  union2(a: number, b: number, limit: number): number {
    if (a === b || b === EMPTY_SET) return a;
    if (a === EMPTY_SET) return b;
    const la = this.sizes[a], lb = this.sizes[b];
    if (la > limit || lb > limit) return TOO_LARGE;
    const at = this.reserve(Math.min(la + lb, limit + 1));
    const pool = this.pool;
    let i = this.start[a], j = this.start[b], k = at;
    const ia = i + la, jb = j + lb, end = at + limit;
    while (i < ia && j < jb) {
      if (k === end) return TOO_LARGE;
      const x = pool[i], y = pool[j];
      if (x <= y) {
        pool[k++] = x;
        i++;
        if (x === y) j++;
      } else {
        pool[k++] = y;
        j++;
      }
    }
    if (k + (ia - i) + (jb - j) > end) return TOO_LARGE;
    while (i < ia) pool[k++] = pool[i++];
    while (j < jb) pool[k++] = pool[j++];
    const size = k - at;
    if (size === la) return a;
    if (size === lb) return b;
    return this.commit(at, size);
  }

  /**
   * The id of the union of sets `ids[from … to)`, or TOO_LARGE beyond `limit` members; one of the
   * given ids when it already is the union.
   */
  unionOf(ids: ArrayLike<number>, from: number, to: number, limit = Infinity): number {
    let first = EMPTY_SET;
    let several = false;
    let largest = EMPTY_SET;
    let total = 0;
    for (let k = from; k < to; k++) {
      const id = ids[k];
      if (id === EMPTY_SET) continue;
      if (first === EMPTY_SET) first = id;
      else if (id !== first) several = true;
      total += this.sizes[id];
      if (this.sizes[id] > this.sizes[largest]) largest = id;
    }
    if (!several) return first;
    if (this.sizes[largest] > limit) return TOO_LARGE;
    const stamp = ++this.stamp;
    const out = this.room(Math.min(total, this.n));
    const { pool, seen } = this;
    let k = 0;
    for (let j = from; j < to; j++) {
      const id = ids[j];
      const end = this.start[id] + this.sizes[id];
      for (let m = this.start[id]; m < end; m++) {
        const v = pool[m];
        if (seen[v] === stamp) continue;
        seen[v] = stamp;
        if (k === limit) return TOO_LARGE;
        out[k++] = v;
      }
    }
    if (k === this.sizes[largest]) return largest;
    out.subarray(0, k).sort();
    const at = this.reserve(k);
    this.pool.set(out.subarray(0, k), at);
    return this.commit(at, k);
  }

  /** Makes room for `size` members at the end of the pool; returns where they go. */
  private reserve(size: number): number {
    if (this.poolLength + size > this.pool.length) {
      const grown = new Int32Array(Math.max(this.poolLength + size, this.pool.length * 2));
      grown.set(this.pool.subarray(0, this.poolLength));
      this.pool = grown;
    }
    return this.poolLength;
  }

  /** The id of the sorted members just written at pool[at … at + size): an existing equal set's, or a new one. */
  private commit(at: number, size: number): number {
    if (size === 1) return this.pool[at] + 1;
    const hash = hashOf(this.pool, at, size);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.sizes[id] === size && this.sameMembers(this.start[id], at, size)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.next++;
    if (id === this.start.length) {
      this.start = grow(this.start, id * 2);
      this.sizes = grow(this.sizes, id * 2);
    }
    this.start[id] = at;
    this.sizes[id] = size;
    this.poolLength = at + size;
    this.table[slot] = id + 1;
    // Keep the table at most half full.
    if (2 * (this.next - this.n) > this.table.length) this.rehash();
    return id;
  }

  private sameMembers(p: number, q: number, size: number): boolean {
    const pool = this.pool;
    for (let k = 0; k < size; k++) if (pool[p + k] !== pool[q + k]) return false;
    return true;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = this.n + 1; id < this.next; id++) {
      let slot = hashOf(this.pool, this.start[id], this.sizes[id]) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  private room(size: number): Int32Array {
    if (this.scratch.length < size) this.scratch = new Int32Array(Math.max(size, this.scratch.length * 2));
    return this.scratch;
  }
}

function hashOf(pool: Int32Array, at: number, size: number): number {
  let h = Math.imul(size, 0x9e3779b1);
  for (let k = at; k < at + size; k++) h = Math.imul(h ^ pool[k], 0x01000193) + 0x7f4a7c15;
  return (h ^ (h >>> 15)) | 0;
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
