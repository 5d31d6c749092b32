/**
 * sparseHessian (issue 12, part 3): the whole sparse Hessian — pattern from the tape, star coloring,
 * one H·v per color — against one gradAndHvp at the same point (the target: extended
 * Rosenbrock at n = 10⁵ in ≤ 20× one gradAndHvp, with a handful of colors), and against the dense
 * `hessian` where that is feasible. Every result is checked in the same run: against the closed
 * form (Rosenbrock), or entry by entry against the dense Hessian (every nonzero inside the pattern,
 * every value equal).
 */
import { gradAndHvp, hessian, sparseHessian, type Scalar, type SparseHessian, type Tensor } from '@dualtape/core';
import { time } from '../lib/measure.js';
import { randomArray } from '../two-layer.js';
import { rosenbrock, rosenbrockHvp, rosenbrockTensor } from './rosenbrock.js';

export interface SparseHessianTask {
  readonly suite: 'sparse-hessian';
  readonly quick: boolean;
}

/** One problem at one size. */
export interface SparseHessianRow {
  readonly problem: string;
  readonly n: number;
  /** Entries listed (both triangles) and colors of the coloring. */
  readonly nonzeros: number;
  readonly colors: number;
  readonly sparseMs: number;
  /** One gradAndHvp at the same point (the yardstick), or null when not timed. */
  readonly gradAndHvpMs: number | null;
  /** The dense `hessian` at the same point, or null where n is too large for it. */
  readonly denseMs: number | null;
  /** max |entry − reference| / max |reference|, over every entry (listed or not). */
  readonly err: number;
  /** What the entries were checked against. */
  readonly reference: string;
}

export interface SparseHessianResult {
  readonly suite: 'sparse-hessian';
  readonly rows: SparseHessianRow[];
}

/** Σ xᵢ² + Σ_{d = 1, 2} Σᵢ sin(xᵢ·xᵢ₊d): bandwidth 2. */
export function banded(x: Tensor): Scalar {
  let f = x.square().sum();
  for (let d = 1; d <= 2; d++) f = f.add(x.slice(d).mul(x.slice(0, -d)).sin().sum());
  return f;
}

/** Σᵢ exp(x₀·xᵢ) + Σ xᵢ²: a dense first row and column. */
export function arrowhead(x: Tensor): Scalar {
  return x.slice(1).mul(x.at(0)).exp().sum().add(x.square().sum());
}

/** Entry (r, c) of extended Rosenbrock's Hessian: 2×2 blocks [1200a² − 400b + 2, −400a; −400a, 200]. */
function rosenbrockEntry(x: Float64Array, r: number, c: number): number {
  const i = r - (r % 2);
  if (c - (c % 2) !== i) return 0;
  const a = x[i], b = x[i + 1];
  if (r === i && c === i) return 1200 * a * a - 400 * b + 2;
  return r !== c ? -400 * a : 200;
}

/**
 * Relative error of S against the closed form: listed entries against it, and the count of listed
 * entries against the closed form's nonzeros (2n: a missing one would be an error of 100%).
 */
function errorAgainstRosenbrock(S: SparseHessian, x: Float64Array): number {
  let diff = 0, scale = 0;
  for (let k = 0; k < S.rows.length; k++) {
    const want = rosenbrockEntry(x, S.rows[k], S.cols[k]);
    diff = Math.max(diff, Math.abs(S.values[k] - want));
    scale = Math.max(scale, Math.abs(want));
  }
  // Each variable has exactly two nonzeros in its row (its block); fewer listed means some are missing.
  if (S.rows.length < 2 * S.n) return 1;
  return diff / scale;
}

/** Relative error of S against the dense Hessian D, over all n² entries (unlisted ones count as 0). */
function errorAgainstDense(S: SparseHessian, D: Float64Array): number {
  const n = S.n;
  const M = new Float64Array(n * n);
  for (let k = 0; k < S.rows.length; k++) M[S.rows[k] * n + S.cols[k]] = S.values[k];
  let diff = 0, scale = 0;
  for (let k = 0; k < n * n; k++) {
    diff = Math.max(diff, Math.abs(M[k] - D[k]));
    scale = Math.max(scale, Math.abs(D[k]));
  }
  return diff / scale;
}

function againstGradAndHvp(problem: string, f: (x: Tensor) => Scalar, x: Float64Array, quick: boolean, check: (S: SparseHessian) => number): SparseHessianRow {
  const v = randomArray(x.length, 7);
  const start = performance.now();
  const S = sparseHessian(f, x);
  const first = (performance.now() - start) / 1e3;
  const err = check(S);
  if (!(err <= 1e-12)) throw new Error(`${problem}: sparseHessian differs from the closed form by ${err}`);
  const sparseMs = time(() => sparseHessian(f, x), quick, first).ms;
  const gradAndHvpMs = time(() => gradAndHvp(f, x, v), quick).ms;
  return { problem, n: x.length, nonzeros: S.rows.length, colors: S.colors, sparseMs, gradAndHvpMs, denseMs: null, err, reference: 'closed form' };
}

function againstDense(problem: string, f: (x: Tensor) => Scalar, x: Float64Array, quick: boolean): SparseHessianRow {
  const S = sparseHessian(f, x);
  const start = performance.now();
  const D = hessian(f, x);
  const denseFirst = (performance.now() - start) / 1e3;
  const err = errorAgainstDense(S, D);
  if (!(err <= 1e-12)) throw new Error(`${problem}: sparseHessian differs from hessian by ${err}`);
  const sparseMs = time(() => sparseHessian(f, x), quick).ms;
  const denseMs = time(() => hessian(f, x), quick, denseFirst).ms;
  return { problem, n: x.length, nonzeros: S.rows.length, colors: S.colors, sparseMs, gradAndHvpMs: null, denseMs, err, reference: 'dense hessian' };
}

export function sparseHessianSuite(quick: boolean): SparseHessianResult {
  const large = quick ? 10_000 : 100_000;
  const small = quick ? 300 : 1000;
  const xLarge = randomArray(large, 5, 1.5);
  const xSmall = randomArray(small, 5, 1.5);
  const rows: SparseHessianRow[] = [
    againstGradAndHvp('extended Rosenbrock, scalar ops', rosenbrock, xLarge, quick, (S) => errorAgainstRosenbrock(S, xLarge)),
    againstGradAndHvp('extended Rosenbrock, tensor ops', rosenbrockTensor, xLarge, quick, (S) => errorAgainstRosenbrock(S, xLarge)),
    againstDense('extended Rosenbrock, scalar ops', rosenbrock, xSmall, quick),
    againstDense('banded (bandwidth 2), tensor ops', banded, xSmall, quick),
    againstDense('arrowhead, tensor ops', arrowhead, xSmall.map((v) => v / 3), quick),
  ];
  // The closed-form H·v of the Rosenbrock suite agrees with the sparse Hessian times v (a cross-check
  // of the closed form used above against the one the Rosenbrock suite uses).
  const S = sparseHessian(rosenbrock, xSmall);
  const v = randomArray(small, 6);
  const Hv = new Float64Array(small);
  for (let k = 0; k < S.rows.length; k++) Hv[S.rows[k]] += S.values[k] * v[S.cols[k]];
  const reference = rosenbrockHvp(xSmall, v);
  const hvErr = Hv.reduce((m, h, k) => Math.max(m, Math.abs(h - reference[k])), 0) / reference.reduce((m, h) => Math.max(m, Math.abs(h)), 0);
  if (!(hvErr <= 1e-12)) throw new Error(`sparse Rosenbrock Hessian · v differs from the closed-form H·v by ${hvErr}`);
  return { suite: 'sparse-hessian', rows };
}
