// z = scan(a, b) along one axis: the first-order linear recurrence zₖ = aₖ·zₖ₋₁ + bₖ (z₋₁ = 0), or
// from the end, zₖ = aₖ·zₖ₊₁ + bₖ, when reversed. cumprod is scan(x, x₀ e₀). Writing z⁻ for z shifted
// one step back (zₖ₋₁, 0 entering) and a⁺ for a shifted one step on (aₖ₊₁, 0 leaving), the rules are
// scans again — so they run at every order, in O(n), with no division:
//   R{z} = scan(a, R{b} + R{a}⊙z⁻)
//   ḡ = scan←(a⁺, z̄);         b̄ += ḡ;        ā += ḡ⊙z⁻
//   R{ḡ} = scan←(a⁺, R{z̄} + R{a⁺}⊙ḡ⁺);  R{b̄} += R{ḡ};  R{ā} += R{ḡ}⊙z⁻ + ḡ⊙R{z⁻}
// where scan← runs the other way.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { axisView } from '../algebra/numbers.js';
import { shapeOf } from '../lanes.js';
import { newTensor, onTape, type Node, type Tensor } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { commonTape, registerRule, type OpRule } from '../tape.js';
import { shaped } from './primitive-lanes.js';

interface Spec {
  readonly axis: number;
  readonly reverse: boolean;
  /**
   * Products with structural zeros (0·∞ = 0), as every product in a rule (docs/conventions.md); a
   * primal scan (cumprod's value) is IEEE arithmetic.
   */
  readonly structural: boolean;
}

const SCAN: Primitive<Spec> = {
  name: 'scan',
  numbers: ([a, b], [shape], s) => scanNumbers(a as Float64Array, b as Float64Array, shape, s),
  nodes: ([a, b], [shape], s) => linearScan(shaped(a as Node, shape), shaped(b as Node, shape), s.axis, s.reverse, true),
};

function scanNumbers(a: Float64Array, b: Float64Array, shape: Shape, s: Spec): Float64Array {
  const { outer, n, inner } = axisView(shape, s.axis);
  const z = new Float64Array(b.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      for (let step = 0; step < n; step++) {
        const e = base + (s.reverse ? n - 1 - step : step) * inner;
        if (step === 0) {
          z[e] = b[e]; // no z₋₁ term at all (not 0·a₀, which is NaN for an infinite a₀)
          continue;
        }
        const previous = z[e + (s.reverse ? inner : -inner)];
        const carried = s.structural && (previous === 0 || a[e] === 0) ? 0 : a[e] * previous;
        // A zero input adds nothing, not +0: −0·… must stay −0 (cumprod([−1, 0]) = [−1, −0], as NumPy).
        z[e] = b[e] === 0 ? carried : carried + b[e];
      }
    }
  }
  return z;
}

/** v shifted one step along the axis: `back` gives vₖ₋₁ in scan order (0 entering), else vₖ₊₁ (0 leaving). */
function shift(o: Algebra, v: Value, shape: Shape, s: Spec, back: boolean): Value {
  if (v === 0) return 0;
  const n = shape[s.axis];
  if (n <= 1) return 0;
  const towardsStart = back !== s.reverse; // the element read lies nearer index 0
  const kept = o.slice(v, shape, towardsStart ? 0 : 1, towardsStart ? n - 1 : n, s.axis);
  const keptShape = shape.map((d, k) => (k === s.axis ? n - 1 : d));
  return o.pad(kept, keptShape, towardsStart ? 1 : 0, n, s.axis);
}

/** scan(a, b) in the algebra; 0 for a zero b. A number b is written out (a constant of any shape). */
function scanOf(o: Algebra, a: Value, b: Value, shape: Shape, s: Spec): Value {
  if (b === 0) return 0;
  const full = (v: Value) => (typeof v === 'number' ? o.constant(new Float64Array(sizeOf(shape)).fill(v), shape) : v);
  return o.apply(SCAN, [full(a), full(b)], [shape, shape], s);
}

const rule: OpRule = {
  name: 'scan',
  // A compiled replay: the recurrence again at the inputs' current values, as recorded.
  primal(o, L, i) {
    const t = L.tape;
    const shape = shapeOf(t, i);
    L.setVal(i, o.apply(SCAN, [L.val(t.in0[i]), L.val(t.in1[i])], [shape, shape], t.saved.get(i) as Spec));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const shape = shapeOf(t, i);
    const s = t.saved.get(i) as Spec;
    const aDot = L.dot(a);
    const source = o.add(L.dot(b), aDot === 0 ? 0 : o.mul(aDot, shift(o, L.val(i), shape, s, true)));
    L.setDot(i, scanOf(o, L.val(a), source, shape, { ...s, structural: true }));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const shape = shapeOf(t, i);
    const s = t.saved.get(i) as Spec;
    const back: Spec = { axis: s.axis, reverse: !s.reverse, structural: true };
    const aNext = shift(o, L.val(a), shape, s, false);
    const g = scanOf(o, aNext, L.bar(i), shape, back);
    const zBack = L.isActive(a) ? shift(o, L.val(i), shape, s, true) : 0;
    if (L.sweepBar) {
      if (L.isActive(b)) L.addBar(b, g);
      if (L.isActive(a)) L.addBar(a, o.mul(g, zBack));
    }
    if (L.sweepBarDot) {
      const aDot = L.dot(a);
      const source = o.add(L.barDot(i), aDot === 0 || g === 0 ? 0 : o.mul(shift(o, aDot, shape, s, false), shift(o, g, shape, back, true)));
      const gDot = scanOf(o, aNext, source, shape, back);
      if (L.isActive(b)) L.addBarDot(b, gDot);
      if (L.isActive(a)) {
        const zDotBack = g === 0 ? 0 : shift(o, L.dot(i), shape, s, true);
        L.addBarDot(a, o.add(o.mul(gDot, zBack), o.mul(g, zDotBack)));
      }
    }
  },
};
const SCAN_OP = registerRule(rule);

/** Records z = scan(a, b) along `axis` (a and b of one shape; the axis already normalized). */
export function linearScan(a: Tensor, b: Tensor, axis: number, reverse: boolean, structural = false): Tensor {
  const t = commonTape(a.tape, b.tape, 'scan');
  // An operand made outside the transform (an eager node) comes in as a constant of this tape.
  a = onTape(a, t, 'scan') as Tensor;
  b = onTape(b, t, 'scan') as Tensor;
  const s: Spec = { axis, reverse, structural };
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const y = newTensor(t, SCAN_OP, a.id, b.id, active, a.shape, scanNumbers(a.data, b.data, a.shape, s), null);
  t.saved.set(y.id, s);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
