// expm against mpmath's Taylor series at 60 digits (one matrix in each Padé degree's range, one needing
// squarings, one with decaying entries, one huge), closed forms (diagonal, nilpotent, rotation,
// d/dt e^{tA} = A·e^{tA}, e^A·e^{−A} = I, det e^A = e^{tr A}), JAX's derivatives of
// jax.scipy.linalg.expm (jax 0.10.2, float64) to third order, finite differences to fourth order,
// stacks, compiled replays at a different norm, NaN and misuse.
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
