// expm against mpmath's Taylor series at 60 digits (one matrix in each Padé degree's range, one needing
// squarings, one with decaying entries, one huge), closed forms (diagonal, nilpotent, rotation,
// d/dt e^{tA} = A·e^{tA}, e^A·e^{−A} = I, det e^A = e^{tr A}), JAX's derivatives of
// jax.scipy.linalg.expm (jax 0.10.2, float64) to third order, finite differences to fourth order,
// stacks, compiled replays at a different norm, NaN and misuse; non-normal, graded and triangular
// matrices (where choosing the scaling from ‖A‖₁ over-scales) against mpmath at SciPy's accuracy, with
// ∇ and H·v at two of them against mpmath's exponentials of the block matrices.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, grad, gradAndHvp, hvp, jvp, tensor, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { normwise, squareTensor } from './dense-matrices.js';


// mpmath.expm(method='taylor'), 60 digits, rounded to float64.
const MPMATH: Record<string, { a: number[]; e: number[] }> = {
  deg3: { a: [3.7470434787744162e-06, 0.0009099780212971755, -0.0008350230944557272, -0.002712740099733811, -0.0013849258632707344, -0.0030205524657125893, 0.00018319723515116632, 0.004082291663444332, -0.0014992595958298184, -0.0018899647047839327, 0.0014920574321986009, 0.0010870767684787713, 0.0003210914898332695, -0.0028342029048042884, -8.910096447452777e-05, 0.0021178914683430868], e: [1.0000033059110491, 0.0009132369574620966, -0.0008354432470482907, -0.002714210653180955, -0.001382317948769416, 0.9969774236808314, 0.00018345285544413, 0.0040824223203399556, -0.0014988980235025086, -0.0018907431413967063, 1.001493575562823, 0.001087214032351837, 0.00032346063422984824, -0.0028326900986848642, -8.965618146967029e-05, 1.0021138621001495] },
  deg5: { a: [7.494086957548833e-05, 0.01819956042594351, -0.016700461889114546, -0.05425480199467622, -0.027698517265414693, -0.06041104931425179, 0.0036639447030233268, 0.08164583326888665, -0.029985191916596373, -0.03779929409567866, 0.029841148643972023, 0.02174153536957543, 0.006421829796665391, -0.056684058096085774, -0.0017820192894905556, 0.042357829366861735], e: [0.9998875766595373, 0.019489504335437006, -0.016867304097612255, -0.05481516608395434, -0.02664924229511566, 0.9387990571084359, 0.003760641712433878, 0.08166053912669778, -0.029843516088980816, -0.03811208912468329, 1.0304530292830953, 0.021790799547487034, 0.007362863408457611, -0.05605348979753451, -0.0020095847316400307, 1.0407226224080053] },
  deg7: { a: [0.00033723391308969754, 0.0818980219167458, -0.07515207850101546, -0.244146608976043, -0.12464332769436612, -0.2718497219141331, 0.01648775116360497, 0.3674062497099899, -0.13493336362468367, -0.17009682343055396, 0.1342851688978741, 0.09783690916308943, 0.02889823408499426, -0.255078261432386, -0.008019086802707501, 0.19061023215087783], e: [0.9957741166277416, 0.1069214999837105, -0.07843055421041202, -0.2533644168490633, -0.10299335680819648, 0.7137213207593524, 0.018021897237954887, 0.3648738910666036, -0.1322968022739566, -0.1765233137653773, 1.1470376514995477, 0.09840739586343054, 0.04740334023767066, -0.24042675778816727, -0.013028429460463009, 1.1558628136548639] },
  deg9: { a: [0.0007494086957548832, 0.1819956042594351, -0.16700461889114543, -0.5425480199467622, -0.2769851726541469, -0.6041104931425179, 0.036639447030233266, 0.8164583326888664, -0.2998519191659637, -0.37799294095678654, 0.2984114864397202, 0.21741535369575424, 0.0642182979666539, -0.5668405809608577, -0.017820192894905554, 0.4235782936686173], e: [0.9730224276862369, 0.2958682840890274, -0.18230341549120943, -0.5709558738588891, -0.1678676933645386, 0.33819579532223704, 0.04080471331929259, 0.7818569592438743, -0.2888516680460346, -0.41027680055762816, 1.3644806361432726, 0.2168797523981233, 0.1504775441547305, -0.48034280542331437, -0.04552450703799393, 1.2413169843790157] },
  deg13: { a: [0.001873521739387208, 0.4549890106485877, -0.4175115472278636, -1.3563700498669053, -0.6924629316353672, -1.5102762328562946, 0.09159861757558316, 2.041145831722166, -0.7496297979149092, -0.9449823523919663, 0.7460287160993004, 0.5435383842393856, 0.16054574491663476, -1.4171014524021441, -0.044550482237263885, 1.0589457341715434], e: [0.7749804221981995, 0.9672319409766239, -0.4966160015397711, -1.2414289235097737, -0.013020423892886879, -0.6045140258035024, 0.058216619739804014, 1.4722976858721164, -0.7259039487037962, -1.1544304177065527, 2.2254997336496354, 0.4872789498671125, 0.5853486479483956, -0.6720815827972328, -0.2605960140080748, 0.8298202591401856] },
  scaled: { a: [0.022482260872646497, 5.459868127783053, -5.010138566734363, -16.276440598402864, -8.309555179624406, -18.123314794275533, 1.0991834109069978, 24.49374998066599, -8.99555757497891, -11.339788228703595, 8.952344593191604, 6.522460610872627, 1.9265489389996169, -17.00521742882573, -0.5346057868471666, 12.70734881005852], e: [2254.9314583242426, 3037.492047020495, -5533.919043122599, -665.047829537448, 944.1025440623054, 1270.4707052992314, -2311.84138533124, -283.3820366389892, -11304.799704276364, -15220.853766257946, 27727.274374100234, 3345.325545972098, 2367.4743712794925, 3191.0245699395796, -5807.134565201647, -704.9621138406279] },
  decay: { a: [-20.0, 3.0, 1.0, 0.5, -25.0, 2.0, 1.0, 1.0, -30.0], e: [3.0894914242078582e-09, 1.7947047139586495e-09, 6.349142695077638e-10, 3.9998570567736303e-10, 2.450343603629644e-10, 8.69190224456304e-11, 3.3230950945499934e-10, 1.9476189124919738e-10, 6.900108971062899e-11] },
  huge: { a: [-53.76858189140328, -18.304630441608726, -76.04890959203377, -51.58150959139904, -73.66940151166929, -9.40364524298725, -50.69785925774813, 10.850574352868062, 6.270043464969007], e: [5.1746526419794185e+20, -1.5600199782194332e+20, -8.890400113860506e+20, -1.672896949378667e+20, 5.043338834690894e+19, 2.8741490991255886e+20, -6.582220329613142e+20, 1.9843641545977695e+20, 1.1308695755366293e+21] },
};

// Non-normal, graded and triangular matrices, where choosing the scaling from ‖A‖₁ (Higham 2005)
// over-scales: mpmath.expm(method='taylor') at 60 digits (checked against method='pade' at 80),
// rounded to float64. `bound` is at SciPy's level (scipy.linalg.expm, SciPy 1.17.1, the 2009
// algorithm); each comment gives the normwise errors of SciPy / Higham 2005 (this file before) / now.
// spreadUpper: a random upper-triangular matrix (numpy default_rng(7), entries ·100 rounded to 0.01)
// with diagonal −8…6; jordan6: −I + 1e4·N (6×6); hiddenSmall: Q·T·Qᵀ for two plane rotations Q and
// T = [[0.5, 1e3, 10], [0, −0.3, 1e2], [0, 0, 0.1]], ‖A‖₁ ≈ 1.4e3 but ‖A¹⁰‖₁^{1/10} ≈ 1.9 (its condition
// number, scipy.linalg.expm_cond, is 1.7e6, so its error is far from ε; SciPy's is 4.2e-9).
const NON_NORMAL: Record<string, { a: number[]; e: number[]; bound: number }> = {
  // SciPy 0, before 9.7e-12, now 0
  jordan2: { a: [-1, 100000000, 0, -1], e: [0.36787944117144233, 36787944.117144234, 0, 0.36787944117144233], bound: 1e-15 },
  // SciPy 6.2e-14, before 5.4e-13, now 9.5e-16
  graded3: { a: [1, 100000, 0, 1e-05, 1, 100000, 0, 1e-05, 1], e: [4.319599304718209, 371942.1959681961, 16013174762.591635, 3.7194219596819614e-05, 5.920916780977373, 371942.1959681961, 1.6013174762591638e-10, 3.7194219596819614e-05, 4.319599304718209], bound: 1e-13 },
  // SciPy 1.8e-16, before 8.1e-10, now 1.3e-24
  triangular3: { a: [-0.5, 10000, 100000000, 0, -0.6, 10000, 0, 0, -0.7], e: [0.6065306597126334, 5771.902361860699, 82436134.54056232, 0, 0.5488116360940264, 5222.633230261692, 0, 0, 0.4965853037914095], bound: 1e-15 },
  // SciPy 6.0e-16, before 3.5e-11, now 1.2e-16
  rotationLike: { a: [0.1, 1000000, -1e-06, 0.2], e: [0.5800596937358884, 978087.2458287106, -9.780872458287106e-07, 0.6778684183187594], bound: 2e-15 },
  // SciPy 9.1e-14, before 3.3e-15, now 1.6e-16
  spreadUpper: { a: [-8, 29.87, -27.41, -89.06, -45.47, 0, -3, 134.02, -49.22, -62.05, 0, 0, 0.5, -93.05, -2.93, 0, 0, 0, 2, -128.95, 0, 0, 0, 0, 6], e: [0.00033546262790251185, 0.2954238926905296, 205.1799961351863, -22501.49689065472, 5941034.461502382, 0, 0.049787068367863944, 61.22547479902002, -8477.534429776864, 3034568.8421869725, 0, 0, 1.6487212707001282, -356.09210384456674, 207437.24733327125, 0, 0, 0, 7.38905609893065, -12767.331034232771, 0, 0, 0, 0, 403.4287934927351], bound: 1e-15 },
  // SciPy 2.1e-7, before 8.3e-14, now 4.2e-16
  jordan6: { a: [-1, 10000, 0, 0, 0, 0, 0, -1, 10000, 0, 0, 0, 0, 0, -1, 10000, 0, 0, 0, 0, 0, -1, 10000, 0, 0, 0, 0, 0, -1, 10000, 0, 0, 0, 0, 0, -1], e: [0.36787944117144233, 3678.7944117144234, 18393972.058572117, 61313240195.24039, 153283100488100.97, 3.065662009762019e+17, 0, 0.36787944117144233, 3678.7944117144234, 18393972.058572117, 61313240195.24039, 153283100488100.97, 0, 0, 0.36787944117144233, 3678.7944117144234, 18393972.058572117, 61313240195.24039, 0, 0, 0, 0.36787944117144233, 3678.7944117144234, 18393972.058572117, 0, 0, 0, 0, 0.36787944117144233, 3678.7944117144234, 0, 0, 0, 0, 0, 0.36787944117144233], bound: 4e-15 },
  // SciPy 4.2e-9, before 1.3e-8, now 3.8e-10
  hiddenSmall: { a: [-137.43059563933454, 163.75697307316776, 734.4725732063579, -94.10627369724772, 112.22690479893511, 627.8585210011244, 59.87844792795566, -71.09019822288806, 25.50369084039942], e: [26435.259689547638, -31383.08871570058, 12292.149217636912, 22284.978437913676, -26456.00990826113, 10361.933521527642, 54.54218505018134, -64.75476370716822, 24.244929123916677], bound: 2e-9 },
};

describe('expm: values', () => {
  for (const [name, { a, e }] of Object.entries(MPMATH)) {
    it(`${name}: mpmath's e^A`, () => {
      // The normwise error of scaling and squaring is a small multiple of ε times the condition number;
      // 'decay' (eigenvalues near −20…−30, three squarings) and 'huge' (‖A‖₁ ≈ 130) are worse
      // conditioned: SciPy's errors there are 8.5e-14 and 2.1e-14, ours 7.1e-15 and 1.4e-14.
      const bound = name === 'huge' ? 1e-13 : name === 'decay' ? 2e-14 : 4e-15;
      expect(normwise(ops.expm(squareTensor(a)).value, e)).toBeLessThan(bound);
    });
  }

  for (const [name, { a, e, bound }] of Object.entries(NON_NORMAL)) {
    it(`${name} (non-normal): mpmath's e^A at SciPy's accuracy`, () => {
      expect(normwise(ops.expm(squareTensor(a)).value, e)).toBeLessThan(bound);
    });
  }

  it('a lower-triangular A as the transpose of an upper-triangular one', () => {
    const { a, e } = NON_NORMAL.triangular3;
    const t = (x: number[]) => x.map((_, k) => x[(k % 3) * 3 + Math.floor(k / 3)]);
    expect(normwise(ops.expm(squareTensor(t(a))).value, t(e))).toBeLessThan(1e-15);
  });

  it('closed forms: diagonal, nilpotent, a rotation generator', () => {
    expect(normwise(ops.expm(tensor([[1, 0, 0], [0, -2, 0], [0, 0, 0.5]])).value, [Math.E, 0, 0, 0, Math.exp(-2), 0, 0, 0, Math.exp(0.5)])).toBeLessThan(4e-16);
    expect(Array.from(ops.expm(tensor([[0, 1, 2], [0, 0, 3], [0, 0, 0]])).value)).toEqual([1, 1, 3.5, 0, 1, 3, 0, 0, 1]);
    for (const t of [0.1, 1, 3, 10, 100]) {
      const r = ops.expm(tensor([[0, -t], [t, 0]])).value;
      expect(normwise(r, [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)])).toBeLessThan(1e-14 * Math.max(1, t));
    }
  });

  it('e^A·e^{−A} = I and det e^A = e^{tr A} at random matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.01, max: 8, noNaN: true }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 25, maxLength: 25 }), (n, scale, xs) => {
        const a = tensor(xs.slice(0, n * n).map((x) => x * scale), [n, n]);
        const product = ops.expm(a).matmul(ops.expm(a.neg())).value;
        const bound = Math.exp(2 * scale * n); // ‖e^A‖·‖e^{−A}‖ bounds the rounding of the product
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(product[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-13 * bound);
        const trace = Array.from({ length: n }, (_, i) => a.value[i * n + i]).reduce((s, x) => s + x, 0);
        expect(Math.abs((ops.det(ops.expm(a)).value as number) / Math.exp(trace) - 1)).toBeLessThan(1e-12 * bound);
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  it('stacks, empty and non-finite matrices', () => {
    const stack = ops.expm(tensor([[[1, 0], [0, 2]], [[0, 1], [0, 0]]]));
    expect(normwise(stack.value, [Math.E, 0, 0, Math.exp(2), 1, 1, 0, 1])).toBeLessThan(4e-16);
    expect(ops.expm(tensor(new Float64Array(0), [0, 0])).shape).toEqual([0, 0]);
    expect(ops.expm(tensor(new Float64Array(0), [0, 2, 2])).shape).toEqual([0, 2, 2]);
    const bad = ops.expm(tensor([[[1, NaN], [0, 1]], [[1, 0], [0, 1]]])).value;
    expect(Array.from(bad.subarray(0, 4)).every(Number.isNaN)).toBe(true);
    expect(normwise(bad.subarray(4), [Math.E, 0, 0, Math.E])).toBeLessThan(4e-16);
    expect(Array.from(ops.expm(tensor([[Infinity, 0], [0, 1]])).value).every(Number.isNaN)).toBe(true);
  });
});

describe('expm: derivatives', () => {
  // JAX: f = sum(sin(expm(A))) at A (3×3), V; grad, jvp(grad), grad(sum(jvp(grad))).
  const A = [0.3, -0.5, 0.1, 0.2, 0.1, 0.4, -0.6, 0.3, -0.2];
  const V = [0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.1, 0.7];
  const f = (x: Tensor) => ops.expm(x.reshape([3, 3])).sin().sum();

  // sum(e^A ⊙ W): ∇ = L(Aᵀ, W), the top-right block of e^[[Aᵀ, W], [0, Aᵀ]], and H·v that block of the
  // Fréchet derivative of it along [[Vᵀ, 0], [0, Vᵀ]], the top-right block of the top-right block of
  // the 4n×4n e^[[B, Ḃ], [0, B]]: mpmath.expm (taylor, 60 digits) of those block matrices.
  // Bounds on the relative errors of [value, ∇, H·v]; measured now: rotationLike 1.2e-16, 9.4e-14,
  // 3.9e-14; triangular3 0, 2.1e-14, 1.2e-11 (its 4n×4n block has entries up to 1e8 times larger than
  // its smallest ones). Before (Higham 2005 on the block matrices): 3.5e-11, 2.1e-6, 9.8e-11 and
  // 8.1e-10, 1.3e-9, 1.5e-8.
  const DERIVATIVE_BOUND: Record<string, readonly [number, number, number]> = { rotationLike: [1e-15, 5e-13, 5e-13], triangular3: [1e-15, 1e-13, 5e-11] };
  const FRECHET: Record<string, { a: number[]; w: number[]; v: number[]; f: number; grad: number[]; hvp: number[] }> = {
    rotationLike: { a: [0.1, 1000000, -1e-06, 0.2], w: [1, -2, 0.5, 3], v: [0.3, -100000, 2e-07, 0.4], f: -1956171.8779929616, grad: [-960587.1065042148, -1.6061782800671864, -349996211589.74554, -995584.7714887466], hvp: [-275471.70861118974, -0.7629176820327397, -63492457711.870445, -320319.74624680384] },
    triangular3: { a: [-0.5, 10000, 100000000, 0, -0.6, 10000, 0, 0, -0.7], w: [1, -2, 0.5, 3, 1, -1, 2, 0.25, -0.5], v: [0.1, 1000, -10000000, 0, 0.2, 2000, 0, 0, -0.3], f: 41201301.73937682, grad: [18887519.91498669, 1372.0184485251461, 0.2748633898030598, 58538308685.30258, 4567387.557952001, 1372.650565674492, 709156538798452.8, 55766422027.97644, 17746394.26643813], hvp: [-296549.3213086037, 278.9930945374197, -0.02565513683440405, 6660702855.30246, 1608400.959558973, 141.87194431665776, -84560002610973.14, 6658589705.295167, -2464854.733249207] },
  };

  for (const [name, { a, w, v, f: value, grad: g, hvp: h }] of Object.entries(FRECHET)) {
    it(`${name} (non-normal): ∇ and H·v of sum(e^A ⊙ W) against mpmath's block exponentials`, () => {
      const n = Math.sqrt(a.length);
      const loss = (x: Tensor) => ops.expm(x.reshape([n, n])).mul(tensor(w, [n, n])).sum();
      const r = gradAndHvp(loss, a, v);
      const [forValue, forGrad, forHvp] = DERIVATIVE_BOUND[name];
      expect(Math.abs((r.value as number) - value) / Math.abs(value)).toBeLessThan(forValue);
      expect(normwise(r.grad as Float64Array, g)).toBeLessThan(forGrad);
      expect(normwise(r.hvp as Float64Array, h)).toBeLessThan(forHvp);
    });
  }

  it("JAX's gradient, H·v and third derivative", () => {
    const r = gradAndHvp(f, A, V);
    expect(Math.abs((r.value as number) - 2.421947985970485)).toBeLessThan(1e-15);
    expect(normwise(r.grad as Float64Array, [-0.009727057496689014, 0.9634407881280945, 1.0194357475058777, 1.1855516630657439, 0.6696113397495097, 0.5141749077758202, 0.8427588269378339, 1.1964439684342103, 0.6431098362738097])).toBeLessThan(2e-15);
    expect(normwise(r.hvp as Float64Array, [0.28600677971001487, 0.12165081337380013, 0.9084206218953897, 0.30222167312412723, 0.1688261213684356, 0.3901502073945904, 0.07366995919025202, 0.3207548174324151, 0.13006764116947156])).toBeLessThan(2e-15);
    const third = grad((x: Tensor) => (hvp(f, x, V) as Tensor).sum())(A) as Float64Array;
    expect(normwise(third, [-0.34384522327737166, 0.8158357913430871, 1.6094888197029058, -0.013614047646887645, -0.3609262649200892, 0.9837326832512827, 0.8665370908005621, 0.3078746679767431, -0.010321339448601214])).toBeLessThan(4e-15);
  });

  it('the tangent along A itself is tA·e^{tA} (d/dt e^{tA} = A·e^{tA}), also where squarings are needed', () => {
    for (const t of [0.1, 1, 7]) {
      const a = tensor([[0.5, 2, -1], [0, -1, 3], [1, 1, 0.2]]);
      const { value, tangent } = jvp((x: Tensor) => ops.expm(x.reshape([3, 3]).mul(t)), a.value, a.value);
      const expected = a.mul(t).matmul(tensor(value as Float64Array, [3, 3])).value; // d/dε e^{t(A + εA)} = tA·e^{tA}
      expect(normwise(tangent as Float64Array, expected)).toBeLessThan(1e-13);
    }
  });

  it('finite differences to fourth order, at a defective matrix and at a stack', () => {
    // A Jordan block (defective): eigenvector-based rules would fail here, the block-matrix rule does not.
    const jordan = (x: Tensor) => ops.expm(x.reshape([2, 2]).add(tensor([[1, 1], [0, 1]]))).tanh().sum();
    for (const c of checkGrads(jordan, [0, 0, 0, 0], { order: 4, directions: 2, seed: 2, fdTolerance: 1e-5 })) expect(c.passed, c.name).toBe(true);
    const stack = (x: Tensor) => ops.expm(x.reshape([2, 2, 2])).mul(tensor([1, -2, 0.5, 3, 1, 1, -1, 2], [2, 2, 2])).sum();
    for (const c of checkGrads(stack, [0.3, 1, -0.5, 0.2, 2, 0.1, -1, 0.4], { order: 3, seed: 4 })) expect(c.passed, c.name).toBe(true);
  });

  it('a large norm: gradient and H·v against finite differences of the gradient', () => {
    const big = (x: Tensor) => ops.expm(x.reshape([3, 3])).mul(1e-4).sin().sum();
    for (const c of checkGrads(big, [4, -3, 2, 5, 1, -6, -2, 3, 0.5], { order: 2, seed: 9 })) expect(c.passed, c.name).toBe(true);
  });

  it('a compiled replay chooses the degree and squarings at the new point', () => {
    const g = (x: Tensor) => ops.expm(x.reshape([4, 4])).sum();
    const program = compile(g, MPMATH.deg3.a);
    for (const name of ['deg9', 'scaled']) {
      const { value, grad: replayed } = program.valueAndGrad(MPMATH[name].a);
      const sum = MPMATH[name].e.reduce((s, e) => s + e, 0);
      expect(Math.abs((value as number) - sum)).toBeLessThan(1e-13 * Math.max(...MPMATH[name].e.map(Math.abs)));
      const recorded = gradAndHvp(g, MPMATH[name].a, new Float64Array(16)).grad as Float64Array;
      expect(normwise(replayed as Float64Array, recorded)).toBeLessThan(1e-15);
    }
  });
});

describe('expm: misuse', () => {
  it('names the problem', () => {
    expect(() => ops.expm(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => ops.expm(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(/expm: the matrix has shape \[2,3\]/);
    expect(() => (ops.expm as (...a: unknown[]) => unknown)(tensor([[1]]), 2)).toThrow(ArgumentError);
    expect(() => ops.expm([[1]] as never)).toThrow(/expm: expected a tensor/);
  });
});
