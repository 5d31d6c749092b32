// Every exported function called with the wrong kind of argument (undefined, null, symbols, bigints,
// arrays where objects belong, plain arrays where nodes belong, …) throws the package's typed error with
// a message naming the argument, never a bare TypeError/RangeError and never a silent wrong number.
import { OptionError, Tensor, tensor, valueAndGrad, type NodeTree } from '@dualtape/core';
import { describe, expect, it } from 'vitest';
import {
  NetworkDataError,
  NetworkShapeError,
  NetworkSpecError,
  activate,
  activationFunctions,
  canonicalError,
  checkData,
  checkDataEntries,
  checkInputs,
  figure53Data,
  figure53Svg,
  flattenParams,
  hiddenOutputs,
  initParams,
  logisticSigmoid,
  mulberry32,
  outputPreActivations,
  paramCount,
  paramOffsets,
  predict,
  softplus,
  svgPlot,
  toParamTree,
  train,
  twoLayerNet,
  unflattenParams,
  validateData,
  validateParams,
  validateSpec,
  zeroParams,
  type CurveFit,
  type PlotPanel,
  type TwoLayerParams,
  type TwoLayerSpec,
} from '../src/index.js';

const spec: TwoLayerSpec = { inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' };
const net = twoLayerNet(spec);
const params = net.init(1);
const X = new Float64Array([0.1, 0.2, 0.3]);
const T = new Float64Array([0.1, 0.2, 0.4]);

/** Expects `call` to throw an instance of `cls` (and not a built-in error) whose message matches every fragment. */
function expectTyped(call: () => unknown, cls: new (...args: never[]) => Error, ...fragments: (string | RegExp)[]): void {
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a throw').toBeInstanceOf(cls);
  const message = (thrown as Error).message;
  for (const f of fragments) {
    if (typeof f === 'string') expect(message).toContain(f);
    else expect(message).toMatch(f);
  }
}

describe('functions that take a spec: a missing or non-object spec is a NetworkSpecError', () => {
  const calls: [string, (s: unknown) => unknown][] = [
    ['paramCount', (s) => paramCount(s as TwoLayerSpec)],
    ['paramOffsets', (s) => paramOffsets(s as TwoLayerSpec)],
    ['zeroParams', (s) => zeroParams(s as TwoLayerSpec)],
    ['validateParams', (s) => validateParams(s as TwoLayerSpec, params)],
    ['validateData', (s) => validateData(s as TwoLayerSpec, X, T)],
    ['toParamTree', (s) => toParamTree(s as TwoLayerSpec, params)],
    ['checkData', (s) => checkData(s as TwoLayerSpec, X, T)],
    ['checkInputs', (s) => checkInputs(s as TwoLayerSpec, X)],
    ['hiddenOutputs', (s) => hiddenOutputs(s as TwoLayerSpec, params, X)],
    ['predict', (s) => predict(s as TwoLayerSpec, params, X)],
    ['outputPreActivations', (s) => valueAndGrad((p: NodeTree<TwoLayerParams>) => outputPreActivations(s as TwoLayerSpec, p, X, 3).sum())(toParamTree(spec, params))],
  ];
  it.each(calls)('%s(undefined / null / an array / a symbol)', (_, call) => {
    expectTyped(() => call(undefined), NetworkSpecError, 'spec must be an object { inputs, hidden, outputs, activation, output }, got undefined');
    expectTyped(() => call(null), NetworkSpecError, 'got null');
    expectTyped(() => call([1, 3, 1]), NetworkSpecError, 'got an array of length 3');
    expectTyped(() => call(Symbol('s')), NetworkSpecError, 'got a symbol');
  });

  it.each(calls)('%s(net) says to pass net.spec', (_, call) => {
    expectTyped(() => call(net), NetworkSpecError, "unknown key 'spec'", 'pass net.spec');
  });

  it('field values that cannot be printed raw (symbol, bigint, NaN) are described, not thrown on', () => {
    expectTyped(() => validateSpec({ ...spec, hidden: Symbol('h') }), NetworkSpecError, 'spec.hidden (H) must be a positive integer, got a symbol');
    expectTyped(() => validateSpec({ ...spec, inputs: 2n }), NetworkSpecError, 'spec.inputs (D) must be a positive integer, got 2n (a bigint)');
    expectTyped(() => validateSpec({ ...spec, activation: 10n }), NetworkSpecError, 'Unknown activation 10n (a bigint); expected one of');
    expectTyped(() => validateSpec({ ...spec, output: NaN }), NetworkSpecError, 'Unknown output kind NaN; expected one of');
    expectTyped(() => twoLayerNet({ ...spec, outputs: Symbol('k') } as never), NetworkSpecError, 'spec.outputs (K) must be a positive integer, got a symbol');
  });
});

describe('validateParams, toParamTree, flattenParams, unflattenParams', () => {
  it('the name label must be a string: it is printed as given', () => {
    expectTyped(() => validateParams(spec, params, NaN as never), OptionError, 'validateParams: name must be a string', 'got NaN');
    expectTyped(() => validateParams(spec, null, Symbol('v') as never), OptionError, 'got a symbol');
    expectTyped(() => toParamTree(spec, params, 10n as never), OptionError, 'toParamTree: name must be a string', 'got 10n (a bigint)');
  });

  it('a flat vector given as params points to unflattenParams; a wrong block type is described', () => {
    expectTyped(() => validateParams(spec, flattenParams(params)), NetworkShapeError, 'params must be an object with keys w1, b1, w2, b2, got a Float64Array of length 10', 'unflattenParams');
    expectTyped(() => validateParams(spec, Symbol('p')), NetworkShapeError, 'params must be an object with keys w1, b1, w2, b2, got a symbol');
    expectTyped(() => validateParams(spec, { ...params, b1: new Float32Array(3) }), NetworkShapeError, 'params.b1 must be a Float64Array of length H = 3, got a Float32Array of length 3');
  });

  it('flattenParams refuses what is not four Float64Array blocks (was a TypeError, or an empty vector for numbers)', () => {
    expectTyped(() => flattenParams(undefined as never), NetworkShapeError, 'params must be an object with keys w1, b1, w2, b2, got undefined');
    expectTyped(() => flattenParams({ w1: 1, b1: 2, w2: 3, b2: 4 } as never), NetworkShapeError, 'params.w1 must be a Float64Array', 'got 1');
    expectTyped(() => flattenParams({ w1: params.w1, b1: params.b1, w2: params.w2 } as never), NetworkShapeError, 'params.b2 must be a Float64Array', 'missing');
    expect(flattenParams(params)).toHaveLength(10);
  });

  it('unflattenParams refuses a missing vector and non-number entries (a string became NaN)', () => {
    expectTyped(() => unflattenParams(spec, undefined as never), NetworkShapeError, 'flat parameter vector must be a Float64Array or number[] of length W = 10, got undefined');
    const strings = Array.from(flattenParams(params), String);
    expectTyped(() => unflattenParams(spec, strings as never), NetworkShapeError, "flat parameter vector[0] is '0.25", 'every entry a number');
  });
});

describe('checkDataEntries and data arguments', () => {
  it('name must be X or T and width a positive integer', () => {
    expectTyped(() => checkDataEntries(Symbol('X') as never, X, 1), OptionError, "checkDataEntries: name must be 'X' or 'T'", 'got a symbol');
    expectTyped(() => checkDataEntries('X', X, {} as never), NetworkSpecError, 'checkDataEntries: width (D, the row length of X) must be a positive integer, got an object');
    expectTyped(() => checkDataEntries('T', T, 0), NetworkSpecError, 'width (K, the row length of T)', 'got 0');
  });

  it('predict and net.errorFn name a missing X or T (was "reading \'length\'")', () => {
    expectTyped(() => predict(spec, params, undefined as never), NetworkShapeError, 'X must be a Float64Array or number[] of length N×D (D = 1), got undefined');
    expectTyped(() => net.errorFn(null as never), NetworkShapeError, 'T must be a Float64Array or number[] of length N×K (K = 1), got null');
  });

  it('hiddenOutputs checks what it is given (it was documented as "assumed validated")', () => {
    expectTyped(() => hiddenOutputs(spec, undefined as never, X), NetworkShapeError, 'params must be an object');
    expectTyped(() => hiddenOutputs({ ...spec, inputs: 2 }, initParams({ ...spec, inputs: 2 }, 1), X), NetworkShapeError, 'X has length 3 but expected N×D with D = 2');
    expectTyped(() => hiddenOutputs(spec, params, [0.1, NaN]), NetworkDataError, 'X[1]');
    expect(hiddenOutputs(spec, params, X)).toEqual(net.hiddenOutputs(params, X));
  });
});

describe('seeds, and the numeric helpers logisticSigmoid and softplus', () => {
  it.each([[Symbol('s'), 'a symbol'], [10n, '10n (a bigint)'], [{}, 'an object'], [NaN, 'NaN'], [2.5, '2.5'], ['7', "'7'"], [null, 'null']])(
    'mulberry32 / initParams / net.init(%s) refuse a seed that is not an integer',
    (seed, shown) => {
      expectTyped(() => mulberry32(seed as never), OptionError, 'mulberry32: seed must be an integer (it is taken modulo 2³²)', `got ${shown}`);
      expectTyped(() => initParams(spec, seed as never), OptionError, 'initParams: seed must be an integer', `got ${shown}`);
      expectTyped(() => net.init(seed as never), OptionError, 'initParams: seed must be an integer');
    },
  );

  it('integer seeds give the same sequences as before (taken modulo 2³²)', () => {
    const a = mulberry32(-1);
    const b = mulberry32(2 ** 32 - 1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it.each([[Symbol('a'), 'a symbol'], [10n, '10n (a bigint)'], [{}, 'an object'], ['1', "'1'"], [null, 'null']])(
    'logisticSigmoid and softplus refuse %s (a bare TypeError, or a coerced number, before)',
    (a, shown) => {
      expectTyped(() => logisticSigmoid(a as never), NetworkDataError, 'logisticSigmoid: a must be a number', `got ${shown}`);
      expectTyped(() => softplus(a as never), NetworkDataError, 'softplus: a must be a number', `got ${shown}`);
    },
  );

  it('numbers in, the same numbers out (NaN stays NaN)', () => {
    expect(logisticSigmoid(0)).toBe(0.5);
    expect(softplus(1000)).toBe(1000);
    expect(logisticSigmoid(NaN)).toBeNaN();
    expect(activationFunctions('logistic').h(-2)).toBe(logisticSigmoid(-2));
  });

  it('activationFunctions describes a name that is not a string (JSON.stringify threw on a bigint)', () => {
    expectTyped(() => activationFunctions(10n as never), NetworkSpecError, 'Unknown activation 10n (a bigint); expected one of');
    expectTyped(() => activationFunctions(Object.create(null) as never), NetworkSpecError, 'Unknown activation an object');
    expectTyped(() => activationFunctions('toString' as never), NetworkSpecError, 'Unknown activation "toString"');
  });
});

describe('the core-op building blocks: activate, outputPreActivations, canonicalError, and the net closures', () => {
  const tree = toParamTree(spec, params);

  it('activate: an unknown activation was a silent undefined, a non-node a TypeError', () => {
    expectTyped(() => activate('sigmoid' as never, tensor([1, 2])), NetworkSpecError, 'activate: unknown activation "sigmoid"');
    expectTyped(() => activate('tanh', [1, 2] as never), NetworkShapeError, 'activate: a must be a tensor (a core node), got an array of length 2');
  });

  it('outputPreActivations: plain arrays instead of nodes, N that does not match X', () => {
    expectTyped(() => outputPreActivations(spec, tree as never, X, 3), NetworkShapeError, 'outputPreActivations: p.w1 must be a tensor of 3 numbers, got a Float64Array', 'inside a transform');
    const at = (N: number, x: Float64Array = X) =>
      valueAndGrad((p: NodeTree<TwoLayerParams>) => outputPreActivations(spec, p, x, N).sum())(tree);
    expectTyped(() => at(NaN), NetworkShapeError, 'N (the number of patterns) must be a positive integer, got NaN');
    expectTyped(() => at(2), NetworkShapeError, 'X has length 3 = 3×D (D = 1) but N = 2');
    expectTyped(() => valueAndGrad((p: NodeTree<TwoLayerParams>) => outputPreActivations(spec, { ...p, b1: p.w2 }, X, 3).sum())(toParamTree({ ...spec, hidden: 2 }, initParams({ ...spec, hidden: 2 }, 1))), NetworkShapeError, 'p.w1 is a tensor of shape [2] (2 numbers) but the spec needs 3');
    expect(at(3).value).toBeCloseTo(net.predict(params, X).reduce((s, y) => s + y, 0), 14);
  });

  it('canonicalError: an unknown output kind was a silent undefined, a wrongly shaped a a silent broadcast', () => {
    const E = (output: unknown, a: (x: Tensor) => unknown, t: ArrayLike<number> = T, N: unknown = 3, K: unknown = 1) =>
      valueAndGrad((x: Tensor) => canonicalError(output as never, a(x) as never, t as never, N as never, K as never))(new Float64Array(3));
    expectTyped(() => E('identity', (x) => x.reshape([3, 1])), NetworkSpecError, 'canonicalError: unknown output kind "identity"');
    // [3] against T's [3, 1] broadcast to [3, 3] and summed nine residuals.
    expectTyped(() => E('linear', (x) => x), NetworkShapeError, 'canonicalError: a must be the output pre-activations, a tensor of shape [N, K] = [3, 1], got a tensor of shape [3]');
    expectTyped(() => E('linear', () => [0, 0, 0]), NetworkShapeError, 'got an array of length 3');
    expectTyped(() => E('linear', (x) => x.reshape([3, 1]), T, 2.5), NetworkShapeError, 'N (the number of patterns) must be a positive integer, got 2.5');
    expectTyped(() => E('linear', (x) => x.reshape([3, 1]), T, 3, Symbol('K')), NetworkShapeError, 'K (the number of outputs) must be a positive integer, got a symbol');
    expectTyped(() => E('linear', (x) => x.reshape([3, 1]), new Float64Array(4)), NetworkShapeError, 'canonicalError: T has length 4 but N×K = 3×1 = 3');
    expectTyped(() => E('linear', (x) => x.reshape([3, 1]), null as never), NetworkShapeError, 'T must be a Float64Array or number[] of length N×K (K = 1), got null');
    expectTyped(() => E('logistic', (x) => x.reshape([3, 1]), [0, 2, 1]), NetworkDataError, 'T[1] = 2 is outside [0, 1]');
    expect(E('linear', (x) => x.reshape([3, 1])).value).toBeCloseTo(0.5 * (0.01 + 0.04 + 0.16), 15);
  });

  it('net.lossFn / modelFn / errorFn closures called with the wrong thing say how to call them', () => {
    expectTyped(() => net.lossFn(X, T)(tree as never), NetworkShapeError, 'lossFn(X, T): p.w1 must be a tensor', 'got a Float64Array of length 3');
    expectTyped(() => net.modelFn(X)(undefined as never), NetworkShapeError, 'modelFn(X): p must be an object of tensors w1, b1, w2, b2, got undefined');
    // An [N] tensor would have broadcast against the [N, K] targets.
    expectTyped(
      () => valueAndGrad((x: Tensor) => net.errorFn(T)(x))(new Float64Array(3)),
      NetworkShapeError,
      'errorFn(T): a must be the output pre-activations, a tensor of shape [N, K] = [3, 1], got a tensor of shape [3]',
    );
    expect(valueAndGrad(net.lossFn(X, T))(tree).value).toBeCloseTo(net.loss(params, X, T), 15);
  });

  it('a weight block with the right count in another shape is refused (a [D, H] kernel was read as [H, D] silently)', () => {
    const wide = twoLayerNet({ inputs: 2, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
    const [X2, T2] = [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0)];
    const flat = { w1: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], b1: [0, 0, 0], w2: [1, 1, 1], b2: [0] };
    const f = wide.lossFn(X2, T2);
    expectTyped(() => valueAndGrad(f)({ ...flat, w1: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] } as never), NetworkShapeError, 'p.w1 has shape [2, 3]', '[3, 2]', 'is its transpose');
    expectTyped(() => valueAndGrad(f)({ ...flat, w1: [[[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]] } as never), NetworkShapeError, 'p.w1 has shape [1, 1, 6]');
    expectTyped(() => valueAndGrad(f)({ ...flat, w2: [[1], [1], [1]] } as never), NetworkShapeError, 'p.w2 has shape [3, 1]', '[1, 3]');
    // [H, D] and flat are the same numbers, the same loss.
    const asRows = valueAndGrad(f)({ ...flat, w1: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], w2: [[1, 1, 1]] } as never).value;
    expect(asRows).toBe(valueAndGrad(f)(flat as never).value);
  });
});

describe('train', () => {
  it('refuses something that is not a TwoLayerNet (was "reading \'spec\'")', () => {
    expectTyped(() => train(undefined as never, params, X, T), NetworkSpecError, 'train: net must be a TwoLayerNet (build one with twoLayerNet(spec)), got undefined');
    expectTyped(() => train(spec as never, params, X, T), NetworkSpecError, 'train: net must be a TwoLayerNet', 'got a spec');
    expectTyped(() => train({ spec } as never, params, X, T), NetworkSpecError, 'without the methods lossFn, valueAndGrad');
    expectTyped(() => train({ ...net, spec: { ...spec, hidden: 0 } }, params, X, T), NetworkSpecError, 'spec.hidden (H) must be a positive integer, got 0');
  });
});

describe('figure53Data', () => {
  it.each([[null, 'null'], [1e308, '1e+308'], [Symbol('n'), 'a symbol'], [10n, '10n (a bigint)'], [{}, 'an object'], [2.5, '2.5'], [0, '0'], [2 ** 53 - 1, String(2 ** 53 - 1)]])(
    'N = %s is refused (RangeError "Invalid typed array length", or a TypeError, before)',
    (N, shown) => {
      expectTyped(() => figure53Data(N as never), OptionError, 'figure53Data: N (points per data set) must be an integer in [1, 10000000]', `got ${shown}`);
    },
  );

  it('a seed that is not an integer is refused', () => {
    expectTyped(() => figure53Data(5, 10n as never), OptionError, 'figure53Data: seed must be an integer', 'got 10n (a bigint)');
    expectTyped(() => figure53Data(5, NaN), OptionError, 'got NaN');
  });

  it('seeds as before for ordinary integers; four different sets even for a seed beyond 2⁵³ (seed + index rounded)', () => {
    const sets = figure53Data(5, 7);
    expect(sets.map((s) => s.X[0])).toEqual([7, 8, 9, 10].map((seed) => {
      const rand = mulberry32(seed);
      return Math.min(...Array.from({ length: 5 }, () => 2 * rand() - 1));
    }));
    const big = figure53Data(5, 2 ** 60);
    expect(new Set(big.map((s) => s.X[0])).size).toBe(4);
  });
});

describe('svgPlot: panels and series it cannot draw', () => {
  const series = { x: [0, 1], y: [0, 1], style: 'line' as const };
  const plot = (panel: unknown, options?: object) => svgPlot([panel as PlotPanel], options);

  it.each([
    ['a panel that is not an object', 1, 'svgPlot: panels[0] must be an object { title, series, xRange?, yRange? }, got 1'],
    ['series not an array (was "series is not iterable")', { title: 't', series: 3 }, 'svgPlot: panels[0].series must be an array of series (possibly empty), got 3'],
    ['no title', { series: [series] }, 'svgPlot: panels[0].title must be a string, got undefined'],
    ['an unknown style', { title: 't', series: [{ ...series, style: 'bar' }] }, "svgPlot: panels[0].series[0].style must be one of 'points', 'line', 'dashed', got 'bar'"],
    ['a colour that is not a string', { title: 't', series: [{ ...series, color: 5 }] }, 'svgPlot: panels[0].series[0].color must be an SVG colour string (or left out), got 5'],
    ['x and y of different lengths (were cut silently)', { title: 't', series: [{ ...series, y: [0] }] }, 'svgPlot: panels[0].series[0] has 2 x values but 1 y values'],
    ['a NaN value (was "NaN" in the path)', { title: 't', series: [{ ...series, y: [0, NaN] }] }, 'svgPlot: panels[0].series[0].y[1] is NaN; every plotted value must be a finite number'],
    ['a string value', { title: 't', series: [{ ...series, x: ['0', 1] }] }, "svgPlot: panels[0].series[0].x[0] is '0'"],
    ['x not an array', { title: 't', series: [{ ...series, x: Symbol('x') }] }, 'svgPlot: panels[0].series[0].x must be an array or typed array of finite numbers, got a symbol'],
    ['an empty x range (was a division by zero)', { title: 't', series: [series], xRange: [1, 1] }, 'svgPlot: panels[0].xRange must be [lo, hi] with finite lo < hi (or left out for the data\'s range), got [1, 1]'],
    ['a y range that is not a pair', { title: 't', series: [series], yRange: 5 }, "svgPlot: panels[0].yRange must be [lo, hi] with finite lo < hi (or left out for the data's range), got 5"],
  ] as [string, unknown, string][])('%s', (_, panel, message) => {
    expectTyped(() => plot(panel), OptionError, message);
  });

  it('holes in the panel array (skipped silently, giving an empty picture) and a layout too large', () => {
    expectTyped(() => svgPlot(new Array(2) as never), OptionError, 'svgPlot: panels[0] must be an object', 'got undefined');
    expectTyped(() => plot({ title: 't', series: [series] }, { columns: 1e308 }), OptionError, 'svgPlot: the layout is Infinity × 270 px');
  });

  it('data or a range wider than the largest double is drawn with finite coordinates (was NaN: hi − lo overflowed)', () => {
    const wide = plot({ title: 't', series: [{ x: [0, 1e308], y: [-1e308, 1e308], style: 'line' }] });
    expect(wide).not.toMatch(/NaN|Infinity/);
    // The line runs from the bottom of the frame to its top, as for any data.
    const path = /<path d="M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)"/.exec(wide);
    const small = /<path d="M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)"/.exec(plot({ title: 't', series: [{ x: [0, 1], y: [-1, 1], style: 'line' }] }));
    expect(path?.slice(1)).toEqual(small?.slice(1));
    const ranged = plot({ title: 't', xRange: [-1e308, 1e308], series: [{ x: [-1e308, 1e308], y: [0, 1], style: 'points' }] });
    expect(ranged).not.toMatch(/NaN|Infinity/);
    expect(new Set(ranged.match(/cx="[\d.]+"/g)).size).toBe(2); // at the two ends, not both at the left edge
  });

  it('typed arrays and array-likes of numbers are still drawn', () => {
    const svg = plot({ title: 't', series: [{ x: new Float64Array([0, 1]), y: new Float32Array([1, 2]), style: 'points' }] });
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });
});

describe('figure53Svg', () => {
  const [dataset] = figure53Data(10, 3);
  const fit: CurveFit = { dataset, params };

  it('refuses a net that is not a 1-H-1 TwoLayerNet', () => {
    expectTyped(() => figure53Svg(undefined as never, [fit]), NetworkSpecError, 'figure53Svg: net must be a TwoLayerNet', 'got undefined');
    expectTyped(() => figure53Svg(spec as never, [fit]), NetworkSpecError, 'figure53Svg: net must be a TwoLayerNet', 'got a spec');
    const wide = twoLayerNet({ ...spec, inputs: 2 });
    expectTyped(() => figure53Svg(wide, [{ dataset, params: wide.init(1) }]), NetworkSpecError, 'figure53Svg draws curves y(x) of a 1-H-1 network, but net has D = 2 inputs');
  });

  it('refuses fits it cannot draw, naming the fit', () => {
    expectTyped(() => figure53Svg(net, undefined as never), OptionError, 'figure53Svg: fits must be a non-empty array of { dataset, params }, got undefined');
    expectTyped(() => figure53Svg(net, []), OptionError, 'fits must be a non-empty array');
    expectTyped(() => figure53Svg(net, new Array(1) as never), OptionError, 'figure53Svg: fits[0] must be an object { dataset, params }, got undefined');
    expectTyped(() => figure53Svg(net, [fit, { dataset: 5 } as never]), OptionError, 'figure53Svg: fits[1].dataset must be a CurveDataset');
    expectTyped(() => figure53Svg(net, [{ dataset: { ...dataset, name: 1 } } as never]), OptionError, 'fits[0].dataset.name must be a string, got 1');
    expectTyped(() => figure53Svg(net, [{ dataset: { ...dataset, T: dataset.T.map(() => NaN) }, params }]), OptionError, 'fits[0].dataset.T[0] is NaN');
    expectTyped(() => figure53Svg(net, [{ dataset: { ...dataset, T: new Float64Array(0) }, params }]), OptionError, 'fits[0].dataset has 10 inputs X and 0 targets T');
    expectTyped(() => figure53Svg(net, [{ dataset, params: { ...params, b2: new Float64Array(2) } }]), NetworkShapeError, 'fits[0].params.b2 has length 2 but K = 1');
    expectTyped(() => figure53Svg(net, [fit], 5 as never), OptionError, 'figure53Svg: title must be a string, got 5');
  });

  it('draws a data set too long to spread into Math.min (was RangeError: Maximum call stack size exceeded)', () => {
    const [long] = figure53Data(300_000, 1);
    const svg = figure53Svg(net, [{ dataset: long, params }]);
    expect(svg.match(/<circle /g)).toHaveLength(300_000);
  });
});
