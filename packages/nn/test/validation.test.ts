// Bad input: data of the wrong length, parameters of the wrong layout, unknown names.
import { describe, expect, it } from 'vitest';
import {
  NetworkDataError,
  NetworkShapeError,
  NetworkSpecError,
  train,
  twoLayerNet,
  type Activation,
  type OutputKind,
  type TwoLayerParams,
} from '../src/index.js';

const net = twoLayerNet({ inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' });
const params = net.init(1);
const X = new Float64Array(5 * 3); // N = 5
const T = new Float64Array(5 * 2);

describe('data of the wrong length', () => {
  const calls: [string, (x: Float64Array, t: Float64Array) => unknown][] = [
    ['loss', (x, t) => net.loss(params, x, t)],
    ['lossFn', (x, t) => net.lossFn(x, t)],
    ['valueAndGrad', (x, t) => net.valueAndGrad(params, x, t)],
    ['gradAndHvp', (x, t) => net.gradAndHvp(params, x, t, params)],
    ['hessian', (x, t) => net.hessian(params, x, t)],
    ['gaussNewton', (x, t) => net.gaussNewton(params, x, t, params)],
    ['train', (x, t) => train(net, params, x, t)],
  ];

  it.each(calls)('%s: T too short names expected N×K and the actual length', (_, call) => {
    expect(() => call(X, new Float64Array(9))).toThrow(NetworkShapeError);
    expect(() => call(X, new Float64Array(9))).toThrow('T has length 9 but X holds N = 5 patterns (length 15 = N×D, D = 3), so expected N×K = 5×2 = 10');
  });

  it.each(calls)('%s: X not a multiple of D names expected N×D (from T) and the actual length', (_, call) => {
    expect(() => call(new Float64Array(14), T)).toThrow(NetworkShapeError);
    expect(() => call(new Float64Array(14), T)).toThrow('X has length 14 but T holds N = 5 patterns (length 10 = N×K, K = 2), so expected N×D = 5×3 = 15');
  });

  it('X and T both whole but for different N', () => {
    expect(() => net.loss(params, new Float64Array(12), T)).toThrow('T has length 10 but X holds N = 4 patterns (length 12 = N×D, D = 3), so expected N×K = 4×2 = 8');
  });

  it('empty data and prediction inputs', () => {
    expect(() => net.loss(params, new Float64Array(0), new Float64Array(0))).toThrow(NetworkShapeError);
    expect(() => net.predict(params, new Float64Array(7))).toThrow('X has length 7 but expected N×D with D = 3 and N ≥ 1 (e.g. 6 or 9)');
    expect(() => net.hiddenOutputs(params, new Float64Array(2))).toThrow('X has length 2 but expected N×D with D = 3 and N ≥ 1 (e.g. 3)');
  });

  it('bad values are the reference’s NetworkDataError', () => {
    const soft = twoLayerNet({ inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'softmax' });
    expect(() => soft.loss(soft.init(1), X, T)).toThrow(NetworkDataError); // rows sum to 0, not 1
    expect(() => net.loss(params, X.map(() => Number.NaN), T)).toThrow(NetworkDataError);
    expect(() => net.errorFn(new Float64Array(3))).toThrow('T has length 3 but expected N×K with K = 2 and N ≥ 1');
  });
});

describe('parameters of the wrong layout', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a block too short', { ...params, b2: new Float64Array(1) }, /params\.b2 has length 1 but K = 2/],
    ['a missing block', { w1: params.w1, b1: params.b1, w2: params.w2 }, /params\.b2 is missing/],
    ['w1 transposed size', { ...params, w1: new Float64Array(11) }, /params\.w1 has length 11 but H×D = 4×3 = 12/],
    ['a plain array block', { ...params, w2: Array.from(params.w2) }, /params\.w2 must be a Float64Array/],
    ['null', null, /params must be an object/],
  ];
  it.each(bad)('%s', (_, p, message) => {
    const q = p as TwoLayerParams;
    expect(() => net.loss(q, X, T)).toThrow(NetworkShapeError);
    expect(() => net.loss(q, X, T)).toThrow(message);
    expect(() => net.gradAndHvp(q, X, T, params)).toThrow(message);
    expect(() => net.hessian(q, X, T)).toThrow(message);
    expect(() => net.predict(q, X)).toThrow(message);
    expect(() => train(net, q, X, T)).toThrow(message);
  });

  it('a direction v of the wrong layout is named v', () => {
    const v = { ...params, b1: new Float64Array(3) };
    expect(() => net.gradAndHvp(params, X, T, v)).toThrow(/^v\.b1 has length 3 but H = 4$/);
    expect(() => net.gaussNewton(params, X, T, v)).toThrow(/^v\.b1 has length 3 but H = 4$/);
  });
});

describe('unknown names and sizes in the spec', () => {
  it('unknown activation', () => {
    const make = () => twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'sigmoid' as Activation, output: 'linear' });
    expect(make).toThrow(NetworkSpecError);
    expect(make).toThrow('Unknown activation "sigmoid"; expected one of');
  });

  it('unknown output kind', () => {
    expect(() => twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'identity' as OutputKind })).toThrow(
      NetworkSpecError,
    );
  });

  it("a softmax over one output, whose loss and gradient are always 0 (train reported convergence)", () => {
    const make = () => twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'softmax' });
    expect(make).toThrow(NetworkSpecError);
    expect(make).toThrow("for one output use 'logistic'");
  });

  it('non-integer sizes', () => {
    expect(() => twoLayerNet({ inputs: 1.5, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' })).toThrow(/spec\.inputs \(D\)/);
  });

  it('an unknown key is named, with the nearest valid one, before the missing key it displaced', () => {
    const typo = { inputs: 1, hiden: 3, outputs: 1, activation: 'tanh', output: 'linear' };
    expect(() => twoLayerNet(typo as never)).toThrow(NetworkSpecError);
    expect(() => twoLayerNet(typo as never)).toThrow(
      "spec has an unknown key 'hiden'; did you mean 'hidden'? A spec has exactly the keys inputs, hidden, outputs, activation, output",
    );
    const extra = { inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear', seed: 4 };
    expect(() => twoLayerNet(extra as never)).toThrow("spec has an unknown key 'seed'. A spec has exactly the keys");
  });
});

describe('data given as rows (nested arrays) instead of flat row-major', () => {
  const one = twoLayerNet({ inputs: 1, hidden: 2, outputs: 1, activation: 'tanh', output: 'linear' });
  const p = one.init(1);
  const rows = [[0.1], [0.2], [0.3]];
  const flat = [0.1, 0.2, 0.3];

  it.each([
    ['loss', () => one.loss(p, rows as never, flat)],
    ['train', () => train(one, p, rows as never, flat)],
    ['predict', () => one.predict(p, rows as never)],
  ])('%s names the nested entry and says to flatten, instead of "X[0] is 0.1, not a finite number"', (_, call) => {
    expect(call).toThrow(NetworkShapeError);
    expect(call).toThrow(
      'X[0] is an array of length 1: X must be flat and row-major (N×D numbers in one array, D = 1), not one array per pattern; pass X.flat() or a Float64Array',
    );
    expect(call).not.toThrow(/not a finite number/);
  });

  it('T as rows, and an entry that is not a number at all', () => {
    expect(() => one.loss(p, flat, rows as never)).toThrow(/^T\[0\] is an array of length 1: T must be flat and row-major \(N×K numbers in one array, K = 1\)/);
    expect(() => one.loss(p, [0.1, '0.2', 0.3] as never, flat)).toThrow(
      "X[1] is '0.2'; X must be a Float64Array or number[] of length N×D (D = 1) with every entry a number",
    );
    // A genuinely non-finite number keeps its own message and class.
    expect(() => one.loss(p, [0.1, NaN, 0.3], flat)).toThrow(NetworkDataError);
    expect(() => one.loss(p, [0.1, NaN, 0.3], flat)).toThrow('X[1] (pattern 1, input 0) is NaN, not a finite number');
  });
});
