/**
 * Vertex orders for greedy coloring of a symmetric pattern's adjacency graph (diagonal entries are
 * not edges).
 * @module
 */
import type { SymmetricPattern } from './interactions.js';

const NONE = -1;

/**
 * The order in which the greedy coloring of {@link sparseHessian} takes the inputs:
 * `'smallest-last'` (Matula and Beck: repeatedly set aside a vertex of least degree, color in the
 * reverse order; usually the fewest colors), `'largest-first'` (by decreasing degree) or `'natural'`
 * (flatten order).
 *
 * @example
 * ```ts
 * const order: VertexOrder = 'largest-first';
 * sparseHessian(f, x, { order });
 * ```
 */
export type VertexOrder = 'smallest-last' | 'largest-first' | 'natural';

/** The vertices in the order greedy coloring takes them. */
export function vertexOrder(p: SymmetricPattern, order: VertexOrder): Int32Array {
  const { n } = p;
  const degree = offDiagonalDegrees(p);
  if (order === 'natural') return Int32Array.from({ length: n }, (_, k) => k);
  if (order === 'largest-first') {
    const out = Int32Array.from({ length: n }, (_, k) => k);
    // A stable sort: equal degrees keep the natural order.
    return Int32Array.from(Array.from(out).sort((a, b) => degree[b] - degree[a] || a - b));
  }
  return smallestLast(p, degree);
}

function offDiagonalDegrees({ n, rowStart, cols }: SymmetricPattern): Int32Array {
  const degree = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let d = rowStart[v + 1] - rowStart[v];
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) if (cols[e] === v) d--;
    degree[v] = d;
  }
  return degree;
}

/**
 * Smallest-last order (Matula and Beck 1983): repeatedly remove a vertex of least remaining degree;
 * color in the reverse order of removal. Buckets by degree give O(n + edges).
 */
function smallestLast({ n, rowStart, cols }: SymmetricPattern, initial: Int32Array): Int32Array {
  const degree = initial.slice();
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, degree[v]);
  const head = new Int32Array(maxDegree + 1).fill(NONE);
  const next = new Int32Array(n).fill(NONE), previous = new Int32Array(n).fill(NONE);
  const insert = (v: number) => {
    const d = degree[v];
    previous[v] = NONE;
    next[v] = head[d];
    if (head[d] !== NONE) previous[head[d]] = v;
    head[d] = v;
  };
  const remove = (v: number) => {
    if (previous[v] !== NONE) next[previous[v]] = next[v];
    else head[degree[v]] = next[v];
    if (next[v] !== NONE) previous[next[v]] = previous[v];
  };
  // Inserting in reverse keeps the natural order among equal degrees at the bucket heads.
  for (let v = n - 1; v >= 0; v--) insert(v);
  const removed = new Uint8Array(n);
  const order = new Int32Array(n);
  let low = 0;
  for (let k = n - 1; k >= 0; k--) {
    while (head[low] === NONE) low++;
    const v = head[low];
    remove(v);
    removed[v] = 1;
    order[k] = v;
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) {
      const w = cols[e];
      if (w === v || removed[w] === 1) continue;
      remove(w);
      degree[w]--;
      insert(w);
    }
    if (low > 0) low--;
  }
  return order;
}

