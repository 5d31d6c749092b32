/**
 * Errors of the training and plotting helpers. (Spec, shape and data errors are the reference's
 * `NetworkSpecError`, `NetworkShapeError` and `NetworkDataError`, re-exported from the package root.)
 *
 * Option problems are `@dualtape/core`'s `OptionError`, the one class every package's options check
 * throws: an unknown option (with the valid names and the nearest one), options that are not an
 * object, a value of the wrong type or range. The same class reports a bad argument of a helper that is
 * neither spec, parameters nor network data: a seed that is not an integer (`mulberry32`, `initParams`,
 * `figure53Data`), a point count out of range (`figure53Data`), a message label that is not a string
 * (`validateParams`, `toParamTree`, `checkDataEntries`), and panels, series or fits the plot writers cannot
 * draw (`svgPlot`, `figure53Svg`). Re-exported here so that
 * `import { OptionError } from '@dualtape/nn'` catches them.
 *
 * An argument past a function's last parameter (`train(net, params, X, T, options, extra)`, which
 * JavaScript would drop without a word) is `@dualtape/core`'s `ArgumentError`, the class core throws for
 * the same mistake, through core's `noExtraArguments`; re-exported here too. Left out on purpose:
 * `logisticSigmoid`, `softplus` and `activationFunctions`, which are natural callbacks of `map`
 * (`xs.map(softplus)`, `ACTIVATIONS.map(activationFunctions)`), which passes the index and the array
 * after the element.
 *
 * @example
 * ```ts
 * try { train(net, params, X, T, { maxIter: 50 } as never); }
 * catch (e) { if (e instanceof OptionError) console.log(e.problem?.suggestion); } // 'maxIterations'
 * ```
 * @module
 */
export { ArgumentError, OptionError } from '@dualtape/core';
