// y = x shifted cyclically along some axes: yⱼ = x_{(j − shift) mod n} (NumPy's roll; without an
// axis, of x flattened, then given x's shape back). A permutation of the elements, so linear:
// R{y} = roll(R{x}); x̄ += roll(ȳ, −shift), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { axisMap, gather, indexArray } from './index-map.js';
import { integerList, tensorArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';

/**
 * Rolls elements along `axis` by `shift` places: an element pushed off the end comes back at the
 * start (negative shifts roll the other way). `shift` and `axis` may be lists of the same length
 * (a single shift applies to every listed axis; an axis listed twice rolls by the sum). Without
 * `axis`, rolls x flattened and keeps its shape (NumPy's `roll`).
 *
 * @example
 * ```ts
 * roll(x, 1);             // [3, 1, 2] for x = [1, 2, 3]
 * m.roll([1, -1], [0, 1]); // rows down by one, columns left by one
 * ```
 */
export function roll(x: Tensor, shift: number | readonly number[], axis?: number | readonly number[]): Tensor {
  if (arguments.length > 3) noExtraArguments('roll', arguments, 3, 'roll(x, shift, axis)', 'shifts along several axes are arrays: roll(x, [1, 2], [0, 1])');
  const xt = tensorArg(x, 'roll');
  const shifts = integerList(shift, 'shift', 'roll');
  if (axis === undefined) {
    if (shifts.length !== 1) throw new ArgumentError(`roll: ${shifts.length} shifts need as many axes; without an axis, give one shift`);
    return reshape(rolled(reshape(xt, [xt.size]), [shifts[0]]), xt.shape);
  }
  const axes = integerList(axis, 'axis', 'roll').map((a) => normalizeAxis(a, xt.shape, 'roll'));
  if (shifts.length !== 1 && shifts.length !== axes.length) {
    throw new ArgumentError(`roll: ${shifts.length} shifts for ${axes.length} axes; give one shift per axis, or a single shift`);
  }
  const total = xt.shape.map(() => 0);
  axes.forEach((a, k) => (total[a] += shifts.length === 1 ? shifts[0] : shifts[k]));
  return rolled(xt, total);
}

function rolled(x: Tensor, shifts: readonly number[]): Tensor {
  const reads = x.shape.map((n, a) => {
    const s = n === 0 ? 0 : ((shifts[a] % n) + n) % n;
    return s === 0 ? null : indexArray(n, (j) => (j - s + n) % n);
  });
  // A permutation: each element read once, so its adjoint adds straight into x̄ (index-map.ts).
  return reads.every((r) => r === null) ? x : gather(x, { ...axisMap(x.shape, reads), distinct: true });
}
