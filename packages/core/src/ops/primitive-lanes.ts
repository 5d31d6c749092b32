// Lane values through a Primitive: the rules of ops whose adjoint (or tangent) is an operation the
// algebra does not list (a scatter, a reversed cumulative sum) pass their lanes through these.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { promote } from '../elementwise/operands.js';
import { Scalar, type Node, type Tensor } from '../node.js';
import { sameShape, sizeOf, type Shape } from '../shape.js';
import { reshape } from './reshape.js';

/**
 * p applied to one lane value v of shape `from`. The number 0 stays a symbolic zero (nothing is
 * computed); any other number is a constant of any shape, written out first, so a primitive only
 * ever sees arrays (top level) or nodes (nested).
 */
export function through<P>(o: Algebra, p: Primitive<P>, v: Value, from: Shape, params: P): Value {
  if (v === 0) return 0;
  const full = typeof v === 'number' ? o.constant(new Float64Array(sizeOf(from)).fill(v), from) : v;
  return o.apply(p, [full], [from], params);
}

/** A nested lane's node as a tensor of `shape` (a 0-d tensor's lane may hold a scalar node). */
export function shaped(x: Node, shape: Shape): Tensor {
  const t = x instanceof Scalar ? promote(x) : x;
  return sameShape(t.shape, shape) ? t : reshape(t, shape);
}
