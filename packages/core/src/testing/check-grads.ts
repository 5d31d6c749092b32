/**
 * checkGrads: does the engine's derivative of f agree with finite differences, and with itself?
 * The harness every built-in op is tested with, exported so users can run it on their own losses.
 *
 * For random directions d (seeded), it checks:
 *   order 1  ∇f·d  against the central difference (f(x + hd) − f(x − hd)) / 2h
 *            the dot-product test: jvp's J·d against ⟨∇f, d⟩ (forward and reverse agree)
 *   order 2  H·d  against the central difference of gradients (∇f(x + hd) − ∇f(x − hd)) / 2h
 *            symmetry uᵀ(H·d) = dᵀ(H·u) and gradAndHvp's ∇f against valueAndGrad's
 *   order k  for each j = 3…k, the j-th directional derivative D_j = ⟨∇D_{j−1}, d_j⟩ computed by
 *            nesting j − 1 transforms inside a j-th, against the central difference of D_{j−1} (the
 *            order below, itself checked); at order ≥ 3 also the third derivative by an hvp nested in
 *            a grad, ⟨∇(uᵀH(x)v), d⟩, against the same by three nested grads (symmetry of ∇³f).
 * @module
 */
import { DualtapeError } from '../errors.js';
import { Scalar, Tensor, tensor, type Node } from '../node.js';
import { dot } from '../ops/dot.js';
import { mul } from '../ops/mul.js';
import { reshape } from '../ops/reshape.js';
import { flatten, leavesOf, unflattenShaped, type Pytree } from '../pytree.js';
import { grad, gradAndHvp, hvp, jvp, valueAndGrad, type Differentiable } from '../transforms.js';

/**
 * Options of {@link checkGrads}: which orders to check, along how many random directions, and the
 * finite-difference step and tolerances.
 *
 * @example
 * ```ts
 * checkGrads(f, x, { order: 1, directions: 5, fdTolerance: 1e-5 });
 * ```
 */
export interface CheckGradsOptions {
  /**
   * 1: gradient only; 2 (default): gradient and Hessian-vector products; k ≥ 3: also every
   * directional derivative up to order k, by nested transforms.
   */
  readonly order?: number;
  /** Random directions to test (default 3). */
  readonly directions?: number;
  /** Finite-difference step, relative to max(1, ‖x‖∞) (default 1e-5). */
  readonly step?: number;
  /** Tolerance for comparisons against finite differences (default 1e-6, relative to the scale). */
  readonly fdTolerance?: number;
  /** Tolerance for the engine's own identities (default 1e-10, relative). */
  readonly exactTolerance?: number;
  /** Seed of the direction generator (default 1). */
  readonly seed?: number;
}

/**
 * One comparison made by {@link checkGrads}.
 *
 * @example
 * ```ts
 * const checks: GradCheck[] = checkGrads((x: Tensor) => x.exp().sum(), [0.1, 0.2]);
 * checks.every((check) => check.passed); // true
 * ```
 */
export interface GradCheck {
  /** What was compared, e.g. the gradient against a central difference. */
  readonly name: string;
  /** What the engine computed; for a vector comparison, the largest elementwise difference. */
  readonly engine: number;
  /** What it is compared with (a finite difference or another transform); 0 for a vector comparison. */
  readonly reference: number;
  /** |engine − reference| / max(1, |engine|, |reference|); for vectors, max difference / max(1, scale). */
  readonly error: number;
  /** True for a comparison of two vectors, reported by their largest elementwise difference. */
  readonly vector?: boolean;
  /** The largest error that passes. */
  readonly tolerance: number;
  /** error ≤ tolerance. */
  readonly passed: boolean;
}

/**
 * Thrown by {@link checkGrads} when a check fails; `checks` holds every comparison.
 *
 * @example
 * ```ts
 * try {
 *   checkGrads(myLoss, x0);
 * } catch (e) {
 *   if (e instanceof GradientCheckError) console.table(e.checks.filter((check) => !check.passed));
 * }
 * ```
 */
export class GradientCheckError extends DualtapeError {
  /** @param checks Every comparison made, passed or not. */
  constructor(message: string, readonly checks: readonly GradCheck[]) {
    super(message);
  }
}

/**
 * Checks f's derivatives at x against central finite differences and the engine's own identities.
 * Returns every comparison; throws {@link GradientCheckError} if any fails.
 *
 * @example
 * ```ts
 * import { checkGrads } from '@dualtape/core/testing';
 * checkGrads((x: Tensor) => x.tanh().mul(x).sum(), [0.3, -1.2], { order: 2 });
 * ```
 */
export function checkGrads<T extends Pytree>(f: Differentiable<T>, x: T, options: CheckGradsOptions = {}): GradCheck[] {
  const order = options.order ?? 2;
  const fdTol = options.fdTolerance ?? 1e-6;
  const exactTol = options.exactTolerance ?? 1e-10;
  const x0 = flatten(x);
  const n = x0.length;
  const h = (options.step ?? 1e-5) * Math.max(1, ...Array.from(x0, Math.abs));
  const random = seededUniform(options.seed ?? 1);
  // Each moved point in x's own form: a matrix leaf stays a matrix for f.
  const at = (flat: Float64Array) => unflattenShaped(x, flat);
  const shifted = (d: Float64Array, s: number) => at(x0.map((xi, k) => xi + s * d[k]));
  const shiftedBy = shifted;
  const valueGrad = valueAndGrad(f);
  const checks: GradCheck[] = [];
  const compare: Compare = (name, engine, reference, tolerance, scale) => {
    const error = Math.abs(engine - reference) / Math.max(1, scale ?? Math.max(Math.abs(engine), Math.abs(reference)));
    const passed = error <= tolerance && Number.isFinite(error);
    checks.push({ name, engine, reference, error, tolerance, passed, ...(scale === undefined ? {} : { vector: true }) });
  };

  const base = valueGrad(x);
  const g = flatten(base.grad as unknown as Pytree);
  for (let r = 0; r < (options.directions ?? 3); r++) {
    const d = Float64Array.from({ length: n }, () => 2 * random() - 1);
    const u = Float64Array.from({ length: n }, () => 2 * random() - 1);
    const fd = ((valueGrad(shifted(d, h)).value as number) - (valueGrad(shifted(d, -h)).value as number)) / (2 * h);
    compare(`∇f·d vs finite difference (direction ${r})`, dotOf(g, d), fd, fdTol);
    const forward = jvp(f, x, at(d)).tangent as number;
    compare(`jvp J·d vs ⟨∇f, d⟩ (direction ${r})`, forward, dotOf(g, d), exactTol);
    if (order < 2) continue;
    const hd = gradAndHvp(f, x, at(d));
    const Hd = flatten(hd.hvp as unknown as Pytree);
    const gPlus = flatten(valueGrad(shifted(d, h)).grad as unknown as Pytree);
    const gMinus = flatten(valueGrad(shifted(d, -h)).grad as unknown as Pytree);
    const fdHd = gPlus.map((gp, k) => (gp - gMinus[k]) / (2 * h));
    compareVectors(`H·d vs finite difference of ∇f (direction ${r})`, Hd, fdHd, fdTol, compare);
    compareVectors(`gradAndHvp ∇f vs valueAndGrad ∇f (direction ${r})`, flatten(hd.grad as unknown as Pytree), g, exactTol, compare);
    const Hu = flatten(gradAndHvp(f, x, at(u)).hvp as unknown as Pytree);
    compare(`symmetry uᵀ(H·d) = dᵀ(H·u) (direction ${r})`, dotOf(u, Hd), dotOf(d, Hu), exactTol);
    if (order < 3) continue;
    const dirs = Array.from({ length: order }, () => Float64Array.from({ length: n }, () => 2 * random() - 1));
    const value = (g: Differentiable<T>, point: T) => valueAndGrad(g)(point).value as number;
    let below: Differentiable<T> = directional(f, dirs[0]);
    for (let j = 2; j <= order; j++) {
      const Dj = directional(below, dirs[j - 1]);
      const fdj = (value(below, shiftedBy(dirs[j - 1], h)) - value(below, shiftedBy(dirs[j - 1], -h))) / (2 * h);
      compare(`order ${j}: ${j - 1} transforms nested in a grad vs finite difference of order ${j - 1} (direction ${r})`,
        value(Dj, x), fdj, fdTol);
      below = Dj;
    }
    // ∇³f[d₁, d₂, d₃] once more, as ⟨∇(d₁ᵀ H(x) d₂), d₃⟩ with an hvp nested in a grad.
    const viaHvp = (xn: never) => dotWith(hvp(f, xn as T, at(dirs[1])) as unknown as Pytree, dirs[0]);
    const third = dotOf(flatten(valueAndGrad(viaHvp)(x).grad as unknown as Pytree), dirs[2]);
    const threeGrads = value(directional(directional(directional(f, dirs[0]), dirs[1]), dirs[2]), x);
    compare(`∇³f by an hvp nested in a grad vs by three nested grads (direction ${r})`, third, threeGrads, exactTol * 100);
  }
  const failed = checks.filter((c) => !c.passed);
  if (failed.length > 0) {
    const lines = failed.map((c) => c.vector
      ? `  ${c.name}: largest elementwise difference ${c.engine}, relative to the scale ${c.error.toExponential(2)} > ${c.tolerance}`
      : `  ${c.name}: engine ${c.engine}, expected ${c.reference}, relative difference ${c.error.toExponential(2)} > ${c.tolerance}`);
    throw new GradientCheckError(`checkGrads: ${failed.length} of ${checks.length} checks failed\n${lines.join('\n')}`, checks);
  }
  return checks;
}

/** x ↦ ⟨∇g(x), d⟩: a grad nested in whatever transform calls it. */
function directional<T extends Pytree>(g: Differentiable<T>, d: Float64Array): Differentiable<T> {
  return ((xn: never) => dotWith(grad(g as never)(xn) as unknown as Pytree, d)) as Differentiable<T>;
}

/** Σ over the leaves of a tree of nodes (a gradient inside f) of leaf·d, d flat in flatten order. */
function dotWith(tree: Pytree, d: Float64Array): Scalar {
  let at = 0;
  let total: Scalar | null = null;
  for (const { value } of leavesOf(tree)) {
    const node = value as Node;
    let term: Scalar;
    if (node instanceof Scalar) term = mul(node, d[at++]) as Scalar;
    else {
      const t = node as Tensor;
      term = dot(reshape(t, [t.size]), tensor(d.slice(at, at + t.size)));
      at += t.size;
    }
    total = total ? (total.add(term) as Scalar) : term;
  }
  if (!total) throw new DualtapeError('checkGrads: x has no parameters');
  return total;
}

/** Records one comparison; `scale` marks a vector comparison (engine = largest difference, reference 0). */
type Compare = (name: string, engine: number, reference: number, tolerance: number, scale?: number) => void;

/** Compares two vectors by their largest elementwise difference relative to their scale. */
function compareVectors(name: string, engine: Float64Array, reference: Float64Array, tolerance: number, compare: Compare): void {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < engine.length; k++) {
    diff = Math.max(diff, Math.abs(engine[k] - reference[k]));
    scale = Math.max(scale, Math.abs(engine[k]), Math.abs(reference[k]));
  }
  compare(name, diff, 0, tolerance, scale);
}

function dotOf(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/**
 * mulberry32: a small, fast, seeded generator of uniforms in [0, 1).
 *
 * @example
 * ```ts
 * const uniform = seededUniform(42);
 * const x0 = Array.from({ length: 3 }, () => 2 * uniform() - 1); // the same point on every run
 * ```
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
