// y = a + b;  ∂y/∂a = ∂y/∂b = 1;  every second partial is 0. Broadcasts like NumPy.
import { defineBinary } from '../elementwise/binary.js';

/** Sum, elementwise with broadcasting; either operand may be a number. @example `add(a, b)`, `a.add(1)` */
export const add = defineBinary({
  name: 'add',
  f: (a, b) => a + b,
  partials: (_a, _b, _y, P) => {
    P[0] = 1; P[1] = 1; P[2] = 0; P[3] = 0; P[4] = 0;
  },
});
