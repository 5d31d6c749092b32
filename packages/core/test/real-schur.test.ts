// realSchur (src/ops/linalg/real-schur.ts) on its own: Q orthogonal and Q·T·Qᵀ = A to rounding, T
// quasi-upper-triangular with standardized 2×2 blocks, the eigenvalues against numpy.linalg.eigvals
// (random-like, graded) or exact ones (repeated, defective, 1×1, 2×2, zero), exact power-of-two scaling,
// and the failure paths (an iteration cap, NaN).
import { describe, expect, it } from 'vitest';
import { balance } from '../src/ops/linalg/balance.js';
import { quasiTriangularEigenvalues, realSchur, standardize } from '../src/ops/linalg/real-schur.js';
import { BALANCING, GRADED8_EIGENVALUES } from './balancing-cases.js';

/** The matrices numpy saw: entries ((7i² + 13j + 5ij + 3) mod 97 − 48)/16, exact in binary. */
const formula = (n: number) => Float64Array.from({ length: n * n }, (_, k) => {
  const i = Math.floor(k / n), j = k % n;
  return (((i * i * 7 + j * 13 + i * j * 5 + 3) % 97) - 48) / 16;
});
/** Graded: ((5i + 3j + 1) mod 11 − 5)·2^(−4(i + j)), entries from 5 down to 2^−56. */
const graded = (n: number) => Float64Array.from({ length: n * n }, (_, k) => {
  const i = Math.floor(k / n), j = k % n;
  return (((i * 5 + j * 3 + 1) % 11) - 5) * 2 ** (-4 * (i + j));
});

// numpy.linalg.eigvals (numpy 2.4, LAPACK dgeev) of formula(n) and graded(8), as [re, im]; their
// eigenvalue condition numbers are at most 6.6 (formula) and 180 (graded).
const NUMPY: Record<string, [number, number][]> = {
  formula1: [[-2.8125, 0.0]],
  formula2: [[-4.3464933052489325, 0.0], [0.2839933052489323, 0.0]],
  formula5: [[-4.0870840523558, 0.0], [-2.369157633221694, 0.0], [-1.8096947827407953e-16, 0.0], [2.415620842788745, -2.276248234958627], [2.415620842788745, 2.276248234958627]],
  formula12: [[-5.038710761338101, -0.565672065211457], [-5.038710761338101, 0.565672065211457], [-4.258493433766748, -3.514041657781639], [-4.258493433766748, 3.514041657781639], [-2.70510865506015, -0.9277809962591616], [-2.70510865506015, 0.9277809962591616], [-0.11825625196001105, -5.284590515011996], [-0.11825625196001105, 5.284590515011996], [3.298856462692978, -3.0396737805329024], [3.298856462692978, 3.0396737805329024], [5.249360820610881, 0.0], [5.5815644582531645, 0.0]],
  formula40: [[-10.527028502670905, 0.0], [-10.37939862336945, -2.865524721253012], [-10.37939862336945, 2.865524721253012], [-8.22402849961411, -3.999202491641184], [-8.22402849961411, 3.999202491641184], [-6.45571086150604, -7.285385909802831], [-6.45571086150604, 7.285385909802831], [-6.1811876006975845, -2.859646916017621], [-6.1811876006975845, 2.859646916017621], [-4.588077212635252, -3.7181696230841372], [-4.588077212635252, 3.7181696230841372], [-4.517300710714609, -8.848712584512674], [-4.517300710714609, 8.848712584512674], [-3.236699619674308, -7.508743691089383], [-3.236699619674308, 7.508743691089383], [-1.8818301559809423, -4.934985801086207], [-1.8818301559809423, 4.934985801086207], [-1.7763717810987423, 0.0], [-0.3077325843170424, -9.978026328746783], [-0.3077325843170424, 9.978026328746783], [0.2038175137410117, -5.178687438277145], [0.2038175137410117, 5.178687438277145], [1.0713693412074758, -10.473069488684555], [1.0713693412074758, 10.473069488684555], [2.0327842874218094, -2.266184183533139], [2.0327842874218094, 2.266184183533139], [2.894548656089678, -5.059380284649767], [2.894548656089678, 5.059380284649767], [4.78778665844076, -7.565250587838699], [4.78778665844076, 7.565250587838699], [5.923658725315674, -7.739927344280867], [5.923658725315674, 7.739927344280867], [6.049366688829685, 0.0], [6.3290001684414525, -1.4034400038946324], [6.3290001684414525, 1.4034400038946324], [7.119372153882605, -7.058784344930836], [7.119372153882605, 7.058784344930836], [7.956577379596634, -2.853500561755502], [7.956577379596634, 2.853500561755502], [9.097635563684404, 0.0]],
  graded8: [[-3.998988923868819, 0.0], [-3.367661771112672e-05, 0.0], [-1.7074441299260919e-09, 0.0], [9.788930804680225e-15, -4.420271045195185e-13], [-9.984733136739356e-12, 0.0], [9.985034289977893e-12, 0.0], [9.788930804680225e-15, 4.420271045195185e-13], [0.0146627406123023, 0.0]],
};

/** ‖QᵀQ − I‖_max, ‖Q·T·Qᵀ − A‖_max / ‖A‖_max, and the structure of T, checked. */
function checkSchur(a: Float64Array, n: number, { orthogonality = 1e-15 * Math.max(n, 4), residual = 1e-15 * Math.max(n, 4) } = {}) {
  const r = realSchur(a, n);
  expect(r).not.toBeNull();
  const { t, q } = r!;
  let orth = 0, rec = 0, size = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let qq = 0, qtq = 0;
      for (let k = 0; k < n; k++) {
        qq += q[k * n + i] * q[k * n + j];
        let row = 0;
        for (let l = 0; l < n; l++) row += t[k * n + l] * q[j * n + l];
        qtq += q[i * n + k] * row;
      }
      orth = Math.max(orth, Math.abs(qq - (i === j ? 1 : 0)));
      rec = Math.max(rec, Math.abs(qtq - a[i * n + j]));
      size = Math.max(size, Math.abs(a[i * n + j]));
    }
  }
  expect(orth).toBeLessThan(orthogonality);
  expect(size === 0 ? rec : rec / size).toBeLessThan(residual);
  // Quasi-triangular: nothing below the subdiagonal, no two consecutive subdiagonal entries, and each
  // 2×2 block [[a, b], [c, a]] with b·c < 0 (a complex pair: real pairs are split into 1×1 blocks).
  for (let i = 0; i < n; i++) for (let j = 0; j + 1 < i; j++) expect(t[i * n + j]).toBe(0);
  for (let k = 0; k + 1 < n; k++) {
    if (t[(k + 1) * n + k] === 0) continue;
    if (k + 2 < n) expect(t[(k + 2) * n + k + 1]).toBe(0);
    expect(t[k * n + k]).toBe(t[(k + 1) * n + k + 1]);
    expect(t[k * n + k + 1] * t[(k + 1) * n + k]).toBeLessThan(0);
  }
  return { t, q, ...quasiTriangularEigenvalues(t, n) };
}

/** The largest distance from each wanted eigenvalue to the nearest computed one not yet taken. */
function eigenvalueError(re: Float64Array, im: Float64Array, want: [number, number][]): number {
  expect(re.length).toBe(want.length);
  const taken = new Array<boolean>(re.length).fill(false);
  let worst = 0;
  for (const [wr, wi] of want) {
    let best = -1, distance = Infinity;
    for (let k = 0; k < re.length; k++) {
      const d = Math.hypot(re[k] - wr, im[k] - wi);
      if (!taken[k] && d < distance) [best, distance] = [k, d];
    }
    taken[best] = true;
    worst = Math.max(worst, distance);
  }
  return worst;
}

/** P·D·P⁻¹ in exact integer arithmetic: P = L·U, unit lower and upper triangular with small integers. */
function similar(d: number[][], n: number): Float64Array {
  const l = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : i > j ? ((i + 2 * j) % 3) - 1 : 0)));
  const u = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : j > i ? ((2 * i + j) % 3) - 1 : 0)));
  const times = (x: number[][], y: number[][]) => x.map((row) => y[0].map((_, j) => row.reduce((s, v, k) => s + v * y[k][j], 0)));
  // Inverses of unit triangular integer matrices by substitution (integers again).
  const inverse = (m: number[][], lower: boolean) => {
    const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
    for (let c = 0; c < n; c++) {
      const order = lower ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
      for (const i of order) {
        let s = i === c ? 1 : 0;
        for (const k of order) { if (k === i) break; s -= m[i][k] * r[k][c]; }
        r[i][c] = s;
      }
    }
    return r;
  };
  const p = times(l, u), pInv = times(inverse(u, false), inverse(l, true));
  return Float64Array.from(times(times(p, d), pInv).flat());
}

describe('realSchur', () => {
  for (const n of [1, 2, 5, 12, 40]) {
    it(`a ${n}×${n} matrix: the decomposition, and numpy's eigenvalues`, () => {
      const { re, im } = checkSchur(formula(n), n);
      expect(eigenvalueError(re, im, NUMPY[`formula${n}`])).toBeLessThan(1e-13);
    });
  }

  it('graded (entries from 5 down to 2^−56)', () => {
    const { re, im } = checkSchur(graded(8), 8);
    expect(eigenvalueError(re, im, NUMPY.graded8)).toBeLessThan(1e-13);
  });

  it('2×2: a complex pair standardized, a real pair triangularized, already triangular', () => {
    // [[1, −2], [3, 1]]: 1 ± i√6; [[4, 1], [2, 3]]: 5 and 2; [[2, 7], [0, −1]] stays as it is.
    const complex = checkSchur(Float64Array.of(1, -2, 3, 1), 2);
    expect(eigenvalueError(complex.re, complex.im, [[1, Math.sqrt(6)], [1, -Math.sqrt(6)]])).toBeLessThan(2e-15);
    const real = checkSchur(Float64Array.of(4, 1, 2, 3), 2);
    expect(real.t[2]).toBe(0);
    expect(eigenvalueError(real.re, real.im, [[5, 0], [2, 0]])).toBeLessThan(4e-15);
    const triangular = checkSchur(Float64Array.of(2, 7, 0, -1), 2);
    expect(Array.from(triangular.t)).toEqual([2, 7, 0, -1]);
    expect(Array.from(triangular.q)).toEqual([1, 0, 0, 1]);
  });

  it('1×1 and zero matrices', () => {
    expect(Array.from(checkSchur(Float64Array.of(-3), 1).t)).toEqual([-3]);
    const zero = checkSchur(new Float64Array(9), 3);
    expect(Array.from(zero.t)).toEqual(new Array(9).fill(0));
    expect(Array.from(zero.q)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('repeated eigenvalues (semisimple), and a complex pair repeated', () => {
    // P·diag(1, 1, 1, 2, 2, 3)·P⁻¹: eigenvalues exactly those, P of condition ~100.
    const d = [1, 1, 1, 2, 2, 3];
    const a = similar(d.map((x, i) => d.map((_, j) => (i === j ? x : 0))), 6);
    const { re, im } = checkSchur(a, 6, { residual: 1e-14 });
    expect(eigenvalueError(re, im, d.map((x) => [x, 0]))).toBeLessThan(1e-12);
    // Two copies of the rotation block [[0, −1], [1, 0]] (±i twice) plus 3: a derogatory normal form.
    const r = [[0, -1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, -1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 3]];
    const rot = checkSchur(similar(r, 5), 5, { residual: 1e-14 });
    expect(eigenvalueError(rot.re, rot.im, [[0, 1], [0, -1], [0, 1], [0, -1], [3, 0]])).toBeLessThan(1e-12);
  });

  it('defective: a Jordan block, as it is and by an integer similarity', () => {
    // A Jordan block is already in Schur form.
    const n = 6;
    const j = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? 2 : k === i + 1 ? 1 : 0)));
    const plain = checkSchur(Float64Array.from(j.flat()), n);
    expect(Array.from(plain.t)).toEqual(j.flat());
    // P·J·P⁻¹: the eigenvalue 2 of multiplicity 6 is found to ε^(1/6)·‖A‖ (its sensitivity), and their
    // sum, the trace, to rounding.
    const a = similar(j, n);
    const { re, im } = checkSchur(a, n, { residual: 1e-14 });
    for (let k = 0; k < n; k++) expect(Math.hypot(re[k] - 2, im[k]), `λ${k}`).toBeLessThan(0.05);
    expect(Math.abs(re.reduce((s, x) => s + x, 0) - 2 * n)).toBeLessThan(1e-12);
  });

  it('highly non-normal: a triangular matrix with a 1e6 departure, rotated', () => {
    // T₀ = upper triangular with diagonal 1…5 and 1e6 above it, then P·T₀·P⁻¹.
    const n = 5;
    const t0 = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? i + 1 : k > i ? 1e6 : 0)));
    const { re, im } = checkSchur(similar(t0, n), n, { residual: 1e-14 });
    // The eigenvalues of such a matrix are sensitive (condition up to ~1e24 here): only their sum is sharp.
    expect(Math.abs(re.reduce((s, x) => s + x, 0) - 15) / 1e6).toBeLessThan(1e-14);
    expect(im.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('scaling by a power of two scales T exactly and leaves Q, even at 2^±1000', () => {
    const a = formula(7), base = realSchur(a, 7)!;
    for (const c of [2 ** -1000, 2 ** 1000, 0.5]) {
      const scaled = realSchur(a.map((x) => x * c), 7)!;
      expect(Array.from(scaled.q)).toEqual(Array.from(base.q));
      expect(Array.from(scaled.t)).toEqual(Array.from(base.t, (x) => x * c));
    }
  });

  it('tiny and subnormal entries below the subdiagonal do not break it', () => {
    const a = Float64Array.of(1, 0, 0, 0, 1, 0, -1e-323, 0, 1);
    checkSchur(a, 3);
    const b = Float64Array.of(2, 1, 0, 1e-300, 3, 1, 1e-310, 1e-300, 4);
    checkSchur(b, 3);
  });

  it('fails cleanly: null past the iteration cap, and at NaN or ±∞', () => {
    expect(realSchur(formula(12), 12, { maxIterations: 0 })).toBeNull();
    expect(realSchur(formula(12), 12, { maxIterations: 1 })).toBeNull();
    expect(realSchur(Float64Array.of(1, NaN, 0, 1), 2)).toBeNull();
    expect(realSchur(Float64Array.of(1, 0, Infinity, 1), 2)).toBeNull();
    // The cap does not bind where the matrix needs no iteration (triangular).
    expect(realSchur(Float64Array.of(1, 2, 0, 3), 2, { maxIterations: 0 })).not.toBeNull();
  });
});

describe('standardize (dlanv2)', () => {
  it('the rotation reproduces the 2×2, the result is standard', () => {
    for (const [a, b, c, d] of [[1, -2, 3, 1], [4, 1, 2, 3], [1, 2, -3, 5], [0, 1, 0, 0], [0, 0, 1, 0], [3, 1e-20, -1e-20, 3], [1, 1, 1, 1], [-1, 5, -0.1, 2]]) {
      const r = standardize(a, b, c, d);
      // [[a, b], [c, d]] = [[cs, −sn], [sn, cs]]·[[A, B], [C, D]]·[[cs, sn], [−sn, cs]]
      const { cs, sn } = r;
      const m = [[cs * r.a - sn * r.c, cs * r.b - sn * r.d], [sn * r.a + cs * r.c, sn * r.b + cs * r.d]];
      const back = [m[0][0] * cs - m[0][1] * sn, m[0][0] * sn + m[0][1] * cs, m[1][0] * cs - m[1][1] * sn, m[1][0] * sn + m[1][1] * cs];
      const size = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d));
      [a, b, c, d].forEach((x, k) => expect(Math.abs(back[k] - x) / size, `${[a, b, c, d]}`).toBeLessThan(4e-16));
      expect(Math.abs(cs * cs + sn * sn - 1)).toBeLessThan(4e-16);
      expect(r.c === 0 || (r.a === r.d && r.b * r.c < 0)).toBe(true);
    }
  });
});

describe('realSchur: block triangular matrices', () => {
  it('[[A, E], [0, A]] and its transpose split into the Schur form of A (of Aᵀ) twice: identical eigenvalues, exact zeros', () => {
    const a = formula(3), n = 6;
    const block = new Float64Array(n * n);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      block[i * n + j] = block[(i + 3) * n + j + 3] = a[i * 3 + j];
      block[i * n + j + 3] = Math.cos(i + 2 * j);
    }
    const transposed = block.map((_, k) => block[(k % n) * n + Math.floor(k / n)]);
    const aT = a.map((_, k) => a[(k % 3) * 3 + Math.floor(k / 3)]);
    for (const [m, half] of [[block, a], [transposed, aT]]) {
      const own = realSchur(half, 3)!;
      const { t, q } = realSchur(m, n)!;
      for (const [r0, c0] of [[0, 0], [3, 3]]) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(t[(r0 + i) * n + c0 + j]).toBe(own.t[i * 3 + j]);
      for (let i = 3; i < n; i++) for (let j = 0; j < 3; j++) expect(t[i * n + j]).toBe(0);
      // Q·T·Qᵀ = M and QᵀQ = I to rounding.
      let residual = 0, orthogonality = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0, o = 0;
        for (let k = 0; k < n; k++) { o += q[k * n + i] * q[k * n + j]; for (let l = 0; l < n; l++) s += q[i * n + k] * t[k * n + l] * q[j * n + l]; }
        residual = Math.max(residual, Math.abs(s - m[i * n + j]));
        orthogonality = Math.max(orthogonality, Math.abs(o - (i === j ? 1 : 0)));
      }
      expect(residual).toBeLessThan(1e-14);
      expect(orthogonality).toBeLessThan(1e-15);
    }
  });
});

/** X·Q·T·Qᵀ·X⁻¹ of a balanced Schur form, entry by entry. */
function reassembled({ t, q, perm, scale }: { t: Float64Array; q: Float64Array; perm: Int32Array; scale: Float64Array }, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += q[i * n + k] * t[k * n + l] * q[j * n + l];
    m[perm[i] * n + perm[j]] = (s * scale[i]) / scale[j];
  }
  return m;
}

describe('realSchur: balancing', () => {
  it('balance: an exact similarity by powers of two that brings a graded matrix to B\'s size', () => {
    const { a, d } = BALANCING.graded8, n = 5;
    const { b, perm, scale, lo, hi } = balance(Float64Array.from(a), n);
    expect([lo, hi]).toEqual([0, n]);
    for (let i = 0; i < n; i++) {
      expect(Number.isInteger(Math.log2(scale[i]))).toBe(true);
      // Within a factor 2⁴ of D (up to a common factor): B is D's frame, not A's.
      expect(Math.abs(Math.log2((scale[i] / scale[0]) * (d![perm[0]] / d![perm[i]])))).toBeLessThan(4);
      for (let j = 0; j < n; j++) expect(b[i * n + j]).toBe((a[perm[i] * n + perm[j]] / scale[i]) * scale[j]);
    }
    expect(Math.max(...Array.from(b, Math.abs))).toBeLessThan(8);
  });

  it('graded (D over 1e±8): the decomposition in D\'s frame and mpmath\'s eigenvalues (without balancing: 0.4 off)', () => {
    const { a, d } = BALANCING.graded8, n = 5;
    const r = realSchur(Float64Array.from(a), n, { balance: true })!;
    const back = reassembled(r, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      expect(Math.abs(back[i * n + j] - a[i * n + j]) * (d![j] / d![i])).toBeLessThan(5e-14);
    }
    const { re, im } = quasiTriangularEigenvalues(r.t, n);
    expect(eigenvalueError(re, im, GRADED8_EIGENVALUES)).toBeLessThan(1e-14);
  });

  it('isolated eigenvalues are taken as they are: a permuted triangle around a complex pair', () => {
    const { a } = BALANCING.isolated, n = 5;
    const r = realSchur(Float64Array.from(a), n, { balance: true })!;
    const { re, im } = quasiTriangularEigenvalues(r.t, n);
    // 1e-200 would be flushed to zero at the scale of 1e200 (it was: sqrtm and logm gave NaN).
    for (const lambda of [1e-200, 1e200, 0.5]) expect(Array.from(re)).toContain(lambda);
    expect(eigenvalueError(re, im, [[1e-200, 0], [1e200, 0], [0.5, 0], [2, Math.sqrt(3)], [2, -Math.sqrt(3)]])).toBeLessThan(1e-15);
    const back = reassembled(r, n);
    for (let k = 0; k < n * n; k++) expect(Math.abs(back[k] - a[k])).toBeLessThanOrEqual(1e-15 * Math.max(Math.abs(a[k]), 1));
  });

  it('[[A, E], [0, A]] and [[M, F], [0, M]] with M such, and their transposes: each A balanced alike, identical diagonal blocks', () => {
    // The derivatives' blocks at first and second order (graded A): every diagonal block of T is the
    // balanced Schur form of A itself, the blocks below the diagonal exactly zero.
    const { a } = BALANCING.graded8, m = 5;
    const own = realSchur(Float64Array.from(a), m, { balance: true })!;
    const blockOf = (x: Float64Array, e: (i: number, j: number) => number, k: number) => {
      const n = 2 * k, out = new Float64Array(n * n);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        out[i * n + j] = out[(i + k) * n + j + k] = x[i * k + j];
        out[i * n + j + k] = e(i, j);
      }
      return out;
    };
    const first = blockOf(Float64Array.from(a), (i, j) => Math.cos(i + 2 * j) * a[i * m + j], m);
    const second = blockOf(first, (i, j) => Math.sin(i - j) * first[i * 2 * m + j], 2 * m);
    for (const block of [first, second]) {
      const n = Math.round(Math.sqrt(block.length));
      const transposed = block.map((_, k) => block[(k % n) * n + Math.floor(k / n)]);
      for (const [x, transpose] of [[block, false], [transposed, true]] as const) {
        const r = realSchur(x, n, { balance: true })!;
        const ownT = transpose ? realSchur(Float64Array.from(a, (_, k) => a[(k % m) * m + Math.floor(k / m)]), m, { balance: true })! : own;
        for (let b0 = 0; b0 < n; b0 += m) {
          for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(r.t[(b0 + i) * n + b0 + j]).toBe(ownT.t[i * m + j]);
          for (let i = b0 + m; i < n; i++) for (let j = b0; j < b0 + m; j++) expect(r.t[i * n + j]).toBe(0);
        }
        const back = reassembled(r, n);
        let size = 0, error = 0;
        for (let k = 0; k < n * n; k++) size = Math.max(size, Math.abs(x[k]));
        for (let k = 0; k < n * n; k++) error = Math.max(error, Math.abs(back[k] - x[k]));
        expect(error / size).toBeLessThan(1e-13);
      }
    }
  });
});
