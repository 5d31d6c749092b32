// y = x as a constant: the value passes, no derivative does, at any order of nesting (JAX's
// lax.stop_gradient, PyTorch's detach). It is the internal detached op with the identity: the node
// holds plain numbers, so neither this tape nor an enclosing one sees a path back to x, and a
// compiled replay takes x's new value (a constant made with tensor(x.data) would freeze the old one).
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, describeValue, type Node } from '../node.js';
import { checkLive } from '../tape.js';
import { detached } from './detached.js';
import { noExtraArguments } from './op-args.js';

/** A copy: the node owns its numbers, as every other node's value is its own array. */
const copied = (v: number | Float64Array) => (typeof v === 'number' ? v : v.slice());

/**
 * x's value as a constant: every derivative through it is 0, in every transform, nested ones
 * included (JAX's `lax.stop_gradient`, PyTorch's `detach`). For a quantity that f should treat as
 * fixed although it is computed from the parameters: a target, a baseline, a moving statistic, the
 * straight-through estimator. A compiled program recomputes it at each new point.
 *
 * @example
 * ```ts
 * grad((x: Scalar) => x.mul(stopGradient(x)))(3);        // 3: d/dx (x·c) with c = 3 held fixed
 * grad((x: Scalar) => x.add(stopGradient(x.round().sub(x))))(2.7); // 1: straight-through round
 * ```
 */
export function stopGradient<T extends Node>(x: T): T;
export function stopGradient(x: Node): Node {
  if (arguments.length > 1) noExtraArguments('stopGradient', arguments, 1, 'stopGradient(x)');
  // Checked here so that a node of a finished call is named as stopGradient's, not the internal op's.
  if (x instanceof Scalar || x instanceof Tensor) checkLive(x.tape, 'stopGradient');
  if (x instanceof Scalar) return detached(x, copied, null);
  if (x instanceof Tensor) return detached(x, copied, x.shape);
  throw new ArgumentError(
    `stopGradient: expected a node, got ${describeValue(x)}; a number or an array is already a constant, use it as it is`,
  );
}
