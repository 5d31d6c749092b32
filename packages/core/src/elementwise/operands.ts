/**
 * Turning op arguments into nodes on one tape: plain numbers become constants, and a scalar meeting
 * a tensor is promoted to a 0-d tensor so the tensor rules (with broadcasting) handle the pair.
 * @module
 */
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, constantScalar, constantTensor, describeValue, newTensor, onTape, tensorData, type Node, type Operand } from '../node.js';
import { NO_INPUT, checkLive, commonTape, registerRule, type OpRule, type Tape } from '../tape.js';

/**
 * The tape of an op's operands, checking that each is a node, a number or plain array data (a
 * constant), that at least one is a node, and that none is stale.
 */
export function tapeOfOperands(a: Operand, b: Operand, opName: string, names: readonly [string, string] = ['first operand', 'second operand']): Tape {
  const aNode = a instanceof Scalar || a instanceof Tensor;
  const bNode = b instanceof Scalar || b instanceof Tensor;
  if (!aNode && !isConstant(a)) throw notAnOperand(opName, a, names[0]);
  if (!bNode && !isConstant(b)) throw notAnOperand(opName, b, names[1]);
  if (!aNode) {
    if (!bNode) throw new ArgumentError(`${opName}: at least one operand must be a node, got two constants; wrap one in tensor(...) or scalar(...)`);
    return checkLive((b as Node).tape, opName);
  }
  if (!bNode) return checkLive((a as Node).tape, opName);
  return commonTape((a as Node).tape, (b as Node).tape, opName);
}

/** A number, a Float64Array or a (nested) number array: a constant operand. */
function isConstant(x: unknown): boolean {
  return typeof x === 'number' || x instanceof Float64Array || Array.isArray(x);
}

function notAnOperand(opName: string, x: unknown, which: string): ArgumentError {
  return new ArgumentError(
    `${opName}: the ${which} is ${x === null || x === undefined ? String(x) : describeValue(x)}; expected a node, a number or an array of numbers`,
  );
}

/** An operand as a node of `tape`: numbers and arrays become constants, eager values are imported. */
export function asNode(x: Operand, tape: Tape, opName: string): Node {
  if (typeof x === 'number') return constantScalar(tape, x);
  if (x instanceof Scalar || x instanceof Tensor) return onTape(x, tape, opName);
  if (isConstant(x)) {
    const { values, inferred } = tensorData(x, opName);
    return constantTensor(tape, values, inferred);
  }
  throw notAnOperand(opName, x, 'operand');
}

/** R{y} = R{x}, ȳ flows back unchanged: the scalar and its 0-d tensor copy are the same number. */
const promoteRule: OpRule = {
  name: 'promote',
  linear: true,
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

/** An operand as a tensor of `tape`: numbers become 0-d constants, scalar nodes are promoted. */
export function asTensor(x: Operand, tape: Tape, opName: string): Tensor {
  if (typeof x === 'number') return constantTensor(tape, Float64Array.of(x), []);
  const n = asNode(x, tape, opName);
  return n instanceof Tensor ? n : promote(n);
}

/**
 * An argument that must be a tensor (matmul, dot, concat, …): a tensor node, or plain array data as
 * a constant; a scalar node or anything else is a typed error naming the op.
 */
export function tensorOperand(x: unknown, tape: Tape, opName: string, which = 'operand'): Tensor {
  if (x instanceof Tensor) return onTape(x, tape, opName) as Tensor;
  if (x instanceof Scalar) throw new ArgumentError(`${opName}: the ${which} is a scalar node; it needs a tensor (stack([s]) makes a vector of one)`);
  if (x instanceof Float64Array || Array.isArray(x)) {
    const { values, inferred } = tensorData(x, opName);
    return constantTensor(tape, values, inferred);
  }
  throw new ArgumentError(`${opName}: the ${which} is ${x === null || x === undefined ? String(x) : describeValue(x)}; expected a tensor`);
}

/** The one live tape of some arguments of an op (nodes among them), or a typed error naming the op. */
export function tapeOfArguments(args: readonly unknown[], opName: string): Tape {
  let t: Tape | null = null;
  for (const a of args) {
    if (!(a instanceof Scalar) && !(a instanceof Tensor)) continue;
    t = t === null ? checkLive(a.tape, opName) : commonTape(t, a.tape, opName);
  }
  if (t === null) throw new ArgumentError(`${opName}: at least one argument must be a node; wrap data in tensor(...)`);
  return t;
}
