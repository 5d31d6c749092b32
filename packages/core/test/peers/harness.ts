// The harness of the peer suites (test/peers/*.test.ts): plain n-d arrays for references written
// in loops, seeded normal inputs, and `checkCase`, our counterpart of autograd's
// `check_grads(fun, modes=['fwd', 'rev'], order=2)` for a function of one or more arrays that may
// return an array: the value against a plain-JS reference, the jvp of the whole output against
// central differences of its value, and — for a fixed random weighting w of the output, L = Σ w·f
// (optionally Σ w·sin f, autograd's old `to_scalar`) — ∇L and H·v against central differences by
// `checkGrads`, up to the order asked; vjp's pullback of w against that gradient; and compile's
// replays against fresh transforms, bit for bit.
import { expect } from 'vitest';
import { Scalar, compile, grad, gradAndHvp, jvp, tensor, vjp, type Node, type Tensor } from '../../src/index.js';
import { checkGrads, seededUniform } from '../../src/testing/index.js';

/** A plain row-major n-d array: the references never touch an op. */
export interface Arr {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** The multi-index of flat position k. */
export function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = k % shape[a];
    k = Math.floor(k / shape[a]);
  }
  return idx;
}

/** The flat position of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let k = 0;
  for (let a = 0; a < shape.length; a++) k = k * shape[a] + idx[a];
  return k;
}

export const arr = (shape: readonly number[], data: ArrayLike<number>): Arr => {
  expect(data.length).toBe(sizeOf(shape));
  return { shape: [...shape], data: Float64Array.from(data) };
};
export const scalarArr = (v: number): Arr => ({ shape: [], data: Float64Array.of(v) });
export const get = (a: Arr, idx: readonly number[]) => a.data[ravel(idx, a.shape)];

/** The array of the given shape whose element at each multi-index is fn(index). */
export function fromFn(shape: readonly number[], fn: (idx: number[]) => number): Arr {
  const data = new Float64Array(sizeOf(shape));
  for (let k = 0; k < data.length; k++) data[k] = fn(unravel(k, shape));
  return { shape: [...shape], data };
}

export const mapArr = (a: Arr, fn: (v: number) => number): Arr => ({ shape: a.shape, data: a.data.map(fn) });

/** NumPy broadcasting of two arrays, elementwise fn. */
export function broadcast2(a: Arr, b: Arr, fn: (x: number, y: number) => number): Arr {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a.shape), sb = pad(b.shape);
  const shape = sa.map((d, k) => {
    expect(d === sb[k] || d === 1 || sb[k] === 1).toBe(true);
    return d === 1 ? sb[k] : d;
  });
  return fromFn(shape, (idx) => fn(
    a.data[ravel(idx.map((i, k) => (sa[k] === 1 ? 0 : i)), sa)],
    b.data[ravel(idx.map((i, k) => (sb[k] === 1 ? 0 : i)), sb)],
  ));
}

/** NumPy's reduction over `axis` (null: all), with keepdims, by fn of the reduced elements in order. */
export function reduce(a: Arr, axis: number | readonly number[] | null, keepdims: boolean, fn: (xs: number[]) => number): Arr {
  const rank = a.shape.length;
  const axes = axis === null ? a.shape.map((_, k) => k) : (typeof axis === 'number' ? [axis] : [...axis]).map((x) => (x < 0 ? x + rank : x));
  const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let k = 0; k < a.data.length; k++) {
    const key = ravel(unravel(k, a.shape).map((i, ax) => (axes.includes(ax) ? 0 : i)), kept);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(a.data[k]);
  }
  const out = fromFn(kept, (idx) => fn(groups.get(ravel(idx, kept))!));
  return keepdims ? out : { shape: kept.filter((_, k) => !axes.includes(k)), data: out.data };
}

/** Seeded standard normals (Box–Muller on mulberry32), NumPy's `randn` for our own seed. */
export function normals(seed: number): (...shape: number[]) => Arr {
  const u = seededUniform(seed);
  return (...shape: number[]) => fromFn(shape, () => {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    return r * Math.cos(2 * Math.PI * u());
  });
}
/** Seeded uniforms in [0, 1) as arrays, NumPy's `rand`. */
export function uniforms(seed: number): (...shape: number[]) => Arr {
  const u = seededUniform(seed);
  return (...shape: number[]) => fromFn(shape, () => u());
}

/** An input of f: a number for a 0-d array (f gets a Scalar), a flat vector otherwise (reshaped for f). */
type Leaf = number | Float64Array;
const leafOf = (a: Arr): Leaf => (a.shape.length === 0 ? a.data[0] : Float64Array.from(a.data));
const nodeOf = (leaf: Node, a: Arr): Node => (a.shape.length <= 1 ? leaf : (leaf as Tensor).reshape(a.shape));
const flatOut = (v: number | Float64Array): Float64Array => (typeof v === 'number' ? Float64Array.of(v) : v);

export interface CaseOptions {
  /** Highest order checked by `checkGrads` (autograd: 2; its `d_fun` cases: one more). */
  readonly order?: number;
  /** Tolerances of the value and of the finite-difference comparisons. */
  readonly valueTolerance?: number;
  readonly fdTolerance?: number;
  /** Scalarize as Σ w·sin f (autograd's `to_scalar`) instead of Σ w·f. */
  readonly sin?: boolean;
  readonly seed?: number;
  /** Check compile's replays too (default true; off where f picks with plain numbers read from x.value). */
  readonly replay?: boolean;
}

/** The weighted scalar Σ w·f (or Σ w·sin f) of an output node. */
function weighted(y: Node, w: Float64Array, useSin: boolean): Scalar {
  const z = useSin ? y.sin() : y;
  if (z instanceof Scalar) return z.mul(w[0]);
  return z.mul(tensor(w, z.shape)).sum();
}

/**
 * autograd's check_grads for f of the given arrays, with `reference` computing the value in plain JS.
 * Returns the engine's output value (flat) for any further assertion.
 */
export function checkCase(f: (...xs: Node[]) => Node, inputs: readonly Arr[], reference: (...xs: Arr[]) => Arr, options: CaseOptions = {}): Float64Array {
  const leaves = inputs.map(leafOf);
  // Keyed x0, x1, …: an array of numbers would be one vector leaf.
  const keyed = <V>(vs: readonly V[]) => Object.fromEntries(vs.map((v, k) => [`x${k}`, v])) as Record<string, V>;
  const G = (p: Record<string, Node>) => f(...inputs.map((a, k) => nodeOf(p[`x${k}`], a)));
  const point = keyed(leaves);
  const zeroDir = keyed(leaves.map((l) => (typeof l === 'number' ? 0 : new Float64Array(l.length))));

  // The value, against the plain reference (shape and numbers).
  const want = reference(...inputs);
  const got = jvp(G as never, point as never, zeroDir as never);
  const value = flatOut(got.value as unknown as number | Float64Array);
  expect(value.length).toBe(want.data.length);
  const vtol = options.valueTolerance ?? 1e-12;
  for (let k = 0; k < value.length; k++) {
    expect(Math.abs(value[k] - want.data[k])).toBeLessThanOrEqual(vtol * Math.max(1, Math.abs(want.data[k])));
  }

  // Forward mode: the jvp of the whole output against central differences of the value.
  const u = seededUniform(options.seed ?? 7);
  const dirs = leaves.map((l) => (typeof l === 'number' ? 2 * u() - 1 : l.map(() => 2 * u() - 1)));
  const dir = keyed(dirs);
  const scale = Math.max(1, ...leaves.flatMap((l) => (typeof l === 'number' ? [Math.abs(l)] : Array.from(l, Math.abs))));
  const h = 1e-5 * scale;
  const moved = (s: number) => keyed(leaves.map((l, k) => {
    const d = dirs[k];
    return typeof l === 'number' ? l + s * (d as number) : l.map((x, j) => x + s * (d as Float64Array)[j]);
  }));
  const valueAt = (p: object) => flatOut(jvp(G as never, p as never, zeroDir as never).value as unknown as number | Float64Array);
  const up = valueAt(moved(h)), down = valueAt(moved(-h));
  const tangent = flatOut(jvp(G as never, point as never, dir as never).tangent as unknown as number | Float64Array);
  const fdTol = options.fdTolerance ?? 1e-6;
  const ymax = Math.max(1, ...Array.from(tangent, Math.abs));
  for (let k = 0; k < tangent.length; k++) {
    expect(Math.abs(tangent[k] - (up[k] - down[k]) / (2 * h)) / ymax).toBeLessThanOrEqual(fdTol);
  }

  // Reverse mode and second order (and beyond): a fixed random weighting of the output.
  const w = Float64Array.from(value, () => 2 * u() - 1);
  const L = (p: Record<string, Node>) => weighted(G(p), w, options.sin ?? false);
  checkGrads(L as never, point as never, { order: options.order ?? 2, fdTolerance: fdTol, seed: options.seed ?? 1 });

  // Reverse mode as autograd's 'rev' check does it: vjp's pullback of w is ∇(Σ w·f) (without sin only).
  if (!options.sin) {
    const pulled = vjp(G as never, point as never).pullback((typeof got.value === 'number' ? w[0] : w) as never) as unknown as Record<string, number | Float64Array>;
    const direct = grad(L as never)(point as never) as unknown as Record<string, number | Float64Array>;
    for (const key of Object.keys(point)) {
      const a = flatOut(pulled[key]), b = flatOut(direct[key]);
      expect(a.length).toBe(b.length);
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[k])));
    }
  }
  // compile: a replay of the recording at x, at x and at two moved points, gives the transforms' numbers bit for bit.
  if (options.replay ?? true) {
    const program = compile(L as never, point as never);
    for (const s of [0, 0.3, -0.7]) {
      const at = s === 0 ? point : moved(s);
      const replay = program.gradAndHvp(at as never, dir as never) as unknown as { value: number; grad: Record<string, number | Float64Array>; hvp: Record<string, number | Float64Array> };
      const fresh = gradAndHvp(L as never, at as never, dir as never) as unknown as typeof replay;
      expect(replay.value).toBe(fresh.value);
      for (const key of Object.keys(point)) {
        expect(Array.from(flatOut(replay.grad[key]))).toEqual(Array.from(flatOut(fresh.grad[key])));
        expect(Array.from(flatOut(replay.hvp[key]))).toEqual(Array.from(flatOut(fresh.hvp[key])));
      }
    }
  }
  return value;
}
