// y = a/b;  ∂y/∂a = 1/b, ∂y/∂b = −y/b;  ∂²y/∂a² = 0, ∂²y/∂a∂b = −1/b², ∂²y/∂b² = 2y/b².
import { defineBinary } from '../elementwise/binary.js';

/** Quotient, elementwise with broadcasting. @example `div(a, b)`, `a.div(2)` */
export const div = defineBinary({
  name: 'div',
  f: (a, b) => a / b,
  partials: (_a, b, y, P) => {
    const inv = 1 / b;
    P[0] = inv; P[1] = -y * inv; P[2] = 0; P[3] = -inv * inv; P[4] = 2 * y * inv * inv;
  },
});
