// θ = atan2(a, b), the angle of the point (b, a) (NumPy's arctan2(y, x) with a = y, b = x).
// With r = hypot(a, b), s = a/r, c = b/r, u = 1/r:  ∂θ/∂a = cu,  ∂θ/∂b = −su;
// ∂²θ/∂a² = −2sc·u²,  ∂²θ/∂a∂b = (s² − c²)u² = (a² − b²)/r⁴,  ∂²θ/∂b² = 2sc·u²;
// ∂³θ/∂a³ = −∂³θ/∂a∂b² = 2c(3s² − c²)u³,  ∂³θ/∂a²∂b = −∂³θ/∂b³ = 2s(3c² − s²)u³
// (θ is harmonic: ∂ⁿθ/∂aʲ∂bⁿ⁻ʲ = Im(iʲ(−1)ⁿ⁻¹(n − 1)!/zⁿ), z = b + ia).
// r comes from hypot, so nothing overflows for large a, b. At the origin θ jumps (its value there is
// IEEE's: ±0 or ±π by the signs of the zeros) and every partial is 0·∞, made 0 by the structural-zero
// convention. On the branch cut (b < 0, a = ±0) the derivatives are those of the side the sign of a
// selects.
// ∂²θ/∂a∂b is the op atan2CurvatureAB at every level, valued (a² − b²)/r⁴ from a and b scaled by a
// power of 2: (a − b)(a + b) is exact to a rounding where a ≈ ±b, where (s − c)(s + c) from the rounded
// s and c kept an absolute error of an ulp of 1 (3.5e-7 relative at (1, 1 + 1e-10), 2e-10 at
// (0.7, 0.7000001)), and u² cannot overflow where the quotient does not (NaN for 0 at (5e-324, 5e-324)).
// ∂²θ/∂a² is formed −2(su)(cu), not −2sc·u², whose u² overflowed (−∞ for −2e180 at (1e-300, 1e-160)).
// When a transform is nested, ∂θ/∂a and ∂θ/∂b are the op atan2Slope, ∂²θ/∂a² and ∂²θ/∂b² the op
// atan2CurvatureAA, and s, c the op hypotRatio, whose partials are the closed forms above, not products
// that nested transforms differentiate by the product rule: through c = b·u that formed ∂c/∂b as
// u − c²u, which cancels where |a| ≪ |b| (∂³θ/∂a²∂b by grad of hvp: 5.2e-40 for 6e-40 at (1e-8, 1e8),
// 4e-300 for 6e-300 at (1e-300, 1)), and through u it formed u² = ∞ where r < 1e-154, so that grad of
// grad gave ∞ − ∞ = NaN for ∂²θ/∂a∂b at (1e-300, 1e-300) (0) and (0, 1e-200) (−∞), and ±∞ for the
// structural 0 at the origin. At top level ∂θ/∂a and ∂θ/∂b stay the products: the same numbers.
// Left: where both a and b are subnormal and r < 5.6e-309, u = 1/r overflows and s = a·u, c = b·u are
// ∞, so the third derivatives (±∞ there) are NaN, as before.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { hypot, hypotRatio, polarUnit } from './hypot.js';
import { structuralTimes as times } from '../elementwise/structural-times.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * 1/r, sin θ and cos θ: products at top level, so that a zero radius gives structural zeros; the op
 * hypotRatio when nested, whose partials are closed forms (its value is the same product).
 */
function polar(o: Algebra, a: Value, b: Value): { u: Value; s: Value; c: Value } {
  if (o.kind !== 'nodes') return polarUnit(o, a, b);
  return { u: o.div(1, o.map2(hypot, a, b)), s: o.map2(hypotRatio, a, b), c: o.map2(hypotRatio, b, a) };
}


/** ∂θ/∂a = cu at (a, b); ∂θ/∂b is −(this at (b, a)). */
const slope = (o: Algebra, a: Value, b: Value): Value => {
  if (o.kind === 'nodes') return o.map2(atan2Slope, a, b);
  const { u, c } = polar(o, a, b);
  return o.mul(c, u);
};

/** ∂²θ/∂a² = −2sc·u², as −2(su)(cu) so that u² cannot overflow where the product does not. */
function curvatureProductAA(o: Algebra, a: Value, b: Value): Value {
  const { u, s, c } = polar(o, a, b);
  return o.mul(-2, o.mul(o.mul(s, u), o.mul(c, u)));
}

/** ∂²θ/∂a² (= −∂²θ/∂b²): the op atan2CurvatureAA when nested, the product at top level. */
const curvatureAA = (o: Algebra, a: Value, b: Value): Value =>
  o.kind === 'nodes' ? o.map2(atan2CurvatureAA, a, b) : curvatureProductAA(o, a, b);

/** ∂³θ/∂a³ = 2c(3s² − c²)u³ (= −∂³θ/∂a∂b²). */
function thirdAAA(o: Algebra, a: Value, b: Value): Value {
  const { u, s, c } = polar(o, a, b);
  const factor = o.sub(o.mul(3, o.mul(s, s)), o.mul(c, c));
  return o.mul(o.mul(o.mul(2, o.mul(o.mul(c, u), factor)), u), u);
}

/** ∂³θ/∂a²∂b = 2s(3c² − s²)u³ (= −∂³θ/∂b³). */
function thirdAAB(o: Algebra, a: Value, b: Value): Value {
  const { u, s, c } = polar(o, a, b);
  const factor = o.sub(o.mul(3, o.mul(c, c)), o.mul(s, s));
  return o.mul(o.mul(o.mul(2, o.mul(o.mul(s, u), factor)), u), u);
}

/** ∂⁴θ/∂a³∂b = 6u⁴·cos 4θ, cos 4θ = s⁴ − 6s²c² + c⁴ (= −∂⁴θ/∂a∂b³). */
function fourthAAAB(o: Algebra, a: Value, b: Value): Value {
  const { u, s, c } = polar(o, a, b);
  const ss = o.mul(s, s), cc = o.mul(c, c);
  const cos4 = o.add(o.mul(ss, ss), o.mul(cc, o.sub(cc, o.mul(6, ss))));
  const uu = o.mul(u, u);
  return o.mul(o.mul(o.mul(6, cos4), uu), uu);
}

/** ∂⁴θ/∂a²∂b² = −6u⁴·sin 4θ, sin 4θ = 4sc(c − s)(c + s). */
function fourthAABB(o: Algebra, a: Value, b: Value): Value {
  const { u, s, c } = polar(o, a, b);
  const cos2 = o.mul(o.sub(c, s), o.add(c, s));
  return o.mul(o.mul(o.mul(-24, o.mul(o.mul(s, u), o.mul(c, u))), cos2), o.mul(u, u));
}

/** ∂²θ/∂a∂b = (s² − c²)u², as the top-level product of the old rule formed it: for zeros, ±∞ and NaN. */
function curvatureProduct(a: number, b: number): number {
  const u = 1 / Math.hypot(a, b), s = times(a, u), c = times(b, u);
  return times(times(s - c, s + c), times(u, u));
}

/**
 * ∂²θ/∂a∂b = (a² − b²)/r⁴ for finite a, b not both 0: a and b scaled by a power of 2 near the larger,
 * exactly (bar the underflow of a far smaller one, of no weight), so that (a − b)(a + b) is exact to a
 * rounding where a ≈ ±b, and r⁴ neither over- nor underflows; the quotient is scaled back in steps of at
 * most 2⁵³⁷, monotonically, so it over- or underflows only where the result does.
 */
function curvatureValue(a: number, b: number): number {
  const m = Math.max(Math.abs(a), Math.abs(b));
  if (m === 0 || !(m < Infinity)) return curvatureProduct(a, b);
  const e = Math.floor(Math.log2(m)), h = Math.trunc(-e / 2);
  const k1 = 2 ** h, k2 = 2 ** (-e - h);
  const x = a * k1 * k2, y = b * k1 * k2, r = Math.hypot(x, y);
  const q = ((x - y) * (x + y)) / (r * r) / (r * r);
  return q * k1 * k2 * k1 * k2 + 0;
}

// ∂²θ/∂a² as an op of its own, recorded when a transform is nested: the product rule through u = 1/r
// formed its derivatives from u² = ∞ where r < 1e-154, ∞ − ∞ = NaN where the closed form is ±∞ (at
// (1e-300, 1e-160), (5e-324, 1e-300)). Its partials are the third derivatives, its second ones the
// fourth (∂⁴θ/∂a⁴ = −∂⁴θ/∂a²∂b²). Valued as the top-level product.
const atan2CurvatureAA = defineBinary({
  name: 'atan2CurvatureAA',
  f: (a, b) => {
    const u = 1 / Math.hypot(a, b);
    return times(-2, times(times(times(a, u), u), times(times(b, u), u)));
  },
  da: (o, a, b) => thirdAAA(o, a, b),
  db: (o, a, b) => thirdAAB(o, a, b),
  daa: (o, a, b) => o.neg(fourthAABB(o, a, b)),
  dab: (o, a, b) => fourthAAAB(o, a, b),
  dbb: (o, a, b) => fourthAABB(o, a, b),
});

// ∂²θ/∂a∂b as an op of its own, at every level (see the head comment). Its partials are the third
// derivatives, its second ones the fourth.
const atan2CurvatureAB = defineBinary({
  name: 'atan2CurvatureAB',
  f: curvatureValue,
  da: (o, a, b) => thirdAAB(o, a, b),
  db: (o, a, b) => o.neg(thirdAAA(o, a, b)),
  daa: (o, a, b) => fourthAAAB(o, a, b),
  dab: (o, a, b) => fourthAABB(o, a, b),
  dbb: (o, a, b) => o.neg(fourthAAAB(o, a, b)),
});

// ∂θ/∂a = b/r² = cu as an op of its own, recorded when a transform is nested; ∂θ/∂b(a, b) is
// −atan2Slope(b, a). Valued as the top-level product, structural zero included.
const atan2Slope = defineBinary({
  name: 'atan2Slope',
  f: (a, b) => {
    const u = 1 / Math.hypot(a, b);
    return times(times(b, u), u);
  },
  da: (o, a, b) => curvatureAA(o, a, b),
  db: (o, a, b) => o.map2(atan2CurvatureAB, a, b),
  daa: (o, a, b) => thirdAAA(o, a, b),
  dab: (o, a, b) => thirdAAB(o, a, b),
  dbb: (o, a, b) => o.neg(thirdAAA(o, a, b)),
});

/**
 * The angle atan2(a, b) ∈ [−π, π] of the point (b, a), elementwise with broadcasting: `a` is the
 * y-coordinate, `b` the x-coordinate, as `Math.atan2(y, x)`.
 *
 * @function
 * @example
 * ```ts
 * grad((p: Tensor) => atan2(p.at(0), p.at(1)))([1, 1]); // [0.5, −0.5]
 * ```
 */
export const atan2 = defineBinary({
  name: 'atan2',
  f: selfContained((a, b) => Math.atan2(a, b)),
  da: (o, a, b) => slope(o, a, b),
  db: (o, a, b) => o.neg(slope(o, b, a)),
  daa: (o, a, b) => curvatureAA(o, a, b),
  dab: (o, a, b) => o.map2(atan2CurvatureAB, a, b),
  dbb: (o, a, b) => o.neg(curvatureAA(o, a, b)),
});
