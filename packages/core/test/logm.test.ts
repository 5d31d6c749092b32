// logm against mpmath's logm at 50 digits (SPD, non-symmetric near and far from I, a rotation by 2 rad,
// a Jordan block) and mpmath at 100 digits (near the negative real axis, highly non-normal, defective,
// complex pairs), the inverse pair with expm both ways, the chain rule through expm (L_exp(log A, L_log(A, E))
// = E), an independent derivative path for symmetric positive definite A (V·diag(log λ)·Vᵀ through
// eigh) to third order, finite differences to fourth order, NaN where there is no real principal
// logarithm, compiled replays and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, grad, gradAndHvp, hvp, jvp, tensor, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { BALANCING, gradedError } from './balancing-cases.js';
import { checkNearNegativeAxis, maxDiff, normwise, squareTensor } from './dense-matrices.js';


// mpmath.logm, 50 digits (numpy.random.default_rng(5) matrices), rounded to float64.
const MPMATH: Record<string, { a: number[]; e: number[] }> = {
  spd: { a: [3.13547845365197, -1.2490228501303642, -3.3517748513074057, -2.129192749937029, -1.2490228501303642, 2.723936485064066, 1.847103371992471, 0.33412142928211763, -3.3517748513074057, 1.847103371992471, 5.328638225333599, 4.08981860137848, -2.129192749937029, 0.33412142928211763, 4.08981860137848, 7.019785686170951], e: [0.4332695512911211, -0.24493656679415848, -1.0844258310632249, -0.1782242897383789, -0.24493656679415848, 0.7720325130591555, 0.5736530472358892, -0.18038998599982028, -1.0844258310632249, 0.5736530472358892, 0.7379372220804868, 0.8557065023590125, -0.1782242897383789, -0.18038998599982028, 0.8557065023590125, 1.6386076161220156] },
  nonsym: { a: [1.9497822843097845, -0.6979355840668491, -0.37757285643693267, -0.29280349396611444, 1.5720119770206538, 0.3320270822119737, -0.03785158315517349, -0.3536587548195628, 2.2457826959342704], e: [0.6329387304113565, -0.4219388367557102, -0.15001242071305584, -0.16740316081380857, 0.43314431217366645, 0.16255923782606863, -0.03280625243739123, -0.19335483127200526, 0.8210957478214] },
  far: { a: [58.29855307061324, -16.43023371405677, -2.56730126365494, -9.807473560440126, 48.26844775137968, -12.894187467538586, 0.20690394037591198, -0.3788574104406823, 46.95662249041511], e: [4.038106797804631, -0.31575449467787076, -0.09198299137425024, -0.18783487802109194, 3.844393077071949, -0.28163824119010333, 0.0032908996217310186, -0.007454352775222586, 3.8483042872270117] },
  rotation: { a: [-0.4161468365471424, -0.9092974268256817, 0.9092974268256817, -0.4161468365471424], e: [2.1032978197468596e-17, -2.0, 2.0, 2.1032978197468596e-17] },
  jordan: { a: [4.0, 1.0, 0.0, 4.0], e: [1.3862943611198906, 0.25, 0.0, 1.3862943611198906] },
  near: { a: [0.9476036747439877, -0.019809516523654636, -0.054566445084785455, -0.06776043731023698, 1.0112392866229947, -0.055467496894568306, 0.05851480505891467, 0.03582938279369181, 0.900109165377514], e: [-0.05262145704984946, -0.019126490661233113, -0.059589188212537045, -0.06731785507011326, 0.011612293609549487, -0.06005092150418443, 0.06458849421714193, 0.038113720306735314, -0.1021295034886719] },
};

// mpmath at 100 digits, rounded to float64 (mpmath.logm for the upper-triangular 'nonnormal', V·log(D)·V⁻¹
// from mpmath.eig for the others), each verified at 100 digits by ‖expm(Y) − A‖₁ < 1e-60·‖A‖₁ and
// |Im λ(Y)| < π. The matrices of sqrtm.test.ts (numpy.random.default_rng(2024)): 'nonnormal' [[1, 1e4,
// 0, 0], [0, 1, 1e4, 0], [0, 0, 1.0001, 1e4], [0, 0, 0, 1.0002]]; 'similarity' S·D·S⁻¹ (cond(S) 3e4,
// eigenvalues 0.5–3.5); 'random6' B + 4I; 'complexBlocks' Q·T·Qᵀ with two complex pairs; 'jordan'
// P·J·P⁻¹ with a 3×3 Jordan block at 2; 'edge4' the 4×4 of matrix-function-edges.test.ts (eigenvector
// condition 1.7e10). SciPy's scipy.linalg.logm errors: 'similarity' 4.0e-10, 'edge4' 5.1e-9, the
// others ≤ 1.9e-15.
const HARDER: Record<string, { a: number[]; e: number[] }> = {
  nonnormal: { a: [1.0, 10000.0, 0.0, 0.0, 0.0, 1.0, 10000.0, 0.0, 0.0, 0.0, 1.0001, 10000.0, 0.0, 0.0, 0.0, 1.0002], e: [0.0, 10000.0, -49996666.91664667, 333258347330.8338, 0.0, 0.0, 9999.500033330834, -49990001.749700055, 0.0, 0.0, 9.999500033329732e-05, 9998.50023329584, 0.0, 0.0, 0.0, 0.0001999800026662447] },
  similarity: { a: [-772.1013537124529, 2671.9936817086377, 436.6674539316731, 3800.282113025852, -3041.4721091259325, -29.980617306341408, 105.6803341862288, 17.779446443143758, 163.23065007204409, -132.8796335469025, -539.4960617845747, 1862.0839047030609, 304.6340085203065, 2617.7639192488714, -2090.7474648963334, -679.7591948449873, 2345.606315891066, 380.84659192561577, 3286.1449527019113, -2621.162595026341, -756.1839728543649, 2609.388079449829, 423.8149241445585, 3655.9240771502464, -2916.257941695994], e: [-556.518674844572, 1934.6457319530175, 308.13846759430476, 2846.6295370713256, -2285.7158602929353, -27.00929292480834, 94.70576136177822, 15.731845505458264, 151.3182338891989, -123.37672235997171, -375.4710738203731, 1303.2885535725532, 206.73538450502866, 1891.5417767341241, -1515.0744224875182, -469.56078089242936, 1629.4722421882775, 257.1886534416086, 2355.4920369119545, -1884.702697697109, -522.6895964467501, 1813.890284624202, 286.4152056176645, 2623.2069966883855, -2099.1225242518412] },
  random6: { a: [4.761728470454166, -0.26179037875573763, 0.01746449083513856, 1.335270728748762, 1.2654519785916296, 0.7099782281560677, -0.8664008771744728, 3.946324428908734, 0.6029173174380699, -0.21186586854573583, -0.6100179289879054, -0.7653887202041866, -0.6320088192840502, -0.6716047883569987, 3.54888861339379, 1.1456772338915662, -0.8006419813196771, 0.886902071116937, 0.4175846609939748, 0.13974968489353012, -0.8274018550207518, 3.5433057870741758, 1.9735553403293085, 0.09906791154843822, 0.5382077472406755, 0.6630316327280554, 1.0556415438104036, -0.23751636353283292, 3.389802427984526, -0.059613974391862584, -0.26081938409702304, 0.7906767161489346, 0.1896104030769387, 0.2392704544306721, 0.14500945046766703, 5.228367680572441], e: [1.5296068433239651, -0.09311743059070095, 0.018222549753213284, 0.32648762849606083, 0.22354355359114605, 0.1327578418316246, -0.1812062089431732, 1.4051547465921481, 0.1678325703754674, -0.04865777283722742, -0.09747821737150093, -0.16782704011468313, -0.15055517559095943, -0.16903788787380833, 1.3575515319643783, 0.30884942739748195, -0.2943936634737527, 0.18572715010120547, 0.041109787558844764, -0.03761459092800379, -0.29118674658040244, 1.3236038012542997, 0.5009571901274154, 0.047783906469873946, 0.17355715897161972, 0.20798361558904782, 0.25748620604356803, -0.13095552180715653, 1.2784953986269538, -0.03136123353953601, -0.03964364931362513, 0.16888642672080437, 0.03196300175528729, 0.062158430031364724, 0.03887367610190608, 1.666376303960492] },
  complexBlocks: { a: [-0.20402147649799987, -1.5192137531873326, -1.1108993101264706, 0.10763390185458907, -0.7572590673672565, 0.8794416816392008, 1.2624110721300257, -0.5236861320549882, 1.1430310394543204, -1.3168925381274068, 0.5998908813261943, -1.8082591328011077, -0.07661355447460086, -0.7191061982551485, 1.5441966226057944, -0.2362656904916817, 0.07466497249627058, -0.006501473988347787, 0.8634155756585062, 1.822332076019802, -0.1730673360930857, -0.09855261697410121, -0.9166420318750661, 0.01944850132077857, 1.15480838318407], e: [0.6763888072484269, -1.8130269429806716, -1.7562243714793724, 0.3795308556178909, -0.426936199694899, 0.9287881604230981, 0.7647763532462781, -0.106204075363818, 0.6385748708905264, -0.8383954910635926, 0.8978863767113453, -0.5096537165808183, 0.30020697805568575, -0.4856810745612736, 1.4769292537615366, -0.4599013639879852, -0.033084083984823924, 0.2563433864231167, 0.034967018319605137, 1.204234472420799, 0.2717508254819768, -0.210109021005542, -0.670500072436368, -0.11490846078320642, 0.6440289717804342] },
  jordan: { a: [4.488740084038276, 0.8279611250895499, -1.9671933268608177, -1.4755810870325008, 1.8318155198797075, 1.0210996420732732, 8.236820327663828, 8.822520752963854, -0.7132046541025001, 0.06636438151508453, 4.084245831696238, 1.9629012614427581, 1.0830834262283913, -0.18985031954643553, -0.8241499033716345, 1.4059144421922145], e: [1.4522591065959507, 0.3325560533681209, -0.9796629447535696, -0.8389879207810303, 0.4975192602029699, 0.11517009668969257, 4.2406430561263315, 4.445563419346217, -0.28090906188554116, 0.1338948957139942, 1.163817114118686, 0.4133604348152623, 0.3831313939706022, -0.21112865204661155, 0.17049856233253086, 0.9576331367096083] },
  edge4: { a: [-31.483741363217984, -10.835940637452946, -118.0848395388905, 9.299567872859697, -76.65350742758488, -55.76054279681409, 271.20029975292283, -93.84006683181453, -170.864984167047, 53.98924204081125, 260.551783252975, 576.3104261884216, 94.8550381108764, 4.100028898439419, -149.73173546698925, -168.25586264959105], e: [-285642.28073719935, -335926.655384479, -327970.54167765134, -955175.1040114197, 660321.4921766863, 776581.4315656478, 758203.228262086, 2208163.0123628685, 2424.7055421718346, 2902.8055443716507, 2876.7291173053263, 8338.897862468784, -147642.09175628712, -173656.60236441088, -169563.43570604487, -493815.06625975185] },
};
/** The bound on the normwise error, SciPy's level on the ill-conditioned ones; 4e-15 otherwise. */
const BOUND: Record<string, number> = { similarity: 1e-9, edge4: 2e-8 };

// The logarithm of the rotation by θ near π: mpmath at 100 digits of the rounded cos θ, sin θ (≈ [[0, −θ],
// [θ, 0]]). SciPy's errors: 2.1e-12, 9.4e-11, 2.2e-10.
const ROTATIONS: [string, number, number[]][] = [
  ['3.1415', 3.1415, [3.398279094579888e-17, -3.1415, 3.1415, 3.398279094579888e-17]],
  ['3.14159', 3.14159, [3.0140007793411156e-17, -3.14159, 3.14159, 3.0140007793411156e-17]],
  ['Math.PI - 1e-6', Math.PI - 1e-6, [-4.445002896951151e-17, -3.141591653589793, 3.141591653589793, -4.445002896951151e-17]],
];

describe('logm: values', () => {
  for (const [name, { a, e }] of Object.entries(MPMATH)) {
    it(`${name}: mpmath's logarithm`, () => {
      // SciPy's errors on these: up to 1.7e-14 ('near').
      expect(normwise(ops.logm(squareTensor(a)).value, e)).toBeLessThan(1e-14);
    });
  }

  for (const [name, { a, e }] of Object.entries(HARDER)) {
    it(`${name}: mpmath's logarithm`, () => {
      expect(normwise(ops.logm(squareTensor(a)).value, e)).toBeLessThan(BOUND[name] ?? 4e-15);
    });
  }

  it('the rotation by θ near π: to rounding (through Denman–Beavers roots: 2.5e-9 off at 3.1415, NaN closer)', () => {
    for (const [label, theta, e] of ROTATIONS) {
      const y = ops.logm(tensor([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]])).value;
      expect(normwise(y, e), label).toBeLessThan(4e-16);
    }
  });

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

  it('near the negative real axis (the rotation by 3.1415): ∇ and H·v against central differences', () => {
    checkNearNegativeAxis(ops.logm);
  });

  it('a compiled replay takes the square roots again at the new point', () => {
    const f = (x: Tensor) => ops.logm(x.reshape([3, 3])).sum();
    const program = compile(f, MPMATH.near.a);
    const { value, grad: replayed } = program.valueAndGrad(MPMATH.far.a);
    expect(Math.abs((value as number) - MPMATH.far.e.reduce((s, e) => s + e, 0))).toBeLessThan(1e-13);
    expect(normwise(replayed as Float64Array, gradAndHvp(f, MPMATH.far.a, new Float64Array(9)).grad as Float64Array)).toBeLessThan(1e-15);
  });
});

describe('logm: cases an adversarial probe found', () => {
  it('1×1 blocks far apart: (log t₂ − log t₁)/(t₂ − t₁) itself, not 2·atanh(z) (z = 1 exactly below 1e-16: NaN; 3e-9 off at 1e-10)', () => {
    // log [[t, 1], [0, 1]] = [[log t, −log t/(1 − t)], [0, 0]], mpmath at 60 digits.
    const cases: [number, number[]][] = [[1e-10, [-23.025850929940457, 23.025850932243042, 0, 0]], [1e-17, [-39.14394658089878, 39.14394658089878, 0, 0]]];
    for (const [t, e] of cases) expect(maxDiff(ops.logm(tensor([[t, 1], [0, 1]])).value, e)).toBeLessThan(4e-15 * 40);
  });

  it('more square roots than 64 where A is far from normal (a 10×10 Jordan block at 1e-3: 89 roots; was NaN)', () => {
    // log J = log λ·I + Σ_k (−1)^(k+1)·(N/λ)^k/k, exactly: entry (i, i+k) = (−1)^(k+1)/(k·λ^k).
    const n = 10, lambda = 1e-3;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === i ? lambda : j === i + 1 ? 1 : 0)));
    const e = Array.from({ length: n * n }, (_, k) => {
      const i = Math.floor(k / n), d = (k % n) - i;
      return d < 0 ? 0 : d === 0 ? Math.log(lambda) : (-1) ** (d + 1) / (d * lambda ** d);
    });
    expect(normwise(ops.logm(tensor(a)).value, e)).toBeLessThan(1e-14);
  });

  it('a subnormal A: its logarithm (was NaN: T scaled back to subnormals, 1/μ infinite)', () => {
    const s = 2 ** -1060;
    // [[1, 2], [0, 3]]·s: log s·I + [[0, log 3], [0, log 3]] exactly; [[1, 2], [−3, 1]]·s: mpmath at 60 digits.
    const tri = ops.logm(tensor([[s, 2 * s], [0, 3 * s]])).value;
    expect(maxDiff(tri, [-1060 * Math.LN2, Math.log(3), 0, Math.log(3) - 1060 * Math.LN2])).toBeLessThan(1e-12);
    const pair = ops.logm(tensor([[s, 2 * s], [-3 * s, s]])).value;
    expect(maxDiff(pair, [-733.7630563190144, 0.966078460728994, -1.4491176910934909, -733.7630563190144])).toBeLessThan(1e-12);
  });

  it('third order at a far from normal A (the nested blocks split, not QR-iterated: was NaN)', () => {
    // ⟨∇(sum H·v), U⟩ for sum(logm(A)²) at A = [[1, 1e3, 0], [0, 1.2, 1e3], [0, 0, 1.4]], v = sin(k + 1),
    // U = cos(k + 1): mpmath at 50 digits, central differences (h 1e-10) of central differences
    // (h 1e-15) of the gradient L(Aᵀ, 2·log A) from mpmath.logm of the 6×6 block.
    const A = [1, 1e3, 0, 0, 1.2, 1e3, 0, 0, 1.4];
    const V = Array.from({ length: 9 }, (_, k) => Math.sin(k + 1)), U = Array.from({ length: 9 }, (_, k) => Math.cos(k + 1));
    const f = (x: Tensor) => ops.logm(x.reshape([3, 3])).square().sum();
    const third = grad((x: Tensor) => (hvp(f, x, V) as Tensor).sum())(A) as Float64Array;
    const projected = third.reduce((s, t, k) => s + t * U[k], 0);
    expect(Math.abs(projected / -4.358884880515215e28 - 1)).toBeLessThan(1e-7);
  });
});

describe('logm: balancing (each of these was NaN or far off before it)', () => {
  it('graded A = D·B·D⁻¹, D from 1e±2 to 1e±6 (1e±12 overall): mpmath\'s logarithm, to rounding in B\'s frame', () => {
    // Before: normwise 2.0e-10, 3.1e-2 and NaN (SciPy: 1.8e-10, 7.1e-2, an error).
    for (const name of ['graded4', 'graded8', 'graded12']) {
      const { a, logm: e, d } = BALANCING[name];
      const y = ops.logm(squareTensor(a)).value;
      expect(gradedError(y, e, d!), name).toBeLessThan(5e-14);
      expect(normwise(y, e), name).toBeLessThan(1e-12);
    }
  });

  it('[[1e300, 1], [0, 1e-300]]: [[log 1e300, 2·log 1e300/(1e300 − 1e-300)], [0, log 1e-300]] to rounding', () => {
    const { a, logm: e } = BALANCING.extreme;
    const y = ops.logm(squareTensor(a)).value;
    for (let k = 0; k < 4; k++) expect(Math.abs(y[k] - e[k]), `[${k}]`).toBeLessThanOrEqual(4e-16 * Math.abs(e[k]));
  });

  it('isolated eigenvalues 1e-200 and 1e200 (a permuted triangle around a complex pair): every entry (was NaN)', () => {
    const { a, logm: e } = BALANCING.isolated;
    const y = ops.logm(squareTensor(a)).value;
    for (let k = 0; k < e.length; k++) expect(Math.abs(y[k] - e[k]), `[${k}]`).toBeLessThanOrEqual(2e-15 * Math.abs(e[k]));
  });

  it('∇, H·v and third derivatives of sum(logm(A)⊙W) at graded12 against central differences', () => {
    // In relative coordinates, A ⊙ (1 + x) at x = 0, with W_ij = cos(i + 2j)·d_j/d_i (as for sqrtm):
    // the third order through the nested, balanced block matrices.
    const { a, d } = BALANCING.graded12, n = 5;
    const w = tensor(a.map((_, k) => Math.cos(Math.floor(k / n) + 2 * (k % n)) * (d![k % n] / d![Math.floor(k / n)])), [n, n]);
    const f = (x: Tensor) => ops.logm(tensor(a, [n, n]).mul(x.reshape([n, n]).add(1))).mul(w).sum();
    for (const c of checkGrads(f, new Float64Array(n * n), { order: 3, directions: 2, seed: 4, fdTolerance: 1e-6 })) expect(c.passed, `${c.name}: ${c.error}`).toBe(true);
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
