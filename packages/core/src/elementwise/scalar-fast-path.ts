/**
 * Scalar graphs' hot path. An op built by a factory (defineUnary, defineBinary) shares its code with
 * every op of that factory, so V8 cannot inline the op's own functions there (one call site, many
 * targets). The most common scalar ops (add, sub, mul, div, neg, square) therefore write their rules
 * out in their own file — still one rule, for every level and for tensors too — and record scalars
 * with these helpers; the factories' recorders take everything else.
 * @module
 */
import { Scalar, type Operand } from '../node.js';
import { CONSTANT, NO_INPUT, type Tape } from '../tape.js';

/**
 * The tape of a scalar-only operation (two scalar nodes of one live tape, or a scalar node and a
 * number), or null when the general path must handle it (tensors, errors).
 */
export function scalarTape(a: Operand, b: Operand): Tape | null {
  if (a instanceof Scalar) {
    if (a.tape.finished) return null;
    if (b instanceof Scalar) return a.tape === b.tape ? a.tape : null;
    return typeof b === 'number' ? a.tape : null;
  }
  if (typeof a === 'number' && b instanceof Scalar && !b.tape.finished) return b.tape;
  return null;
}

/** The node index of a scalar operand, recording a number as a constant node. */
export function scalarId(t: Tape, x: Operand): number {
  if (typeof x !== 'number') return (x as Scalar).id; // scalarTape admitted only scalars and numbers
  const i = t.pushScalar(CONSTANT, NO_INPUT, NO_INPUT, false);
  t.vals[i] = x;
  t.dots[i] = 0;
  return i;
}

/** True when x is a scalar node of a live tape. */
export function liveScalar(x: unknown): x is Scalar {
  return x instanceof Scalar && !x.tape.finished;
}
