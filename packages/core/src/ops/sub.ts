// y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1;  every second partial is 0.
import { defineBinary } from '../elementwise/binary.js';

/** Difference, elementwise with broadcasting. @example `sub(a, b)`, `a.sub(1)` */
export const sub = defineBinary({
  name: 'sub',
  f: (a, b) => a - b,
  partials: (_a, _b, _y, P) => {
    P[0] = 1; P[1] = -1; P[2] = 0; P[3] = 0; P[4] = 0;
  },
});
