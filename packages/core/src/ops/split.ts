// [y₁, y₂, …] = x cut into consecutive pieces along an axis (NumPy's split). Each piece is a slice,
// so its rules are slice's: R{yᵢ} is the same slice of R{x}, and x̄ gathers each ȳᵢ back into its
// place (zeros where a piece is not used), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { integerArg, integerList, shown, tensorArg, noExtraArguments } from './op-args.js';
import { slice } from './slice.js';

/**
 * Cuts x along `axis` (default 0) into pieces, as NumPy's `split`: a number k gives k pieces of equal
 * length (the axis length must divide by k); a list of indices gives the cut points — `[2, 5]` gives
 * `x[:2]`, `x[2:5]`, `x[5:]` along the axis. Cut points may be negative (counting from the end) and
 * must not decrease; equal ones give an empty piece.
 *
 * @example
 * ```ts
 * const [a, b] = split(x, 2);         // halves
 * const [head, body, tail] = x.split([1, -1]);
 * ```
 */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  if (arguments.length > 3) noExtraArguments('split', arguments, 3, 'split(x, sections, axis)');
  const xt = tensorArg(x, 'split');
  const a = normalizeAxis(axis, xt.shape, 'split');
  const n = xt.shape[a];
  let cuts: number[];
  if (typeof sections === 'number') {
    const k = integerArg(sections, 'the number of sections', 'split', 1);
    if (n % k !== 0) {
      throw new ArgumentError(`split: axis ${a} of shape ${formatShape(xt.shape)} (length ${n}) does not divide into ${k} equal sections`);
    }
    cuts = Array.from({ length: k - 1 }, (_, j) => ((j + 1) * n) / k);
  } else {
    cuts = integerList(sections, 'each cut point', 'split').map((c) => (c < 0 ? c + n : c));
    cuts.forEach((c, j) => {
      if (c < 0 || c > n || (j > 0 && c < cuts[j - 1])) {
        throw new ArgumentError(
          `split: cut points ${shown(sections)} must lie in [${-n}, ${n}] and not decrease, for axis ${a} of shape ${formatShape(xt.shape)}`,
        );
      }
    });
  }
  const bounds = [0, ...cuts, n];
  return bounds.slice(1).map((end, j) => slice(xt, bounds[j], end, a));
}
