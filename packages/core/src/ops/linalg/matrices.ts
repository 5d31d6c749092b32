// Stacks of matrices, shape [...batch, rows, cols], as the linear-algebra ops and their rules see
// them: shape checks, and the algebra-level pieces the rules are written with (products of stacks,
// transposes of the last two axes, triangle masks, sums over each matrix). Everything here computes
// through the algebra `o`, so a rule built from it runs on numbers at top level and records ops when
// nested.
import type { Algebra, Value } from '../../algebra/algebra.js';
import { ShapeError } from '../../errors.js';
import { Tensor } from '../../node.js';
import { broadcastShapes, formatShape, sameShape, sizeOf, type Shape } from '../../shape.js';
import { batchedProductPrimitive, productIn } from '../batched-product.js';
import { broadcastTo } from '../broadcast-to.js';
import { matmulOp } from '../matmul.js';
import { reshape } from '../reshape.js';

/** A stack of n×n matrices: its batch shape, n, and how many matrices. */
export interface SquareStack {
  readonly batch: Shape;
  readonly n: number;
  readonly count: number;
}

/** The stack view of a shape [..., n, n], or a ShapeError naming the op and the shape. */
export function squareStack(shape: Shape, opName: string, what = 'the matrix'): SquareStack {
  const r = shape.length;
  if (r < 2 || shape[r - 1] !== shape[r - 2]) {
    throw new ShapeError(
      `${opName}: ${what} has shape ${formatShape(shape)}; expected a square matrix [n, n] or a stack of them [..., n, n]`,
    );
  }
  const batch = shape.slice(0, r - 2);
  return { batch, n: shape[r - 1], count: sizeOf(batch) };
}

/** The shape with its last two axes swapped. */
export function swappedShape(shape: Shape): Shape {
  const r = shape.length;
  return [...shape.slice(0, r - 2), shape[r - 1], shape[r - 2]];
}

/** The permutation that swaps the last two of `rank` axes. */
export function lastTwoSwapped(rank: number): number[] {
  return Array.from({ length: rank }, (_, k) => (k === rank - 2 ? rank - 1 : k === rank - 1 ? rank - 2 : k));
}

/** x with its last two axes swapped (each matrix transposed). */
export function swapLast(o: Algebra, x: Value, shape: Shape): Value {
  if (typeof x === 'number') return x;
  return o.transpose(x, shape, lastTwoSwapped(shape.length));
}

/** The batched product as rules reach it: the gemm kernels per matrix on numbers, matmul on nodes. */
const BATCHED_PRODUCT = batchedProductPrimitive((a, b, ta, tb) => matmulOp(a, b, ta, tb, true));

/**
 * op(X)·op(Y) matrix by matrix, for two stacks with the same batch shape (op transposes when `tx`,
 * `ty`): the algebra's matmul for a single matrix, matmul's batched product for a stack.
 */
export function stackProduct(o: Algebra, x: Value, xs: Shape, tx: boolean, y: Value, ys: Shape, ty: boolean): Value {
  if (x === 0 || y === 0) return 0;
  const r = xs.length;
  const batch = xs.slice(0, r - 2);
  const m = tx ? xs[r - 1] : xs[r - 2], k = tx ? xs[r - 2] : xs[r - 1], n = ty ? ys[r - 2] : ys[r - 1];
  // An empty result, or an empty inner dimension (a sum of nothing), is zero.
  if (sizeOf(batch) === 0 || m === 0 || n === 0 || k === 0) return 0;
  return productIn(o, BATCHED_PRODUCT, x, xs, tx, y, ys, ty, batch);
}

/**
 * A constant 0/1 (or ½ on the diagonal) mask of a stack's shape: `lower` keeps i ≥ j, else i ≤ j;
 * `diagonal` is the weight on the diagonal.
 */
export function triangleMask(o: Algebra, shape: Shape, lower: boolean, diagonal = 1): Value {
  const r = shape.length;
  const n = shape[r - 1], m = shape[r - 2];
  const data = new Float64Array(sizeOf(shape));
  for (let b = 0; b < data.length; b += n * m) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) data[b + i * n + j] = diagonal;
        else if (lower ? i > j : i < j) data[b + i * n + j] = 1;
      }
    }
  }
  return o.constant(data, shape);
}

/** x with everything outside its lower (or upper) triangle set to 0. */
export function triangle(o: Algebra, x: Value, shape: Shape, lower: boolean): Value {
  return x === 0 ? 0 : o.mul(x, triangleMask(o, shape, lower));
}

/** (x + xᵀ)/2 of each matrix. */
export function symmetricPart(o: Algebra, x: Value, shape: Shape): Value {
  return x === 0 ? 0 : o.mul(o.add(x, swapLast(o, x, shape)), 0.5);
}

/**
 * Σ of each matrix's elements, as a value of the batch shape — or a scalar when `scalar` (the op
 * returned a scalar node for a single matrix).
 */
export function sumMatrices(o: Algebra, x: Value, shape: Shape, scalar: boolean): Value {
  if (x === 0) return 0;
  const batch = shape.slice(0, -2);
  const kept: Shape = [...batch, 1, 1];
  const s = o.sumTo(x, shape, kept);
  return scalar ? o.demote(o.reshape(s, kept, [])) : o.reshape(s, kept, batch);
}

/** c, one value per matrix (batch shape, or a scalar when `scalar`), spread over each matrix of `shape`. */
export function perMatrix(o: Algebra, c: Value, shape: Shape, scalar: boolean): Value {
  if (typeof c === 'number') return c;
  const batch = shape.slice(0, -2);
  const kept: Shape = [...batch, 1, 1];
  return o.broadcastTo(o.reshape(scalar ? o.promote(c) : c, scalar ? [] : batch, kept), kept, shape);
}

/**
 * The operands of A·X = B as the core ops take them: B a stack of n×m right-hand sides with A's batch
 * shape. A 1-D b is one vector (a column, as NumPy 2 reads it); batch dimensions broadcast (NumPy
 * rules). Returns the operands and how to turn the core op's result back into the caller's shape.
 */
export function linearSystem(a: Tensor, b: Tensor, opName: string): { A: Tensor; B: Tensor; restore: (x: Tensor) => Tensor } {
  const { n } = squareStack(a.shape, opName);
  const vector = b.shape.length === 1;
  const rows = vector ? b.shape[0] : b.shape.length >= 2 ? b.shape[b.shape.length - 2] : -1;
  if (rows !== n) {
    throw new ShapeError(
      `${opName}: the matrix has shape ${formatShape(a.shape)} and the right-hand side ${formatShape(b.shape)}; ` +
        `the right-hand side must be a vector [${n}] or a matrix (or stack) [..., ${n}, k]`,
    );
  }
  const b2 = vector ? reshape(b, [n, 1]) : b;
  const aBatch = a.shape.slice(0, -2), bBatch = b2.shape.slice(0, -2);
  const batch = sameShape(aBatch, bBatch) ? aBatch : broadcastBatch(aBatch, bBatch, a.shape, b.shape, opName);
  const A = sameShape(aBatch, batch) ? a : broadcastTo(a, [...batch, n, n]);
  const B = sameShape(bBatch, batch) ? b2 : broadcastTo(b2, [...batch, n, b2.shape[b2.shape.length - 1]]);
  const restore = (x: Tensor) => (vector ? reshape(x, [...batch, n]) : x);
  return { A, B, restore };
}

function broadcastBatch(aBatch: Shape, bBatch: Shape, aShape: Shape, bShape: Shape, opName: string): Shape {
  try {
    return broadcastShapes(aBatch, bBatch, opName);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e; // a batch too large to hold is an ArgumentError saying so
    throw new ShapeError(
      `${opName}: the batch dimensions of the matrix ${formatShape(aShape)} and of the right-hand side ` +
        `${formatShape(bShape)} cannot be broadcast together (NumPy rules, over all but the last two axes)`,
    );
  }
}
