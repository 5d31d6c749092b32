// C = op(A)·op(B) over broadcast batch dimensions: the product behind N-D matmul and its rules.
// Shapes are [...batch, rows, cols]; batch dimensions broadcast as in NumPy, and the result may be
// summed over batch dimensions on the spot (`outBatch`), which is what an adjoint needs when an
// operand was broadcast along the batch: Σᵢ op(Aᵢ)·op(Bᵢ) accumulated into one matrix, never a
// stack of matrices summed afterwards.
//
// On numbers every product runs on the matrix kernels (gemm), with two folds that turn a batch into
// one large product: a batched A times an unbatched B stacks A's rows ([P·m, k]·[k, n]), and
// Σᵢ Aᵢᵀ·Bᵢ reads the stacked batches as one contraction ([P·k, m]ᵀ·[P·k, n]) — the weight adjoint
// of a batched layer. Products in rules keep structural zeros (0·∞ = 0, counted for strict mode) by
// going through the tape's algebra when an operand holds a non-finite number.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { NumberAlgebra, materialize } from '../algebra/numbers.js';
import { unfilled } from '../algebra/unfilled.js';
import { promote } from '../elementwise/operands.js';
import { gemm } from '../kernels/backend.js';
import { Tensor, constantTensor, type Node } from '../node.js';
import { broadcastMap, broadcastShapes, sameShape, sizeOf, type Shape } from '../shape.js';
import { reshape } from './reshape.js';

/** What a batched product needs besides its operands. */
export interface BatchedParams {
  /** Read A (B) transposed in its last two dimensions. */
  readonly ta: boolean;
  readonly tb: boolean;
  /**
   * The result's batch shape: the operands' broadcast batch shape, or a shape that broadcasts to it
   * (the result is then summed over the dimensions it lacks, as `sumTo` does).
   */
  readonly outBatch: Shape;
  /**
   * The algebra the product runs in. On numbers it decides structural zeros: with the tape's
   * NumberAlgebra an exact 0 times ±∞ or NaN is 0, as in every rule's products (and counted); with
   * null the product is plain IEEE arithmetic, as a primal matmul is.
   */
  readonly o: Algebra | null;
}

/** The dimensions of a batched product, from the operands' shapes (each at least 2-D). */
export interface BatchedGeometry {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: Shape;
}

/** m, n, k and the broadcast batch shape; assumes the caller validated the shapes. */
export function batchedGeometry(aShape: Shape, bShape: Shape, ta: boolean, tb: boolean): BatchedGeometry {
  const ar = aShape.length, br = bShape.length;
  const m = ta ? aShape[ar - 1] : aShape[ar - 2];
  const k = ta ? aShape[ar - 2] : aShape[ar - 1];
  const n = tb ? bShape[br - 2] : bShape[br - 1];
  return { m, n, k, batch: broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2), 'matmul') };
}

function hasNonFinite(xs: Float64Array): boolean {
  for (let k = 0; k < xs.length; k++) if (xs[k] - xs[k] !== 0) return true;
  return false;
}

/** The numeric product (see the module comment). Operands are numbers (constants) or data. */
export function batchedProductNumbers(
  a: number | Float64Array, aShape: Shape, b: number | Float64Array, bShape: Shape, p: BatchedParams,
): Float64Array {
  const A = materialize(a, aShape), B = materialize(b, bShape);
  const { m, n, k, batch } = batchedGeometry(aShape, bShape, p.ta, p.tb);
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const P = sizeOf(batch), outP = sizeOf(p.outBatch);
  const size = outP * m * n;
  if (size === 0 || P === 0) return new Float64Array(size);
  const zeros = p.o instanceof NumberAlgebra && (hasNonFinite(A) || hasNonFinite(B)) ? p.o : null;
  const aFull = sameShape(aBatch, batch), bFull = sameShape(bBatch, batch), outFull = sameShape(p.outBatch, batch);
  if (zeros === null) {
    // Batched A times unbatched B: stack A's rows into one product (which writes all of C).
    if (!p.ta && aFull && outFull && sizeOf(bBatch) === 1) {
      const C = unfilled(size);
      gemm(A, false, B, p.tb, C, P * m, n, k, false);
      return C;
    }
    // Σᵢ Aᵢᵀ·Bᵢ over the whole batch: one contraction over the stacked batches (all of C written).
    if (p.ta && !p.tb && aFull && bFull && outP === 1) {
      const C = unfilled(size);
      gemm(A, true, B, false, C, m, n, P * k, false);
      return C;
    }
  }
  // Products per batch element, added up where the output broadcasts: C starts at zero.
  const C = new Float64Array(size);
  const aMap = broadcastMap(aBatch, batch), bMap = broadcastMap(bBatch, batch), cMap = broadcastMap(p.outBatch, batch);
  const accumulate = outP < P;
  const aSize = m * k, bSize = k * n, cSize = m * n;
  for (let f = 0; f < P; f++) {
    const ai = (aMap ? aMap[f] : f) * aSize, bi = (bMap ? bMap[f] : f) * bSize, ci = (cMap ? cMap[f] : f) * cSize;
    const Ai = A.subarray(ai, ai + aSize), Bi = B.subarray(bi, bi + bSize), Ci = C.subarray(ci, ci + cSize);
    if (zeros === null) {
      gemm(Ai, p.ta, Bi, p.tb, Ci, m, n, k, accumulate);
    } else {
      const aMat: Shape = p.ta ? [k, m] : [m, k], bMat: Shape = p.tb ? [n, k] : [k, n];
      const part = zeros.matmul(Ai, aMat, Bi, bMat, p.ta, p.tb) as Float64Array;
      for (let e = 0; e < cSize; e++) Ci[e] += part[e];
    }
  }
  return C;
}

/**
 * The batched product as the rules reach it through the algebra: the kernel above on numbers, the
 * matmul op itself (then a sum over the reduced batch dimensions) on nodes, so a nested sweep records
 * it and differentiates it again.
 */
export function batchedProductPrimitive(matmulNodes: (a: Tensor, b: Tensor, ta: boolean, tb: boolean) => Tensor): Primitive<BatchedParams> {
  return {
    name: 'batchedMatmul',
    numbers: (args, shapes, p) => batchedProductNumbers(args[0], shapes[0], args[1], shapes[1], p),
    nodes(args, shapes, p) {
      const tape = (args[0] instanceof Tensor ? args[0] : (args[1] as Node)).tape;
      // Lanes hold an operand in its own shape (a vector stays 1-D); the product reads it as `shape`.
      const asTensor = (x: Node | number, shape: Shape): Tensor => {
        if (typeof x === 'number') return constantTensor(tape, new Float64Array(sizeOf(shape)).fill(x), shape);
        const t = x instanceof Tensor ? x : promote(x);
        return sameShape(t.shape, shape) ? t : reshape(t, shape);
      };
      const c = matmulNodes(asTensor(args[0], shapes[0]), asTensor(args[1], shapes[1]), p.ta, p.tb);
      const { m, n, batch } = batchedGeometry(shapes[0], shapes[1], p.ta, p.tb);
      if (sameShape(batch, p.outBatch) || p.o === null) return c;
      return p.o.sumTo(c, [...batch, m, n], [...p.outBatch, m, n]) as Node | number;
    },
  };
}

/** op(X)·op(Y) in the algebra: the algebra's own matmul for matrices, the batched primitive otherwise. */
export function productIn(
  o: Algebra, prim: Primitive<BatchedParams>,
  X: Value, xShape: Shape, tx: boolean, Y: Value, yShape: Shape, ty: boolean, outBatch: Shape,
): Value {
  if (X === 0 || Y === 0) return 0;
  if (xShape.length === 2 && yShape.length === 2) return o.matmul(X, xShape, Y, yShape, tx, ty);
  return o.apply(prim, [X, Y], [xShape, yShape], { ta: tx, tb: ty, outBatch, o });
}
