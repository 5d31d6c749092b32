/**
 * The picture of PRML Figure 5.3: for each fitted data set, the data points, the network's fitted curve
 * (solid) and the outputs of the hidden units (dashed), one panel per data set on a 2×2 grid.
 *
 * @module
 */
import type { CurveDataset } from './figure-5-3-data.js';
import type { TwoLayerParams } from './reference/index.js';
import { svgPlot, type PlotPanel } from './svg.js';
import type { TwoLayerNet } from './two-layer-net.js';

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
 * @example
 * ```ts
 * writeFileSync('fig-5-3.svg', figure53Svg(net, fits));
 * ```
 */
export function figure53Svg(net: TwoLayerNet, fits: readonly CurveFit[], title = 'PRML Figure 5.3'): string {
  const grid = Float64Array.from({ length: 201 }, (_, i) => -1 + i / 100);
  const H = net.spec.hidden;
  const panels: PlotPanel[] = fits.map(({ dataset, params }) => {
    const y = net.predict(params, grid);
    const Z = net.hiddenOutputs(params, grid);
    const hidden = Array.from({ length: H }, (_, j) => ({
      x: grid,
      y: grid.map((_, n) => Z[n * H + j]),
      style: 'dashed' as const,
    }));
    let lo = Math.min(...dataset.T);
    let hi = Math.max(...dataset.T);
    const pad = 0.15 * Math.max(hi - lo, 0.5);
    lo -= pad;
    hi += pad;
    return {
      title: `f(x) = ${dataset.name}`,
      xRange: [-1.05, 1.05] as const,
      yRange: [Math.min(lo, -1.05), Math.max(hi, 1.05)] as const, // room for tanh units in [−1, 1]
      series: [...hidden, { x: dataset.X, y: dataset.T, style: 'points' as const }, { x: grid, y, style: 'line' as const }],
    };
  });
  return svgPlot(panels, { columns: 2, title });
}
