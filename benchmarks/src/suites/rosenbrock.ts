/**
 * Scalar graphs: the extended Rosenbrock function written with scalar ops only, ~10⁶ tape nodes.
 * ns per node of gradAndHvp and valueAndGrad; H·v checked against the closed form, which is also
 * timed as the floor (a loop over pairs, no AD). Beside it, the same function with tensor ops (two
 * strided slices), as JAX's row is written.
 */
import { gradAndHvp, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';
import { maxRelDiff, time } from '../lib/measure.js';
import type { RosenbrockResult } from '../lib/protocol.js';
import { randomArray } from '../two-layer.js';

/** Σᵢ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)². */
export function rosenbrock(x: Tensor): Scalar {
  let f: Scalar | undefined;
  for (let i = 0; i + 1 < x.size; i += 2) {
    const a = x.at(i);
    const b = x.at(i + 1);
    const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
    f = f ? f.add(term) : term;
  }
  return f!;
}

/** Extended Rosenbrock with tensor ops (strided slices), the form a tensor user (and JAX's) writes. */
export function rosenbrockTensor(x: Tensor): Scalar {
  const a = x.slice(0, null, 0, 2), b = x.slice(1, null, 0, 2);
  return b.sub(a.square()).square().mul(100).add(a.neg().add(1).square()).sum();
}

/** Closed-form H·v, per independent pair. */
export function rosenbrockHvp(x: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i + 1 < x.length; i += 2) {
    const a = x[i], b = x[i + 1];
    const haa = 1200 * a * a - 400 * b + 2, hab = -400 * a, hbb = 200;
    out[i] = haa * v[i] + hab * v[i + 1];
    out[i + 1] = hab * v[i] + hbb * v[i + 1];
  }
  return out;
}

/** The point and direction of the suite (the JAX CPU suite reads the same ones). */
export function rosenbrockData(quick: boolean): { n: number; x: Float64Array; v: Float64Array } {
  const n = quick ? 33_334 : 166_668;
  return { n, x: randomArray(n, 5, 1.5), v: randomArray(n, 6) };
}

export function rosenbrockSuite(quick: boolean): RosenbrockResult {
  const { n, x, v } = rosenbrockData(quick);
  // Each pair records 2 reads + 10 scalar ops (the running sum included): 6 nodes per variable.
  const nodes = (n / 2) * 12 - 1;
  const { hvp } = gradAndHvp(rosenbrock, x, v);
  const err = maxRelDiff(hvp as Float64Array, rosenbrockHvp(x, v));
  if (!(err <= 1e-12)) throw new Error(`Rosenbrock: H·v differs from the closed form by ${err}`);
  const vg = valueAndGrad(rosenbrock);
  // The same f over the whole vector, as the JAX CPU row is written: a handful of tensor nodes.
  const tensorErr = maxRelDiff(gradAndHvp(rosenbrockTensor, x, v).hvp as Float64Array, rosenbrockHvp(x, v));
  if (!(tensorErr <= 1e-12)) throw new Error(`Rosenbrock (tensor ops): H·v differs from the closed form by ${tensorErr}`);
  const vgTensor = valueAndGrad(rosenbrockTensor);
  return {
    suite: 'rosenbrock', n, nodes, err,
    gradAndHvpMs: time(() => gradAndHvp(rosenbrock, x, v), quick).ms,
    valueAndGradMs: time(() => vg(x), quick).ms,
    closedFormMs: time(() => rosenbrockHvp(x, v), quick).ms,
    tensor: {
      err: tensorErr,
      gradAndHvpMs: time(() => gradAndHvp(rosenbrockTensor, x, v), quick).ms,
      valueAndGradMs: time(() => vgTensor(x), quick).ms,
    },
  };
}
