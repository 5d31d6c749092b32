// C = op(A)·op(B), op(X) = X or Xᵀ, for matrices (a 1-D operand is a row or a column vector).
//   R{C} = op(R{A})·op(B) + op(A)·op(R{B})
//   for C = A·B:  (Ā, R{Ā}) += (C̄, R{C̄})·(B, R{B})ᵀ   i.e.  Ā += C̄·Bᵀ,  R{Ā} += R{C̄}·Bᵀ + C̄·R{B}ᵀ
//                 (B̄, R{B̄}) += (A, R{A})ᵀ·(C̄, R{C̄})   i.e.  B̄ += Aᵀ·C̄,  R{B̄} += R{A}ᵀ·C̄ + Aᵀ·R{C̄}
//   and the same with transposes moved about when A or B is read transposed.
// The C̄·R{B}ᵀ and R{A}ᵀ·C̄ terms are the matrix form of PRML's δ_k·R{z_j}: drop them and H·v is wrong.
// A constant operand (the data X) gets no adjoint, so no product is spent on it.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ShapeError } from '../errors.js';
import { gemmAB } from '../kernels/backend.js';
import { Tensor, newTensor, type ArrayData } from '../node.js';
import { tapeOfArguments, tensorOperand } from '../elementwise/operands.js';
import { formatShape, type Shape } from '../shape.js';
import { registerRule, type OpRule } from '../tape.js';

interface Spec {
  /** The operands and the product as matrices (a vector operand as a row or a column). */
  readonly a: Shape;
  readonly b: Shape;
  readonly c: Shape;
  readonly ta: boolean;
  readonly tb: boolean;
}

/** op(A)·op(B) of two lanes in the algebra, reshaped to the product's own shape. */
function product(o: Algebra, A: Value, B: Value, s: Spec, cShape: Shape, ta = s.ta, tb = s.tb): Value {
  if (A === 0 || B === 0) return 0;
  return o.reshape(o.matmul(A, s.a, B, s.b, ta, tb), s.c, cShape);
}

const rule: OpRule = {
  name: 'matmul',
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const s = t.saved.get(i) as Spec;
    const cShape = t.tensorAt(i).shape;
    L.setDot(i, o.add(product(o, L.dot(a), L.val(b), s, cShape), product(o, L.val(a), L.dot(b), s, cShape)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const s = t.saved.get(i) as Spec;
    const g = o.reshape(L.bar(i), t.tensorAt(i).shape, s.c);
    const gDot = L.sweepBarDot ? o.reshape(L.barDot(i), t.tensorAt(i).shape, s.c) : 0;
    if (g === 0 && gDot === 0) return;
    if (L.isActive(a)) {
      // ∂/∂A of op(A)·op(B) contracted with G, as a product of G and B in the right orientation.
      const aAdj = (G: Value, B: Value): Value => {
        if (G === 0 || B === 0) return 0;
        if (!s.ta) return o.reshape(o.matmul(G, s.c, B, s.b, false, !s.tb), [s.c[0], s.tb ? s.b[1] : s.b[0]], aShape);
        return o.reshape(o.matmul(B, s.b, G, s.c, s.tb, true), [s.tb ? s.b[1] : s.b[0], s.c[0]], aShape);
      };
      const aShape = t.tensorAt(a).shape;
      if (L.sweepBar) L.addBar(a, aAdj(g, L.val(b)));
      if (L.sweepBarDot) L.addBarDot(a, o.add(aAdj(gDot, L.val(b)), aAdj(g, L.dot(b))));
    }
    if (L.isActive(b)) {
      const bAdj = (G: Value, A: Value): Value => {
        if (G === 0 || A === 0) return 0;
        if (!s.tb) return o.reshape(o.matmul(A, s.a, G, s.c, !s.ta, false), [s.ta ? s.a[0] : s.a[1], s.c[1]], bShape);
        return o.reshape(o.matmul(G, s.c, A, s.a, true, s.ta), [s.c[1], s.ta ? s.a[0] : s.a[1]], bShape);
      };
      const bShape = t.tensorAt(b).shape;
      if (L.sweepBar) L.addBar(b, bAdj(g, L.val(a)));
      if (L.sweepBarDot) L.addBarDot(b, o.add(bAdj(gDot, L.val(a)), bAdj(g, L.dot(a))));
    }
  },
};
const MATMUL = registerRule(rule);

/**
 * Matrix product. Shapes: [m,k]·[k,n] → [m,n]; [m,k]·[k] → [m]; [k]·[k,n] → [n]. (For two vectors
 * use {@link dot}.)
 * @example `matmul(X, W)`, `X.matmul(W.transpose())`
 */
export function matmul(a: Tensor | ArrayData, b: Tensor | ArrayData): Tensor {
  return matmulOp(a, b, false, false, false);
}

/**
 * op(a)·op(b) with either operand read transposed, without forming the transpose; with
 * `structuralZeros` an exact zero factor gives 0 even against ±∞ or NaN, as products in rules do.
 * For rules and the nodes algebra, not exported from the package. @internal
 */
export function matmulOp(aIn: Tensor | ArrayData, bIn: Tensor | ArrayData, ta: boolean, tb: boolean, structuralZeros: boolean): Tensor {
  const t = tapeOfArguments([aIn, bIn], 'matmul');
  const a = tensorOperand(aIn, t, 'matmul', 'first operand');
  const b = tensorOperand(bIn, t, 'matmul', 'second operand');
  const { spec, shape } = matmulSpec(a.shape, b.shape, ta, tb);
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  let data: Float64Array;
  if (structuralZeros) data = t.o.matmul(a.data, spec.a, b.data, spec.b, ta, tb) as Float64Array;
  else if (!ta && !tb) {
    data = new Float64Array(spec.c[0] * spec.c[1]);
    gemmAB(a.data, b.data, data, spec.c[0], spec.c[1], spec.a[1], false);
  } else {
    data = ieeeProduct(a.data, b.data, spec);
  }
  const c = newTensor(t, MATMUL, a.id, b.id, active, shape, data, null);
  t.saved.set(c.id, spec);
  if (active && t.withTangent) rule.tangent(t.o, t, c.id);
  return c;
}

/** op(A)·op(B) with IEEE products, for the rare transposed primal that is not a rule's. */
function ieeeProduct(A: Float64Array, B: Float64Array, s: Spec): Float64Array {
  const [m, n] = s.c;
  const k = s.ta ? s.a[0] : s.a[1];
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += (s.ta ? A[l * m + i] : A[i * k + l]) * (s.tb ? B[j * k + l] : B[l * n + j]);
      C[i * n + j] = sum;
    }
  }
  return C;
}

function matmulSpec(as: Shape, bs: Shape, ta: boolean, tb: boolean): { spec: Spec; shape: Shape } {
  const fail = () =>
    new ShapeError(`matmul: shapes ${formatShape(as)} and ${formatShape(bs)} do not chain (inner dimensions must match; operands must be 1-D or 2-D)`);
  if (as.length < 1 || as.length > 2 || bs.length < 1 || bs.length > 2) throw fail();
  if (as.length === 1 && bs.length === 1) {
    throw new ShapeError(`matmul: shapes ${formatShape(as)} and ${formatShape(bs)} are two vectors; use dot(a, b) for their inner product`);
  }
  // A vector on the left is a row, on the right a column (before any transposition).
  const a2: Shape = as.length === 2 ? as : [1, as[0]];
  const b2: Shape = bs.length === 2 ? bs : [bs[0], 1];
  const m = ta ? a2[1] : a2[0], k = ta ? a2[0] : a2[1];
  const kb = tb ? b2[1] : b2[0], n = tb ? b2[0] : b2[1];
  if (k !== kb) throw fail();
  const shape: number[] = [];
  if (as.length === 2) shape.push(m);
  if (bs.length === 2) shape.push(n);
  return { spec: { a: a2, b: b2, c: [m, n], ta, tb }, shape };
}
