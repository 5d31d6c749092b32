// NumPy's and JAX's own tests of interp and searchsorted, ported: the real-valued cases of NumPy's
// TestInterp (numpy/lib/tests/test_function_base.py) and test_searchsorted_* (numpy/_core/tests/
// test_multiarray.py, test_numeric.py), and of JAX's testInterp, testInterpExtrapoate,
// testInterpErrors, testInterpGradNan, testSearchsorted and testSearchsortedNans
// (tests/lax_numpy_test.py). Every expected number comes from NumPy or JAX through
// interp-reference/interp-numpy-suite.py, never from dualtape.
//
// Skipped by design (dualtape has no complex dtype, so there is nothing to call):
// - TestInterp.test_complex_interp: complex fp, complex left/right, complex non-finite fp, complex
//   periodic fp;
// - the 'complex-real', 'complex-imag' and 'complex-both' parametrizations of the sc fixture in
//   test_non_finite_any_nan, _inf, _half_inf_xf, _half_inf_x and _half_inf_f (the 'real' one is here);
// - testInterp's complex target dtypes, testInterpErrors' complex x, test_searchsorted_complex and
//   testSearchsortedNans' complex dtypes.
// Not applicable: float16/float32/integer dtypes (dualtape computes in float64; integer-valued data is
// here as float64), searchsorted's `sorter` argument and its unicode, datetime, object, structured and
// unaligned variants, and JAX's dtype, weak-type and jit checks.
// Refused by design where NumPy gives a number (each an ArgumentError or OptionError that says what
// to do, checked below): a NaN in xp (test_non_finite_any_nan), a repeated knot ([±∞, ±∞] in
// test_non_finite_half_inf_x; xp = 0 and 4 with period 4 in test_zero_dimensional_interpolation_point),
// and left/right beside period (testInterp's period cases with fills, which NumPy and JAX ignore).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, OptionError, Scalar, ShapeError, Tensor, grad, interp, searchSorted, tensor } from '../src/index.js';
import { expectError } from './expect-error.js';

type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';
const dec = (a: Encoded[]) => Float64Array.from(a, (v) => (typeof v === 'number' ? v : Number(v)));
type Options = { left?: number | string; right?: number | string; period?: number | number[] };
interface InterpCase {
  source: string; x: Encoded[]; shape: number[]; scalar: boolean; xp: Encoded[]; fp: Encoded[]; options: Options; y: Encoded[]; refused?: string;
}
interface GradCase { source: string; x: Encoded[]; shape: number[]; xp: Encoded[]; fp: Encoded[]; options: Options; w: Encoded[]; gx: Encoded[]; gxp: Encoded[]; gfp: Encoded[] }
interface ErrorCase { source: string; args: [number, number[], number[]]; options: Options; numpy?: string; jax?: string }
interface SearchCase { source: string; sorted: Encoded[]; values: Encoded[]; shape: number[]; left: number[]; right: number[] }
const reference = JSON.parse(readFileSync(new URL('./interp-reference/interp-numpy-suite.json', import.meta.url), 'utf8')) as {
  interp: InterpCase[]; grads: GradCase[]; errors: ErrorCase[]; searchsorted: SearchCase[];
  long: { n: number; step: number; x: number; y: number; arange_is_i_times_step: boolean };
  refusedWithPeriod: { options: Options; numpy_ignores_them: boolean }[];
  extrapolate: { x: number; xp: number[]; fp: number[]; options: Options; y: number }[];
  gradNan: { options: Options; finite: boolean; max_abs: number }[];
};

/** A case's x as its test passed it: a number, a 0-d tensor or a tensor of its shape. */
const xOf = (c: { x: Encoded[]; shape: number[]; scalar?: boolean }) => (c.scalar ? dec(c.x)[0] : tensor(dec(c.x), c.shape));
const call = (c: InterpCase) => interp(xOf(c) as Tensor, dec(c.xp), Array.from(dec(c.fp)), c.options as never);
const valuesOf = (y: Tensor | Scalar) => (y instanceof Tensor ? Array.from(y.data) : [y.value]);

const closeTo = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    expect(Math.abs(got[k] - want[k]), `${what} at ${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[k])));
  }
};

const bySource = (prefix: string) => reference.interp.filter((c) => c.source.startsWith(prefix));

describe('NumPy TestInterp and JAX testInterp: values', () => {
  const sources = [...new Set(reference.interp.map((c) => c.source.replace(/ \(.*$/, '')))];
  for (const source of sources) {
    it(`${source}: NumPy's values bit for bit`, () => {
      const cases = bySource(source).filter((c) => !c.refused);
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const y = call(c);
        if (c.scalar) expect(y, c.source).toBeInstanceOf(Scalar);
        else expect((y as Tensor).shape, c.source).toEqual(c.shape);
        expect(valuesOf(y), `${c.source}: x = ${c.x}, xp = ${c.xp}, fp = ${c.fp}`).toEqual(Array.from(dec(c.y)));
      }
    });
  }

  it('test_if_len_x_is_small: 10⁵ knots of sin, interpolated at π', () => {
    const { n, step, x, y, arange_is_i_times_step } = reference.long;
    expect(arange_is_i_times_step).toBe(true); // so NumPy's arange is k·step, as here
    const xp = Float64Array.from({ length: n }, (_, k) => k * step);
    const got = interp(x, xp, xp.map(Math.sin)).value;
    expect(Math.abs(got)).toBeLessThan(1.5e-7); // NumPy's assert_almost_equal(…, 0.0)
    expect(Math.abs(got - y)).toBeLessThan(1e-15); // JavaScript's sin may differ from C's in the last bit
  });
});

describe('NumPy and JAX cases that dualtape refuses, with a typed error that says what to do', () => {
  it('a NaN or a repeated knot in xp (NumPy gives a number): ArgumentError', () => {
    const refused = reference.interp.filter((c) => c.refused);
    expect(refused.map((c) => c.source)).toEqual([
      'test_non_finite_any_nan', 'test_non_finite_any_nan', 'test_non_finite_half_inf_x', 'test_non_finite_half_inf_x',
      'test_zero_dimensional_interpolation_point',
    ]);
    expectError(() => call(refused[0]), ArgumentError, 'xp[0] is NaN', 'xp must hold numbers');
    expectError(() => call(refused[1]), ArgumentError, 'xp[1] is NaN', 'xp must hold numbers');
    expectError(() => call(refused[2]), ArgumentError, 'xp[1] = -Infinity follows xp[0] = -Infinity', 'a repeated knot', 'drop one of the two points');
    expectError(() => call(refused[3]), ArgumentError, 'xp[1] = Infinity follows xp[0] = Infinity', 'drop one of the two points');
    expectError(() => call(refused[4]), ArgumentError, 'xp[0] = 0 and xp[2] = 4 fall on the same point modulo 4', 'give each point of the period once');
  });

  it('left or right beside period (NumPy and JAX ignore them): OptionError', () => {
    for (const { options, numpy_ignores_them } of reference.refusedWithPeriod) {
      expect(numpy_ignores_them).toBe(true);
      const name = options.left !== undefined ? 'left' : 'right';
      expectError(() => interp([1], [0, 0.2, 0.4], [1, 2, 3], options as never), OptionError, `option '${name}' cannot be given with 'period'`, 'no outside');
    }
  });
});

describe('NumPy test_exceptions and JAX testInterpErrors', () => {
  // What NumPy and JAX raise (ValueError) is recorded; dualtape's class for each case, in order.
  const ours: [new (...a: never[]) => Error, string][] = [
    [ArgumentError, 'xp is empty'],
    [ShapeError, 'same length'],
    [OptionError, "option 'period' must be a nonzero finite number"],
    [ArgumentError, 'xp is empty'],
    [ShapeError, 'same length'],
    [ShapeError, 'same length'],
    [OptionError, "option 'left' must be a number, a scalar node or 'extrapolate'"],
    [OptionError, "option 'right' must be a number, a scalar node or 'extrapolate'"],
    [OptionError, "option 'period' must be a nonzero finite number"],
  ];
  it('each is a typed error where NumPy or JAX raises ValueError', () => {
    expect(reference.errors.length).toBe(ours.length);
    reference.errors.forEach((c, k) => {
      expect(c.numpy ?? c.jax, c.source).toBe('ValueError');
      const [x, xp, fp] = c.args;
      expectError(() => interp(x, xp, fp, c.options as never), ours[k][0] as never, ours[k][1]);
    });
    // A period NumPy would take but that makes every x NaN.
    for (const period of [NaN, Infinity, -Infinity]) expectError(() => interp(0, [0, 1], [1, 2], { period }), OptionError, 'a nonzero finite number');
  });
});

describe('JAX testInterp: gradients, periodic ones included', () => {
  it("JAX's gradients of Σ w·interp in x, xp and fp at its random points", () => {
    expect(reference.grads.filter((c) => c.options.period !== undefined).length).toBe(8);
    for (const c of reference.grads) {
      const w = tensor(dec(c.w), c.shape);
      const loss = (p: { x: Tensor; xp: Tensor; fp: Tensor }) => interp(p.x.reshape(c.shape), p.xp, p.fp, c.options as never).mul(w).sum();
      const g = grad(loss)({ x: dec(c.x), xp: dec(c.xp), fp: dec(c.fp) }) as unknown as Record<string, Float64Array>;
      closeTo(g.x, dec(c.gx), 1e-12, `${c.source}: ∂/∂x`);
      closeTo(g.xp, dec(c.gxp), 1e-12, `${c.source}: ∂/∂xp`);
      closeTo(g.fp, dec(c.gfp), 1e-12, `${c.source}: ∂/∂fp`);
    }
  });
});

describe("JAX testInterpExtrapoate: left/right 'extrapolate'", () => {
  it("JAX's values, and the end segment's slope as the derivative", () => {
    for (const c of reference.extrapolate) {
      expect(Math.abs(interp(c.x, c.xp, c.fp, c.options as never).value - c.y), `${c.x} ${JSON.stringify(c.options)}`).toBeLessThan(1e-12);
    }
    expect(Array.from(interp(tensor([0, 4]), [1, 2, 3], [10, 20, 30], { left: 'extrapolate', right: 'extrapolate' }).data)).toEqual([0, 40]);
    expect(grad((x: Tensor) => interp(x, [1, 2, 4], [10, 20, 30], { left: 'extrapolate', right: 'extrapolate' }).sum())([0, 5])).toEqual(Float64Array.of(10, 5));
    // One side only: the other keeps its fill.
    expect(Array.from(interp(tensor([0, 4]), [1, 2, 3], [10, 20, 30], { right: 'extrapolate' }).data)).toEqual([10, 40]);
    expectError(() => interp(0, [1], [10], { left: 'extrapolate' }), ArgumentError, 'xp has one point');
  });
});

describe('JAX testInterpGradNan: x = xp near 0 and close together', () => {
  it('the gradient is finite (JAX: all 0), with and without a period and fills', () => {
    const z = Float64Array.from({ length: 1000 }, (_, k) => Math.exp(-90 + (70 * k) / 999));
    for (const c of reference.gradNan) {
      expect(c.finite).toBe(true);
      const g = grad((v: Tensor) => interp(v, v, new Float64Array(v.size).fill(1), c.options as never).sum())(z);
      expect(g.every(Number.isFinite), JSON.stringify(c.options)).toBe(true);
      expect(Math.max(...g.map(Math.abs)), JSON.stringify(c.options)).toBe(c.max_abs);
    }
  });
});

describe('searchsorted: NumPy test_searchsorted_* and JAX testSearchsorted, testSearchsortedNans', () => {
  it("NumPy's indices on both sides (NaN last, empty arrays, ties, ±∞, −0)", () => {
    for (const c of reference.searchsorted) {
      const values = c.shape.length === 0 ? dec(c.values)[0] : tensor(dec(c.values), c.shape);
      for (const side of ['left', 'right'] as const) {
        expect(Array.from(searchSorted(dec(c.sorted), values, { side })), `${c.source}, ${side}`).toEqual(c[side]);
      }
    }
    // JAX's check: searching x in itself equals searching its order-equivalent integers.
    const [nans, equivalent] = reference.searchsorted.filter((c) => c.source.startsWith('testSearchsortedNans'));
    expect([nans.left, nans.right]).toEqual([equivalent.left, equivalent.right]);
  });
});
