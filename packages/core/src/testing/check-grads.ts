/**
 * checkGrads: does the engine's derivative of f agree with finite differences, and with itself?
 * The harness every built-in op is tested with, exported so users can run it on their own losses.
 *
 * For random directions d (seeded), it checks:
 *   order 1  ∇f·d  against the central difference (f(x + hd) − f(x − hd)) / 2h
 *            the dot-product test: jvp's J·d against ⟨∇f, d⟩ (forward and reverse agree)
 *   order 2  H·d  against the central difference of gradients (∇f(x + hd) − ∇f(x − hd)) / 2h
 *            symmetry uᵀ(H·d) = dᵀ(H·u) and gradAndHvp's ∇f against valueAndGrad's
 * @module
 */
import { DualtapeError } from '../errors.js';
import { flatten, unflatten, type Pytree } from '../pytree.js';
import { gradAndHvp, jvp, valueAndGrad, type Differentiable } from '../transforms.js';

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
  /** 1: gradient only; 2 (default): gradient and Hessian-vector products. */
  readonly order?: 1 | 2;
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

/** One comparison made by {@link checkGrads}. */
export interface GradCheck {
  readonly name: string;
  readonly engine: number;
  readonly reference: number;
  /** |engine − reference| / max(1, |engine|, |reference|) — or of vector norms. */
  readonly error: number;
  readonly tolerance: number;
  readonly passed: boolean;
}

/** Thrown by {@link checkGrads} when a check fails; `checks` holds every comparison. */
export class GradientCheckError extends DualtapeError {
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
  const at = (flat: Float64Array) => unflatten(x, flat) as unknown as T;
  const shifted = (d: Float64Array, s: number) => at(x0.map((xi, k) => xi + s * d[k]));
  const valueGrad = valueAndGrad(f);
  const checks: GradCheck[] = [];
  const compare = (name: string, engine: number, reference: number, tolerance: number) => {
    const error = Math.abs(engine - reference) / Math.max(1, Math.abs(engine), Math.abs(reference));
    checks.push({ name, engine, reference, error, tolerance, passed: error <= tolerance && Number.isFinite(error) });
  };

  const base = valueGrad(x);
  const g = flatten(base.grad as unknown as Pytree);
  for (let r = 0; r < (options.directions ?? 3); r++) {
    const d = Float64Array.from({ length: n }, () => 2 * random() - 1);
    const u = Float64Array.from({ length: n }, () => 2 * random() - 1);
    const fd = (valueGrad(shifted(d, h)).value - valueGrad(shifted(d, -h)).value) / (2 * h);
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
  }
  const failed = checks.filter((c) => !c.passed);
  if (failed.length > 0) {
    const lines = failed.map((c) => `  ${c.name}: engine ${c.engine}, reference ${c.reference}, error ${c.error.toExponential(2)} > ${c.tolerance}`);
    throw new GradientCheckError(`checkGrads: ${failed.length} of ${checks.length} checks failed\n${lines.join('\n')}`, checks);
  }
  return checks;
}

type Compare = (name: string, engine: number, reference: number, tolerance: number) => void;

/** Compares two vectors by the norm of their difference relative to their scale. */
function compareVectors(name: string, engine: Float64Array, reference: Float64Array, tolerance: number, compare: Compare): void {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < engine.length; k++) {
    diff = Math.max(diff, Math.abs(engine[k] - reference[k]));
    scale = Math.max(scale, Math.abs(engine[k]), Math.abs(reference[k]));
  }
  // Reported as one comparison whose "engine" is the scale-relative max difference over the elements.
  compare(name, diff / Math.max(1, scale), 0, tolerance);
}

function dotOf(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** mulberry32: a small, fast, seeded generator of uniforms in [0, 1). */
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
