// y = min(a, b);  ∂y/∂a = 1 where a < b, 0 where a > b, ½ at a tie;  every second partial is 0.
import { defineBinary } from '../elementwise/binary.js';

/** Smaller of two, elementwise with broadcasting. @example `minimum(a, 1)` */
export const minimum = defineBinary({
  name: 'minimum',
  f: (a, b) => (a <= b ? a : b),
  partials: (a, b, _y, P) => {
    const wa = a < b ? 1 : a > b ? 0 : 0.5;
    P[0] = wa; P[1] = 1 - wa; P[2] = 0; P[3] = 0; P[4] = 0;
  },
});
