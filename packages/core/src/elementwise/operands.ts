/**
 * Turning op arguments into nodes on one tape: plain numbers become constants, and a scalar meeting
 * a tensor is promoted to a 0-d tensor so the tensor rules (with broadcasting) handle the pair.
 * @module
 */
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, constantScalar, constantTensor, newTensor, type Node, type Operand } from '../node.js';
import { NO_INPUT, checkLive, commonTape, registerRule, type Tape } from '../tape.js';

/** The tape of an op's operands, checking that at least one is a node and none is stale. */
export function tapeOfOperands(a: Operand, b: Operand, opName: string): Tape {
  if (typeof a === 'number') {
    if (typeof b === 'number') throw new ArgumentError(`${opName}: at least one operand must be a node, got two numbers`);
    return checkLive(b.tape, opName);
  }
  if (typeof b === 'number') return checkLive(a.tape, opName);
  return commonTape(a.tape, b.tape, opName);
}

export function asNode(x: Operand, tape: Tape, opName: string): Node {
  if (typeof x === 'number') return constantScalar(tape, x);
  if (!(x instanceof Scalar) && !(x instanceof Tensor)) {
    throw new ArgumentError(`${opName}: expected a node or a number, got ${describe(x)}`);
  }
  return x;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return 'an array (wrap data in tensor(...) inside f)';
  return typeof x;
}

/**
 * R{y} = R{x}, ȳ flows back unchanged: the scalar and its 0-d tensor copy are the same number.
 */
const PROMOTE = registerRule({
  name: 'promote',
  tangent(t, i) {
    const y = t.tensorAt(i);
    const x = t.in0[i];
    y.dataDot = Float64Array.of(t.dot[x]);
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const x = t.in0[i];
    if (t.sweepBar && y.bar) t.bar[x] += y.bar[0];
    if (t.sweepBarDot && y.barDot) t.barDot[x] += y.barDot[0];
  },
});

/** A scalar as a 0-d tensor (shape []), so it broadcasts against any tensor. */
export function promote(x: Scalar): Tensor {
  const t = checkLive(x.tape, 'promote');
  const active = t.active[x.id] === 1;
  const dot = active && t.withTangent ? Float64Array.of(t.dot[x.id]) : null;
  return newTensor(t, PROMOTE, x.id, NO_INPUT, active, [], Float64Array.of(t.val[x.id]), dot);
}

/** Numbers become constants of the other operand's kind. */
export function asTensor(x: Operand, tape: Tape, opName: string): Tensor {
  if (typeof x === 'number') return constantTensor(tape, Float64Array.of(x), []);
  const n = asNode(x, tape, opName);
  return n instanceof Tensor ? n : promote(n);
}
