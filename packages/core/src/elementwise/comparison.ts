/**
 * Comparisons as ops: y = 1 where the test holds, 0 where it does not, elementwise with NumPy
 * broadcasting. y is piecewise constant in both operands, so both partials are 0 everywhere (at the
 * jumps too, as floor's), and a NaN operand gives 0 (every test is false on NaN, as in NumPy and
 * JAX) except for notEqual, which gives 1. The result is a mask for `where`, or a factor: a
 * compiled replay whose mask comes out different is a branch change.
 * @module
 */
import { defineBinary, type BinaryOp } from './binary.js';

/** A comparison op: `test(a, b)` is 1 or 0 on numbers. */
export function defineComparison(name: string, test: (a: number, b: number) => number): BinaryOp {
  return defineBinary({
    name,
    f: test,
    da: () => 0,
    db: () => 0,
    // Which side of the comparison (a, b) is on: another side in a compiled replay is a branch change.
    branch: test,
  });
}
