// y = max(a, b);  ∂y/∂a = 1 where a > b, 0 where a < b, ½ at a tie (as JAX: the subgradient
// shared evenly, so max(x, x) has derivative 1);  every second partial is 0. NaN in either operand
// gives NaN (Math.max), and NaN partials.
import { defineBinary } from '../elementwise/binary.js';

/** Share of ∂y/∂a in max(a, b): 1, 0, ½ at a tie, NaN if either is NaN. */
export const larger = (a: number, b: number): number => (a > b ? 1 : a < b ? 0 : a === b ? 0.5 : NaN);

/**
 * Larger of two, elementwise with broadcasting; at a tie each operand gets half the derivative.
 * @function
 * @example
 * ```ts
 * maximum(tensor([-1, 2]), 0).value;   // [0, 2]
 * grad((x: Scalar) => maximum(x, 0))(0); // 0.5: the tie
 * ```
 */
export const maximum = defineBinary({
  name: 'maximum',
  f: Math.max,
  da: (o, a, b) => o.step2(a, b, larger),
  db: (o, a, b) => o.step2(b, a, larger),
  // Which operand wins (½ at a tie): another winner in a compiled replay is a branch change.
  branch: larger,
});
