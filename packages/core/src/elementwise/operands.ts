/**
 * Turning op arguments into nodes on one tape: plain numbers become constants, and a scalar meeting
 * a tensor is promoted to a 0-d tensor so the tensor rules (with broadcasting) handle the pair.
 * @module
 */
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, constantScalar, constantTensor, describeValue, newTensor, type Node, type Operand } from '../node.js';
import { NO_INPUT, checkLive, commonTape, registerRule, type OpRule, type Tape } from '../tape.js';

/** The tape of an op's operands, checking that at least one is a node and none is stale. */
export function tapeOfOperands(a: Operand, b: Operand, opName: string): Tape {
  const aNode = a instanceof Scalar || a instanceof Tensor;
  const bNode = b instanceof Scalar || b instanceof Tensor;
  if (!aNode && typeof a !== 'number') throw notAnOperand(opName, a, 'first');
  if (!bNode && typeof b !== 'number') throw notAnOperand(opName, b, 'second');
  if (!aNode) {
    if (!bNode) throw new ArgumentError(`${opName}: at least one operand must be a node, got two numbers`);
    return checkLive((b as Node).tape, opName);
  }
  if (!bNode) return checkLive((a as Node).tape, opName);
  return commonTape((a as Node).tape, (b as Node).tape, opName);
}

function notAnOperand(opName: string, x: unknown, which: string): ArgumentError {
  return new ArgumentError(`${opName}: the ${which} operand is ${describeValue(x)}; expected a node or a number`);
}

export function asNode(x: Operand, tape: Tape, opName: string): Node {
  if (typeof x === 'number') return constantScalar(tape, x);
  if (!(x instanceof Scalar) && !(x instanceof Tensor)) {
    throw new ArgumentError(`${opName}: expected a node or a number, got ${describeValue(x)}`);
  }
  return x;
}

/** R{y} = R{x}, ȳ flows back unchanged: the scalar and its 0-d tensor copy are the same number. */
const promoteRule: OpRule = {
  name: 'promote',
  tangent(o, L, i) {
    L.setDot(i, o.promote(L.dot(L.tape.in0[i])));
  },
  backward(o, L, i) {
    const x = L.tape.in0[i];
    if (L.sweepBar) L.addBar(x, o.demote(L.bar(i)));
    if (L.sweepBarDot) L.addBarDot(x, o.demote(L.barDot(i)));
  },
};
const PROMOTE = registerRule(promoteRule);

/** A scalar as a 0-d tensor (shape []), so it broadcasts against any tensor. */
export function promote(x: Scalar): Tensor {
  const t = checkLive(x.tape, 'promote');
  const active = t.active[x.id] === 1;
  const y = newTensor(t, PROMOTE, x.id, NO_INPUT, active, [], Float64Array.of(t.vals[x.id]), null);
  if (active && t.withTangent) promoteRule.tangent(t.o, t, y.id);
  return y;
}

/** Numbers become constants of the other operand's kind. */
export function asTensor(x: Operand, tape: Tape, opName: string): Tensor {
  if (typeof x === 'number') return constantTensor(tape, Float64Array.of(x), []);
  const n = asNode(x, tape, opName);
  return n instanceof Tensor ? n : promote(n);
}
