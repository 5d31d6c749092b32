// C = op(A)·op(B), op(X) = X or Xᵀ in the last two dimensions, over broadcast batch dimensions
// (NumPy's matmul: a 1-D left operand is a row, a 1-D right operand a column, and that dimension is
// dropped from the result).
//   R{C} = op(R{A})·op(B) + op(A)·op(R{B})
//   for C = A·B:  (Ā, R{Ā}) += (C̄, R{C̄})·(B, R{B})ᵀ   i.e.  Ā += C̄·Bᵀ,  R{Ā} += R{C̄}·Bᵀ + C̄·R{B}ᵀ
//                 (B̄, R{B̄}) += (A, R{A})ᵀ·(C̄, R{C̄})   i.e.  B̄ += Aᵀ·C̄,  R{B̄} += R{A}ᵀ·C̄ + Aᵀ·R{C̄}
//   and the same with transposes moved about when A or B is read transposed. An operand broadcast
//   along the batch gets its adjoint summed over the batch (accumulated, never stacked).
// The C̄·R{B}ᵀ and R{A}ᵀ·C̄ terms are the matrix form of PRML's δ_k·R{z_j}: drop them and H·v is wrong.
// A constant operand (the data X) gets no adjoint, so no product is spent on it.
// C's value and tangent are one kernel job (gemmBatch), and so are the operands' adjoint lanes: an
// operand that several products read is copied into the kernels' memory once, and the threads are
// forked and joined once; the numbers are those of the products one by one, bit for bit.
import type { Algebra, ProductTerm, Value } from '../algebra/algebra.js';
import { unfilled } from '../algebra/unfilled.js';
import { ShapeError } from '../errors.js';
import { fresh, hasNaN, NumberAlgebra } from '../algebra/numbers.js';
import { gemmAB, gemmBatch, lastProductMayHoldNaN, type GemmTerm } from '../kernels/backend.js';
import { Tensor, newTensor, type ArrayData } from '../node.js';
import { tapeOfArguments, tensorOperand } from '../elementwise/operands.js';
import { broadcastShapes, checkedSize, formatShape, type Shape } from '../shape.js';
import type { Lanes } from '../lanes.js';
import { registerRule, type OpRule, type Tape } from '../tape.js';
import { batchedProductNumbers, batchedProductPrimitive, productIn } from './batched-product.js';
import { readThroughTranspose } from './transpose.js';
import { noExtraArguments } from './op-args.js';

interface Spec {
  /** The operands and the product with vectors promoted to matrices, batch dimensions kept. */
  readonly a: Shape;
  readonly b: Shape;
  readonly c: Shape;
  readonly ta: boolean;
  readonly tb: boolean;
  /** Products with structural zeros (a rule's product, recorded by a nested transform), else IEEE. */
  readonly zeros?: boolean;
}

const BATCHED = batchedProductPrimitive((a, b, ta, tb) => matmulOp(a, b, ta, tb, true));

const batchOf = (s: Shape): Shape => s.slice(0, -2);

/**
 * Σ op(Xᵢ)·op(Yᵢ) over the terms (lanes in the algebra), summed to `out`'s batch and reshaped to
 * `shape`. Two or more matrix terms are one matmulSum (on numbers one kernel call, no array per
 * term); batched terms are products added up.
 */
function products(o: Algebra, terms: readonly ProductTerm[], out: Shape, shape: Shape): Value {
  const live = terms.filter((t) => t.a !== 0 && t.b !== 0);
  if (live.length === 0) return 0;
  if (live.length > 1 && live.every((t) => t.aShape.length === 2 && t.bShape.length === 2)) {
    return o.reshape(o.matmulSum(live), out, shape);
  }
  let sum: Value = 0;
  for (const t of live) {
    const p = o.reshape(productIn(o, BATCHED, t.a, t.aShape, t.ta, t.b, t.bShape, t.tb, batchOf(out)), out, shape);
    sum = sum === 0 ? p : o.add(sum, p);
  }
  return sum;
}

/** The term op(A)·op(B) of C's tangent, for operand lanes A and B (one of them a tangent). */
function term(s: Spec, A: Value, B: Value): ProductTerm {
  return { a: A, aShape: s.a, ta: s.ta, b: B, bShape: s.b, tb: s.tb };
}

/** ∂/∂A of op(A)·op(B) contracted with G: a product of G and B in the right orientation. */
function aTerm(s: Spec, G: Value, B: Value): ProductTerm {
  return s.ta
    ? { a: B, aShape: s.b, ta: s.tb, b: G, bShape: s.c, tb: true }
    : { a: G, aShape: s.c, ta: false, b: B, bShape: s.b, tb: !s.tb };
}

/** ∂/∂B of op(A)·op(B) contracted with G: a product of A and G in the right orientation. */
function bTerm(s: Spec, G: Value, A: Value): ProductTerm {
  return s.tb
    ? { a: G, aShape: s.c, ta: true, b: A, bShape: s.a, tb: s.ta }
    : { a: A, aShape: s.a, ta: !s.ta, b: G, bShape: s.c, tb: false };
}

/** One adjoint lane's sum of products, the shapes it is read in and has, and where it goes. */
interface Lane {
  readonly terms: readonly ProductTerm[];
  readonly flat: Shape;
  readonly shape: Shape;
  readonly add: (v: Value) => void;
}

/**
 * Operand x's adjoint lanes, x̄ += side(G, Y) and R{x̄} += side(R{G}, Y) + side(G, R{Y}), where Y is
 * the other operand and `side` orients the products for x (aTerm or bTerm); `flat` is x's shape as
 * the products read it, `shape` its own.
 */
function lanesOf(L: Lanes, x: number, flat: Shape, shape: Shape, side: (G: Value, Y: Value) => ProductTerm, other: number, g: Value, gDot: Value): Lane[] {
  const lanes: Lane[] = [];
  if (L.sweepBar) lanes.push({ terms: [side(g, L.val(other))], flat, shape, add: (v) => L.addBar(x, v) });
  if (L.sweepBarDot) lanes.push({ terms: [side(gDot, L.val(other)), side(g, L.dot(other))], flat, shape, add: (v) => L.addBarDot(x, v) });
  return lanes;
}

const rule: OpRule = {
  name: 'matmul',
  describe(t, i) {
    const s = t.saved.get(i) as Spec;
    const [a, b] = [t.in0[i], t.in1[i]];
    const read = [s.ta ? `#${a}` : '', s.tb ? `#${b}` : ''].filter((x) => x !== '');
    return read.length === 0 ? undefined : `reads ${read.join(' and ')} transposed, in place`;
  },
  // A replay at new values (compile): the product again, on the numbers of the operands.
  primal(o, L, i) {
    const t = L.tape;
    const s = t.saved.get(i) as Spec;
    const A = o.numbers(L.val(t.in0[i])) as Float64Array, B = o.numbers(L.val(t.in1[i])) as Float64Array;
    L.setVal(i, batchedProductNumbers(A, s.a, B, s.b, { ta: s.ta, tb: s.tb, outBatch: batchOf(s.c), o: s.zeros ? o : null }));
  },
  // A replay with a direction: C and R{C} as one kernel job, as when f is recorded (matmulOp).
  primalAndTangent(o, L, i) {
    const t = L.tape;
    const s = t.saved.get(i) as Spec;
    if (L !== t || s.zeros || s.c.length !== 2) return false;
    const a = t.in0[i], b = t.in1[i];
    const both = valueAndTangent(o, t.tensorAt(a).data, t.dot(a), t.tensorAt(b).data, t.dot(b), s);
    if (both === null) return false;
    t.setVal(i, both[0]);
    setTangent(t, i, both[1]);
    return true;
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const s = t.saved.get(i) as Spec;
    const cShape = t.tensorAt(i).shape;
    L.setDot(i, products(o, [term(s, L.dot(a), L.val(b)), term(s, L.val(a), L.dot(b))], s.c, cShape));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const s = t.saved.get(i) as Spec;
    const cShape = t.tensorAt(i).shape;
    const g = o.reshape(L.bar(i), cShape, s.c);
    const gDot = L.sweepBarDot ? o.reshape(L.barDot(i), cShape, s.c) : 0;
    if (g === 0 && gDot === 0) return;
    const lanes = [
      ...(L.isActive(a) ? lanesOf(L, a, s.a, t.tensorAt(a).shape, (G, Y) => aTerm(s, G, Y), b, g, gDot) : []),
      ...(L.isActive(b) ? lanesOf(L, b, s.b, t.tensorAt(b).shape, (G, Y) => bTerm(s, G, Y), a, g, gDot) : []),
    ];
    if (s.c.length > 2) {
      for (const lane of lanes) lane.add(products(o, lane.terms, lane.flat, lane.shape));
      return;
    }
    // Matrices: every lane at once, one matmulSums, which on numbers is one kernel job — an operand
    // that several lanes read (the data X, W, C̄) copied in once, the threads forked and joined once,
    // and each R-adjoint's two products written into one array.
    const sums = o.matmulSums(lanes.map((lane) => lane.terms));
    lanes.forEach((lane, q) => lane.add(o.reshape(sums[q], lane.flat, lane.shape)));
  },
};
const MATMUL = registerRule(rule);

/**
 * Matrix product with NumPy's `matmul` semantics: [m,k]·[k,n] → [m,n]; operands with more than two
 * dimensions are stacks of matrices whose leading (batch) dimensions broadcast, [2,1,m,k]·[3,k,n] →
 * [2,3,m,n]; a 1-D left operand is a row and a 1-D right operand a column, and that dimension is
 * dropped from the result ([k]·[k,n] → [n], [m,k]·[k] → [m], [k]·[k] → a 0-d tensor). Each matrix
 * product runs on the matrix kernels (WebAssembly SIMD, threads for large ones).
 *
 * @example
 * ```ts
 * matmul(X, W);                    // [N, D]·[D, H] → [N, H]
 * X.matmul(W.transpose());
 * matmul(Q, K.transpose([0, 2, 1])); // [B, T, d]·[B, d, T] → [B, T, T]
 * ```
 */
export function matmul(a: Tensor | ArrayData, b: Tensor | ArrayData): Tensor {
  if (arguments.length > 2) noExtraArguments('matmul', arguments, 2, 'matmul(a, b)');
  return matmulOp(a, b, false, false, false);
}

/**
 * op(a)·op(b) with either operand read transposed in its last two dimensions, without forming the
 * transpose; with `structuralZeros` an exact zero factor gives 0 even against ±∞ or NaN, as products
 * in rules do. For rules and the nodes algebra, not exported from the package. @internal
 */
export function matmulOp(aIn: Tensor | ArrayData, bIn: Tensor | ArrayData, ta: boolean, tb: boolean, structuralZeros: boolean): Tensor {
  const t = tapeOfArguments([aIn, bIn], 'matmul');
  let a = tensorOperand(aIn, t, 'matmul', 'first operand');
  let b = tensorOperand(bIn, t, 'matmul', 'second operand');
  // A transposed operand is read in place: the product and its rules take the flag, not a copy.
  const aSource = readThroughTranspose(a), bSource = readThroughTranspose(b);
  if (aSource !== null) [a, ta] = [aSource, !ta];
  if (bSource !== null) [b, tb] = [bSource, !tb];
  const { spec, shape } = matmulSpec(a.shape, b.shape, ta, tb);
  checkedSize(shape, 'matmul');
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const withTangent = active && t.withTangent;
  // The value and its tangent as one kernel job (X·W and X·V read X once).
  const both = withTangent && !structuralZeros && spec.c.length === 2 ? valueAndTangent(t.o, a.data, t.dot(a.id), b.data, t.dot(b.id), spec) : null;
  let data: Float64Array;
  if (both !== null) data = both[0];
  else if (spec.c.length > 2) {
    data = batchedProductNumbers(a.data, spec.a, b.data, spec.b, { ta, tb, outBatch: batchOf(spec.c), o: structuralZeros ? t.o : null });
  } else if (structuralZeros) data = t.o.matmul(a.data, spec.a, b.data, spec.b, ta, tb) as Float64Array;
  else if (!ta && !tb) {
    data = unfilled(spec.c[0] * spec.c[1]); // gemm with accumulate false writes all of it
    gemmAB(a.data, b.data, data, spec.c[0], spec.c[1], spec.a[1], false);
  } else {
    data = batchedProductNumbers(a.data, spec.a, b.data, spec.b, { ta, tb, outBatch: [], o: null });
  }
  const c = newTensor(t, MATMUL, a.id, b.id, active, shape, data, null);
  t.saved.set(c.id, structuralZeros ? { ...spec, zeros: true } : spec);
  if (withTangent) setTangent(t, c.id, both === null ? null : both[1]);
  return c;
}

/**
 * Node i's tangent: the batched product (valueAndTangent's) when there is one, else the rule's. The
 * tangent is a rule's product, with structural zeros: a NaN in the batched one may be a 0·∞ that the
 * rule makes 0, so then the rule computes it (as matmulSums does).
 */
function setTangent(t: Tape, i: number, batched: Float64Array | null): void {
  if (batched !== null && !(lastProductMayHoldNaN() && hasNaN(batched))) t.setDot(i, fresh(batched));
  else rule.tangent(t.o, t, i);
}

/**
 * op(A)·op(B) and its tangent op(Ȧ)·op(B) + op(A)·op(Ḃ) (the terms as the tangent rule orders them)
 * of matrices A and B with tangents Ȧ and Ḃ, as one gemmBatch; null when the tangents are not
 * numbers (a nested or many-lane tape) or both are zero.
 */
function valueAndTangent(o: Algebra, A: Float64Array, dA: Value, B: Float64Array, dB: Value, spec: Spec): [Float64Array, Float64Array] | null {
  if (!(o instanceof NumberAlgebra)) return null;
  const { ta, tb } = spec;
  const isLane = (d: Value, x: Float64Array) => d === 0 || (d instanceof Float64Array && d.length === x.length);
  if (!isLane(dA, A) || !isLane(dB, B) || (dA === 0 && dB === 0)) return null;
  const terms: GemmTerm[] = [];
  if (dA !== 0) terms.push({ a: dA as Float64Array, transA: ta, b: B, transB: tb });
  if (dB !== 0) terms.push({ a: A, transA: ta, b: dB as Float64Array, transB: tb });
  const [m, n] = spec.c, k = ta ? spec.a[0] : spec.a[1];
  const value = unfilled(m * n), tangent = unfilled(m * n); // gemmBatch writes all of both
  gemmBatch([{ terms: [{ a: A, transA: ta, b: B, transB: tb }], C: value, m, n, k }, { terms, C: tangent, m, n, k }]);
  return [value, tangent];
}

function matmulSpec(as: Shape, bs: Shape, ta: boolean, tb: boolean): { spec: Spec; shape: Shape } {
  // (For the messages only, so formed only for one: every product passes here.)
  const both = () => `shapes ${formatShape(as)} and ${formatShape(bs)}`;
  if (as.length === 0 || bs.length === 0) {
    throw new ShapeError(`matmul: ${both()}: a 0-d operand has no matrix dimensions; use mul for a scalar factor`);
  }
  // A vector on the left is a row, on the right a column (before any transposition).
  const a2: Shape = as.length === 1 ? [1, as[0]] : as;
  const b2: Shape = bs.length === 1 ? [bs[0], 1] : bs;
  const ar = a2.length, br = b2.length;
  const m = ta ? a2[ar - 1] : a2[ar - 2], k = ta ? a2[ar - 2] : a2[ar - 1];
  const kb = tb ? b2[br - 1] : b2[br - 2], n = tb ? b2[br - 2] : b2[br - 1];
  if (k !== kb) {
    throw new ShapeError(`matmul: ${both()} do not chain: the inner dimensions ${k} and ${kb} must be equal`);
  }
  let batch: Shape;
  try {
    batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), 'matmul');
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e; // a batch too large to hold is an ArgumentError saying so
    throw new ShapeError(`matmul: ${both()}: the batch dimensions ${formatShape(a2.slice(0, -2))} and ${formatShape(b2.slice(0, -2))} cannot be broadcast together`);
  }
  const shape: number[] = [...batch];
  if (as.length > 1) shape.push(m);
  if (bs.length > 1) shape.push(n);
  return { spec: { a: a2, b: b2, c: [...batch, m, n], ta, tb }, shape };
}
