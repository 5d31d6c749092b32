/**
 * `sparseHessian`: the Hessian of f at x as its nonzeros, computed with as many Hessian-vector
 * products as a coloring of its sparsity pattern needs — a handful for banded, block or arrowhead
 * structure, however large n is.
 *
 *   1. pattern   record f once, walk the tape forward propagating which inputs each value depends
 *                on and which of them each nonlinear op multiplies together (sparsity/pattern.ts);
 *   2. coloring  star-color the pattern's adjacency graph (sparsity/star-coloring.ts);
 *   3. values    one H·d per color, d the indicator of the color — the colors carried as tangent
 *                lanes, up to 16 in one sweep pair — and read each nonzero off one product
 *                (sparsity/recovery.ts).
 * @module
 */
import { NestedTransformError } from './errors.js';
import { checkOptions, option, type OptionsSpec } from './options.js';
import type { Pytree } from './pytree.js';
import { checkFunction, record, release, scalarOutput, scalarValued, type TransformOptions } from './recording.js';
import { hessianPattern } from './sparsity/pattern.js';
import type { SymmetricPattern } from './sparsity/interactions.js';
import { recoverValues, recoveryPlan } from './sparsity/recovery.js';
import { starColoring, type Coloring, type VertexOrder } from './sparsity/star-coloring.js';

export type { VertexOrder } from './sparsity/star-coloring.js';
import { recordingTape } from './tape.js';
import { DEFAULT_HESSIAN_LANES, applyRows, hvpOperator, releaseOperator, type Differentiable } from './transforms.js';
import { noExtraArguments } from './arity.js';

/**
 * Options of {@link sparseHessian}: those of every transform, and the vertex order of the coloring.
 *
 * @example
 * ```ts
 * const options: SparseHessianOptions = { order: 'largest-first', checkFinite: true };
 * ```
 */
export interface SparseHessianOptions extends TransformOptions {
  /**
   * The order in which the greedy coloring takes the inputs: `'smallest-last'` (default; usually
   * the fewest colors), `'largest-first'` or `'natural'` (flatten order).
   */
  readonly order?: VertexOrder;
}

const SPARSE_HESSIAN_OPTIONS: OptionsSpec<SparseHessianOptions> = {
  checkFinite: option.boolean(),
  maxNodes: option.integer({ min: 1 }),
  order: option.literal('smallest-last', 'largest-first', 'natural'),
};

/**
 * A symmetric sparse matrix as coordinate lists: entry k is `values[k]` at (`rows[k]`, `cols[k]`).
 * Both triangles are listed (the diagonal once), sorted by row, then column.
 *
 * @example
 * ```ts
 * const { n, rows, cols, values } = sparseHessian(f, x);
 * const dense = new Float64Array(n * n);
 * rows.forEach((r, k) => (dense[r * n + cols[k]] = values[k]));
 * ```
 */
export interface SparseHessian {
  /** The number of parameters (the length of flatten(x)): the matrix is n×n. */
  readonly n: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float64Array;
  /** Colors of the star coloring: at most this many Hessian-vector products were computed. */
  readonly colors: number;
}

/**
 * The Hessian of a scalar f at x over the flattened parameters, as its nonzeros. The sparsity
 * pattern comes from the recorded tape (which inputs each nonlinear op multiplies together), so it
 * holds every entry that can be nonzero wherever f takes the same path; an entry of the pattern may
 * still be 0 at this x. The values are exact (the same products as {@link hessian}), from one
 * Hessian-vector product per color of a star coloring of the pattern: n = 10⁵ with a banded
 * Hessian costs a few products, where `hessian` costs n.
 *
 * f is called twice (once to find the pattern, once for the products), so it must take the same
 * path both times. Call it at top level: inside another transform's f it throws
 * {@link NestedTransformError} (use {@link hessian} there).
 *
 * @example
 * ```ts
 * // Extended Rosenbrock: 2×2 blocks on the diagonal, two colors whatever n is.
 * const rosenbrock = (x: Tensor) => {
 *   const a = x.slice(0, null, 0, 2), b = x.slice(1, null, 0, 2);
 *   return b.sub(a.square()).square().mul(100).add(a.neg().add(1).square()).sum();
 * };
 * const H = sparseHessian(rosenbrock, new Float64Array(10_000).fill(0.5));
 * // H.colors = 2; H.rows, H.cols, H.values: the 3·10⁴ nonzeros, both triangles
 * ```
 */
export function sparseHessian<T extends Pytree>(f: Differentiable<T>, x: T, options: SparseHessianOptions = {}): SparseHessian {
  noExtraArguments('sparseHessian', arguments, 3, 'sparseHessian(f, x, options)');
  checkFunction('sparseHessian', f);
  const { order = 'smallest-last', ...transformOptions } = checkOptions('sparseHessian', options, SPARSE_HESSIAN_OPTIONS);
  if (recordingTape() !== undefined) {
    throw new NestedTransformError(
      'sparseHessian: called inside the function of another transform, where its result would have to be nodes; ' +
        'call it at top level, or use hessian, which nests',
    );
  }
  const pattern = patternOf(f, x, transformOptions);
  const coloring = starColoring(pattern, order);
  const plan = recoveryPlan(pattern, coloring);
  let values: Float64Array = new Float64Array(0);
  if (plan.color.length > 0) {
    const products = colorProducts(f, x, coloring, transformOptions);
    try {
      values = recoverValues(plan, coloring.colors, products.product);
    } finally {
      products.done();
    }
  }
  return { n: pattern.n, rows: rowsOf(pattern), cols: pattern.cols, values, colors: coloring.colors };
}

/** The pattern of f's Hessian at x, from one recording. */
function patternOf(f: (x: never) => unknown, x: Pytree, options: TransformOptions): SymmetricPattern {
  const rec = record('sparseHessian', scalarValued(f), x, null, options);
  try {
    const out = scalarOutput(rec);
    const n = rec.leaves.reduce((total, leaf) => total + (rec.tape.isTensor(leaf.id) ? rec.tape.tensorAt(leaf.id).size : 1), 0);
    if (out === null) return { n, rowStart: new Int32Array(n + 1), cols: new Int32Array(0) };
    return hessianPattern(rec.tape, rec.leaves, out.id);
  } finally {
    release(rec);
  }
}

/**
 * H·d_c, d_c the indicator of color c, from one recording at x: the colors in blocks of
 * {@link DEFAULT_HESSIAN_LANES}, each block's products by one tangent sweep and one reverse sweep
 * carrying its indicators as tangent lanes (one block of products held at a time). `done` ends the
 * recording.
 */
function colorProducts(
  f: (x: never) => unknown, x: Pytree, { colorOf, colors }: Coloring, options: TransformOptions,
): { product: (c: number) => Float64Array; done: () => void } {
  const H = hvpOperator(f as Differentiable<Pytree>, x, options);
  const n = colorOf.length;
  const block = Math.min(DEFAULT_HESSIAN_LANES, colors);
  const D = new Float64Array(block * n), HD = new Float64Array(block * n);
  let first = -1;
  return {
    product(c) {
      if (first < 0 || c < first || c >= first + block) {
        first = c - (c % block);
        const k = Math.min(block, colors - first);
        D.fill(0);
        for (let v = 0; v < n; v++) {
          const j = colorOf[v] - first;
          if (j >= 0 && j < k) D[j * n + v] = 1;
        }
        applyRows(H, D.subarray(0, k * n), k, HD.subarray(0, k * n));
      }
      return HD.subarray((c - first) * n, (c - first + 1) * n);
    },
    done: () => releaseOperator(H),
  };
}

function rowsOf({ n, rowStart }: SymmetricPattern): Int32Array {
  const rows = new Int32Array(rowStart[n]);
  for (let r = 0; r < n; r++) rows.fill(r, rowStart[r], rowStart[r + 1]);
  return rows;
}
