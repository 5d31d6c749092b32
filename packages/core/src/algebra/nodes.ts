/**
 * The algebra of nested sweeps: every value is a node of the enclosing tape (or a plain number, a
 * constant), and every method is an op, so a nested transform's tangent and reverse sweeps are
 * recorded on that tape like any other computation and the enclosing transform differentiates
 * through them. Numbers are folded on the spot: 0 is a symbolic zero, so `mul(0, x)` records nothing.
 * @module
 */
import { promote as promoteScalar } from '../elementwise/operands.js';
import { Scalar, Tensor, constantTensor, type Node } from '../node.js';
import { at } from '../ops/at.js';
import { add as addOp } from '../ops/add.js';
import { broadcastTo as broadcastOp } from '../ops/broadcast-to.js';
import { concat as concatOp } from '../ops/concat.js';
import { div as divOp } from '../ops/div.js';
import { matmulOp } from '../ops/matmul.js';
import { neg as negOp } from '../ops/neg.js';
import { reshape as reshapeOp } from '../ops/reshape.js';
import { slice as sliceOp } from '../ops/slice.js';
import { sub as subOp } from '../ops/sub.js';
import { sum } from '../ops/sum.js';
import { transpose as transposeOp } from '../ops/transpose.js';
import { times } from '../ops/mul.js';
import { where } from '../ops/where.js';
import { sameShape, sizeOf, type Shape } from '../shape.js';
import type { Tape } from '../tape.js';
import { addedProducts, separateSums, type Algebra, type Elementwise, type Elementwise2, type Primitive, type ProductTerm, type Value } from './algebra.js';

type V = Node | number;

export class NodeAlgebra implements Algebra {
  readonly kind = 'nodes' as const;

  /** The tape the nested sweep records on. */
  constructor(readonly tape: Tape) {}

  add(a: Value, b: Value): V {
    if (a === 0) return b as V;
    if (b === 0) return a as V;
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    return addOp(a as V, b as V);
  }

  sub(a: Value, b: Value): V {
    if (b === 0) return a as V;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (a === 0) return this.neg(b);
    return subOp(a as V, b as V);
  }

  mul(a: Value, b: Value): V {
    if (a === 0 || b === 0) return 0;
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    if (a === 1) return b as V;
    if (b === 1) return a as V;
    return times(a as V, b as V);
  }

  div(a: Value, b: Value): V {
    if (typeof a === 'number' && typeof b === 'number') return a / b;
    if (b === 1) return a as V;
    return divOp(a as V, b as V);
  }

  neg(a: Value): V {
    if (typeof a === 'number') return -a;
    return negOp(a as Node);
  }

  map(op: Elementwise, x: Value, p = 0): V {
    if (typeof x === 'number') return op.math.f(x, p);
    // An op without a parameter refuses a second argument, and p is 0 for it.
    return p === 0 ? op(x as Node) : op(x as Node, p);
  }

  map2(op: Elementwise2, a: Value, b: Value): V {
    if (typeof a === 'number' && typeof b === 'number') return op.math.f(a, b);
    return op(a as V, b as V);
  }

  numbers(x: Value): number | Float64Array {
    if (typeof x === 'number') return x;
    return x instanceof Scalar ? x.value : (x as Tensor).data;
  }

  step(x: Value, fn: (v: number) => number): V {
    if (typeof x === 'number') return fn(x);
    if (x instanceof Scalar) return fn(x.value);
    const t = x as Tensor;
    const out = new Float64Array(t.size);
    for (let k = 0; k < out.length; k++) out[k] = fn(t.data[k]);
    return constantTensor(this.tape, out, t.shape);
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): V {
    const an = this.numbers(a), bn = this.numbers(b);
    if (typeof an === 'number' && typeof bn === 'number') return fn(an, bn);
    const shape = (a instanceof Tensor ? a : (b as Tensor)).shape;
    const out = new Float64Array(sizeOf(shape));
    for (let k = 0; k < out.length; k++) out[k] = fn(typeof an === 'number' ? an : an[k], typeof bn === 'number' ? bn : bn[k]);
    return constantTensor(this.tape, out, shape);
  }

  constant(data: Float64Array, shape: Shape): V {
    return constantTensor(this.tape, data, shape);
  }

  broadcastTo(x: Value, from: Shape, to: Shape): V {
    if (typeof x === 'number') return x;
    return broadcastOp(this.tensor(x as Node, from), to);
  }

  sumTo(x: Value, from: Shape, to: Shape): V {
    if (typeof x === 'number') return x === 0 ? 0 : x * (sizeOf(from) / sizeOf(to));
    const xt = this.tensor(x as Node, from);
    if (sameShape(from, to)) return xt;
    // Leading axes that broadcasting added, then axes where `to` has 1 and `from` does not.
    const offset = from.length - to.length;
    const axes: number[] = [];
    for (let k = 0; k < from.length; k++) {
      if (k < offset || (to[k - offset] === 1 && from[k] !== 1)) axes.push(k);
    }
    const summed = axes.length === 0 ? xt : sum(xt, axes, true);
    return reshapeOp(summed, to);
  }

  reshape(x: Value, _from: Shape, to: Shape): V {
    if (typeof x === 'number') return x;
    if (x instanceof Scalar) return reshapeOp(promoteScalar(x), to);
    const t = x as Tensor;
    return sameShape(t.shape, to) ? t : reshapeOp(t, to);
  }

  transpose(x: Value, shape: Shape, perm: readonly number[]): V {
    if (typeof x === 'number') return x;
    return transposeOp(this.tensor(x as Node, shape), perm);
  }

  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): V {
    if (a === 0 || b === 0) return 0;
    return matmulOp(this.tensor(this.full(a, aShape), aShape), this.tensor(this.full(b, bShape), bShape), ta, tb, true);
  }

  matmulSum(terms: readonly ProductTerm[]): V {
    return addedProducts(this, terms) as V;
  }

  matmulSums(sums: readonly (readonly ProductTerm[])[]): V[] {
    return separateSums(this, sums) as V[];
  }

  slice(x: Value, shape: Shape, start: number, end: number, axis: number): V {
    if (typeof x === 'number') return x;
    return sliceOp(this.tensor(x as Node, shape), start, end, axis);
  }

  pad(x: Value, shape: Shape, start: number, n: number, axis: number): V {
    if (x === 0) return 0;
    const xt = this.tensor(this.full(x, shape), shape);
    const zeros = (len: number) => {
      const zshape = shape.map((d, k) => (k === axis ? len : d));
      return constantTensor(this.tape, new Float64Array(sizeOf(zshape)), zshape);
    };
    const after = n - start - shape[axis];
    const parts = [...(start > 0 ? [zeros(start)] : []), xt, ...(after > 0 ? [zeros(after)] : [])];
    return parts.length === 1 ? xt : concatOp(parts, axis);
  }

  concat(parts: readonly Value[], shapes: readonly Shape[], axis: number): V {
    return concatOp(parts.map((p, j) => this.tensor(this.full(p, shapes[j]), shapes[j])), axis);
  }

  at(x: Value, shape: Shape, k: number): V {
    if (typeof x === 'number') return x;
    return at(this.tensor(x as Node, shape), k);
  }

  oneHot(x: Value, shape: Shape, k: number): V {
    if (x === 0) return 0;
    const mask = new Float64Array(sizeOf(shape));
    mask[k] = 1;
    return this.mul(constantTensor(this.tape, mask, shape), typeof x === 'number' ? x : this.promote(x));
  }

  select(pick: Uint8Array, a: Value, b: Value, shape: Shape): V {
    if (a === 0 && b === 0) return 0;
    const mask = constantTensor(this.tape, Float64Array.from(pick), shape);
    // where() needs a node among its operands; two numbers select into a constant.
    return where(mask, this.full(a, shape) as V, b as V);
  }

  promote(x: Value): V {
    return x instanceof Scalar ? promoteScalar(x) : (x as V);
  }

  demote(x: Value): V {
    return x instanceof Tensor ? at(x, 0) : (x as V);
  }

  apply<P>(p: Primitive<P>, args: readonly Value[], shapes: readonly Shape[], params: P): V {
    return p.nodes(args as readonly V[], shapes, params, this);
  }

  /** x as a tensor of `shape` (a scalar node promoted, then reshaped). */
  private tensor(x: Node, shape: Shape): Tensor {
    const t = x instanceof Scalar ? promoteScalar(x) : x;
    return sameShape(t.shape, shape) ? t : reshapeOp(t, shape);
  }

  /** A number as a constant tensor of `shape`; nodes as they are. */
  private full(x: Value, shape: Shape): Node {
    if (typeof x !== 'number') return x as Node;
    return constantTensor(this.tape, new Float64Array(sizeOf(shape)).fill(x), shape);
  }
}
