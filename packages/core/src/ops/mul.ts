// y = a·b;  ∂y/∂a = b, ∂y/∂b = a;  ∂²y/∂a∂b = 1, the others 0.
import { defineBinary } from '../elementwise/binary.js';

/** Product, elementwise with broadcasting. @example `mul(a, b)`, `a.mul(2)` */
export const mul = defineBinary({
  name: 'mul',
  f: (a, b) => a * b,
  partials: (a, b, _y, P) => {
    P[0] = b; P[1] = a; P[2] = 0; P[3] = 1; P[4] = 0;
  },
});
