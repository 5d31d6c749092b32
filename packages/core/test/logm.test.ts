// logm against mpmath's logm at 50 digits (SPD, non-symmetric near and far from I, a rotation by 2 rad,
// a Jordan block), the inverse pair with expm both ways, the chain rule through expm (L_exp(log A, L_log(A, E))
// = E), an independent derivative path for symmetric positive definite A (V·diag(log λ)·Vᵀ through
// eigh) to third order, finite differences to fourth order, NaN where there is no real principal
// logarithm, compiled replays and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, grad, gradAndHvp, hvp, jvp, tensor, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { normwise, squareTensor } from './dense-matrices.js';


// mpmath.logm, 50 digits (numpy.random.default_rng(5) matrices), rounded to float64.
const MPMATH: Record<string, { a: number[]; e: number[] }> = {
  spd: { a: [3.13547845365197, -1.2490228501303642, -3.3517748513074057, -2.129192749937029, -1.2490228501303642, 2.723936485064066, 1.847103371992471, 0.33412142928211763, -3.3517748513074057, 1.847103371992471, 5.328638225333599, 4.08981860137848, -2.129192749937029, 0.33412142928211763, 4.08981860137848, 7.019785686170951], e: [0.4332695512911211, -0.24493656679415848, -1.0844258310632249, -0.1782242897383789, -0.24493656679415848, 0.7720325130591555, 0.5736530472358892, -0.18038998599982028, -1.0844258310632249, 0.5736530472358892, 0.7379372220804868, 0.8557065023590125, -0.1782242897383789, -0.18038998599982028, 0.8557065023590125, 1.6386076161220156] },
  nonsym: { a: [1.9497822843097845, -0.6979355840668491, -0.37757285643693267, -0.29280349396611444, 1.5720119770206538, 0.3320270822119737, -0.03785158315517349, -0.3536587548195628, 2.2457826959342704], e: [0.6329387304113565, -0.4219388367557102, -0.15001242071305584, -0.16740316081380857, 0.43314431217366645, 0.16255923782606863, -0.03280625243739123, -0.19335483127200526, 0.8210957478214] },
  far: { a: [58.29855307061324, -16.43023371405677, -2.56730126365494, -9.807473560440126, 48.26844775137968, -12.894187467538586, 0.20690394037591198, -0.3788574104406823, 46.95662249041511], e: [4.038106797804631, -0.31575449467787076, -0.09198299137425024, -0.18783487802109194, 3.844393077071949, -0.28163824119010333, 0.0032908996217310186, -0.007454352775222586, 3.8483042872270117] },
  rotation: { a: [-0.4161468365471424, -0.9092974268256817, 0.9092974268256817, -0.4161468365471424], e: [2.1032978197468596e-17, -2.0, 2.0, 2.1032978197468596e-17] },
  jordan: { a: [4.0, 1.0, 0.0, 4.0], e: [1.3862943611198906, 0.25, 0.0, 1.3862943611198906] },
  near: { a: [0.9476036747439877, -0.019809516523654636, -0.054566445084785455, -0.06776043731023698, 1.0112392866229947, -0.055467496894568306, 0.05851480505891467, 0.03582938279369181, 0.900109165377514], e: [-0.05262145704984946, -0.019126490661233113, -0.059589188212537045, -0.06731785507011326, 0.011612293609549487, -0.06005092150418443, 0.06458849421714193, 0.038113720306735314, -0.1021295034886719] },
};

describe('logm: values', () => {
  for (const [name, { a, e }] of Object.entries(MPMATH)) {
    it(`${name}: mpmath's logarithm`, () => {
      // SciPy's errors on these: up to 1.7e-14 ('near').
      expect(normwise(ops.logm(squareTensor(a)).value, e)).toBeLessThan(1e-14);
    });
  }

  it('closed forms: diagonal, a rotation, a Jordan block', () => {
    expect(normwise(ops.logm(tensor([[Math.E, 0], [0, 1]])).value, [1, 0, 0, 0])).toBeLessThan(4e-16);
    const c = Math.cos(2), s = Math.sin(2);
    expect(normwise(ops.logm(tensor([[c, -s], [s, c]])).value, [0, -2, 2, 0])).toBeLessThan(4e-15);
    // log [[a, b], [0, a]] = [[log a, b/a], [0, log a]]
    expect(normwise(ops.logm(tensor([[4, 1], [0, 4]])).value, [Math.log(4), 0.25, 0, Math.log(4)])).toBeLessThan(4e-16);
  });

  it('expm(logm(A)) = A and logm(expm(X)) = X at random matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 25, maxLength: 25 }), (n, symmetric, xs) => {
        const b = tensor(xs.slice(0, n * n), [n, n]);
        const eye = tensor(Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)), [n, n]);
        const a = symmetric ? b.matmul(b.transpose()).add(eye) : eye.mul(2).add(b.mul(0.5 / n));
        expect(normwise(ops.expm(ops.logm(a)).value, a.value)).toBeLessThan(1e-13);
        // X with eigenvalues' imaginary parts well inside (−π, π): ‖X‖ ≤ 1.
        // (absolutely: e^X rounds away the part of X below ε, as e^(1e-300) = 1)
        const x = b.mul(1 / n);
        const back = ops.logm(ops.expm(x)).value;
        for (let k = 0; k < n * n; k++) expect(Math.abs(back[k] - x.value[k])).toBeLessThan(1e-14);
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('NaN where no real principal logarithm exists', () => {
    for (const a of [[[-1, 0], [0, 1]], [[1, 0], [0, 0]], [[0, 1], [0, 0]], [[-1, 1], [0, 2]], [[1, NaN], [0, 1]]]) {
      expect(Array.from(ops.logm(tensor(a)).value).every(Number.isNaN), JSON.stringify(a)).toBe(true);
    }
    const stack = ops.logm(tensor([[[1, 0], [0, 1]], [[-1, 0], [0, 1]]])).value;
    expect(Array.from(stack.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(stack.subarray(4)).every(Number.isNaN)).toBe(true);
  });
});

describe('logm: derivatives', () => {
  it('the chain rule through expm: L_exp(log A, L_log(A, E)) = E', () => {
    const E = [0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.1, 0.7];
    for (const name of ['nonsym', 'far']) {
      const { value, tangent } = jvp((x: Tensor) => ops.logm(x.reshape([3, 3])), MPMATH[name].a, E);
      const back = jvp((y: Tensor) => ops.expm(y.reshape([3, 3])), value as Float64Array, tangent as Float64Array).tangent as Float64Array;
      expect(normwise(back, E)).toBeLessThan(1e-12);
    }
  });

  it('symmetric positive definite: as V·diag(log λ)·Vᵀ through eigh, to third order', () => {
    const S = MPMATH.spd.a, V = Array.from({ length: 16 }, (_, k) => Math.sin(k + 1));
    const sym = (x: Tensor) => { const a = x.reshape([4, 4]); return a.add(a.transpose()).mul(0.5); };
    const viaLogm = (x: Tensor) => ops.logm(sym(x)).sin().sum();
    const viaEigh = (x: Tensor) => { const { values, vectors } = ops.eigh(sym(x)); return vectors.mul(values.log()).matmul(vectors.transpose()).sin().sum(); };
    const a = gradAndHvp(viaLogm, S, V), b = gradAndHvp(viaEigh, S, V);
    expect(normwise(a.grad as Float64Array, b.grad as Float64Array)).toBeLessThan(1e-12);
    expect(normwise(a.hvp as Float64Array, b.hvp as Float64Array)).toBeLessThan(1e-11);
    const third = (f: (x: Tensor) => Scalar) => grad((x: Tensor) => (hvp(f, x, V) as Tensor).sum())(S) as Float64Array;
    expect(normwise(third(viaLogm), third(viaEigh))).toBeLessThan(1e-10);
  });

  it('finite differences to fourth order (a Jordan block), and at a stack', () => {
    const f = (x: Tensor) => ops.logm(x.reshape([2, 2]).mul(0.3).add(tensor([[3, 1], [0, 3]]))).tanh().sum();
    for (const c of checkGrads(f, [0, 0, 0, 0], { order: 4, directions: 2, seed: 2, fdTolerance: 1e-5 })) expect(c.passed, c.name).toBe(true);
    const g = (x: Tensor) => ops.logm(x.reshape([2, 3, 3]).mul(0.2).add(tensor([[3, 0, 0], [0, 2, 0], [0, 0, 5]]))).square().sum();
    for (const c of checkGrads(g, Array.from({ length: 18 }, (_, k) => Math.cos(k)), { order: 2, seed: 3 })) expect(c.passed, c.name).toBe(true);
  });

  it('a compiled replay takes the square roots again at the new point', () => {
    const f = (x: Tensor) => ops.logm(x.reshape([3, 3])).sum();
    const program = compile(f, MPMATH.near.a);
    const { value, grad: replayed } = program.valueAndGrad(MPMATH.far.a);
    expect(Math.abs((value as number) - MPMATH.far.e.reduce((s, e) => s + e, 0))).toBeLessThan(1e-13);
    expect(normwise(replayed as Float64Array, gradAndHvp(f, MPMATH.far.a, new Float64Array(9)).grad as Float64Array)).toBeLessThan(1e-15);
  });
});

describe('logm: misuse', () => {
  it('names the problem', () => {
    expect(() => ops.logm(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => ops.logm(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(/logm: the matrix has shape \[2,3\]/);
    expect(() => (ops.logm as (...a: unknown[]) => unknown)(tensor([[1]]), 2)).toThrow(ArgumentError);
    expect(() => ops.logm('A' as never)).toThrow(/logm: expected a tensor/);
  });
});
