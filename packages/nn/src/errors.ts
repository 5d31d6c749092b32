/**
 * Errors of the training and plotting helpers. (Spec, shape and data errors are the reference's
 * `NetworkSpecError`, `NetworkShapeError` and `NetworkDataError`, re-exported from the package root.)
 *
 * @module
 */

/**
 * An option outside what {@link train} or the SVG writer accepts: an unknown method, a negative
 * tolerance, a non-positive learning rate, an empty panel list.
 *
 * @example
 * ```ts
 * try { train(net, params, X, T, { method: 'adam' as never }); }
 * catch (e) { if (e instanceof OptionError) console.log(e.message); }
 * ```
 */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}
