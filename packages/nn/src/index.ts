/**
 * `@dualtape/nn`: the two-layer network of PRML §5.4.6 built from `@dualtape/core` ops, so the engine
 * supplies E, ∇E, exact H·v, the Hessian and Gauss-Newton products; Newton-CG training through
 * `@dualtape/curvature`; a small SVG plot writer for Figure 5.3; and the hand-derived R-propagation
 * reference (plain loops) that all of it is tested against.
 *
 * @example
 * ```ts
 * import { twoLayerNet, train, rPropagation } from '@dualtape/nn';
 * const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
 * const { params } = train(net, net.init(1), X, T, { method: 'newton-cg' });
 * const { hvp } = net.gradAndHvp(params, X, T, v); // equals rPropagation(net.spec, params, X, T, v).hvp
 * ```
 * @packageDocumentation
 */
export * from './reference/index.js';
export { twoLayerNet } from './two-layer-net.js';
export type { TwoLayerNet } from './two-layer-net.js';
export { activate, outputPreActivations, canonicalError } from './network-graph.js';
export { hiddenOutputs } from './hidden-units.js';
export { toParamTree, checkData, checkInputs } from './validate.js';
export type { ParamTree } from './validate.js';
export { train } from './train.js';
export type { TrainOptions, TrainProgress, TrainResult } from './train.js';
export { ArgumentError, OptionError } from './errors.js';
export { svgPlot } from './svg.js';
export type { PlotSeries, PlotPanel, PlotOptions } from './svg.js';
export { FIGURE_5_3_FUNCTIONS, figure53Data } from './figure-5-3-data.js';
export type { CurveDataset } from './figure-5-3-data.js';
export { figure53Svg } from './figure-5-3-plot.js';
export type { CurveFit } from './figure-5-3-plot.js';
