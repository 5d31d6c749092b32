// What a probe of expm, sqrtm and logm found (their shared rule, linalg/matrix-function.ts), pinned:
// - H·v of a loss scaled by 1e12 or 1e20 must be the unscaled H·v times the scale: the adjoint Ȳ
//   entered the block [[Aᵀ, Ȳ], [0, Aᵀ]] unbalanced (expm 0.19 off at 1e20, sqrtm/logm NaN);
// - derivatives at a matrix of scale 1e-20 must follow homogeneity (√(cA) = √c·√A, log(cA) = log c·I
//   + log A): E was balanced to size 1, not to A's, and the block looked singular (NaN);
// - a highly non-normal matrix has its root, to a backward error at rounding: the 4×4 below (eigenvalues
//   0.79–1.49, eigenvector condition ~1e10) spoiled the Denman–Beavers iteration sqrtm used before the
//   real Schur method (it reached M = I with X·X far from A, and a guard made that NaN).
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import { gradAndHvp, jvp, tensor, type Tensor } from '../src/index.js';
import { normwise } from './dense-matrices.js';

const A = [0.3, -0.5, 0.2, 0.1, -0.4, 0.6, 0.7, 0.2, -0.3];
const W = [0.5, -1, 0.3, 0.8, 0.2, -0.7, 0.4, 0.9, -0.2];
const V = [0.1, 0.4, -0.3, 0.7, -0.2, 0.5, 0.3, -0.6, 0.2];
const shifted = A.map((a, k) => a + (k % 4 === 0 ? 2 : 0)); // A + 2I: a real root and logarithm

describe('matrix functions: a large adjoint', () => {
  for (const [name, op, at] of [['expm', ops.expm, A], ['sqrtm', ops.sqrtm, shifted], ['logm', ops.logm, shifted]] as const) {
    it(`${name}: H·v of s·f is s times H·v of f, for s up to 1e20`, () => {
      const f = (s: number) => (x: Tensor) => op(x.reshape([3, 3])).mul(tensor(W, [3, 3])).sum().mul(s);
      const base = gradAndHvp(f(1), at, V).hvp as Float64Array;
      for (const s of [1e6, 1e12, 1e20]) {
        const scaled = gradAndHvp(f(s), at, V, { checkFinite: true }).hvp as Float64Array;
        expect(normwise(scaled.map((h) => h / s), base)).toBeLessThan(1e-14);
      }
    });
  }
});

describe('matrix functions: a tiny matrix', () => {
  const M = [2, 1, 0, 3], E = [1, 0, 0, 0];
  const tiny = M.map((m) => m * 1e-20);
  it('sqrtm: ∇ and H·v at 1e-20·M are 1e10 and 1e30 times those at M', () => {
    const f = (x: Tensor) => ops.sqrtm(x.reshape([2, 2])).sum();
    const at = gradAndHvp(f, M, E), small = gradAndHvp(f, tiny, E, { checkFinite: true });
    expect(normwise((small.grad as Float64Array).map((g) => g / 1e10), at.grad as Float64Array)).toBeLessThan(1e-14);
    expect(normwise((small.hvp as Float64Array).map((h) => h / 1e30), at.hvp as Float64Array)).toBeLessThan(1e-13);
  });

  it('logm: the tangent at 1e-20·M is 1e20 times the one at M', () => {
    const tangent = (x: number[]) => jvp((a: Tensor) => ops.logm(a.reshape([2, 2])), x, E).tangent as Float64Array;
    expect(normwise(tangent(tiny).map((t) => t / 1e20), tangent(M))).toBeLessThan(1e-14);
    // For upper-triangular A the (0, 0) entry of L(A, e₁e₁ᵀ) is 1/a₀₀ = 1/2.
    expect(Math.abs(tangent(M)[0] - 0.5)).toBeLessThan(4e-15);
  });
});

describe('sqrtm: a highly non-normal matrix', () => {
  it('a 4×4 with eigenvector condition ~1e10 has its root, ‖Y·Y − A‖ at rounding next to ‖Y‖²', () => {
    const nonNormal = [
      [-31.483741363217984, -10.835940637452946, -118.0848395388905, 9.299567872859697],
      [-76.65350742758488, -55.76054279681409, 271.20029975292283, -93.84006683181453],
      [-170.864984167047, 53.98924204081125, 260.551783252975, 576.3104261884216],
      [94.8550381108764, 4.100028898439419, -149.73173546698925, -168.25586264959105],
    ];
    const y = ops.sqrtm(tensor(nonNormal));
    expect(y.value.every(Number.isFinite)).toBe(true);
    const r = y.matmul(y).value, size = Math.max(...Array.from(y.value, Math.abs));
    expect(Math.max(...nonNormal.flat().map((a, k) => Math.abs(r[k] - a)))).toBeLessThan(4e-15 * size * size);
  });
});
