// y = max(a, b);  ∂y/∂a = 1 where a > b, 0 where a < b, ½ at a tie (as JAX: the subgradient
// shared evenly, so max(x, x) has derivative 1);  every second partial is 0.
import { defineBinary } from '../elementwise/binary.js';

/** Larger of two, elementwise with broadcasting. @example `maximum(a, 0)` */
export const maximum = defineBinary({
  name: 'maximum',
  f: (a, b) => (a >= b ? a : b),
  partials: (a, b, _y, P) => {
    const wa = a > b ? 1 : a < b ? 0 : 0.5;
    P[0] = wa; P[1] = 1 - wa; P[2] = 0; P[3] = 0; P[4] = 0;
  },
});
