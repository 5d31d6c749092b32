// sqrtm against SciPy's scipy.linalg.sqrtm (scipy 1.x, Schur method; real parts, every case has a real
// principal root) and mpmath at 100 digits (near the negative real axis, highly non-normal, defective,
// complex pairs), closed forms (diagonal, Jordan blocks, the rotation by π/2, Y·Y = A), the Fréchet
// derivative's defining equation Y·L + L·Y = E, an independent derivative path for symmetric positive
// definite A (V·diag(√λ)·Vᵀ through eigh) to third order, finite differences to fourth order, stacks,
// NaN where there is no real principal root, compiled replays and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, grad, gradAndHvp, hvp, jvp, tensor, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { BALANCING, gradedError } from './balancing-cases.js';
import { checkNearNegativeAxis, maxAbs, maxDiff, normwise, random, squareTensor } from './dense-matrices.js';


// scipy.linalg.sqrtm (numpy.random.default_rng(3) matrices; 'product' is (CCᵀ + I)(DDᵀ + I), not symmetric).
const SCIPY: Record<string, { a: number[]; e: number[] }> = {
  spd: { a: [11.693943583593873, -1.0856961812858006, -9.96368940539666, 0.9139455040756931, -1.0856961812858006, 4.8855101081274235, -0.6990905105420782, 2.493382325171485, -9.96368940539666, -0.6990905105420782, 12.466247526810191, -2.0769745432107065, 0.9139455040756931, 2.493382325171485, -2.0769745432107065, 2.2914766216758045], e: [2.985712800799949, -0.28580093170238613, -1.6389497261060377, 0.10781594255110159, -0.2858009317023864, 2.0550923511793497, -0.16769584970595292, 0.7431698767314203, -1.6389497261060382, -0.16769584970595233, 3.0959615216427587, -0.4086461557459847, 0.10781594255110176, 0.7431698767314203, -0.4086461557459845, 1.2492234379488134] },
  nonsym: { a: [2.2891672331040716, -0.14313216394402, 0.5746552217758584, -0.11988127743994799, 2.0145557390459987, 0.9274925107276871, 0.3270633136125867, -0.3031372413684108, 1.890296615241359], e: [1.504732260674802, -0.04137295337386187, 0.20402960688118063, -0.053507871255913005, 1.4310161568703181, 0.33389198162332095, 0.1114263683270469, -0.10621782729874295, 1.37950267051423] },
  product: { a: [59.29154253786592, 33.5610597264042, 12.135561150042358, 32.01092891844952, 25.071336618578755, 5.369851448349051, 18.874700096107354, 9.121934650618128, 6.482274024279422], e: [6.949331911602367, 2.9890952600326663, 1.2629648713160708, 2.860059643645692, 4.0448325543047945, 0.2923460040784588, 1.9393554418236532, 0.5530279180399615, 1.9675519627897198] },
  rotationlike: { a: [1.0, -2.0, 2.0, 1.0], e: [1.272019649514069, -0.7861513777574233, 0.7861513777574233, 1.272019649514069] },
  jordan: { a: [4.0, 1.0, 0.0, 4.0], e: [2.0, 0.25, 0.0, 2.0] },
  psdSingular: { a: [1.0, 1.0, 1.0, 1.0], e: [0.7071067811865475, 0.7071067811865475, 0.7071067811865475, 0.7071067811865475] },
};

// mpmath at 100 digits, rounded to float64 (not mpmath's sqrtm everywhere: it fails near the negative axis
// and at 'similarity'): the rotation's closed form, the triangular recurrence or mpmath.logm for the
// upper-triangular 'nonnormal', V·f(D)·V⁻¹ from mpmath.eig otherwise; each verified at 100 digits by
// ‖Y·Y − A‖₁ < 1e-60·‖A‖₁ and its eigenvalues being the principal ones. Matrices from
// numpy.random.default_rng(2024): 'nonnormal' [[1, 1e4, 0, 0], [0, 1, 1e4, 0], [0, 0, 1.0001, 1e4],
// [0, 0, 0, 1.0002]] (a Jordan block at 1, departure from normality 1e4); 'similarity' S·D·S⁻¹ (cond(S)
// 3e4, eigenvalues 0.5–3.5); 'random6' B + 4I; 'complexBlocks' Q·T·Qᵀ with two complex pairs, one of
// them with negative real part; 'jordan' P·J·P⁻¹ with a 3×3 Jordan block at 2; 'edge4' the 4×4 of
// matrix-function-edges.test.ts (eigenvalues 0.79–1.49, eigenvector condition 1.7e10).
// SciPy's scipy.linalg.sqrtm errors on them: 'similarity' 1.4e-10, 'edge4' 3.1e-9 (both ill-conditioned),
// the others ≤ 1.6e-15.
const MPMATH: Record<string, { a: number[]; e: number[] }> = {
  nonnormal: { a: [1.0, 10000.0, 0.0, 0.0, 0.0, 1.0, 10000.0, 0.0, 0.0, 0.0, 1.0001, 10000.0, 0.0, 0.0, 0.0, 1.0002], e: [1.0, 5000.0, -12499375.039059766, 62488283163.75494, 0.0, 1.0, 4999.875006249609, -12498125.27339649, 0.0, 0.0, 1.0000499987500624, 4999.625043744141, 0.0, 0.0, 0.0, 1.0000999950004998] },
  similarity: { a: [-772.1013537124529, 2671.9936817086377, 436.6674539316731, 3800.282113025852, -3041.4721091259325, -29.980617306341408, 105.6803341862288, 17.779446443143758, 163.23065007204409, -132.8796335469025, -539.4960617845747, 1862.0839047030609, 304.6340085203065, 2617.7639192488714, -2090.7474648963334, -679.7591948449873, 2345.606315891066, 380.84659192561577, 3286.1449527019113, -2621.162595026341, -756.1839728543649, 2609.388079449829, 423.8149241445585, 3655.9240771502464, -2916.257941695994], e: [-313.69976231864905, 1090.8154284799011, 175.82192824675764, 1577.211735402155, -1264.1580934524077, -13.775211915792669, 49.21618449003976, 8.097611732563399, 76.28393394214051, -62.16796339611588, -215.91664033930172, 747.285704705474, 121.07447360924282, 1066.3045884349772, -852.6408326974923, -270.98604392060196, 937.6303796996053, 149.94032149870475, 1333.5051982914804, -1064.3667184111912, -301.5539132938233, 1043.4265285011113, 166.92233229251997, 1483.4697099750583, -1184.0693424188978] },
  random6: { a: [4.761728470454166, -0.26179037875573763, 0.01746449083513856, 1.335270728748762, 1.2654519785916296, 0.7099782281560677, -0.8664008771744728, 3.946324428908734, 0.6029173174380699, -0.21186586854573583, -0.6100179289879054, -0.7653887202041866, -0.6320088192840502, -0.6716047883569987, 3.54888861339379, 1.1456772338915662, -0.8006419813196771, 0.886902071116937, 0.4175846609939748, 0.13974968489353012, -0.8274018550207518, 3.5433057870741758, 1.9735553403293085, 0.09906791154843822, 0.5382077472406755, 0.6630316327280554, 1.0556415438104036, -0.23751636353283292, 3.389802427984526, -0.059613974391862584, -0.26081938409702304, 0.7906767161489346, 0.1896104030769387, 0.2392704544306721, 0.14500945046766703, 5.228367680572441], e: [2.1653509256435806, -0.08136109262070398, 0.008844100351755028, 0.3301126991655428, 0.2693730813569321, 0.1543577048400377, -0.19846504191697237, 2.0035144499629833, 0.1608786661808907, -0.0500130599010366, -0.12525564093571795, -0.17894261104415282, -0.15636563654807084, -0.17190492237916177, 1.9262984857457577, 0.30066938994595876, -0.24742280841463504, 0.20463127488565988, 0.0743955424121007, 0.0005736177906529184, -0.25084861415787224, 1.9077095890411182, 0.5007491086855582, 0.03597080261993523, 0.1543756265174471, 0.1874337996160384, 0.2639849536924965, -0.09457846184819901, 1.8668971218723835, -0.024161855326596697, -0.051336157976000635, 0.18291557869303432, 0.03928971084606154, 0.06122371820186703, 0.03865407116237207, 2.2934068517200994] },
  complexBlocks: { a: [-0.20402147649799987, -1.5192137531873326, -1.1108993101264706, 0.10763390185458907, -0.7572590673672565, 0.8794416816392008, 1.2624110721300257, -0.5236861320549882, 1.1430310394543204, -1.3168925381274068, 0.5998908813261943, -1.8082591328011077, -0.07661355447460086, -0.7191061982551485, 1.5441966226057944, -0.2362656904916817, 0.07466497249627058, -0.006501473988347787, 0.8634155756585062, 1.822332076019802, -0.1730673360930857, -0.09855261697410121, -0.9166420318750661, 0.01944850132077857, 1.15480838318407], e: [0.8741074052266975, -0.9820842015687294, -0.8747362529323126, 0.15666256454609961, -0.3416443479913679, 0.5062164963646745, 1.2532013419418842, -0.18111726136456838, 0.4493677618982817, -0.5455130201205123, 0.48625000689962583, -0.597263973038813, 0.791671986244998, -0.2875880290766218, 0.8004887646858112, -0.1835256564464, 0.02495149568334075, 0.10379992984451153, 0.9652619439993888, 0.7747621938564585, 0.04930829323939328, -0.127691690004338, -0.44515400195792915, -0.027007287618002796, 1.2162490723314592] },
  jordan: { a: [4.488740084038276, 0.8279611250895499, -1.9671933268608177, -1.4755810870325008, 1.8318155198797075, 1.0210996420732732, 8.236820327663828, 8.822520752963854, -0.7132046541025001, 0.06636438151508453, 4.084245831696238, 1.9629012614427581, 1.0830834262283913, -0.18985031954643553, -0.8241499033716345, 1.4059144421922145], e: [2.0953388754885633, 0.25833606472996123, -0.6871619639202834, -0.5562620402976309, 0.4765062618167953, 1.0320397137792696, 2.961305191761947, 3.1323952051388293, -0.22233565301116948, 0.05970060893685346, 1.9482848544720166, 0.4930038042036271, 0.3192457200027057, -0.1097871698542813, -0.08344838170969651, 1.4030452208792257] },
  edge4: { a: [-31.483741363217984, -10.835940637452946, -118.0848395388905, 9.299567872859697, -76.65350742758488, -55.76054279681409, 271.20029975292283, -93.84006683181453, -170.864984167047, 53.98924204081125, 260.551783252975, 576.3104261884216, 94.8550381108764, 4.100028898439419, -149.73173546698925, -168.25586264959105], e: [-59540.30565060303, -69282.80269946324, -67087.305524435, -195773.36031345607, 137492.5816248902, 160008.75922230518, 154954.0727997029, 452169.8854945561, 185.43156020491867, 272.42092858784497, 311.7525300827078, 864.7616321735944, -30613.27379293875, -35648.42535463297, -34540.79904120581, -100775.74271383829] },
};
/** The bound on the normwise error, SciPy's level on the ill-conditioned ones; 4e-15 otherwise. */
const BOUND: Record<string, number> = { similarity: 1e-10, edge4: 2e-8 };

// The root of the rotation by θ near π (eigenvalues e^{±iθ} next to the negative real axis): mpmath at
// 100 digits of the rounded cos θ, sin θ (≈ the rotation by θ/2). SciPy's errors: 0, 0, 1.1e-16.
const ROTATIONS: [string, number, number[]][] = [
  ['3.1415', 3.1415, [4.6326794879957764e-05, -0.999999998926914, 0.999999998926914, 4.6326794879957764e-05]],
  ['3.14159', 3.14159, [1.3267948966775328e-06, -0.9999999999991198, 0.9999999999991198, 1.3267948966775328e-06]],
  ['Math.PI - 1e-6', Math.PI - 1e-6, [5.000000001311005e-07, -0.999999999999875, 0.999999999999875, 5.000000001311005e-07]],
];

describe('sqrtm: values', () => {
  for (const [name, { a, e }] of Object.entries(SCIPY)) {
    it(`${name}: SciPy's root`, () => {
      expect(normwise(ops.sqrtm(squareTensor(a)).value, e)).toBeLessThan(4e-15);
    });
  }

  for (const [name, { a, e }] of Object.entries(MPMATH)) {
    it(`${name}: mpmath's root`, () => {
      expect(normwise(ops.sqrtm(squareTensor(a)).value, e)).toBeLessThan(BOUND[name] ?? 4e-15);
    });
  }

  it('the rotation by θ near π: to rounding, every entry (Denman–Beavers: 4e-9 off at 3.1415, NaN closer)', () => {
    for (const [label, theta, e] of ROTATIONS) {
      const y = ops.sqrtm(tensor([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]])).value;
      for (let k = 0; k < 4; k++) expect(Math.abs(y[k] - e[k]) / Math.abs(e[k]), `${label} [${k}]`).toBeLessThan(4e-15);
    }
  });

  it('a highly non-normal matrix (eigenvector condition 1.7e10): a root with backward error at rounding, not NaN', () => {
    const { a } = MPMATH.edge4;
    const y = ops.sqrtm(squareTensor(a));
    const r = y.matmul(y).value, size = maxAbs(y.value);
    expect(maxDiff(r, a) / (size * size)).toBeLessThan(4e-15);
  });

  it('Y·Y = A for random non-symmetric matrices up to 40×40 with eigenvalues in the right half-plane', () => {
    const next = random(21);
    for (const n of [8, 20, 40]) {
      // B + (√n + 1)·I with B uniform in [−√3, √3) (unit variance): the spectrum lies in the right half-plane.
      const a = Array.from({ length: n * n }, (_, k) => (next() * 2 - 1) * Math.sqrt(3) + (k % (n + 1) === 0 ? Math.sqrt(n) + 1 : 0));
      const y = ops.sqrtm(tensor(a, [n, n]));
      expect(normwise(y.matmul(y).value, a), `n = ${n}`).toBeLessThan(1e-14);
    }
  });

  it('closed forms: diagonal, a Jordan block, an upper triangle with a huge corner, the rotation by π/2', () => {
    expect(Array.from(ops.sqrtm(tensor([[4, 0], [0, 9]])).value)).toEqual([2, 0, 0, 3]);
    // [[a, b], [0, a]]^{1/2} = [[√a, b/(2√a)], [0, √a]]; [[a, b], [0, c]]^{1/2} has b/(√a + √c) in the corner.
    expect(normwise(ops.sqrtm(tensor([[1e-20, 1], [0, 1e-20]])).value, [1e-10, 5e9, 0, 1e-10])).toBeLessThan(1e-15);
    expect(normwise(ops.sqrtm(tensor([[2, 1e10], [0, 3]])).value, [Math.SQRT2, 1e10 / (Math.SQRT2 + Math.sqrt(3)), 0, Math.sqrt(3)])).toBeLessThan(1e-15);
    const h = Math.SQRT1_2;
    expect(normwise(ops.sqrtm(tensor([[0, 1], [-1, 0]])).value, [h, h, -h, h])).toBeLessThan(1e-15);
    // A singular positive semidefinite matrix has its root (the symmetric path): [[1, 1], [1, 1]]/√2.
    expect(normwise(ops.sqrtm(tensor([[1, 1], [1, 1]])).value, [h, h, h, h])).toBeLessThan(1e-15);
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

  it('near the negative real axis (the rotation by 3.1415): ∇ and H·v against central differences', () => {
    // The derivatives are large there (∇ ~1e3, H·v ~1e7: Y's eigenvalues have real part 4.6e-5); the
    // differences (step 1e-8) converge as h² to them, and agree to 1e-8 at that step.
    checkNearNegativeAxis(ops.sqrtm);
  });

  it('a compiled replay computes the root again at the new point', () => {
    const f = (x: Tensor) => ops.sqrtm(x.reshape([3, 3])).sum();
    const program = compile(f, SCIPY.nonsym.a);
    const { value, grad: replayed } = program.valueAndGrad(SCIPY.product.a);
    expect(Math.abs((value as number) - SCIPY.product.e.reduce((s, e) => s + e, 0))).toBeLessThan(1e-13);
    expect(normwise(replayed as Float64Array, gradAndHvp(f, SCIPY.product.a, new Float64Array(9)).grad as Float64Array)).toBeLessThan(1e-15);
  });
});

describe('sqrtm: cases an adversarial probe found', () => {
  it('a subnormal A: its root to rounding (T was scaled back to subnormals, keeping their few bits: 4e-5 off here)', () => {
    // √(M·2^−1064) = 2^−532·√M, M = [[4, 1, 0, 1], [2, 5, 1, 0], [0, 3, 6, 2], [1, 0, 1, 7]]: mpmath.sqrtm at
    // 50 digits.
    const M = [4, 1, 0, 1, 2, 5, 1, 0, 0, 3, 6, 2, 1, 0, 1, 7];
    const e = [1.9558282660778943, 0.24795683310123293, -0.023009102050083753, 0.22284915169146366, 0.4917165074830948, 2.1744802590499868, 0.22284915169146366, -0.04182104538079645, -0.09623356691970605, 0.6643502963550199, 2.4015265694608217, 0.4080744167215019, 0.2270463104108347, -0.03972246602111092, 0.20193862900106543, 2.620178562432914];
    const y = ops.sqrtm(tensor(M.map((m) => m * 2 ** -1064)).reshape([4, 4])).value;
    expect(normwise(y.map((v) => v * 2 ** 532), e)).toBeLessThan(4e-15);
  });
});

describe('sqrtm: balancing (each of these was NaN or far off before it)', () => {
  it('graded A = D·B·D⁻¹, D from 1e±2 to 1e±6 (1e±12 overall): mpmath\'s root, to rounding in B\'s frame', () => {
    // Before: normwise 3.1e-11, 1.3e-3 and NaN (SciPy: 1.7e-11, 4.1e-3, 1.2e3).
    for (const name of ['graded4', 'graded8', 'graded12']) {
      const { a, sqrtm: e, d } = BALANCING[name];
      const y = ops.sqrtm(squareTensor(a)).value;
      expect(gradedError(y, e, d!), name).toBeLessThan(5e-14);
      expect(normwise(y, e), name).toBeLessThan(1e-12);
    }
  });

  it('[[1e300, 1], [0, 1e-300]]: [[1e150, 1/(1e150 + 1e-150)], [0, 1e-150]] (was NaN: scaled down, 1e-300 became 0)', () => {
    const { a, sqrtm: e } = BALANCING.extreme;
    expect(Array.from(ops.sqrtm(squareTensor(a)).value)).toEqual(e);
  });

  it('isolated eigenvalues 1e-200 and 1e200 (a permuted triangle around a complex pair): every entry (was NaN)', () => {
    const { a, sqrtm: e } = BALANCING.isolated;
    const y = ops.sqrtm(squareTensor(a)).value;
    for (let k = 0; k < e.length; k++) expect(Math.abs(y[k] - e[k]), `[${k}]`).toBeLessThanOrEqual(4e-16 * Math.abs(e[k]));
  });

  it('graded by powers of two up to 2^±40: Y·Y = A in D\'s frame', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 6, maxLength: 6 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }), (exponents, xs) => {
        // A = D·(3I + B/4)·D⁻¹, exact: D of powers of two; eigenvalues in the disc |z − 3| ≤ 1.5. B's
        // entries of magnitude ½ to 1, so that D shows in A's row and column norms (an entry of A far
        // below ε·‖A‖ is lost to any backward stable method, whatever it is in D's frame).
        const n = 6, d = exponents.map((e) => 2 ** e);
        const b = (x: number) => (x < 0 ? -0.5 : 0.5) + x / 2;
        const a = xs.map((x, k) => ((k % (n + 1) === 0 ? 3 : 0) + b(x) / 4) * (d[Math.floor(k / n)] / d[k % n]));
        const y = ops.sqrtm(tensor(a, [n, n]));
        expect(gradedError(y.matmul(y).value, a, d)).toBeLessThan(1e-13);
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('∇, H·v and third derivatives of sum(sqrtm(A)⊙W) at graded12 against central differences', () => {
    // In relative coordinates, A ⊙ (1 + x) at x = 0, with W_ij = cos(i + 2j)·d_j/d_i: each entry
    // moves and counts at its own scale, so that the differences see all of them. The third order goes
    // through the nested block matrices [[M, F], [0, M]], M = [[A, E], [0, A]], each half balanced alike.
    const { a, d } = BALANCING.graded12, n = 5;
    const w = tensor(a.map((_, k) => Math.cos(Math.floor(k / n) + 2 * (k % n)) * (d![k % n] / d![Math.floor(k / n)])), [n, n]);
    const f = (x: Tensor) => ops.sqrtm(tensor(a, [n, n]).mul(x.reshape([n, n]).add(1))).mul(w).sum();
    for (const c of checkGrads(f, new Float64Array(n * n), { order: 3, directions: 2, seed: 4, fdTolerance: 1e-6 })) expect(c.passed, `${c.name}: ${c.error}`).toBe(true);
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
