// y = min(a, b);  ∂y/∂a = 1 where a < b, 0 where a > b, ½ at a tie;  every second partial is 0.
// NaN in either operand gives NaN (Math.min), and NaN partials.
import { defineBinary } from '../elementwise/binary.js';
import { larger } from './maximum.js';

/**
 * Smaller of two, elementwise with broadcasting; at a tie each operand gets half the derivative.
 * @function
 * @example
 * ```ts
 * minimum(tensor([0.5, 2]), 1).value;  // [0.5, 1]
 * ```
 */
export const minimum = defineBinary({
  name: 'minimum',
  f: Math.min,
  da: (o, a, b) => o.step2(b, a, larger),
  db: (o, a, b) => o.step2(a, b, larger),
  // Which operand wins (½ at a tie): another winner in a compiled replay is a branch change.
  branch: larger,
});
