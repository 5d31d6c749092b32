// Fixes from the third adversarial sweep: absurd sizes are refused up front instead of crashing the
// process (2³¹ hidden units) or running for minutes; plots of extreme or misspelt data are errors or
// finite pictures, never an SVG holding NaN or Infinity.
import { describe, expect, it } from 'vitest';
import { NetworkSpecError, OptionError, figure53Data, figure53Svg, initParams, paramCount, svgPlot, twoLayerNet, validateSpec } from '../src/index.js';

const spec = (inputs: number, hidden: number, outputs: number) => ({ inputs, hidden, outputs, activation: 'tanh', output: 'linear' }) as const;

describe('a spec of more than 2²⁷ parameters is a NetworkSpecError', () => {
  it('names W, the sizes and the limit, in twoLayerNet, validateSpec, paramCount and initParams', () => {
    for (const call of [
      () => twoLayerNet(spec(1, 2 ** 31, 1)),
      () => validateSpec(spec(2 ** 30, 2 ** 30, 2 ** 30)),
      () => paramCount(spec(1, 2 ** 26, 1)),
      () => initParams(spec(100_000, 10_000, 10), 1),
    ]) {
      expect(call).toThrow(NetworkSpecError);
      expect(call).toThrow(/at most 2²⁷ = 134217728/);
    }
    expect(() => twoLayerNet(spec(1, 2 ** 31, 1))).toThrow(/W = H·D \+ H \+ K·H \+ K = 6442450945 parameters \(D = 1, H = 2147483648, K = 1\)/);
  });
  it('accepts a spec of exactly 2²⁷ parameters (without allocating it)', () => {
    // W = H·(D + 1 + K) + K; with D = 5 and K = 1 that is 7H + 1, and 2²⁷ − 1 = 7 · 19173961.
    const H = 19173961;
    expect(paramCount(spec(5, H, 1))).toBe(2 ** 27);
    expect(() => validateSpec(spec(5, H + 1, 1))).toThrow(NetworkSpecError);
  });
});

describe('svgPlot and figure53Svg with degenerate data', () => {
  const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
  const params = net.init(1);
  const [dataset] = figure53Data(5, 1);
  const finiteSvg = (svg: string) => expect(svg).not.toMatch(/NaN|Infinity/);

  it('a misspelt panel or series key is an OptionError, not a plot drawn without it', () => {
    const series = { x: [0, 1], y: [0, 1], style: 'line' as const };
    expect(() => svgPlot([{ title: 'p', series: [series], xrange: [0, 2] } as never])).toThrow(
      /^svgPlot: panels\[0\] has an unknown key 'xrange'; did you mean 'xRange'\? Valid keys: title, series, xRange, yRange$/,
    );
    expect(() => svgPlot([{ title: 'p', series: [{ ...series, colour: 'red' } as never] }])).toThrow(OptionError);
    expect(() => svgPlot([{ title: 'p', series: [{ ...series, colour: 'red' } as never] }])).toThrow(/series\[0\] has an unknown key 'colour'; did you mean 'color'\?/);
  });

  it('data up to the largest double labels its axis with digits, not "Infinity"', () => {
    finiteSvg(svgPlot([{ title: 'p', series: [{ x: [0, 1], y: [-1e308, 1.7e308], style: 'line' }] }]));
  });

  it('a value far outside a fixed range is held near the frame, not drawn at ±Infinity px', () => {
    finiteSvg(svgPlot([{ title: 'p', series: [{ x: [0, 1], y: [0, 1e308], style: 'line' }], yRange: [-2, 2] }]));
    const huge = { ...params, w2: params.w2.map(() => 1e308), b2: params.b2.map(() => 1e308) };
    finiteSvg(figure53Svg(net, [{ dataset, params: huge }]));
  });

  it('targets from -1e308 to 1e308 give a finite range', () => {
    finiteSvg(figure53Svg(net, [{ dataset: { ...dataset, X: Float64Array.of(-0.5, 0.5), T: Float64Array.of(-1e308, 1e308) }, params }]));
  });

  it('a NaN fit is named by its fit and x, not by svgPlot internals', () => {
    const nan = { ...params, w1: params.w1.map(() => NaN) };
    expect(() => figure53Svg(net, [{ dataset, params }, { dataset, params: nan }])).toThrow(OptionError);
    expect(() => figure53Svg(net, [{ dataset, params }, { dataset, params: nan }])).toThrow(
      /^figure53Svg: with fits\[1\]\.params, the network output y\(x\) is NaN at x = -1; a curve needs finite values/,
    );
  });
});
