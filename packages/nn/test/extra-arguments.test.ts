// Arguments past a function's last parameter, which JavaScript would drop without a word:
// `train(net, params, X, T, options, extra)` would train without the extra, `rPropagation(spec, params, X,
// T, v, w)` be the product along v. Every exported function refuses a non-undefined one with core's
// noExtraArguments, as core's ArgumentError (re-exported here), whose message starts with the function's
// name. The table is checked against Object.keys of the package index, so a new exported function
// without a case (or a listed exemption) fails the first test.
import { DualtapeError, Tensor, tensor, valueAndGrad, type NodeTree, type Scalar } from '@dualtape/core';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { ACTIVATIONS, ArgumentError, figure53Data, toParamTree, twoLayerNet, type TwoLayerParams, type TwoLayerSpec } from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;
const exported = api as unknown as Record<string, unknown>;
const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
/** The exported functions a user calls: not types (not in Object.keys), constants, classes or error classes. */
const FUNCTIONS = Object.keys(api).filter((name) => typeof exported[name] === 'function' && !isClass(exported[name]));

const spec: TwoLayerSpec = { inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' };
const net = twoLayerNet(spec);
const params = net.init(1);
const X = Float64Array.of(0.1, 0.2, 0.3);
const T = Float64Array.of(0.1, 0.2, 0.4);
const series = { x: [0, 1], y: [0, 1], style: 'line' as const };
const [dataset] = figure53Data(5, 3);

/**
 * The ops of the network graph take nodes: they are called inside a transform, with the arguments
 * `args(p)` builds from the parameter tree's nodes.
 */
const insideTransform = (f: Fn, args: (p: NodeTree<TwoLayerParams>) => unknown[]) => (a: unknown[]) =>
  valueAndGrad((p: NodeTree<TwoLayerParams>) => {
    const y = f(...args(p), ...a) as Tensor | Scalar;
    return y instanceof Tensor ? y.sum() : y;
  })(toParamTree(spec, params));

/** For each function: how to call it with extra arguments after a valid call's, and that valid call. */
const CASES: Record<string, [(extra: unknown[]) => unknown, () => unknown[]]> = {
  activate: [insideTransform(api.activate as Fn, (p) => ['tanh', p.w1]), () => []],
  outputPreActivations: [insideTransform(api.outputPreActivations as Fn, (p) => [spec, p, X, 3]), () => []],
  canonicalError: [insideTransform(api.canonicalError as Fn, (p) => ['linear', p.w1.reshape([3, 1]), T, 3, 1]), () => []],
  checkData: [(a) => (api.checkData as Fn)(...a), () => [spec, X, T]],
  checkDataEntries: [(a) => (api.checkDataEntries as Fn)(...a), () => ['X', X, 1]],
  checkInputs: [(a) => (api.checkInputs as Fn)(...a), () => [spec, X]],
  figure53Data: [(a) => (api.figure53Data as Fn)(...a), () => [5, 1]],
  figure53Svg: [(a) => (api.figure53Svg as Fn)(...a), () => [net, [{ dataset, params }], 'title']],
  flattenParams: [(a) => (api.flattenParams as Fn)(...a), () => [params]],
  hiddenOutputs: [(a) => (api.hiddenOutputs as Fn)(...a), () => [spec, params, X]],
  initParams: [(a) => (api.initParams as Fn)(...a), () => [spec, 1]],
  lossAndGrad: [(a) => (api.lossAndGrad as Fn)(...a), () => [spec, params, X, T]],
  lossValue: [(a) => (api.lossValue as Fn)(...a), () => [spec, params, X, T]],
  mulberry32: [(a) => (api.mulberry32 as Fn)(...a), () => [7]],
  outerProductHessian: [(a) => (api.outerProductHessian as Fn)(...a), () => [spec, params, X, T]],
  paramCount: [(a) => (api.paramCount as Fn)(...a), () => [spec]],
  paramOffsets: [(a) => (api.paramOffsets as Fn)(...a), () => [spec]],
  predict: [(a) => (api.predict as Fn)(...a), () => [spec, params, X]],
  rPropagation: [(a) => (api.rPropagation as Fn)(...a), () => [spec, params, X, T, params]],
  svgPlot: [(a) => (api.svgPlot as Fn)(...a), () => [[{ title: 't', series: [series] }], {}]],
  toParamTree: [(a) => (api.toParamTree as Fn)(...a), () => [spec, params, 'params']],
  train: [(a) => (api.train as Fn)(...a), () => [net, params, X, T, { maxIterations: 2 }]],
  twoLayerNet: [(a) => (api.twoLayerNet as Fn)(...a), () => [spec]],
  unflattenParams: [(a) => (api.unflattenParams as Fn)(...a), () => [spec, new Float64Array(10)]],
  validateData: [(a) => (api.validateData as Fn)(...a), () => [spec, X, T]],
  validateParams: [(a) => (api.validateParams as Fn)(...a), () => [spec, params, 'params']],
  validateSpec: [(a) => (api.validateSpec as Fn)(...a), () => [spec]],
  zeroParams: [(a) => (api.zeroParams as Fn)(...a), () => [spec]],
};
/** The number of parameters of the graph ops called inside a transform (their arguments are built there). */
const GRAPH_ARITY: Record<string, number> = { activate: 2, outputPreActivations: 4, canonicalError: 5 };

/**
 * Left out on purpose: one-parameter functions that are natural callbacks of map, which passes the
 * index and the array after the element (refusing those would break `xs.map(softplus)`; the extra
 * cannot change their result).
 */
const EXEMPT: Record<string, string> = {
  logisticSigmoid: '`xs.map(logisticSigmoid)`: a number to a number',
  softplus: '`xs.map(softplus)`: a number to a number',
  activationFunctions: '`ACTIVATIONS.map(activationFunctions)`: a name to its functions',
};

describe('an argument past the last parameter is an ArgumentError naming the function', () => {
  it('every exported function has a case or a listed exemption, and nothing else does', () => {
    expect([...Object.keys(CASES), ...Object.keys(EXEMPT)].sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const [call, valid] = CASES[name];
    const args = valid();
    expect(() => call(args), `${name}: the valid call`).not.toThrow();
    // undefined past the end is an optional parameter left out, not an extra.
    expect(() => call([...args, undefined, undefined]), `${name}: undefined past the end`).not.toThrow();
    const count = args.length + (GRAPH_ARITY[name] ?? 0);
    for (let p = args.length; p < args.length + 3; p++) {
      for (const [label, extra] of [['a node', tensor([1, 2, 3])], ['a number', 3]] as const) {
        const padded = [...args, ...Array<undefined>(p - args.length).fill(undefined), extra];
        let thrown: unknown;
        try {
          call(padded);
        } catch (error) {
          thrown = error;
        }
        const what = `${name}: ${label} as argument ${p + 1 + count - args.length}`;
        expect(thrown, `${what} was dropped`).toBeInstanceOf(ArgumentError);
        expect(thrown, what).toBeInstanceOf(DualtapeError);
        expect((thrown as Error).message, what).toMatch(new RegExp(`^${name}: takes `));
        expect((thrown as Error).message, what).toContain(`at position ${p + 1 + count - args.length}`);
      }
    }
  });

  it('the message shows the call and the value that would have been dropped', () => {
    expect(() => (api.rPropagation as Fn)(spec, params, X, T, params, params)).toThrow(
      /^rPropagation: takes 5 arguments, rPropagation\(spec, params, X, T, v\); got a further argument an object at position 6/,
    );
  });

  it('activate, of two parameters, stays usable as the callback of reduce', () => {
    // reduce calls activate(acc, a, index, array): that is reduce's protocol, let through as in core.
    expect(() => (api.activate as Fn)('tanh', tensor([1]), 1, ['tanh'])).not.toThrow();
  });
});

describe('the exempt functions work as map callbacks', () => {
  it('logisticSigmoid, softplus and activationFunctions', () => {
    expect([0, 1000].map(api.logisticSigmoid)).toEqual([0.5, 1]);
    expect([1000].map(api.softplus)).toEqual([1000]);
    expect(ACTIVATIONS.map(api.activationFunctions).map((f) => f.h(0))).toEqual([0, 0.5, 0]);
  });
});

describe("the methods of twoLayerNet's network refuse an argument past their last parameter too", () => {
  const v = net.init(2);
  const METHODS: Record<string, () => unknown[]> = {
    init: () => [1],
    lossFn: () => [X, T],
    modelFn: () => [X],
    errorFn: () => [T],
    loss: () => [params, X, T],
    valueAndGrad: () => [params, X, T],
    gradAndHvp: () => [params, X, T, v],
    hessian: () => [params, X, T],
    gaussNewton: () => [params, X, T, v],
    predict: () => [params, X],
    hiddenOutputs: () => [params, X],
  };
  it('every method has a case', () => {
    const methods = Object.keys(net).filter((k) => typeof (net as unknown as Record<string, unknown>)[k] === 'function');
    expect(Object.keys(METHODS).sort()).toEqual(methods.sort());
  });
  it.each(Object.keys(METHODS))('net.%s', (name) => {
    const method = (net as unknown as Record<string, Fn>)[name];
    const args = METHODS[name]();
    expect(() => method(...args), `net.${name}: the valid call`).not.toThrow();
    for (let p = args.length; p < args.length + 3; p++) {
      for (const extra of [tensor([1, 2, 3]), 3]) {
        const padded = [...args, ...Array<undefined>(p - args.length).fill(undefined), extra];
        expect(() => method(...padded), `net.${name}: argument ${p + 1}`).toThrow(new RegExp(`^net\\.${name}: takes .* at position ${p + 1}`));
      }
    }
  });
});
