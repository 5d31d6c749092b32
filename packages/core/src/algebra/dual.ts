/**
 * Dual numbers over any algebra: a value and its tangent, both values of the base algebra `o`
 * (numbers at top level, nodes when nested). Evaluating a derivative expression written for `o` in
 * this algebra gives the derivative and its own tangent R{·} at once — how `defineOp` gets the
 * second-order term of a user's partials without asking for second derivatives.
 *
 * Only the elementwise part of the algebra is defined: user ops are elementwise.
 * @module
 */
import { ArgumentError, NodeConversionError } from '../errors.js';
import type { Algebra, Elementwise, Elementwise2, Value } from './algebra.js';

/** A value of the base algebra with its tangent. @internal */
export class DualValue {
  constructor(readonly value: Value, readonly tangent: Value) {}

  /** A partial computed with JS arithmetic or Math.* would silently lose its tangent: refuse. */
  [Symbol.toPrimitive](): never {
    throw new NodeConversionError(
      'a user op\'s partials computed with JS arithmetic or Math.* on their inputs; compute only through the algebra o ' +
        '(o.mul, o.add, o.div, o.map(tanh, x), …) so that the op is exact at second order and nests',
    );
  }
}

type D = DualValue;

export class DualAlgebra implements Algebra {
  get kind(): 'numbers' | 'nodes' {
    return this.o.kind;
  }

  constructor(private readonly o: Algebra) {}

  /** A value of the base algebra, or a plain number, as a dual (a constant has tangent 0). */
  lift(x: Value | D): D {
    return x instanceof DualValue ? x : new DualValue(x, 0);
  }

  add(a: Value, b: Value): D {
    const x = this.lift(a), y = this.lift(b);
    return new DualValue(this.o.add(x.value, y.value), this.o.add(x.tangent, y.tangent));
  }

  sub(a: Value, b: Value): D {
    const x = this.lift(a), y = this.lift(b);
    return new DualValue(this.o.sub(x.value, y.value), this.o.sub(x.tangent, y.tangent));
  }

  mul(a: Value, b: Value): D {
    const { o } = this;
    const x = this.lift(a), y = this.lift(b);
    return new DualValue(o.mul(x.value, y.value), o.add(o.mul(x.tangent, y.value), o.mul(x.value, y.tangent)));
  }

  div(a: Value, b: Value): D {
    const { o } = this;
    const x = this.lift(a), y = this.lift(b);
    const q = o.div(x.value, y.value);
    return new DualValue(q, o.div(o.sub(x.tangent, o.mul(q, y.tangent)), y.value));
  }

  neg(a: Value): D {
    const x = this.lift(a);
    return new DualValue(this.o.neg(x.value), this.o.neg(x.tangent));
  }

  map(op: Elementwise, a: Value, p = 0): D {
    const { o } = this;
    const x = this.lift(a);
    const y = o.map(op, x.value, p);
    const math = op.math as unknown as { df?: (o: Algebra, x: Value, y: Value, p: number) => Value };
    if (!math.df) throw new ArgumentError(`${op.math.name}: has no derivative rule to carry a tangent through`);
    return new DualValue(y, x.tangent === 0 ? 0 : o.mul(x.tangent, math.df(o, x.value, y, p)));
  }

  map2(op: Elementwise2, a: Value, b: Value): D {
    const { o } = this;
    const x = this.lift(a), z = this.lift(b);
    const y = o.map2(op, x.value, z.value);
    const math = op.math as unknown as {
      da: (o: Algebra, a: Value, b: Value, y: Value) => Value;
      db: (o: Algebra, a: Value, b: Value, y: Value) => Value;
    };
    const ta = x.tangent === 0 ? 0 : o.mul(x.tangent, math.da(o, x.value, z.value, y));
    const tb = z.tangent === 0 ? 0 : o.mul(z.tangent, math.db(o, x.value, z.value, y));
    return new DualValue(y, o.add(ta, tb));
  }

  numbers(x: Value): number | Float64Array {
    return this.o.numbers(this.lift(x).value);
  }

  step(x: Value, fn: (v: number) => number): D {
    return new DualValue(this.o.step(this.lift(x).value, fn), 0);
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): D {
    return new DualValue(this.o.step2(this.lift(a).value, this.lift(b).value, fn), 0);
  }

  constant(): never { return notElementwise('constant'); }
  broadcastTo(): never { return notElementwise('broadcastTo'); }
  sumTo(): never { return notElementwise('sumTo'); }
  reshape(): never { return notElementwise('reshape'); }
  transpose(): never { return notElementwise('transpose'); }
  matmul(): never { return notElementwise('matmul'); }
  matmulSum(): never { return notElementwise('matmulSum'); }
  matmulSums(): never { return notElementwise('matmulSums'); }
  slice(): never { return notElementwise('slice'); }
  pad(): never { return notElementwise('pad'); }
  concat(): never { return notElementwise('concat'); }
  at(): never { return notElementwise('at'); }
  oneHot(): never { return notElementwise('oneHot'); }
  select(): never { return notElementwise('select'); }
  promote(): never { return notElementwise('promote'); }
  demote(): never { return notElementwise('demote'); }
  apply(): never { return notElementwise('apply'); }
}

function notElementwise(method: string): never {
  throw new ArgumentError(`defineOp: partials may use elementwise arithmetic only; o.${method} is not available there`);
}
