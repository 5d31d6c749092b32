// y = x·tanh(softplus(x)) (Misra 2019). With t = tanh(softplus(x)), q = 1 − t² and σ = σ(x):
//   dy/dx = t + x·q·σ;   d²y/dx² = q·σ·(2 + x·(σ(−x) − 2tσ));   t′ = qσ,  q′ = −2tqσ.
// With u = eˣ, (1 + u)² = e^(2·softplus), so t = u(u + 2)/(u² + 2u + 2) and q = 4(u + 1)²/(u² + 2u + 2)²,
// and for x ≥ 0 the same with v = e⁻ˣ: t = (1 + 2v)/(1 + 2v + 2v²), q = 4v²(1 + v)²/(1 + 2v + 2v²)².
// Neither form cancels or overflows: t keeps its relative accuracy as x → −∞ (t ≈ eˣ, where
// tanh(log1p(eˣ)) would too, but through two functions) and q as x → +∞ (q ≈ 4e⁻²ˣ, where 1 − t²
// is 0 from x ≈ 19 on, and the second derivative with it). t and q are ops of their own so that
// every derivative is formed from these accurate pieces. mish(−∞) = −0 (not −∞·0), mish(∞) = ∞.
import { defineUnary } from '../elementwise/unary.js';
import { sigmoid } from './sigmoid.js';

/** t = tanh(softplus(x)). */
function gateNumber(x: number): number {
  if (x < 0) {
    const u = Math.exp(x);
    return (u * (u + 2)) / (u * (u + 2) + 2);
  }
  const v = Math.exp(-x);
  return (1 + 2 * v) / (1 + 2 * v * (1 + v));
}

/** q = 1 − t² = sech²(softplus(x)). */
function sechSquaredNumber(x: number): number {
  if (x < 0) {
    const u = Math.exp(x);
    const d = u * (u + 2) + 2;
    return (4 * (u + 1) * (u + 1)) / (d * d);
  }
  const v = Math.exp(-x);
  const d = 1 + 2 * v * (1 + v);
  const n = 2 * v * (1 + v);
  return (n / d) * (n / d);
}

/** tanh(softplus(x)); t′ = qσ. */
const mishGate = defineUnary({
  name: 'mishGate',
  f: gateNumber,
  df: (o, x) => o.mul(o.map(mishSechSquared, x), o.map(sigmoid, x)),
  d2f: (o, x, y, dy) => {
    const s = o.map(sigmoid, x);
    return o.mul(dy, o.sub(o.map(sigmoid, o.neg(x)), o.mul(2, o.mul(y, s))));
  },
});

/** sech²(softplus(x)) = 1 − t²; q′ = −2tqσ. */
const mishSechSquared = defineUnary({
  name: 'mishSechSquared',
  f: sechSquaredNumber,
  df: (o, x, y) => o.mul(-2, o.mul(o.map(mishGate, x), o.mul(y, o.map(sigmoid, x)))),
  d2f: (o, x, y) => {
    const s = o.map(sigmoid, x), t = o.map(mishGate, x);
    const qs = o.mul(y, s);
    const inner = o.add(o.sub(qs, o.mul(2, o.mul(o.mul(t, t), s))), o.mul(t, o.map(sigmoid, o.neg(x))));
    return o.mul(-2, o.mul(qs, inner));
  },
});

/**
 * Mish x·tanh(softplus(x)), elementwise (JAX's `jax.nn.mish`), stable in both tails.
 *
 * @function
 * @example
 * ```ts
 * mish(tensor([0, 1, -1000])).value;   // [0, 0.8651, -0]
 * grad((x: Scalar) => mish(x))(0);     // 0.6 = tanh(ln 2)
 * ```
 */
export const mish = defineUnary({
  name: 'mish',
  f: (x) => {
    const t = gateNumber(x);
    return t === 0 ? -0 : x * t; // t underflows only for x < −745, where −∞·0 would be NaN
  },
  df: (o, x) => {
    const s = o.map(sigmoid, x);
    return o.add(o.map(mishGate, x), o.mul(x, o.mul(o.map(mishSechSquared, x), s)));
  },
  d2f: (o, x) => {
    const s = o.map(sigmoid, x), t = o.map(mishGate, x);
    const qs = o.mul(o.map(mishSechSquared, x), s);
    return o.mul(qs, o.add(2, o.mul(x, o.sub(o.map(sigmoid, o.neg(x)), o.mul(2, o.mul(t, s))))));
  },
});
