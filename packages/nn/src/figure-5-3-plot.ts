/**
 * The picture of PRML Figure 5.3: for each fitted data set, the data points, the network's fitted curve
 * (solid) and the outputs of the hidden units (dashed), one panel per data set on a 2×2 grid.
 *
 * @module
 */
import { OptionError, describeValue, noExtraArguments } from '@dualtape/core';
import type { CurveDataset } from './figure-5-3-data.js';
import { NetworkSpecError, type TwoLayerParams } from './reference/index.js';
import { svgPlot, type PlotPanel } from './svg.js';
import { checkNet, type TwoLayerNet } from './two-layer-net.js';
import { toParamTree } from './validate.js';

/**
 * A data set and the parameters fitted to it.
 *
 * @example
 * ```ts
 * const fit: CurveFit = { dataset: figure53Data()[0], params: train(net, net.init(1), X, T).params };
 * ```
 */
export interface CurveFit {
  dataset: CurveDataset;
  params: TwoLayerParams;
}

/**
 * SVG of Figure 5.3 for a 1-H-1 network: points, fitted curve on a 201-point grid over [−1, 1], and the H
 * hidden-unit outputs dashed. The y range is that of the data, padded, so that a hidden unit or a fit that
 * leaves it is clipped rather than squashing the data into a line.
 *
 * @throws {NetworkSpecError} when `net` is not a {@link TwoLayerNet} with one input and one output.
 * @throws {NetworkShapeError} when a fit's params do not fit the net (named `fits[i].params`).
 * @throws {OptionError} when `fits` is not a non-empty array of `{ dataset, params }`, a dataset has no
 *   name, X and T of different lengths, no points or a value that is not a finite number, or `title` is
 *   not a string; when a fit's params give a curve (the output or a hidden unit) that is not finite,
 *   naming `fits[i].params` and the x where it first fails.
 * @example
 * ```ts
 * writeFileSync('fig-5-3.svg', figure53Svg(net, fits));
 * ```
 */
export function figure53Svg(net: TwoLayerNet, fits: readonly CurveFit[], title = 'PRML Figure 5.3'): string {
  noExtraArguments('figure53Svg', arguments, 3, 'figure53Svg(net, fits, title)');
  checkNet('figure53Svg', net, ['predict', 'hiddenOutputs']);
  if (net.spec.inputs !== 1 || net.spec.outputs !== 1) {
    throw new NetworkSpecError(
      `figure53Svg draws curves y(x) of a 1-H-1 network, but net has D = ${net.spec.inputs} inputs and K = ${net.spec.outputs} outputs`,
    );
  }
  if (typeof title !== 'string') throw new OptionError(`figure53Svg: title must be a string, got ${describeValue(title)}`);
  checkFits(net, fits);
  const grid = Float64Array.from({ length: 201 }, (_, i) => -1 + i / 100);
  const H = net.spec.hidden;
  const panels: PlotPanel[] = fits.map(({ dataset, params }, i) => {
    const y = net.predict(params, grid);
    const Z = net.hiddenOutputs(params, grid);
    // Named here, not as svgPlot's "panels[0].series[3].y[0] is NaN", which the caller never wrote.
    checkCurve(`fits[${i}].params`, 'the network output y(x)', y, grid, 1);
    checkCurve(`fits[${i}].params`, 'a hidden unit z_j(x)', Z, grid, H);
    const hidden = Array.from({ length: H }, (_, j) => ({
      x: grid,
      y: grid.map((_, n) => Z[n * H + j]),
      style: 'dashed' as const,
    }));
    // A loop, not Math.min(...T): spreading a long array overflows the call stack.
    let lo = Infinity;
    let hi = -Infinity;
    for (let n = 0; n < dataset.T.length; n++) {
      lo = Math.min(lo, dataset.T[n]);
      hi = Math.max(hi, dataset.T[n]);
    }
    // From each end, and held to finite numbers: targets from −1e308 to 1e308 made hi − lo, and so
    // the range, ±∞.
    const pad = Math.max(0.15 * hi - 0.15 * lo, 0.075);
    lo = Math.max(lo - pad, -Number.MAX_VALUE);
    hi = Math.min(hi + pad, Number.MAX_VALUE);
    return {
      title: `f(x) = ${dataset.name}`,
      xRange: [-1.05, 1.05] as const,
      yRange: [Math.min(lo, -1.05), Math.max(hi, 1.05)] as const, // room for tanh units in [−1, 1]
      series: [...hidden, { x: dataset.X, y: dataset.T, style: 'points' as const }, { x: grid, y, style: 'line' as const }],
    };
  });
  return svgPlot(panels, { columns: 2, title });
}

/** Throws {@link OptionError} at the first non-finite value of a curve (`width` values per grid point). */
function checkCurve(at: string, what: string, values: Float64Array, grid: Float64Array, width: number): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      throw new OptionError(
        `figure53Svg: with ${at}, ${what} is ${values[k]} at x = ${grid[Math.floor(k / width)]}; a curve needs finite values (check the parameters for NaN or huge entries)`,
      );
    }
  }
}

function checkFits(net: TwoLayerNet, fits: unknown): asserts fits is readonly CurveFit[] {
  if (!Array.isArray(fits) || fits.length === 0) {
    throw new OptionError(`figure53Svg: fits must be a non-empty array of { dataset, params }, got ${describeValue(fits)}`);
  }
  for (let i = 0; i < fits.length; i++) {
    const fit: unknown = fits[i];
    const at = `fits[${i}]`;
    if (typeof fit !== 'object' || fit === null) {
      throw new OptionError(`figure53Svg: ${at} must be an object { dataset, params }, got ${describeValue(fit)}`);
    }
    const { dataset, params } = fit as Record<string, unknown>;
    if (typeof dataset !== 'object' || dataset === null) {
      throw new OptionError(`figure53Svg: ${at}.dataset must be a CurveDataset { name, X, T } (see figure53Data), got ${describeValue(dataset)}`);
    }
    const { name, X, T } = dataset as Record<string, unknown>;
    if (typeof name !== 'string') throw new OptionError(`figure53Svg: ${at}.dataset.name must be a string, got ${describeValue(name)}`);
    const lengths = (['X', 'T'] as const).map((key) => {
      const v = key === 'X' ? X : T;
      if (!(v instanceof Float64Array) && !Array.isArray(v)) {
        throw new OptionError(`figure53Svg: ${at}.dataset.${key} must be a Float64Array or number[], got ${describeValue(v)}`);
      }
      for (let n = 0; n < v.length; n++) {
        const x: unknown = v[n];
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          throw new OptionError(`figure53Svg: ${at}.dataset.${key}[${n}] is ${describeValue(x)}; every point must be a finite number`);
        }
      }
      return v.length;
    });
    if (lengths[1] === 0 || lengths[0] !== lengths[1]) {
      throw new OptionError(
        `figure53Svg: ${at}.dataset has ${lengths[0]} inputs X and ${lengths[1]} targets T; it needs one target per input and at least one point`,
      );
    }
    toParamTree(net.spec, params, `${at}.params`);
  }
}
