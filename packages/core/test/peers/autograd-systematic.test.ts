// Peer suite: the cases of HIPS/autograd's tests/test_systematic.py (commit b7b4a5f4, the version with
// the most cases; inputs built as tests/numpy_utils.py at 03b7ac8e builds them), ported as our own
// TypeScript. autograd's combo_check(fun, argnums, *arg_lists, **kwarg_lists) runs
// check_grads(fun, modes=['fwd', 'rev'], order=2) on every combination of the listed arguments and
// keyword values; each `it` below loops over the same combinations (product), checks the value against
// a plain-loop NumPy reference (test/peers/autograd-check.ts) and the derivatives to second order
// with checkLikeAutograd. The differentiated arguments (argnums) are all passed jointly, as one pytree.
//
// Conventions where NumPy differs and we test ours (docs/conventions.md):
// - np.trace of a 3-D array traces axes 0 and 1; our matrixTrace the last two (numpy.linalg.trace),
//   so the 3-D case moves those axes last first.
// - np.dot of N-d arrays is tensordot over (a's last, b's second-to-last) axes; our dot is 1-D·1-D only
//   (the N-d cases below are tensordot, the vector case dot itself).
// - Python floats (autograd's 0.6, 1.5) are Scalar nodes; 0-d arrays (npr.randn()) 0-d tensors.
// - std/var of a reduction over one element (D = randn(1, 3), axis 0): the gradient is 0, our
//   documented subgradient at zero spread.
import { describe, expect, it } from 'vitest';
import {
  abs, acosh, add, asinh, atanh, ceil, concat, cos, cosh, div, dot, einsum, exp, exp2, expm1, floor, log, log10, log1p, log2,
  logAddExp, matmul, matrixTrace, max, maximum, mean, min, minimum, moveAxis, mul, pow, prod, repeat, sign, sin, sinh, slice, sort,
  split, sqrt, square, stack, std, sub, sum, swapAxes, tan, tanh, tensordot, tile, transpose, tril, triu, diag, variance, reshape,
  Scalar, diff, kron, remainder, type Tensor,
} from '../../src/index.js';
import {
  at, broadcast2, build, checkLikeAutograd, constant, einsumRef, expectClose, map, normals, product, py, reduce, uniforms, type Arr,
} from './autograd-check.js';

const R = normals(0); // npr.seed(0)
const U = uniforms(10);
type Node1 = Tensor | Scalar;

/** Plain tensordot: a's axes `as` against b's `bs`, via einsumRef with generated labels. */
function tensordotRef(a: Arr, b: Arr, as: readonly number[], bs: readonly number[]): Arr {
  const norm = (k: number, r: number) => (k < 0 ? k + r : k);
  const la = a.shape.map((_, k) => String.fromCharCode(97 + k));
  const lb = b.shape.map((_, k) => String.fromCharCode(110 + k));
  as.forEach((k, j) => { lb[norm(bs[j], b.shape.length)] = la[norm(k, a.shape.length)]; });
  const out = [...la.filter((_, k) => !as.map((q) => norm(q, a.shape.length)).includes(k)), ...lb.filter((_, k) => !bs.map((q) => norm(q, b.shape.length)).includes(k))];
  return einsumRef(`${la.join('')},${lb.join('')}->${out.join('')}`, a, b);
}
const rank = (a: Arr) => a.shape.length;
const scaled = (lims: readonly [number, number]) => (a: Arr): Arr => ({ ...a, data: a.data.map((v) => v * (lims[1] - lims[0]) + lims[0]) });

// ---- stat_check: reductions ------------------------------------------------------------------------

describe('stat_check (test_max, test_min, test_mean, test_sum, test_prod, test_var, test_std)', () => {
  const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const varOf = (xs: number[]) => meanOf(xs.map((v) => (v - meanOf(xs)) ** 2));
  const stats: [string, (x: Tensor, axis: number | undefined, keepDims: boolean) => Node1, (xs: number[]) => number][] = [
    ['max', (x, a, k) => (a === undefined && !k ? max(x) : max(x, a, k as true)), (xs) => Math.max(...xs)],
    ['min', (x, a, k) => (a === undefined && !k ? min(x) : min(x, a, k as true)), (xs) => Math.min(...xs)],
    ['mean', (x, a, k) => (a === undefined && !k ? mean(x) : mean(x, a, k as true)), meanOf],
    ['sum', (x, a, k) => (a === undefined && !k ? sum(x) : sum(x, a, k as true)), (xs) => xs.reduce((s, v) => s + v, 0)],
    ['prod', (x, a, k) => (a === undefined && !k ? prod(x) : prod(x, a, k as true)), (xs) => xs.reduce((s, v) => s * v, 1)],
    ['var', (x, a, k) => (a === undefined && !k ? variance(x) : variance(x, a, { keepDims: k } as { keepDims: true })), varOf],
    ['std', (x, a, k) => (a === undefined && !k ? std(x) : std(x, a, { keepDims: k } as { keepDims: true })), (xs) => Math.sqrt(varOf(xs))],
  ];
  const x = { shape: [], data: [3.5] }, A = R(), B = R(3), C = R(2, 3), D = R(1, 3);
  for (const [name, fun, plain] of stats) {
    it(`test_${name}`, () => {
      const check = (arg: Arr, axis: number | undefined, keepDims: boolean) => {
        const want = reduce(arg, axis ?? null, keepDims, plain);
        expectClose(fun(constant(arg) as Tensor, axis, keepDims), want, 1e-14);
        checkLikeAutograd((t: Tensor) => fun(t, axis, keepDims), [arg]);
      };
      for (const arg of [x, A]) check(arg, undefined, false);
      for (const [arg, axis, keepDims] of product<[Arr, number | undefined, boolean]>([B, C, D], [undefined, 0], [true, false])) check(arg, axis, keepDims);
      for (const [arg, axis, keepDims] of product<[Arr, number | undefined, boolean]>([C, D], [undefined, 0, 1], [true, false])) check(arg, axis, keepDims);
    });
  }
});

// ---- unary_ufunc_check --------------------------------------------------------------------------

describe('unary_ufunc_check', () => {
  const cases: [string, (x: Node1) => Node1, (v: number) => number, [number, number]?][] = [
    ['sin', sin, Math.sin], ['abs', abs, Math.abs, [0.1, 4]], ['absolute', abs, Math.abs, [0.1, 4]],
    ['arccosh', acosh, Math.acosh, [1.1, 4]], ['arcsinh', asinh, Math.asinh, [-0.9, 0.9]], ['arctanh', atanh, Math.atanh, [-0.9, 0.9]],
    ['ceil', ceil, Math.ceil, [-1.5, 1.5]], ['cos', cos, Math.cos], ['cosh', cosh, Math.cosh],
    // deg2rad, degrees, rad2deg, radians are not ops: a user multiplies by the constant.
    ['deg2rad', (x) => mul(x, Math.PI / 180), (v) => (v * Math.PI) / 180], ['degrees', (x) => div(mul(x, 180 / Math.PI), 50), (v) => (v * 180) / Math.PI / 50],
    ['exp', exp, Math.exp], ['exp2', exp2, (v) => 2 ** v], ['expm1', expm1, Math.expm1], ['fabs', abs, Math.abs],
    ['floor', floor, Math.floor, [-1.5, 1.5]], ['log', log, Math.log, [0.2, 2]], ['log10', log10, Math.log10, [0.2, 2]],
    ['log1p', log1p, Math.log1p, [0.2, 2]], ['log2', log2, Math.log2, [0.2, 2]],
    ['rad2deg', (x) => div(mul(x, 180 / Math.PI), 50), (v) => (v * 180) / Math.PI / 50], ['radians', (x) => mul(x, Math.PI / 180), (v) => (v * Math.PI) / 180],
    ['sign', sign, Math.sign], ['sinh', sinh, Math.sinh], ['sqrt', sqrt, Math.sqrt, [1, 3]], ['square', square, (v) => v * v],
    ['tan', tan, Math.tan, [-1.1, 1.1]], ['tanh', tanh, Math.tanh],
  ];
  for (const [name, fun, plain, lims = [-2, 2]] of cases) {
    it(`test_${name}: a Python float, a vector of 2, 3×2 and 1×2 in [${lims}]`, () => {
      const t = scaled(lims as [number, number]);
      for (const arg of [py(t(py(0.4)).data[0]), t(U(2)), t(U(3, 2)), t(U(1, 2))]) {
        expectClose(fun(constant(arg)), map(arg, plain), 1e-15 * 4);
        checkLikeAutograd(fun, [arg]);
      }
    });
  }
});

// ---- binary_ufunc_check -------------------------------------------------------------------------

describe('binary_ufunc_check', () => {
  const ln2 = Math.LN2;
  const cases: [string, (a: Node1, b: Node1) => Node1, (a: number, b: number) => number, [number, number]?, [number, number]?][] = [
    ['add', add, (a, b) => a + b],
    ['logaddexp', logAddExp, (a, b) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)))],
    // logaddexp2 is not an op: log₂(2ᵃ + 2ᵇ) = logAddExp(a·ln 2, b·ln 2)/ln 2.
    ['logaddexp2', (a, b) => div(logAddExp(mul(a, ln2), mul(b, ln2)), ln2), (a, b) => Math.log2(2 ** a + 2 ** b)],
    ['true_divide', div, (a, b) => a / b, undefined, [0.8, 1.2]], ['true_divide_neg', div, (a, b) => a / b, undefined, [-0.3, -2]],
    ['op_mul', mul, (a, b) => a * b], ['op_add', add, (a, b) => a + b], ['op_sub', sub, (a, b) => a - b],
    ['op_div', div, (a, b) => a / b, undefined, [0.5, 2]], ['op_pow', pow, (a, b) => a ** b, [0.7, 2]],
  ];
  for (const [name, fun, plain, limsA = [-2, 2], limsB = [-2, 2]] of cases) {
    it(`test_${name}: every pair of a Python float, a vector of 2, 3×2 and 1×2 (broadcast)`, () => {
      const ta = scaled(limsA as [number, number]), tb = scaled(limsB as [number, number]);
      const scalar = py(0.6), vector = U(2), mat = U(3, 2), mat2 = U(1, 2);
      const as = [scalar, vector, mat, mat2].map((a) => (a.python ? py(ta(a).data[0]) : ta(a)));
      const bs = [scalar, vector, mat, mat2].map((b) => (b.python ? py(tb(b).data[0]) : tb(b)));
      for (const [a, b] of product<[Arr, Arr]>(as, bs)) {
        expectClose(fun(constant(a), constant(b)), broadcast2(a, b, plain), 1e-14);
        checkLikeAutograd(fun, [a, b]);
      }
    });
  }
  it('test_mod, test_remainder, test_op_mod (+ _neg): remainder, and a − b·floor(a/b) as a user writes it', () => {
    const written = (a: Node1, b: Node1) => sub(a, mul(b, floor(div(a, b))));
    for (const fun of [(a: Node1, b: Node1) => remainder(a, b) as Node1, written]) {
      for (const [limsA, limsB] of [[[-0.9, 0.9], [0.7, 1.9]], [[-2, 2], [0.8, 2.1]], [[-2, 2], [-0.3, -2]], [[-2, 2], [0.3, 2]]] as [number, number][][]) {
        const ta = scaled(limsA as [number, number]), tb = scaled(limsB as [number, number]);
        const as = [py(ta(py(0.6)).data[0]), ta(U(2)), ta(U(3, 2)), ta(U(1, 2))];
        const bs = [py(tb(py(0.7)).data[0]), tb(U(2)), tb(U(3, 2)), tb(U(1, 2))];
        for (const [a, b] of product<[Arr, Arr]>(as, bs)) {
          // Python's % (np.mod): the sign of the divisor.
          expectClose(fun(constant(a), constant(b)), broadcast2(a, b, (x, y) => x - y * Math.floor(x / y)), 1e-14);
          checkLikeAutograd(fun, [a, b]);
        }
      }
    }
  });
});

// ---- misc ---------------------------------------------------------------------------------------

describe('shape ops', () => {
  it('test_transpose: [2, 3, 4] under every permutation (None: reversed)', () => {
    const a = R(2, 3, 4);
    for (const perm of [undefined, [0, 1, 2], [0, 2, 1], [2, 0, 1], [2, 1, 0], [1, 0, 2], [1, 2, 0]]) {
      const p = perm ?? [2, 1, 0];
      expectClose(transpose(constant(a) as Tensor, perm), build(p.map((k) => a.shape[k]), (idx) => at(a, p.map((_, k) => idx[p.indexOf(k)]))), 0);
      checkLikeAutograd((x: Tensor) => transpose(x, perm), [a]);
    }
  });
  it('test_repeat: [2, 3, 4] and [3, 1], repeats 0, 1, 2, axis None, 0, 1 (repeats 0 gives an empty result)', () => {
    for (const [a, repeats, axis] of product<[Arr, number, number | undefined]>([R(2, 3, 4), R(3, 1)], [0, 1, 2], [undefined, 0, 1])) {
      const flat: Arr = axis === undefined ? { shape: [a.data.length], data: a.data } : a;
      const ax = axis ?? 0;
      const want = build(flat.shape.map((d, k) => (k === ax ? d * repeats : d)), (idx) => at(flat, idx.map((i, k) => (k === ax ? Math.floor(i / repeats) : i))));
      expectClose(repeat(constant(a) as Tensor, repeats, axis), want, 0);
      checkLikeAutograd((x: Tensor) => repeat(x, repeats, axis), [a]);
    }
  });
  it('test_diff: our diff, and x[1:] − x[:-1] along the axis n times as a user writes it', () => {
    const written = (x: Tensor, n: number, axis: number): Tensor => (n === 0 ? x : written(sub(slice(x, 1, null, axis), slice(x, 0, -1, axis)), n - 1, axis));
    const plainDiff = (a: Arr, axis: number): Arr => build(a.shape.map((d, k) => (k === axis ? d - 1 : d)), (idx) => at(a, idx.map((i, k) => (k === axis ? i + 1 : i))) - at(a, idx));
    const cases = [
      ...product<[Arr, number, number]>([R(5, 5), R(5, 5, 5)], [1, 2], [0, 1]),
      ...product<[Arr, number, number]>([R(1), R(1, 1)], [1], [0]),
      ...product<[Arr, number, number]>([R(1, 1), R(3, 1)], [1], [1]),
    ];
    for (const [a, n, axis] of cases) {
      let want = a;
      for (let k = 0; k < n; k++) want = plainDiff(want, axis);
      for (const diffOf of [diff, written]) {
        expectClose(diffOf(constant(a) as Tensor, n, axis), want, 1e-15);
        checkLikeAutograd((x: Tensor) => diffOf(x, n, axis), [a]);
      }
    }
  });
  it('test_tile: [2, 1, 3, 1] by (1, 4, 1, 2); [1, 2] by (1, 2), (2, 3), (3, 2, 1); [1] by (2,) and 2', () => {
    const cases: [Arr, number | number[]][] = [[R(2, 1, 3, 1), [1, 4, 1, 2]], ...[[1, 2], [2, 3], [3, 2, 1]].map((r) => [R(1, 2), r] as [Arr, number[]]), [R(1), [2]], [R(1), 2]];
    for (const [a, reps] of cases) {
      const r = typeof reps === 'number' ? [reps] : reps;
      const rk = Math.max(r.length, a.shape.length);
      const shape = [...new Array(rk - a.shape.length).fill(1), ...a.shape];
      const full = [...new Array(rk - r.length).fill(1), ...r];
      const want = build(shape.map((d, k) => d * full[k]), (idx) => at({ shape, data: a.data }, idx.map((i, k) => i % shape[k])));
      expectClose(tile(constant(a) as Tensor, reps), want, 0);
      checkLikeAutograd((x: Tensor) => tile(x, reps), [a]);
    }
  });
  it('test_kron: our kron, and einsum("ij,kl->ikjl") reshaped as a user writes it ([5, 5]⊗[3, 3] and [4, 4]⊗[2, 2] and the mixed pairs)', () => {
    const written = (a: Tensor, b: Tensor) => reshape(einsum('ij,kl->ikjl', a, b), [a.shape[0] * b.shape[0], a.shape[1] * b.shape[1]]);
    for (const [a, b] of product<[Arr, Arr]>([R(5, 5), R(4, 4)], [R(3, 3), R(2, 2)])) {
      const [p, q] = b.shape;
      const want = build([a.shape[0] * p, a.shape[1] * q], ([i, j]) => at(a, [Math.floor(i / p), Math.floor(j / q)]) * at(b, [i % p, j % q]));
      for (const kronOf of [kron, written]) {
        expectClose(kronOf(constant(a) as Tensor, constant(b) as Tensor), want, 1e-15);
        checkLikeAutograd(kronOf, [a, b]);
      }
    }
  });
  it('test_swapaxes: [3, 4, 5], every pair of axes (the same axis too)', () => {
    const a = R(3, 4, 5);
    for (const [i, j] of product<[number, number]>([0, 1, 2], [0, 1, 2])) {
      const p = [0, 1, 2]; [p[i], p[j]] = [p[j], p[i]];
      expectClose(swapAxes(constant(a) as Tensor, i, j), build(p.map((k) => a.shape[k]), (idx) => at(a, p.map((_, k) => idx[p.indexOf(k)]))), 0);
      checkLikeAutograd((x: Tensor) => swapAxes(x, i, j), [a]);
    }
  });
  it('test_rollaxis: [2, 3, 4], axis 0–2, start 0–3: np.rollaxis(a, axis, start) is moveAxis(a, axis, start > axis ? start − 1 : start)', () => {
    const a = R(2, 3, 4);
    for (const [axis, start] of product<[number, number]>([0, 1, 2], [0, 1, 2, 3])) {
      const dest = start > axis ? start - 1 : start;
      const order = [0, 1, 2].filter((k) => k !== axis);
      order.splice(dest, 0, axis); // result axis k is input axis order[k]
      expectClose(moveAxis(constant(a) as Tensor, axis, dest), build(order.map((k) => a.shape[k]), (idx) => at(a, order.map((_, k) => idx[order.indexOf(k)]))), 0);
      checkLikeAutograd((x: Tensor) => moveAxis(x, axis, dest), [a]);
    }
  });
});

describe('products', () => {
  it('test_inner: every pair of 1.5, [3], [2, 3] with 0.3, [3], [4, 3]; np.inner is not an op: tensordot over both last axes, mul for a Python float', () => {
    const inner = (a: Node1, b: Node1) => (a instanceof Scalar || b instanceof Scalar ? mul(a, b) : tensordot(a as Tensor, b as Tensor, [[-1], [-1]]));
    for (const [a, b] of product<[Arr, Arr]>([py(1.5), R(3), R(2, 3)], [py(0.3), R(3), R(4, 3)])) {
      const want = a.python || b.python ? broadcast2(a, b, (x, y) => x * y) : tensordotRef(a, b, [-1], [-1]);
      expectClose(inner(constant(a), constant(b)), want, 1e-14);
      checkLikeAutograd(inner, [a, b]);
    }
  });
  it('test_dot: every pair of 1.5, [3], [2, 3], [2, 2, 3] with 0.3, [3], [3, 4], [2, 3, 4] (NumPy dot: tensordot over a\'s last and b\'s second-to-last axis)', () => {
    const npDot = (a: Node1, b: Node1) => {
      if (a instanceof Scalar || b instanceof Scalar) return mul(a, b);
      const ta = a as Tensor, tb = b as Tensor;
      if (ta.shape.length === 1 && tb.shape.length === 1) return dot(ta, tb);
      return tensordot(ta, tb, [[-1], [Math.max(tb.shape.length - 2, 0)]]);
    };
    for (const [a, b] of product<[Arr, Arr]>([py(1.5), R(3), R(2, 3), R(2, 2, 3)], [py(0.3), R(3), R(3, 4), R(2, 3, 4)])) {
      const want = a.python || b.python ? broadcast2(a, b, (x, y) => x * y) : tensordotRef(a, b, [-1], [Math.max(rank(b) - 2, 0)]);
      expectClose(npDot(constant(a), constant(b)), want, 1e-14);
      checkLikeAutograd(npDot, [a, b]);
    }
  });
  it('test_matmul: every pair of [3], [2, 3], [2, 2, 3] with [3], [3, 4], [2, 3, 4]', () => {
    for (const [a, b] of product<[Arr, Arr]>([R(3), R(2, 3), R(2, 2, 3)], [R(3), R(3, 4), R(2, 3, 4)])) {
      const lhs = rank(a) === 1 ? 'j' : '...ij', rhs = rank(b) === 1 ? 'j' : '...jk';
      const out = `...${rank(a) === 1 ? '' : 'i'}${rank(b) === 1 ? '' : 'k'}`;
      const want = einsumRef(`${lhs},${rhs}->${out}`, a, b);
      expectClose(matmul(constant(a) as Tensor, constant(b) as Tensor), want, 1e-14);
      checkLikeAutograd(matmul, [a, b]);
    }
  });
  const tensordotCases: [string, Arr[], Arr[], (number | number[][])[]][] = [
    ['1', [R(1, 3), R(2, 3, 2)], [R(3), R(3, 1), R(3, 4, 2)], [[[1], [0]]]],
    ['2', [R(3), R(3, 1), R(3, 4, 2)], [R(1, 3), R(2, 3, 2)], [[[0], [1]]]],
    ['3', [R(2, 3), R(2, 3, 4)], [R(1, 2, 3), R(2, 2, 3, 4)], [[[0, 1], [1, 2]], [[1, 0], [2, 1]]]],
    ['4', [R(2, 2), R(4, 2, 2)], [R(2, 2), R(2, 2, 4)], [1, 2]],
    ['5', [R(4)], [R()], [0]],
    ['6', [R(2, 6)], [R(6, 3)], [[[-1], [0]]]],
  ];
  for (const [name, as, bs, axesList] of tensordotCases) {
    it(`test_tensordot_${name}`, () => {
      for (const [a, b, axes] of product<[Arr, Arr, number | number[][]]>(as, bs, axesList)) {
        const [aa, ba] = typeof axes === 'number'
          ? [Array.from({ length: axes }, (_, k) => rank(a) - axes + k), Array.from({ length: axes }, (_, k) => k)]
          : axes;
        expectClose(tensordot(constant(a) as Tensor, constant(b) as Tensor, axes as never), tensordotRef(a, b, aa, ba), 1e-14);
        checkLikeAutograd((x: Tensor, y: Tensor) => tensordot(x, y, axes as never), [a, b]);
      }
    });
  }
});

describe('maximum, minimum, sort (test_maximum, test_fmax, test_minimum, test_fmin, test_sort, test_msort)', () => {
  // fmax/fmin differ from maximum/minimum only at NaN (none here): ours are maximum/minimum.
  for (const [name, fun, plain] of [['maximum', maximum, Math.max], ['minimum', minimum, Math.min], ['fmax', maximum, Math.max], ['fmin', minimum, Math.min]] as const) {
    it(`test_${name}: every pair of [1], [1, 4], [3, 4] (broadcast)`, () => {
      for (const [a, b] of product<[Arr, Arr]>([R(1), R(1, 4), R(3, 4)], [R(1), R(1, 4), R(3, 4)])) {
        expectClose(fun(constant(a), constant(b)), broadcast2(a, b, plain), 0);
        checkLikeAutograd(fun, [a, b]);
      }
    });
  }
  it('test_sort, test_msort: [1] and [7] (msort is sort along axis 0)', () => {
    for (const a of [R(1), R(7)]) {
      const want = { shape: a.shape, data: [...a.data].sort((x, y) => x - y) };
      expectClose(sort(constant(a) as Tensor), want, 0);
      expectClose(sort(constant(a) as Tensor, 0), want, 0);
      checkLikeAutograd((x: Tensor) => sort(x), [a]);
      checkLikeAutograd((x: Tensor) => sort(x, 0), [a]);
    }
  });
});

describe('einsum (test_einsum_*)', () => {
  const cases: [string, string[], Arr[][]][] = [
    ['transpose', ['ij->ji'], [[R(1, 1), R(4, 4), R(3, 4)]]],
    ['matmult', ['ij,jk->ik'], [[R(2, 3)], [R(3, 4)]]],
    ['matmult_broadcast', ['...ij,...jk->...ik'], [[R(2, 3), R(2, 2, 3)], [R(3, 4), R(2, 3, 4)]]],
    ['covsum', ['ijk,lji->lki'], [[R(3, 4, 4)], [R(4, 4, 3)]]],
    ['ellipses', ['...jk,...lj->...lk', '...,...->...'], [[R(4, 4), R(3, 4, 4)], [R(4, 4), R(3, 4, 4)]]],
    ['ellipses_tail', ['jk...,lj...->lk...'], [[R(3, 2), R(3, 2, 4)], [R(2, 3), R(2, 3, 4)]]],
    ['ellipses_center', ['j...k,lj...->lk...'], [[R(2, 2), R(2, 2, 2)], [R(2, 2), R(2, 2, 2)]]],
    ['three_args', ['ijk,lji,lli->lki'], [[R(3, 4, 4)], [R(4, 4, 3)], [R(4, 4, 3)]]],
    // The einsum2 cases (NumPy's interleaved operand/sublist form) as the subscripts they stand for.
    ['2_covsum (sublists (0,1,2),(3,1,0)->(3,2,0))', ['abc,dba->dca'], [[R(3, 4, 4)], [R(4, 4, 3)]]],
    ['2_three_args (sublists (0,1,2),(3,1,0),(3,3,0)->(3,2,0))', ['abc,dba,dda->dca'], [[R(3, 4, 4)], [R(4, 4, 3)], [R(4, 4, 3)]]],
  ];
  for (const [name, subscriptsList, operandLists] of cases) {
    it(`test_einsum_${name}`, () => {
      for (const subscripts of subscriptsList) {
        for (const operands of product<Arr[]>(...operandLists)) {
          expectClose(einsum(subscripts, ...operands.map((a) => constant(a) as Tensor)), einsumRef(subscripts, ...operands), 1e-14);
          checkLikeAutograd((...xs: Tensor[]) => einsum(subscripts, ...xs), operands);
        }
      }
    });
  }
});

describe('matrix ops (test_trace, test_diag, test_diag_flat, test_tril, test_triu, test_tril_3d, test_triu_3d)', () => {
  it('test_trace: [5, 5], [4, 5], [5, 4], [3, 4, 5], offset −1, 0, 1 (NumPy traces axes 0 and 1: moved last for the 3-D case)', () => {
    for (const [a, offset] of product<[Arr, number]>([R(5, 5), R(4, 5), R(5, 4), R(3, 4, 5)], [-1, 0, 1])) {
      const [m, n] = a.shape;
      const rest = a.shape.slice(2);
      const want = build(rest, (idx) => {
        let s = 0;
        for (let i = 0; i < m; i++) if (i + offset >= 0 && i + offset < n) s += at(a, [i, i + offset, ...idx]);
        return s;
      });
      const fun = (x: Tensor) => matrixTrace(rank(a) === 2 ? x : moveAxis(x, [0, 1], [1, 2]), offset);
      expectClose(fun(constant(a) as Tensor), want, 1e-14);
      checkLikeAutograd(fun, [a]);
    }
  });
  it('test_diag, test_diag_flat: the k-th diagonal of [5, 5]; the matrix with [5] on its k-th diagonal; k = −1, 0, 1', () => {
    for (const k of [-1, 0, 1]) {
      const a = R(5, 5), v = R(5);
      expectClose(diag(constant(a) as Tensor, k), build([5 - Math.abs(k)], ([i]) => at(a, k >= 0 ? [i, i + k] : [i - k, i])), 0);
      expectClose(diag(constant(v) as Tensor, k), build([5 + Math.abs(k), 5 + Math.abs(k)], ([i, j]) => (j - i === k ? v.data[Math.min(i, j)] : 0)), 0);
      checkLikeAutograd((x: Tensor) => diag(x, k), [a]);
      checkLikeAutograd((x: Tensor) => diag(x, k), [v]);
    }
  });
  it('test_tril, test_triu (+ _3d): [5, 5] and [5, 5, 4] (the last two axes), k = −1, 0, 1', () => {
    // autograd's test_triu calls np.tril (a slip); both are ported here.
    for (const [a, k] of product<[Arr, number]>([R(5, 5), R(5, 5, 4)], [-1, 0, 1])) {
      const r = rank(a);
      const lower = build(a.shape, (idx) => (idx[r - 1] - idx[r - 2] <= k ? at(a, idx) : 0));
      const upper = build(a.shape, (idx) => (idx[r - 1] - idx[r - 2] >= k ? at(a, idx) : 0));
      expectClose(tril(constant(a) as Tensor, k), lower, 0);
      expectClose(triu(constant(a) as Tensor, k), upper, 0);
      checkLikeAutograd((x: Tensor) => tril(x, k), [a]);
      checkLikeAutograd((x: Tensor) => triu(x, k), [a]);
    }
  });
});

describe('split, concatenate, stack (test_*split*, test_concatenate_*, test_*stack_*)', () => {
  /** The pieces NumPy's split gives: equal sections or cut points, along an axis. */
  const plainSplit = (a: Arr, sections: number | number[], axis: number): Arr[] => {
    const len = a.shape[axis];
    const cuts = typeof sections === 'number' ? Array.from({ length: sections - 1 }, (_, k) => ((k + 1) * len) / sections) : sections;
    const bounds = [0, ...cuts, len];
    return bounds.slice(1).map((end, k) => build(a.shape.map((d, q) => (q === axis ? end - bounds[k] : d)), (idx) => at(a, idx.map((i, q) => (q === axis ? i + bounds[k] : i)))));
  };
  const checkSplit = (a: Arr, sections: number | number[], axis: number) => {
    const got = split(constant(a) as Tensor, sections, axis);
    const want = plainSplit(a, sections, axis);
    expect(got.length).toBe(want.length);
    got.forEach((g, k) => expectClose(g, want[k], 0));
    checkLikeAutograd((x: Tensor) => split(x, sections, axis), [a]);
  };
  it('test_vsplit_*, test_hsplit_*, test_dsplit_3d: split along 0, 1, 2 ([4, 8] into 4 and at [1, 2]; [4, 4, 4] into 2 and at [1, 2])', () => {
    for (const sections of [4, [1, 2]]) for (const axis of [0, 1]) checkSplit(R(4, 8), sections, axis);
    for (const sections of [2, [1, 2]]) for (const axis of [0, 1, 2]) checkSplit(R(4, 4, 4), sections, axis);
  });
  it('test_split_1d, _2d, _3d and test_array_split_* where the sections divide (array_split into 4 of 7 does not: see the report)', () => {
    for (const a of [R(1), R(7)]) checkSplit(a, 1, 0);
    for (const [sections, axis] of product<[number | number[], number]>([4, [1, 2]], [0, 1])) checkSplit(R(4, 8), sections, axis);
    for (const [sections, axis] of product<[number | number[], number]>([2, [1, 2]], [0, 1, 2])) checkSplit(R(4, 4, 4), sections, axis);
    for (const axis of [0, 1]) checkSplit(R(7, 7), [3, 5], axis);
    for (const axis of [0, 1, 2]) checkSplit(R(7, 7, 7), [3, 5], axis);
    checkSplit(R(7), 1, 0);
  });
  const plainConcat = (parts: Arr[], axis: number): Arr => {
    const offsets = parts.map((_, k) => parts.slice(0, k).reduce((s, p) => s + p.shape[axis], 0));
    const shape = parts[0].shape.map((d, q) => (q === axis ? parts.reduce((s, p) => s + p.shape[axis], 0) : d));
    return build(shape, (idx) => {
      const k = offsets.reduce((last, o, q) => (o <= idx[axis] ? q : last), 0);
      return at(parts[k], idx.map((i, q) => (q === axis ? i - offsets[k] : i)));
    });
  };
  const checkConcat = (parts: Arr[], axis: number) => {
    expectClose(concat(parts.map((p) => constant(p) as Tensor), axis), plainConcat(parts, axis), 0);
    checkLikeAutograd((...xs: Tensor[]) => concat(xs, axis), parts);
  };
  it('test_concatenate_1ist, _tuple, _2d, _3d', () => {
    checkConcat([R(1), R(3)], 0);
    for (const axis of [0, 1]) checkConcat([R(2, 2), R(2, 2)], axis);
    for (const axis of [0, 1, 2]) checkConcat([R(2, 2, 2), R(2, 2, 2)], axis);
  });
  it('test_vstack_*, test_hstack_*, test_row_stack_*, test_column_stack_*: no ops; concat and stack as a user writes them', () => {
    const atLeast2d = (x: Tensor) => (x.shape.length === 1 ? reshape(x, [1, x.shape[0]]) : x);
    const vstack = (...xs: Tensor[]) => concat(xs.map(atLeast2d), 0);
    const hstack = (...xs: Tensor[]) => concat(xs, xs[0].shape.length === 1 ? 0 : 1);
    const columnStack = (...xs: Tensor[]) => concat(xs.map((x) => (x.shape.length === 1 ? reshape(x, [x.shape[0], 1]) : x)), 1);
    const to2d = (a: Arr): Arr => (rank(a) === 1 ? { shape: [1, a.shape[0]], data: a.data } : a);
    const vCases = [[R(2)], [R(2), R(2)], [R(2, 3)], [R(2, 4), R(1, 4)], [R(2, 3, 4)], [R(2, 3, 4), R(5, 3, 4)]];
    for (const parts of vCases) {
      expectClose(vstack(...parts.map((p) => constant(p) as Tensor)), plainConcat(parts.map(to2d), 0), 0);
      checkLikeAutograd(vstack, parts);
    }
    const hCases = [[R(2)], [R(2), R(2)], [R(3, 2)], [R(3, 4), R(3, 5)], [R(2, 3, 4)], [R(2, 1, 4), R(2, 5, 4)]];
    for (const parts of hCases) {
      expectClose(hstack(...parts.map((p) => constant(p) as Tensor)), plainConcat(parts, rank(parts[0]) === 1 ? 0 : 1), 0);
      checkLikeAutograd(hstack, parts);
    }
    for (const parts of [[R(2)], [R(2), R(2)], [R(2, 2)], [R(2, 2), R(2, 2)]]) {
      const cols = parts.map((p) => (rank(p) === 1 ? { shape: [p.shape[0], 1], data: p.data } : p));
      expectClose(columnStack(...parts.map((p) => constant(p) as Tensor)), plainConcat(cols, 1), 0);
      checkLikeAutograd(columnStack, parts);
    }
  });
  it('test_stack_1d: (R(2),) and (R(2), R(2)) along axis 0 and 1', () => {
    for (const [parts, axis] of product<[Arr[], number]>([[R(2)], [R(2), R(2)]], [0, 1])) {
      const want = build(axis === 0 ? [parts.length, 2] : [2, parts.length], ([i, j]) => (axis === 0 ? parts[i].data[j] : parts[j].data[i]));
      expectClose(stack(parts.map((p) => constant(p) as Tensor), axis), want, 0);
      checkLikeAutograd((...xs: Tensor[]) => stack(xs, axis), parts);
    }
  });
});
