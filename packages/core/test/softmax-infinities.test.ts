// logSumExp, softmax and logSoftmax at inputs holding ±∞ (docs/conventions.md, "Reductions"): the value
// and every derivative are the limits where they exist, NaN where they depend on the path. Every
// expected number below comes from the math, not from the engine:
// - one +∞ at xᵢ: logSumExp(x) = xᵢ + ln(1 + Σₖ≠ᵢ e^(xₖ − xᵢ)) → ∞, the second term and all its
//   derivatives → 0, so ∇ = eᵢ and every higher derivative 0; softmax → eᵢ with derivatives 0;
//   logSoftmaxₖ = xₖ − xᵢ → −∞ with ∇ = eₖ − eᵢ, logSoftmaxᵢ → 0 with ∇ = 0.
// - two +∞ or more (set P): logSumExp → ∞, but sₐ for a ∈ P depends on the path, so its derivatives
//   are NaN where they involve P only; any element k ∉ P has sₖ → 0, and every derivative with a
//   factor sₖ → 0.
// - every element −∞: logSumExp = −∞ (ln 0), softmax 0/0: NaN derivatives everywhere.
// - −∞ among finite elements: weight e^(−∞) = 0, derivative 0; the others as without it.
// - NaN anywhere in a line: NaN value and derivatives for the whole line (as max).
// Third derivatives come from nesting: ∇ₓ (u · H(x)v), a grad around an hvp.
import { describe, expect, it } from 'vitest';
import {
  BranchChangeError, compile, dot, grad, gradAndHvp, hvp, logSoftmax, logSumExp, softmax, tensor, valueAndGrad,
  type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

const I = Infinity;
const N = NaN;
const f64 = (a: unknown) => Array.from(a as ArrayLike<number>);

/** Equal as IEEE values (NaN to NaN, ±∞ exactly; finite numbers within tol·max(1, |b|)). */
function same(actual: readonly number[] | number, expected: readonly number[] | number, what: string, tol = 1e-14): void {
  const a = typeof actual === 'number' ? [actual] : actual, e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, what).toBe(e.length);
  a.forEach((ak, k) => {
    const ek = e[k];
    const ok = Number.isNaN(ek) ? Number.isNaN(ak) : Number.isFinite(ek) ? Math.abs(ak - ek) <= tol * Math.max(1, Math.abs(ek)) : ak === ek;
    expect(ok, `${what}[${k}]: got ${ak}, expected ${ek} (all: ${a.join(', ')})`).toBe(true);
  });
}

interface Derivatives {
  value: number;
  grad: number[];
  hvp: number[];
  /** ∇ₓ (u · H(x)v): the third derivative along u and v. */
  third: number[];
}

/** f, ∇f, H·v (gradAndHvp) and the third derivative through a grad around an hvp. */
function derivatives(f: (t: Tensor) => Scalar, x: number[], v: number[], u: number[]): Derivatives {
  const r = gradAndHvp(f, x, v);
  const third = grad((xn: Tensor) => dot(hvp(f, xn, v) as unknown as Tensor, tensor(u)))(x);
  return { value: r.value, grad: f64(r.grad), hvp: f64(r.hvp), third: f64(third) };
}

function expectDerivatives(f: (t: Tensor) => Scalar, x: number[], v: number[], u: number[], e: Derivatives, what: string): void {
  const d = derivatives(f, x, v, u);
  same(d.value, e.value, `${what} value`);
  same(d.grad, e.grad, `${what} ∇`);
  same(d.hvp, e.hvp, `${what} H·v`);
  same(d.third, e.third, `${what} third`);
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const nans = (n: number) => new Array<number>(n).fill(N);
const unit = (n: number, k: number) => zeros(n).map((_, j) => (j === k ? 1 : 0));

/** The three ops as scalar functions of x: logSumExp, and one component of softmax / logSoftmax. */
const lse = (t: Tensor) => logSumExp(t);
const lseAxis = (t: Tensor) => logSumExp(t, 0).sum();
const sm = (k: number) => (t: Tensor) => softmax(t).at(k);
const ls = (k: number) => (t: Tensor) => logSoftmax(t).at(k);

describe('one +∞: the limits (logSumExp ∇ = eᵢ, softmax = eᵢ, logSoftmax = xₖ − xᵢ)', () => {
  const x = [I, 0, -I, 2];
  const v = [1, 2, 3, 4];
  const u = [-1, 0.5, 2, 1];
  it('logSumExp: ∞, ∇ = e₀, H·v = 0, third 0 (whole and along an axis)', () => {
    const e = { value: I, grad: unit(4, 0), hvp: zeros(4), third: zeros(4) };
    expectDerivatives(lse, x, v, u, e, 'logSumExp');
    expectDerivatives(lseAxis, x, v, u, e, 'logSumExp(x, 0)');
  });
  it('softmax = [1, 0, 0, 0], every derivative 0', () => {
    [1, 0, 0, 0].forEach((s, k) => expectDerivatives(sm(k), x, v, u, { value: s, grad: zeros(4), hvp: zeros(4), third: zeros(4) }, `softmax[${k}]`));
  });
  it('logSoftmax = [0, −∞, −∞, −∞], ∇ = eₖ − e₀ (0 at the +∞), higher derivatives 0', () => {
    expectDerivatives(ls(0), x, v, u, { value: 0, grad: zeros(4), hvp: zeros(4), third: zeros(4) }, 'logSoftmax[0]');
    for (const k of [1, 2, 3]) {
      const g = unit(4, k).map((ek, j) => ek - (j === 0 ? 1 : 0));
      expectDerivatives(ls(k), x, v, u, { value: -I, grad: g, hvp: zeros(4), third: zeros(4) }, `logSoftmax[${k}]`);
    }
  });
  it('the reported case: ∇ logSumExp at [+∞, 0] is [1, 0] (was [0, 0]); softmax [1, 0]; logSoftmax [0, −∞]', () => {
    same(f64(grad(lse)([I, 0])), [1, 0], '∇ logSumExp');
    same(f64(softmax(tensor([I, 0])).value), [1, 0], 'softmax');
    same(f64(logSoftmax(tensor([I, 0])).value), [0, -I], 'logSoftmax');
    same(f64(softmax(tensor([0, I])).value), [0, 1], 'softmax, the +∞ second');
  });
});

describe('two +∞ or more: ±∞ values, NaN where the limit depends on the path, 0 where it does not', () => {
  const x = [I, 1, I, -I];
  const P = [1, 0, 1, 0]; // the +∞ elements
  const onP = (inside: number, outside: number) => P.map((p) => (p ? inside : outside));
  const v = [1, 2, 3, 4];
  const u = [2, -1, 1, 3];
  it('logSumExp = ∞; ∇, H·v and the third derivative NaN on the +∞ elements, 0 elsewhere', () => {
    const e = { value: I, grad: onP(N, 0), hvp: onP(N, 0), third: onP(N, 0) };
    expectDerivatives(lse, x, v, u, e, 'logSumExp');
    expectDerivatives(lseAxis, x, v, u, e, 'logSumExp(x, 0)');
  });
  it('H·v along a direction off the +∞ elements is 0 (Hₐₖ = −sₐsₖ → 0 for k finite)', () => {
    const w = [0, 1, 0, 1];
    same(f64(gradAndHvp(lse, x, w).hvp), zeros(4), 'H·v');
  });
  it('softmax = [NaN, 0, NaN, 0]: derivatives NaN on the +∞ elements for those, 0 for the others', () => {
    for (const k of [0, 2]) expectDerivatives(sm(k), x, v, u, { value: N, grad: onP(N, 0), hvp: onP(N, 0), third: onP(N, 0) }, `softmax[${k}]`);
    for (const k of [1, 3]) expectDerivatives(sm(k), x, v, u, { value: 0, grad: zeros(4), hvp: zeros(4), third: zeros(4) }, `softmax[${k}]`);
  });
  it('logSoftmax = [NaN, −∞, NaN, −∞]: ∇ = eₖ − s, NaN on the +∞ elements', () => {
    for (const k of [0, 2]) expectDerivatives(ls(k), x, v, u, { value: N, grad: onP(N, 0), hvp: onP(N, 0), third: onP(N, 0) }, `logSoftmax[${k}]`);
    for (const k of [1, 3]) expectDerivatives(ls(k), x, v, u, { value: -I, grad: onP(N, 0).map((g, j) => (j === k ? 1 : g)), hvp: onP(N, 0), third: onP(N, 0) }, `logSoftmax[${k}]`);
  });
  it('[+∞, +∞]: logSumExp ∞ with ∇ [NaN, NaN], as logAddExp(∞, ∞); softmax and logSoftmax NaN', () => {
    const r = valueAndGrad(lse)([I, I]);
    same(r.value, I, 'value');
    same(f64(r.grad), [N, N], '∇');
    same(f64(softmax(tensor([I, I])).value), [N, N], 'softmax');
    same(f64(logSoftmax(tensor([I, I])).value), [N, N], 'logSoftmax');
  });
});

describe('every element −∞: logSumExp −∞ with NaN derivatives; softmax and logSoftmax NaN', () => {
  const x = [-I, -I, -I];
  const v = [1, 2, 3];
  const u = [1, -1, 2];
  it('logSumExp = −∞ (ln 0), ∇, H·v, third NaN (was ∇ = 0)', () => {
    const e = { value: -I, grad: nans(3), hvp: nans(3), third: nans(3) };
    expectDerivatives(lse, x, v, u, e, 'logSumExp');
    expectDerivatives(lseAxis, x, v, u, e, 'logSumExp(x, 0)');
  });
  it('softmax and logSoftmax: NaN with NaN derivatives (logSoftmax ∇ was eₖ)', () => {
    const e = { value: N, grad: nans(3), hvp: nans(3), third: nans(3) };
    for (const k of [0, 1, 2]) {
      expectDerivatives(sm(k), x, v, u, e, `softmax[${k}]`);
      expectDerivatives(ls(k), x, v, u, e, `logSoftmax[${k}]`);
    }
  });
});

describe('a line of one element is that element: logSumExp = x, softmax 1, logSoftmax 0, at ±∞ too', () => {
  it('[−∞] and [+∞], whole and along an axis of length 1', () => {
    for (const x of [-I, I]) {
      expectDerivatives(lse, [x], [2], [3], { value: x, grad: [1], hvp: [0], third: [0] }, `logSumExp [${x}]`);
      expectDerivatives((t) => logSumExp(t.reshape([1, 1]), 1).sum(), [x], [2], [3], { value: x, grad: [1], hvp: [0], third: [0] }, `logSumExp axis [${x}]`);
      expectDerivatives(sm(0), [x], [2], [3], { value: 1, grad: [0], hvp: [0], third: [0] }, `softmax [${x}]`);
      expectDerivatives(ls(0), [x], [2], [3], { value: 0, grad: [0], hvp: [0], third: [0] }, `logSoftmax [${x}]`);
    }
  });
  it('softmax over an axis of length 1 of a column [−∞, 2, +∞]: ones, derivatives 0', () => {
    const f = (t: Tensor) => softmax(t.reshape([3, 1]), 1).sum();
    same(f64(softmax(tensor([-I, 2, I], [3, 1]), 1).value), [1, 1, 1], 'values');
    same(f64(gradAndHvp(f, [-I, 2, I], [1, 1, 1]).grad), zeros(3), '∇');
  });
});

describe('−∞ among finite elements: weight 0, derivative 0 (unchanged)', () => {
  // x = [−∞, 0, ln 3]: s = [0, ¼, ¾], logSumExp = ln 4.
  const x = [-I, 0, Math.log(3)];
  const s = [0, 0.25, 0.75];
  const v = [5, 1, -2];
  const u = v;
  const d = [0, 1, -2]; // v on the finite elements (v₀ meets s₀ = 0 only)
  const m1 = s.reduce((a, sk, k) => a + sk * d[k], 0), m2 = s.reduce((a, sk, k) => a + sk * d[k] ** 2, 0);
  const Hv = s.map((sk, k) => sk * (d[k] - m1));
  // ∂ₖ (vᵀHv) = sₖ(dₖ² − m₂ − 2m₁dₖ + 2m₁²)
  const third = s.map((sk, k) => sk * (d[k] ** 2 - m2 - 2 * m1 * d[k] + 2 * m1 ** 2));
  it('logSumExp: ln 4, ∇ = s, H·v = s ⊙ (v − s·v), third from the closed form', () => {
    expectDerivatives(lse, x, v, u, { value: Math.log(4), grad: s, hvp: Hv, third }, 'logSumExp');
  });
  it('logSoftmax at the −∞ element: −∞ with ∇ = e₀ − s, H·v = −Hv', () => {
    expectDerivatives(ls(0), x, v, u, { value: -I, grad: [1, -0.25, -0.75], hvp: Hv.map((h) => -h), third: third.map((t) => -t) }, 'logSoftmax[0]');
  });
  it('softmax at the −∞ element: 0 with every derivative 0', () => {
    expectDerivatives(sm(0), x, v, u, { value: 0, grad: zeros(3), hvp: zeros(3), third: zeros(3) }, 'softmax[0]');
  });
});

describe('NaN in a line: NaN value and derivatives for every element of it, ±∞ ones too (as max)', () => {
  for (const x of [[N, 0, 1], [N, I, 0], [I, N, -I], [N, 0, -I]]) {
    it(`at [${x.join(', ')}]`, () => {
      const e = { value: N, grad: nans(3), hvp: nans(3), third: nans(3) };
      expectDerivatives(lse, x, [1, 2, 3], [1, 1, 1], e, 'logSumExp');
      for (const k of [0, 1, 2]) {
        expectDerivatives(sm(k), x, [1, 2, 3], [1, 1, 1], e, `softmax[${k}]`);
        expectDerivatives(ls(k), x, [1, 2, 3], [1, 1, 1], e, `logSoftmax[${k}]`);
      }
    });
  }
});

describe('along axes, with keepDims: each line by its own case, regular lines unchanged', () => {
  // Rows: one +∞; regular [1, 2, 3]; all −∞; two +∞.
  const X = [I, 0, 1, 1, 2, 3, -I, -I, -I, I, 5, I];
  const e3 = [1, Math.E, Math.E ** 2];
  const S = e3.map((a) => a / e3.reduce((p, q) => p + q)); // softmax([1, 2, 3])
  const L = 3 + Math.log(e3.reduce((p, q) => p + q) / Math.E ** 2); // logSumExp([1, 2, 3])
  it('logSumExp(X, 1) and (X, -1, keepDims): values, ∇ of Σ wᵣ·yᵣ row by row', () => {
    const w = [1, -2, 3, 0.5];
    for (const keep of [false, true]) {
      const f = (t: Tensor) => logSumExp(t.reshape([4, 3]), keep ? -1 : 1, keep as true).reshape([4]).mul(tensor(w)).sum();
      const y = logSumExp(tensor(X, [4, 3]), 1);
      same(f64(y.value), [I, L, -I, I], 'values');
      const g = f64(grad(f)(X));
      // Row 2 (all −∞) and row 3 (two +∞) make the weighted sum's gradient NaN there: w₂·NaN, w₃·NaN on P.
      same(g, [w[0], 0, 0, ...S.map((sk) => w[1] * sk), N, N, N, N, 0, N], `∇ keepDims=${keep}`);
      // H·v along a direction in row 1 only: only that row's block, s ⊙ (v − s·v), the other rows 0.
      const v = [0, 0, 0, 1, -1, 2, 0, 0, 0, 0, 0, 0];
      const sv = S[0] * 1 - S[1] + 2 * S[2];
      same(f64(gradAndHvp(f, X, v).hvp), [0, 0, 0, ...S.map((sk, k) => w[1] * sk * ([1, -1, 2][k] - sv)), 0, 0, 0, 0, 0, 0], `H·v keepDims=${keep}`);
    }
  });
  it('softmax and logSoftmax along axis 1 and axis 0 (the transpose)', () => {
    const bySoftmax = [1, 0, 0, ...S, N, N, N, N, 0, N];
    const byLog = [0, -I, -I, ...S.map((sk) => Math.log(sk)), N, N, N, N, -I, N];
    same(f64(softmax(tensor(X, [4, 3]), 1).value), bySoftmax, 'softmax axis 1', 1e-15);
    same(f64(logSoftmax(tensor(X, [4, 3]), -1).value), byLog, 'logSoftmax axis −1', 1e-15);
    const T = tensor(X, [4, 3]).transpose().value;
    const back = (a: Float64Array) => f64(tensor(a, [3, 4]).transpose().value);
    same(back(softmax(tensor(T, [3, 4]), 0).value), bySoftmax, 'softmax axis 0', 1e-15);
    same(back(logSoftmax(tensor(T, [3, 4]), 0).value), byLog, 'logSoftmax axis 0', 1e-15);
  });
  it('∇ of one softmax entry of the regular row is s(δ − s) there and 0 in the other rows', () => {
    const g = f64(grad((t: Tensor) => softmax(t.reshape([4, 3]), 1).at([1, 1]))(X));
    same(g, [0, 0, 0, ...S.map((sk, k) => S[1] * ((k === 1 ? 1 : 0) - sk)), 0, 0, 0, 0, 0, 0], '∇');
  });
  it('a list of axes: logSumExp over [0, 1] of a [2, 2] holding one +∞, keepDims', () => {
    const f = (t: Tensor) => logSumExp(t.reshape([2, 2]), [0, 1], true).sum();
    const r = gradAndHvp(f, [0, 3, I, -1], [1, 1, 1, 1]);
    same(r.value, I, 'value');
    same(f64(r.grad), [0, 0, 1, 0], '∇');
    same(f64(r.hvp), zeros(4), 'H·v');
  });
});

describe('compile: a line that starts or stops holding ±∞ is a branch change', () => {
  it('recorded at finite x, replayed at [+∞, 0] and [0, +∞]: the limits (re-recorded)', () => {
    const program = compile(lse, [1, 2]);
    same(f64(program.valueAndGrad([I, 0]).grad), [1, 0], 'at [∞, 0]');
    same(f64(program.valueAndGrad([0, I]).grad), [0, 1], 'at [0, ∞]');
    same(f64(program.valueAndGrad([-I, -I]).grad), [N, N], 'at [−∞, −∞]');
    const s = Math.exp(1) / (1 + Math.exp(1));
    same(f64(program.valueAndGrad([1, 2]).grad), [1 - s, s], 'back at [1, 2]');
  });
  it('with onBranchChange: throw, the change is a BranchChangeError; −∞ among finite ones is not', () => {
    const program = compile((t: Tensor) => softmax(t).at(0), [1, 2, 3], { onBranchChange: 'throw' });
    expect(() => program.valueAndGrad([I, 2, 3])).toThrow(BranchChangeError);
    const again = compile((t: Tensor) => softmax(t).at(0), [1, 2, 3], { onBranchChange: 'throw' });
    same(again.valueAndGrad([-I, 0, Math.log(3)]).value, 0, 'value');
    const recorded = compile((t: Tensor) => logSoftmax(t, 0).at(1), [I, 0, 1], { onBranchChange: 'throw' });
    same(f64(recorded.valueAndGrad([I, 5, -2]).grad), [-1, 1, 0], 'the same line class, the +∞ in place');
    expect(() => recorded.valueAndGrad([0, I, 1])).toThrow(BranchChangeError);
  });
});

describe('finite inputs: nothing changed (finite differences to third order)', () => {
  const points = [[0.3, -1.2, 2.5], [1000, 999, 998.5], [-1e3, 0, 1]];
  it.each([
    ['logSumExp', (t: Tensor) => logSumExp(t)],
    ['logSumExp(x, 0, keepDims)', (t: Tensor) => logSumExp(t, 0, true).sum()],
    ['softmax', (t: Tensor) => softmax(t).mul(tensor([1, -2, 0.5])).sum()],
    ['logSoftmax', (t: Tensor) => logSoftmax(t).mul(tensor([0.5, 1, -1])).sum()],
  ] as const)('%s', (_name, f) => {
    for (const x of points) {
      const checks = checkGrads(f, x, { order: 3, directions: 2, fdTolerance: 1e-5 });
      expect(checks.filter((c) => !c.passed), `at ${x}`).toEqual([]);
    }
  });
  it('rows of a matrix, along both axes', () => {
    const x = [0.1, 0.7, -0.4, 1.3, -2, 0.25];
    for (const axis of [0, 1]) {
      const f = (t: Tensor) => softmax(t.reshape([2, 3]), axis).mul(tensor([1, 2, 3, -1, -2, 0.5], [2, 3])).sum()
        .add(logSumExp(t.reshape([2, 3]), axis).square().sum());
      expect(checkGrads(f, x, { order: 3, directions: 2, fdTolerance: 1e-5 }).filter((c) => !c.passed)).toEqual([]);
    }
  });
});
