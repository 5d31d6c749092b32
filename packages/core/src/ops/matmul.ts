// C = A·B for A of shape [m,k] and B of shape [k,n] (a 1-D operand is a row or a column vector).
//   R{C} = R{A}·B + A·R{B}
//   (Ā, R{Ā}) += (C̄, R{C̄})·(B, R{B})ᵀ   i.e.  Ā += C̄·Bᵀ,  R{Ā} += R{C̄}·Bᵀ + C̄·R{B}ᵀ
//   (B̄, R{B̄}) += (A, R{A})ᵀ·(C̄, R{C̄})   i.e.  B̄ += Aᵀ·C̄,  R{B̄} += R{A}ᵀ·C̄ + Aᵀ·R{C̄}
// The C̄·R{B}ᵀ and R{A}ᵀ·C̄ terms are the matrix form of PRML's δ_k·R{z_j}: drop them and H·v is wrong.
// A constant operand (the data X) gets no adjoint, so no product is spent on it.
import { ShapeError } from '../errors.js';
import { gemmAB, gemmABt, gemmAtB } from '../kernels/backend.js';
import { Tensor, newTensor } from '../node.js';
import { formatShape, type Shape } from '../shape.js';
import { commonTape, registerRule } from '../tape.js';

interface Dims {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

const MATMUL = registerRule({
  name: 'matmul',
  tangent(t, i) {
    const c = t.tensorAt(i);
    c.dataDot = tangentOf(t.tensorAt(t.in0[i]), t.tensorAt(t.in1[i]), t.saved.get(i) as Dims);
  },
  backward(t, i) {
    const c = t.tensorAt(i);
    const { bar: cBar, barDot: cBarDot } = c;
    if (!cBar && !cBarDot) return;
    const a = t.tensorAt(t.in0[i]);
    const b = t.tensorAt(t.in1[i]);
    const { m, k, n } = t.saved.get(i) as Dims;
    if (t.active[a.id] === 1) {
      if (t.sweepBar && cBar) gemmABt(cBar, b.data, (a.bar ??= new Float64Array(a.size)), m, k, n, true);
      if (t.sweepBarDot && (cBarDot || (cBar && b.dataDot))) {
        const aBarDot = (a.barDot ??= new Float64Array(a.size));
        if (cBarDot) gemmABt(cBarDot, b.data, aBarDot, m, k, n, true);
        if (cBar && b.dataDot) gemmABt(cBar, b.dataDot, aBarDot, m, k, n, true);
      }
    }
    if (t.active[b.id] === 1) {
      if (t.sweepBar && cBar) gemmAtB(a.data, cBar, (b.bar ??= new Float64Array(b.size)), k, n, m, true);
      if (t.sweepBarDot && (cBarDot || (cBar && a.dataDot))) {
        const bBarDot = (b.barDot ??= new Float64Array(b.size));
        if (cBarDot) gemmAtB(a.data, cBarDot, bBarDot, k, n, m, true);
        if (cBar && a.dataDot) gemmAtB(a.dataDot, cBar, bBarDot, k, n, m, true);
      }
    }
  },
});

function tangentOf(a: Tensor, b: Tensor, { m, k, n }: Dims): Float64Array | null {
  if (!a.dataDot && !b.dataDot) return null;
  const cDot = new Float64Array(m * n);
  if (a.dataDot) gemmAB(a.dataDot, b.data, cDot, m, n, k, true);
  if (b.dataDot) gemmAB(a.data, b.dataDot, cDot, m, n, k, true);
  return cDot;
}

/**
 * Matrix product. Shapes: [m,k]·[k,n] → [m,n]; [m,k]·[k] → [m]; [k]·[k,n] → [n]. (For two vectors
 * use {@link dot}.)
 * @example `matmul(X, W)`, `X.matmul(W.transpose())`
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const t = commonTape(a.tape, b.tape, 'matmul');
  const { dims, shape } = matmulDims(a.shape, b.shape);
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const data = new Float64Array(dims.m * dims.n);
  gemmAB(a.data, b.data, data, dims.m, dims.n, dims.k, false);
  const c = newTensor(t, MATMUL, a.id, b.id, active, shape, data, null);
  t.saved.set(c.id, dims);
  if (active && t.withTangent) c.dataDot = tangentOf(a, b, dims);
  return c;
}

function matmulDims(as: Shape, bs: Shape): { dims: Dims; shape: Shape } {
  const fail = () =>
    new ShapeError(`matmul: shapes ${formatShape(as)} and ${formatShape(bs)} do not chain (inner dimensions must match; operands must be 1-D or 2-D)`);
  if (as.length < 1 || as.length > 2 || bs.length < 1 || bs.length > 2) throw fail();
  if (as.length === 1 && bs.length === 1) {
    throw new ShapeError(`matmul: shapes ${formatShape(as)} and ${formatShape(bs)} are two vectors; use dot(a, b) for their inner product`);
  }
  const m = as.length === 2 ? as[0] : 1;
  const k = as[as.length - 1];
  const kb = bs[0];
  const n = bs.length === 2 ? bs[1] : 1;
  if (k !== kb) throw fail();
  const shape: number[] = [];
  if (as.length === 2) shape.push(m);
  if (bs.length === 2) shape.push(n);
  return { dims: { m, k, n }, shape };
}

