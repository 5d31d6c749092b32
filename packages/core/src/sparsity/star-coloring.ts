/**
 * Star coloring of the adjacency graph of a symmetric pattern (vertices: inputs; an edge p–q for
 * each off-diagonal nonzero): adjacent vertices get different colors, and every path on four
 * vertices uses at least three colors. Then each nonzero H[p][q] can be read straight off one
 * product H·d, d the indicator of a color (direct recovery, recovery.ts), and the number of products
 * is the number of colors.
 *
 * Greedy, in a chosen vertex order, after Gebremedhin, Tarafdar, Manne and Pothen, "New acyclic and
 * star coloring algorithms with application to computing Hessians", SIAM J. Sci. Comput. 29(3),
 * 2007: the algorithm keeps the two-colored stars built so far and each star's hub, so that checking
 * a color for v looks at v's neighbors and their hub links, not at paths of length three. See also
 * Gebremedhin, Manne and Pothen, "What color is your Jacobian?", SIAM Review 47(4), 2005.
 * @module
 */
import type { SymmetricPattern } from './interactions.js';
import { ABSENT, PairTable } from './pair-table.js';
import { vertexOrder, type VertexOrder } from './vertex-order.js';

export type { VertexOrder } from './vertex-order.js';

/** A coloring of the inputs: which product H·d_c reads each of them. */
export interface Coloring {
  /** Color of each vertex, from 0; −1 for a vertex with no nonzero at all in its row. */
  readonly colorOf: Int32Array;
  readonly colors: number;
}

const NONE = -1;

/** A star coloring of p's adjacency graph, greedy in the given vertex order. */
export function starColoring(p: SymmetricPattern, order: VertexOrder = 'smallest-last'): Coloring {
  const { n, rowStart, cols } = p;
  const colorOf = new Int32Array(n).fill(NONE);
  const ordered = vertexOrder(p, order);
  // Per color: the mark of the vertex being colored when the color is ruled out, and v's first
  // neighbor of that color (to catch a second one).
  let forbidden = new Int32Array(16).fill(NONE);
  let firstSeenBy = new Int32Array(16).fill(NONE);
  let firstNeighbor = new Int32Array(16);
  const treatedBy = new Int32Array(n).fill(NONE);
  const stars = new Stars(n, cols.length);
  let colors = 0;

  /** Rules out, for v, the colors of every colored neighbor x ≠ v of u (u would end a 4-path). */
  const treat = (v: number, u: number) => {
    if (treatedBy[u] === v) return;
    treatedBy[u] = v;
    for (let e = rowStart[u]; e < rowStart[u + 1]; e++) {
      const x = cols[e];
      if (x !== v && x !== u && colorOf[x] !== NONE) forbidden[colorOf[x]] = v;
    }
  };

  for (const v of ordered) {
    if (rowStart[v] === rowStart[v + 1]) continue; // an empty row needs no product
    if (forbidden.length < colors + 1) {
      forbidden = growFilled(forbidden, colors * 2 + 2);
      firstSeenBy = growFilled(firstSeenBy, colors * 2 + 2);
      firstNeighbor = growFilled(firstNeighbor, colors * 2 + 2);
    }
    // Distance one: no neighbor's color.
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) {
      const w = cols[e];
      if (w !== v && colorOf[w] !== NONE) forbidden[colorOf[w]] = v;
    }
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) {
      const w = cols[e];
      if (w === v || colorOf[w] === NONE) continue;
      const cw = colorOf[w];
      if (firstSeenBy[cw] !== v) {
        firstSeenBy[cw] = v;
        firstNeighbor[cw] = w;
        // v–w–x–y two-colored if x is the hub of the star holding w–x: rule out x's color.
        for (let k = stars.spokeHead[w]; k !== NONE; k = stars.spokeNext[k]) forbidden[colorOf[stars.spokeHub[k]]] = v;
      } else {
        // v has two neighbors of color cw: v would be a hub, so any colored neighbor of either
        // would end a two-colored path of four.
        treat(v, firstNeighbor[cw]);
        treat(v, w);
      }
    }
    let c = 0;
    while (c < colors && forbidden[c] === v) c++;
    colorOf[v] = c;
    if (c === colors) colors++;
    stars.addVertex(p, colorOf, v);
  }
  return { colorOf, colors };
}

/**
 * The two-colored stars: each edge between colored vertices belongs to one star (the two-colored
 * component holding it, a star by construction), whose hub is set once it has two edges.
 */
class Stars {
  /** Hub of each star, or NONE while it is a single edge. */
  private hub = new Int32Array(64);
  /** A single edge's ends, to make the other end a spoke when the hub is set. */
  private endA = new Int32Array(64);
  private endB = new Int32Array(64);
  private count = 0;
  /** (vertex, color) → the star joining the vertex to its neighbors of that color. */
  private readonly starAt: PairTable;
  /** Per vertex, a linked list of the hubs of the stars in which it is a spoke. */
  readonly spokeHead: Int32Array;
  spokeNext = new Int32Array(64);
  spokeHub = new Int32Array(64);
  private spokes = 0;
  /** For the vertex being added (marked in localBy): per color, the star it started with its first neighbor of that color. */
  private localBy = new Int32Array(16).fill(NONE);
  private localStar = new Int32Array(16);

  constructor(n: number, nonzeros: number) {
    this.spokeHead = new Int32Array(n).fill(NONE);
    // Each edge enters at most two entries (one per end).
    this.starAt = new PairTable(nonzeros);
  }

  /** Puts the edges from v (just colored) to its colored neighbors into stars. */
  addVertex(p: SymmetricPattern, colorOf: Int32Array, v: number): void {
    const { rowStart, cols } = p;
    const c = colorOf[v];
    if (this.localBy.length <= c) {
      this.localBy = growFilled(this.localBy, 2 * c + 2);
      this.localStar = growFilled(this.localStar, 2 * c + 2);
    }
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) {
      const w = cols[e];
      if (w === v || colorOf[w] === NONE) continue;
      const cw = colorOf[w];
      const joined = this.starAt.get(w, c);
      if (joined !== ABSENT) {
        // w already has a neighbor of v's color: w is the hub of that star, v a new spoke.
        if (this.hub[joined] === NONE) this.setHub(joined, w);
        else if (this.hub[joined] !== w) throw new Error('dualtape internal error: star coloring joined a star at a spoke');
        this.addSpoke(v, w);
        this.starAt.set(v, cw, joined);
        continue;
      }
      const mine = this.localBy[cw] === v ? this.localStar[cw] : NONE;
      if (mine !== NONE) {
        // v's second neighbor of color cw: v is the hub.
        if (this.hub[mine] === NONE) this.setHub(mine, v);
        this.addSpoke(w, v);
        this.starAt.set(w, c, mine);
        continue;
      }
      const s = this.newStar(v, w);
      this.localBy[cw] = v;
      this.localStar[cw] = s;
      this.starAt.set(v, cw, s);
      this.starAt.set(w, c, s);
    }
  }

  private newStar(a: number, b: number): number {
    if (this.count === this.hub.length) {
      this.hub = grow(this.hub);
      this.endA = grow(this.endA);
      this.endB = grow(this.endB);
    }
    const s = this.count++;
    this.hub[s] = NONE;
    this.endA[s] = a;
    this.endB[s] = b;
    return s;
  }

  private setHub(s: number, h: number): void {
    this.hub[s] = h;
    this.addSpoke(this.endA[s] === h ? this.endB[s] : this.endA[s], h);
  }

  private addSpoke(spoke: number, hub: number): void {
    if (this.spokes === this.spokeNext.length) {
      this.spokeNext = grow(this.spokeNext);
      this.spokeHub = grow(this.spokeHub);
    }
    const k = this.spokes++;
    this.spokeHub[k] = hub;
    this.spokeNext[k] = this.spokeHead[spoke];
    this.spokeHead[spoke] = k;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function growFilled(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size).fill(NONE);
  b.set(a);
  return b;
}
