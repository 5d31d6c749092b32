// y = x for x > 0, s·x for x ≤ 0;  dy/dx = 1 for x > 0, s for x ≤ 0 (s at the kink, the left
// derivative, as relu's 0 and PyTorch's leaky_relu);  d²y/dx² = 0. NaN in, NaN out.
import { defineParametricUnary } from '../elementwise/unary.js';
import { ArgumentError } from '../errors.js';
import { describeValue, type Node, type Scalar, type Tensor } from '../node.js';
import { noExtraArguments } from './op-args.js';

const leakyReluOp = defineParametricUnary({
  name: 'leakyRelu',
  parameter: 'slope',
  // slope 0 is relu: −∞·0 would be NaN.
  f: (x, slope) => (x > 0 || x !== x ? x : slope === 0 ? 0 : slope * x),
  df: (o, x, _y, slope) => o.step(x, (v) => (v > 0 ? 1 : v !== v ? NaN : slope)),
  d2f: () => 0,
  branch: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
});

/**
 * Leaky rectified linear unit, elementwise: x for x > 0, slope·x otherwise. `slope` is a finite
 * number (default 0.01); the derivative at 0 is the slope (the left one).
 *
 * @example
 * ```ts
 * grad((x: Tensor) => leakyRelu(x, 0.1).sum())([-2, 3]); // [0.1, 1]
 * ```
 */
export function leakyRelu(x: Scalar, slope?: number): Scalar;
export function leakyRelu(x: Tensor, slope?: number): Tensor;
export function leakyRelu(x: Node, slope?: number): Node;
export function leakyRelu(x: Node, slope = 0.01): Node {
  if (arguments.length > 2) noExtraArguments('leakyRelu', arguments, 2, 'leakyRelu(x, slope)');
  if (typeof slope !== 'number' || !Number.isFinite(slope)) {
    const shown = typeof slope === 'number' ? slope : describeValue(slope);
    throw new ArgumentError(`leakyRelu: slope must be a finite number, got ${shown}`);
  }
  return leakyReluOp(x, slope);
}
