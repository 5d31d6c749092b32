// Shared by the autograd peer suites (test/peers/autograd-*.test.ts): seeded NumPy-style inputs
// (npr.randn, npr.rand), autograd's check_grads(fun, modes=['fwd', 'rev'], order=2) expressed with
// our checkGrads, and a small NumPy reference written in plain loops (never through the ops under
// test) for the values: an element-wise builder, broadcasting, reductions and einsum.
import { expect } from 'vitest';
import { Scalar, Tensor, isNode, mul, reshape, scalar, square, sum, tensor, type Differentiable, type Node } from '../../src/index.js';
import { checkGrads, type CheckGradsOptions } from '../../src/testing/index.js';
import { random } from '../dense-matrices.js';

/**
 * A plain n-d array: row-major data and its shape ([] for a 0-d array). `python` marks a Python float
 * (autograd's scalar inputs such as 0.6), passed to our ops as a Scalar node rather than a 0-d tensor.
 */
export interface Arr { readonly shape: readonly number[]; readonly data: readonly number[]; readonly python?: boolean }
/** A Python float. */
export const py = (v: number): Arr => ({ shape: [], data: [v], python: true });

const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
export const arr = (shape: readonly number[], data: readonly number[]): Arr => {
  expect(data.length).toBe(sizeOf(shape));
  return { shape: [...shape], data: [...data] };
};

/** npr.randn(*shape) from a seeded stream (Box–Muller on mulberry32). */
export function normals(seed: number): (...shape: number[]) => Arr {
  const u = random(seed);
  const one = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return (...shape) => ({ shape, data: Array.from({ length: sizeOf(shape) }, one) });
}
/** npr.rand(*shape): uniforms in [0, 1). */
export function uniforms(seed: number): (...shape: number[]) => Arr {
  const u = random(seed);
  return (...shape) => ({ shape, data: Array.from({ length: sizeOf(shape) }, u) });
}

/** The node of an input, in its shape (a 0-d tensor for shape []). */
export const node = (a: Arr): Tensor => tensor([...a.data], [...a.shape]);
/** The constant an input stands for: a Scalar for a Python float, else a tensor. */
export const constant = (a: Arr): Tensor | Scalar => (a.python ? scalar(a.data[0]) : node(a));

/** What a checked function may return: a node, or a list or record of them (autograd's tuple outputs). */
export type Out = Node | number | readonly Out[] | { readonly [key: string]: Out };

function leavesOf(out: Out, into: Node[] = []): Node[] {
  if (typeof out === 'number') return into;
  if (isNode(out)) into.push(out);
  else if (Array.isArray(out)) for (const o of out) leavesOf(o, into);
  else for (const o of Object.values(out as Record<string, Out>)) leavesOf(o, into);
  return into;
}

/**
 * autograd's check_grads(fun, modes=['fwd', 'rev'], order=2) for fun of the listed arguments (its
 * argnums: all of them, jointly, as one pytree). The outputs are reduced to one scalar by fixed random
 * weights, Σ w·y + Σ c·y²/4: the linear part is autograd's random output cotangent (check_vjp); the
 * quadratic part makes that cotangent depend on y, so the second-order check also reaches the terms
 * of a rule that carry the derivative of the incoming adjoint (R{ȳ}), which vanish under a linear
 * loss. checkGrads then checks ∇f·d against central differences (reverse mode), the jvp against
 * ⟨∇f, d⟩ (forward mode) and H·d against central differences of the gradient (order 2).
 */
export function checkLikeAutograd(fun: (...xs: any[]) => Out, args: readonly Arr[], options: CheckGradsOptions = {}): void {
  const weights = normals(7919);
  const x: Record<string, number[] | number> = {};
  args.forEach((a, k) => { x[`a${k}`] = a.python ? a.data[0] : [...a.data]; });
  const f = (p: Record<string, Tensor | Scalar>) => {
    const out = fun(...args.map((a, k) => (a.python ? p[`a${k}`] : reshape(p[`a${k}`] as Tensor, [...a.shape]))));
    let total: Scalar | null = null;
    for (const [k, leaf] of leavesOf(out).entries()) {
      const shape = leaf instanceof Tensor ? leaf.shape : [];
      if (sizeOf(shape) === 0) continue;
      const w = weightsFor(weights, 2 * k, shape), c = weightsFor(weights, 2 * k + 1, shape);
      const term = leaf instanceof Scalar
        ? mul(leaf, w.data[0]).add(mul(square(leaf), c.data[0] / 4))
        : sum(mul(leaf as Tensor, node(w))).add(sum(mul(square(leaf as Tensor), node(map(c, (v) => v / 4)))));
      total = total ? (total.add(term) as Scalar) : (term as Scalar);
    }
    return total ?? 0;
  };
  checkGrads(f as unknown as Differentiable<typeof x>, x, { order: 2, ...options });
}
const weightCache = new Map<string, Arr>();
function weightsFor(gen: (...shape: number[]) => Arr, k: number, shape: readonly number[]): Arr {
  const key = `${k}:${shape.join(',')}`;
  let w = weightCache.get(key);
  if (!w) { w = gen(...shape); weightCache.set(key, w); }
  return w;
}

/** Every combination of one choice per list (itertools.product), for autograd's combo_check. */
export function product<T extends readonly unknown[]>(...lists: { [K in keyof T]: readonly T[K][] }): T[] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]) as unknown as T[];
}

// ---- A plain NumPy reference ------------------------------------------------------------------------

/** The element of a at a multi-index. */
export function at(a: Arr, idx: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < a.shape.length; d++) flat = flat * a.shape[d] + idx[d];
  return a.data[flat];
}
/** An array of the shape whose element at each multi-index is f(index). */
export function build(shape: readonly number[], f: (idx: number[]) => number): Arr {
  const data: number[] = [];
  const idx = shape.map(() => 0);
  const n = sizeOf(shape);
  for (let k = 0; k < n; k++) {
    data.push(f([...idx]));
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape: [...shape], data };
}
export const map = (a: Arr, f: (v: number) => number): Arr => ({ shape: a.shape, data: a.data.map(f) });

/** NumPy broadcasting of two arrays through f. */
export function broadcast2(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const r = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array(r - a.shape.length).fill(1), ...a.shape], pb = [...new Array(r - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, k) => (d === 1 ? pb[k] : d));
  const pick = (p: number[], idx: number[]) => idx.map((i, k) => (p[k] === 1 ? 0 : i));
  return build(shape, (idx) => f(at({ shape: pa, data: a.data }, pick(pa, idx)), at({ shape: pb, data: b.data }, pick(pb, idx))));
}

/** A reduction over axes (null: all) by f of the reduced elements, keepdims as NumPy's. */
export function reduce(a: Arr, axis: number | readonly number[] | null, keepdims: boolean, f: (xs: number[]) => number): Arr {
  const axes = axis === null ? a.shape.map((_, k) => k) : (typeof axis === 'number' ? [axis] : [...axis]).map((k) => (k < 0 ? k + a.shape.length : k));
  const kept = a.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const inner = a.shape.map((d, k) => (axes.includes(k) ? d : 1));
  const out = build(kept, (idx) => {
    const xs: number[] = [];
    build(inner, (j) => { xs.push(at(a, idx.map((i, k) => (axes.includes(k) ? j[k] : i)))); return 0; });
    return f(xs);
  });
  return keepdims ? out : { shape: kept.filter((_, k) => !axes.includes(k)), data: out.data };
}

/**
 * numpy.einsum in plain loops: letters, '->' and '...' (aligned from the right, size-1 broadcasting),
 * every label summed that is not in the output; without '->' the output is '...' then the letters used
 * once, sorted.
 */
export function einsumRef(subscripts: string, ...xs: Arr[]): Arr {
  const [lhs, rhsGiven] = subscripts.replace(/\s/g, '').split('->');
  const terms = lhs.split(',');
  const ell = Math.max(0, ...terms.map((t, k) => (t.includes('...') ? xs[k].shape.length - t.replace('...', '').length : 0)));
  const ellLabels = Array.from({ length: ell }, (_, k) => String.fromCharCode(0x3b1 + k)); // α, β, … for the '...' axes
  const expand = (t: string, rank: number) => {
    if (!t.includes('...')) return t.split('');
    const [before, after] = t.split('...');
    const n = rank - before.length - after.length;
    return [...before.split(''), ...ellLabels.slice(ell - n), ...after.split('')];
  };
  const labelled = terms.map((t, k) => expand(t, xs[k].shape.length));
  const sizes = new Map<string, number>();
  labelled.forEach((ls, k) => ls.forEach((l, d) => { const s = xs[k].shape[d]; sizes.set(l, Math.max(sizes.get(l) ?? 1, s)); }));
  let out: string[];
  if (rhsGiven !== undefined) out = expand(rhsGiven, rhsGiven.replace('...', '').length + (rhsGiven.includes('...') ? ell : 0));
  else {
    const counts = new Map<string, number>();
    terms.join('').replace(/\.\.\./g, '').split('').forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
    out = [...ellLabels, ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  }
  const summed = [...sizes.keys()].filter((l) => !out.includes(l));
  return build(out.map((l) => sizes.get(l)!), (idx) => {
    const fixed = new Map(out.map((l, k) => [l, idx[k]]));
    let total = 0;
    build(summed.map((l) => sizes.get(l)!), (j) => {
      const value = new Map([...fixed, ...summed.map((l, k) => [l, j[k]] as const)]);
      total += xs.reduce((p, x, k) => p * at(x, labelled[k].map((l, d) => (x.shape[d] === 1 ? 0 : value.get(l)!))), 1);
      return 0;
    });
    return total;
  });
}

/** Our result (a node) equals the reference: same shape, entries within tol relative to max(1, |ref|∞). */
export function expectClose(got: Node | Out, want: Arr, tol = 1e-12): void {
  const n = got as Node;
  expect(n instanceof Tensor ? [...n.shape] : []).toEqual([...want.shape]);
  const data = n instanceof Tensor ? Array.from(n.data) : [(n as Scalar).value];
  const scale = Math.max(1, ...want.data.map(Math.abs));
  const worst = data.reduce((m, v, k) => Math.max(m, Math.abs(v - want.data[k])), 0);
  expect(worst / scale).toBeLessThanOrEqual(tol);
}
