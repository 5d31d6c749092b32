// u³ as a defineOp with rules on numbers that report each call: the tests that a sweep visits (or
// skips) a node count its tangent and backward calls.
import { defineOp } from '../src/index.js';

/** u ↦ u³, calling `count('tangent')` or `count('backward')` each time a rule runs. */
export function countingCube(name: string, count: (rule: 'tangent' | 'backward') => void) {
  return defineOp({
    name,
    primal: (u: number) => u * u * u,
    tangent: ([u], [d]) => {
      count('tangent');
      return 3 * u * u * d;
    },
    backward: ([u], _y, g) => {
      count('backward');
      return [{ value: 3 * u.value * u.value * g.value, tangent: 3 * u.value * u.value * g.tangent + 6 * u.value * u.tangent * g.value }];
    },
  });
}
