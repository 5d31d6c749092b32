/**
 * Matrix functions with exact second derivatives: `expm`, `sqrtm`, `logm`, `pinv` and `lstsq`.
 *
 * 1. A rotation fitted by Newton's method on its Lie algebra: R(ω) = expm([ω]×) maps points pᵢ onto
 *    qᵢ = R*·pᵢ + noise; the loss Σ‖R(ω)pᵢ − qᵢ‖² is minimized with the exact 3×3 Hessian, and the
 *    result is checked against the closed-form (Kabsch) solution from an SVD.
 * 2. The Fréchet distance between two Gaussians' covariances, tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½), whose
 *    gradient in Σ₂ is checked against central differences and, for commuting covariances, against
 *    its closed form I − Σ₁^½ Σ₂^(−½).
 * 3. The log-Euclidean distance ‖logm A − logm B‖_F, its H·v against central differences of the
 *    gradient.
 * 4. A least-squares line through `lstsq`, the derivative of its slope in one data value against
 *    the closed form of simple regression.
 *
 * Run: pnpm example matrix-functions
 */
import { expm, grad, gradAndHvp, hessian, logm, lstsq, sqrtm, svd, tensor, valueAndGrad, type Tensor } from '@dualtape/core';
import { seededUniform } from '@dualtape/core/testing';
import { check, finish } from './lib/check.js';

const uniform = seededUniform(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

// ---- 1. A rotation by Newton's method on so(3) ----------------------------------------------------
console.log('1. fitting a rotation R = expm([ω]×) by Newton with the exact Hessian');
const generator = (w: Tensor) => {
  // [ω]× from ω = (a, b, c), written as a sum of fixed basis matrices times the components.
  const basis = [
    [[0, 0, 0], [0, 0, -1], [0, 1, 0]],
    [[0, 0, 1], [0, 0, 0], [-1, 0, 0]],
    [[0, -1, 0], [1, 0, 0], [0, 0, 0]],
  ];
  return basis.map((m, k) => tensor(m).mul(w.at(k))).reduce((s, m) => s.add(m));
};
const points = Array.from({ length: 3 * 30 }, () => normal());
const P = tensor(points, [30, 3]);
const truth = expm(generator(tensor([0.5, -0.3, 0.4]))).value; // a rotation by 0.71 rad
const Q = P.matmul(tensor(truth, [3, 3]).transpose()).add(tensor(points.map(() => 0.01 * normal()), [30, 3]));
const misfit = (w: Tensor) => P.matmul(expm(generator(w)).transpose()).sub(Q).square().sum();
let w = new Float64Array(3);
for (let step = 0; step < 5; step++) {
  const { value, grad: g } = valueAndGrad(misfit)(w);
  const H = hessian(misfit, w);
  const dw = solve3(H, g as Float64Array);
  w = w.map((x, k) => x - dw[k]);
  console.log(`  step ${step}: loss ${(value as number).toExponential(6)}, |∇| ${Math.hypot(...(g as Float64Array)).toExponential(1)}`);
}
// Kabsch: with M = Qᵀ·P = U·S·Vᵀ, the best rotation is U·diag(1, 1, det(U·Vᵀ))·Vᵀ.
const { u, vt } = svd(Q.transpose().matmul(P));
const uv = u.matmul(vt).value;
const sign = Math.sign(det3(uv));
const kabsch = u.matmul(tensor([[1, 0, 0], [0, 1, 0], [0, 0, sign]])).matmul(vt).value;
check('Newton on expm([ω]×) reaches the Kabsch rotation', expm(generator(tensor(Array.from(w)))).value, kabsch, 1e-10);

// ---- 2. The Fréchet distance between Gaussian covariances -------------------------------------------
console.log('\n2. the Fréchet distance tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½) and its gradient in Σ₂');
const spd = (seed: number) => {
  const m = tensor(Array.from({ length: 9 }, (_, k) => Math.sin(seed * (k + 1))), [3, 3]);
  return m.matmul(m.transpose()).add(tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]));
};
const S1 = spd(1), S2 = spd(2);
const frechet = (s2: Tensor) => {
  const sym = s2.reshape([3, 3]).add(s2.reshape([3, 3]).transpose()).mul(0.5);
  const r = sqrtm(S1);
  return S1.add(sym).sub(sqrtm(r.matmul(sym).matmul(r)).mul(2)).matrixTrace();
};
const g2 = grad(frechet)(S2.value) as Float64Array;
const h = 1e-6;
const fd = Array.from(S2.value, (_, k) => {
  const plus = S2.value.slice(), minus = S2.value.slice();
  plus[k] += h;
  minus[k] -= h;
  return ((frechet(tensor(plus)).value as number) - (frechet(tensor(minus)).value as number)) / (2 * h);
});
check('∇ in Σ₂ against central differences', g2, fd, 1e-7);
// Commuting covariances (both diagonal): d = Σ (√a − √b)², ∂d/∂b = 1 − √a/√b.
const a = [1, 4, 9], b = [2, 3, 5];
const diagonal = (d: number[]) => tensor([[d[0], 0, 0], [0, d[1], 0], [0, 0, d[2]]]);
const commuting = (s2: Tensor) => {
  const sym = s2.reshape([3, 3]);
  const r = sqrtm(diagonal(a));
  return diagonal(a).add(sym).sub(sqrtm(r.matmul(sym).matmul(r)).mul(2)).matrixTrace();
};
const gd = grad(commuting)(diagonal(b).value) as Float64Array;
check('diagonal case: ∂d/∂b = 1 − √a/√b', [gd[0], gd[4], gd[8]], b.map((bi, i) => 1 - Math.sqrt(a[i]) / Math.sqrt(bi)), 1e-12);

// ---- 3. The log-Euclidean distance --------------------------------------------------------------------
console.log('\n3. the log-Euclidean distance ‖logm A − logm B‖²: H·v against differences of ∇');
const logB = logm(spd(3));
const logEuclidean = (x: Tensor) => {
  const m = x.reshape([3, 3]);
  return logm(m.add(m.transpose()).mul(0.5)).sub(logB).square().sum();
};
const A0 = spd(4).value, v = Array.from({ length: 9 }, (_, k) => Math.cos(k));
const { hvp } = gradAndHvp(logEuclidean, A0, v);
const gradAt = (x: Float64Array) => grad(logEuclidean)(x) as Float64Array;
const gp = gradAt(A0.map((x, k) => x + h * v[k])), gm = gradAt(A0.map((x, k) => x - h * v[k]));
check('H·v against (∇(A + hv) − ∇(A − hv))/2h', hvp as Float64Array, gp.map((x, k) => (x - gm[k]) / (2 * h)), 1e-7);

// ---- 4. Least squares ---------------------------------------------------------------------------------
console.log('\n4. a least-squares line through lstsq: the slope and its derivative in y₀');
const ts = [0, 1, 2, 3, 4], ysData = [1.1, 1.9, 3.2, 3.9, 5.1];
const design = tensor(ts.map((t) => [1, t]));
const slope = (y: Tensor) => lstsq(design, y).x.at(1);
const tMean = ts.reduce((s, t) => s + t, 0) / ts.length, sxx = ts.reduce((s, t) => s + (t - tMean) ** 2, 0);
const closedSlope = ts.reduce((s, t, i) => s + (t - tMean) * ysData[i], 0) / sxx;
check('slope as Σ(tᵢ − t̄)yᵢ / Σ(tᵢ − t̄)²', slope(tensor(ysData)).value as number, closedSlope, 1e-14);
check('∂slope/∂yᵢ = (tᵢ − t̄)/Σ(tᵢ − t̄)²', grad(slope)(ysData) as Float64Array, ts.map((t) => (t - tMean) / sxx), 1e-14);

finish();

/** x with H·x = g for a 3×3 H (Cramer's rule, enough for a Newton step here). */
function solve3(H: Float64Array, g: Float64Array): number[] {
  const d = det3(H);
  return [0, 1, 2].map((c) => det3(H.map((e, k) => (k % 3 === c ? g[Math.floor(k / 3)] : e))) / d);
}

function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
