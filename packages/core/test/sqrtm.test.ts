// sqrtm against SciPy's scipy.linalg.sqrtm (scipy 1.x, Schur method; real parts, every case has a real
// principal root), closed forms (diagonal, Jordan blocks, the rotation by π/2, Y·Y = A), the Fréchet
// derivative's defining equation Y·L + L·Y = E, an independent derivative path for symmetric positive
// definite A (V·diag(√λ)·Vᵀ through eigh) to third order, finite differences to fourth order, stacks,
// NaN where there is no real principal root, compiled replays and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, grad, gradAndHvp, hvp, jvp, tensor, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { normwise, squareTensor } from './dense-matrices.js';


// scipy.linalg.sqrtm (numpy.random.default_rng(3) matrices; 'product' is (CCᵀ + I)(DDᵀ + I), not symmetric).
const SCIPY: Record<string, { a: number[]; e: number[] }> = {
  spd: { a: [11.693943583593873, -1.0856961812858006, -9.96368940539666, 0.9139455040756931, -1.0856961812858006, 4.8855101081274235, -0.6990905105420782, 2.493382325171485, -9.96368940539666, -0.6990905105420782, 12.466247526810191, -2.0769745432107065, 0.9139455040756931, 2.493382325171485, -2.0769745432107065, 2.2914766216758045], e: [2.985712800799949, -0.28580093170238613, -1.6389497261060377, 0.10781594255110159, -0.2858009317023864, 2.0550923511793497, -0.16769584970595292, 0.7431698767314203, -1.6389497261060382, -0.16769584970595233, 3.0959615216427587, -0.4086461557459847, 0.10781594255110176, 0.7431698767314203, -0.4086461557459845, 1.2492234379488134] },
  nonsym: { a: [2.2891672331040716, -0.14313216394402, 0.5746552217758584, -0.11988127743994799, 2.0145557390459987, 0.9274925107276871, 0.3270633136125867, -0.3031372413684108, 1.890296615241359], e: [1.504732260674802, -0.04137295337386187, 0.20402960688118063, -0.053507871255913005, 1.4310161568703181, 0.33389198162332095, 0.1114263683270469, -0.10621782729874295, 1.37950267051423] },
  product: { a: [59.29154253786592, 33.5610597264042, 12.135561150042358, 32.01092891844952, 25.071336618578755, 5.369851448349051, 18.874700096107354, 9.121934650618128, 6.482274024279422], e: [6.949331911602367, 2.9890952600326663, 1.2629648713160708, 2.860059643645692, 4.0448325543047945, 0.2923460040784588, 1.9393554418236532, 0.5530279180399615, 1.9675519627897198] },
  rotationlike: { a: [1.0, -2.0, 2.0, 1.0], e: [1.272019649514069, -0.7861513777574233, 0.7861513777574233, 1.272019649514069] },
  jordan: { a: [4.0, 1.0, 0.0, 4.0], e: [2.0, 0.25, 0.0, 2.0] },
  psdSingular: { a: [1.0, 1.0, 1.0, 1.0], e: [0.7071067811865475, 0.7071067811865475, 0.7071067811865475, 0.7071067811865475] },
};

describe('sqrtm: values', () => {
  for (const [name, { a, e }] of Object.entries(SCIPY)) {
    it(`${name}: SciPy's root`, () => {
      expect(normwise(ops.sqrtm(squareTensor(a)).value, e)).toBeLessThan(4e-15);
    });
  }

  it('closed forms: diagonal, a Jordan block, an upper triangle with a huge corner, the rotation by π/2', () => {
    expect(Array.from(ops.sqrtm(tensor([[4, 0], [0, 9]])).value)).toEqual([2, 0, 0, 3]);
    // [[a, b], [0, a]]^{1/2} = [[√a, b/(2√a)], [0, √a]]; [[a, b], [0, c]]^{1/2} has b/(√a + √c) in the corner.
    expect(normwise(ops.sqrtm(tensor([[1e-20, 1], [0, 1e-20]])).value, [1e-10, 5e9, 0, 1e-10])).toBeLessThan(4e-16);
    expect(normwise(ops.sqrtm(tensor([[2, 1e10], [0, 3]])).value, [Math.SQRT2, 1e10 / (Math.SQRT2 + Math.sqrt(3)), 0, Math.sqrt(3)])).toBeLessThan(4e-16);
    const h = Math.SQRT1_2;
    expect(normwise(ops.sqrtm(tensor([[0, 1], [-1, 0]])).value, [h, h, -h, h])).toBeLessThan(4e-16);
    // A singular positive semidefinite matrix has its root (the symmetric path): [[1, 1], [1, 1]]/√2.
    expect(normwise(ops.sqrtm(tensor([[1, 1], [1, 1]])).value, [h, h, h, h])).toBeLessThan(4e-16);
  });

  it('Y·Y = A at random matrices with a real principal root (symmetric and not)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }), (n, symmetric, xs) => {
        // B·Bᵀ + I (symmetric positive definite), or 2I + B/(2n) (eigenvalues in the disc |z − 2| ≤ 1/2).
        const b = tensor(xs.slice(0, n * n), [n, n]);
        const eye = tensor(Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)), [n, n]);
        const a = symmetric ? b.matmul(b.transpose()).add(eye) : eye.mul(2).add(b.mul(0.5 / n));
        const y = ops.sqrtm(a);
        expect(normwise(y.matmul(y).value, a.value)).toBeLessThan(1e-14);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('NaN where no real principal root exists, or a non-symmetric A is singular', () => {
    for (const a of [[[-1, 0], [0, 1]], [[-1, 1], [0, 2]], [[0, 1], [0, 0]], [[1, NaN], [0, 1]], [[Infinity, 0], [0, 1]]]) {
      expect(Array.from(ops.sqrtm(tensor(a)).value).every(Number.isNaN), JSON.stringify(a)).toBe(true);
    }
  });

  it('stacks and empty matrices', () => {
    const y = ops.sqrtm(tensor([[[4, 0], [0, 1]], [[1, 0], [0, -1]], [[9, 0], [0, 16]]]));
    expect(Array.from(y.value.subarray(0, 4))).toEqual([2, 0, 0, 1]);
    expect(Array.from(y.value.subarray(4, 8)).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.value.subarray(8))).toEqual([3, 0, 0, 4]);
    expect(ops.sqrtm(tensor(new Float64Array(0), [0, 0])).shape).toEqual([0, 0]);
  });
});

describe('sqrtm: derivatives', () => {
  it('the tangent L solves Y·L + L·Y = E (the Fréchet derivative), symmetric and not', () => {
    const E = [0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.1, 0.7];
    for (const name of ['nonsym', 'product']) {
      const { value, tangent } = jvp((x: Tensor) => ops.sqrtm(x.reshape([3, 3])), SCIPY[name].a, E);
      const Y = tensor(value as Float64Array, [3, 3]), L = tensor(tangent as Float64Array, [3, 3]);
      expect(normwise(Y.matmul(L).add(L.matmul(Y)).value, E)).toBeLessThan(1e-14);
    }
  });

  it('symmetric positive definite: as V·diag(√λ)·Vᵀ through eigh, to third order', () => {
    const S = SCIPY.spd.a, V = Array.from({ length: 16 }, (_, k) => Math.sin(k + 1));
    const sym = (x: Tensor) => { const a = x.reshape([4, 4]); return a.add(a.transpose()).mul(0.5); };
    const viaSqrtm = (x: Tensor) => ops.sqrtm(sym(x)).sin().sum();
    const viaEigh = (x: Tensor) => { const { values, vectors } = ops.eigh(sym(x)); return vectors.mul(values.sqrt()).matmul(vectors.transpose()).sin().sum(); };
    const a = gradAndHvp(viaSqrtm, S, V), b = gradAndHvp(viaEigh, S, V);
    // eigh's rules divide by eigenvalue gaps (here ≥ 0.5); the two paths agree to that conditioning.
    expect(normwise(a.grad as Float64Array, b.grad as Float64Array)).toBeLessThan(1e-13);
    expect(normwise(a.hvp as Float64Array, b.hvp as Float64Array)).toBeLessThan(1e-12);
    const third = (f: (x: Tensor) => Scalar) => grad((x: Tensor) => (hvp(f, x, V) as Tensor).sum())(S) as Float64Array;
    expect(normwise(third(viaSqrtm), third(viaEigh))).toBeLessThan(1e-11);
  });

  it('repeated eigenvalues (A = 4I + a nilpotent part): finite differences to fourth order', () => {
    const f = (x: Tensor) => ops.sqrtm(x.reshape([2, 2]).mul(0.3).add(tensor([[4, 1], [0, 4]]))).tanh().sum();
    for (const c of checkGrads(f, [0, 0, 0, 0], { order: 4, directions: 2, seed: 2, fdTolerance: 1e-5 })) expect(c.passed, c.name).toBe(true);
    const g = (x: Tensor) => ops.sqrtm(x.reshape([2, 3, 3]).mul(0.2).add(tensor([[3, 0, 0], [0, 3, 0], [0, 0, 3]]))).square().sum();
    for (const c of checkGrads(g, Array.from({ length: 18 }, (_, k) => Math.cos(k)), { order: 2, seed: 3 })) expect(c.passed, c.name).toBe(true);
  });

  it('a compiled replay runs the iteration again at the new point', () => {
    const f = (x: Tensor) => ops.sqrtm(x.reshape([3, 3])).sum();
    const program = compile(f, SCIPY.nonsym.a);
    const { value, grad: replayed } = program.valueAndGrad(SCIPY.product.a);
    expect(Math.abs((value as number) - SCIPY.product.e.reduce((s, e) => s + e, 0))).toBeLessThan(1e-13);
    expect(normwise(replayed as Float64Array, gradAndHvp(f, SCIPY.product.a, new Float64Array(9)).grad as Float64Array)).toBeLessThan(1e-15);
  });
});

describe('sqrtm: misuse', () => {
  it('names the problem', () => {
    expect(() => ops.sqrtm(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => ops.sqrtm(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(/sqrtm: the matrix has shape \[2,3\]/);
    expect(() => (ops.sqrtm as (...a: unknown[]) => unknown)(tensor([[1]]), 2)).toThrow(ArgumentError);
    expect(() => ops.sqrtm(4 as never)).toThrow(/sqrtm: expected a tensor/);
  });
});
