/**
 * Elementwise functions y = f(x) given by f, f′ and f″. One pair of rules serves all of them:
 *
 *   tangent:   R{y} = f′(x)·R{x}
 *   backward:  (x̄, R{x̄}) += (ȳ, R{ȳ}) · (f′(x), f″(x)·R{x})
 *
 * The backward line is a dual multiply: the local derivative f′(x) is itself a dual number whose
 * tangent is f″(x)·R{x}. That second term is the h″(a)·R{a} of PRML eq. 5.107, the one TensorFlow.js
 * drops for tanh, exp and sigmoid; here no op can leave it out, because it is not written per op.
 *
 * f′ and f″ are written in the algebra `o` (algebra/algebra.ts): on numbers at top level, on nodes
 * when a nested transform records this sweep, and then the enclosing transform differentiates f′ and
 * f″ themselves — which is how third and higher derivatives come out of first and second ones.
 * @module
 */
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { noExtraArguments, shown } from '../ops/op-args.js';
import { Scalar, Tensor, newTensor, type Node } from '../node.js';
import { NO_INPUT, addAdjoints, checkLive, registerRule, type OpRule, type Tape } from '../tape.js';
import type { Lanes } from '../lanes.js';
import { unaryLoop } from './own-loops.js';
import { Lazy, SPLIT_MIN, evaluate, evaluatePair, isLight, pairable } from '../algebra/fusion.js';
import { isHeld } from '../algebra/numbers.js';
import { isSelfContained } from './self-contained.js';

/** The math of an elementwise op; `p` is an optional constant parameter (e.g. an exponent). */
export interface UnaryMath {
  readonly name: string;
  /** y = f(x) on one number. */
  f(x: number, p: number): number;
  /** dy/dx, in the algebra, given x and y (so tanh can use 1 − y²). */
  df(o: Algebra, x: Value, y: Value, p: number): Value;
  /** d²y/dx², in the algebra, given x, y and dy/dx (return 0 where it vanishes identically). */
  d2f(o: Algebra, x: Value, y: Value, dy: Value, p: number): Value;
  /**
   * For a function with kinks or steps, which piece x is on (relu: x > 0; floor: the integer), so a
   * compiled replay can tell when it leaves the branches it was recorded on.
   */
  branch?(x: number, p: number): number;
  /**
   * The name of the constant parameter `p` (elu's `alpha`, polygamma's `n`), for the ops that have
   * one; an op without it refuses a second argument, which it would otherwise ignore (`log(x, 10)`
   * would be ln x).
   */
  readonly parameter?: string;
  /** What to write instead, when a caller passes a parameter the op does not have. */
  readonly noParameterHint?: string;
}

/** An elementwise unary op function, for scalars and tensors alike; `math` is its definition. */
export type UnaryOp = {
  (x: Scalar): Scalar;
  (x: Tensor): Tensor;
  (x: Node): Node;
  /** @internal f, f′ and f″ of the op, for rules that apply it through the algebra. */
  readonly math: UnaryMath;
};

/** An elementwise op with a constant parameter `p` (the internal op behind elu, polygamma, …). */
export type ParametricUnaryOp = {
  (x: Scalar, p?: number): Scalar;
  (x: Tensor, p?: number): Tensor;
  (x: Node, p?: number): Node;
  /** @internal f, f′ and f″ of the op, for rules that apply it through the algebra. */
  readonly math: UnaryMath;
};

/** Registers the rules of `m`, an op with a constant parameter (`m.parameter`), and returns the op function. */
export function defineParametricUnary(m: UnaryMath & { readonly parameter: string }): ParametricUnaryOp {
  return defineUnary(m) as unknown as ParametricUnaryOp;
}

/** Registers the rules of `m` and returns the op function. */
export function defineUnary(m: UnaryMath): UnaryOp {
  const rule: OpRule = {
    name: m.name,
    primal(o, L, i) {
      L.setVal(i, o.map(self, L.fusedVal(L.tape.in0[i]), L.tape.aux[i]));
    },
    // A replay with a direction: y and R{y} as one loop, as when f is recorded (valueAndTangent).
    primalAndTangent(_o, L, i) {
      const t = L.tape;
      const x = t.in0[i];
      if (L !== t || !t.isTensor(x)) return false;
      const both = valueAndTangent(t, m, x, t.tensorAt(x).size, t.aux[i]);
      if (both === null) return false;
      t.setVal(i, both[0]);
      t.setDot(i, both[1]);
      return true;
    },
    ...(m.branch ? { branch: (L: Lanes, i: number) => pieces(L, L.tape.in0[i], (v) => m.branch!(v, L.tape.aux[i])) } : {}),
    tangent(o, L, i) {
      const t = L.tape;
      const x = t.in0[i];
      const xDot = L.fusedDot(x);
      L.setDot(i, xDot === 0 ? 0 : o.mul(xDot, m.df(o, L.fusedVal(x), L.val(i), t.aux[i])));
    },
    backward(o, L, i) {
      const t = L.tape;
      const g = L.bar(i);
      const gDot = L.barDot(i);
      if (g === 0 && gDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
      const x = t.in0[i];
      const xv = L.fusedVal(x);
      const y = L.val(i);
      const p = t.aux[i];
      const d = m.df(o, xv, y, p);
      // R{x̄} before x̄: its write is the last to read R{ȳ}, and x̄'s the last to read ȳ, so a freeing
      // sweep may put each in the array it reads last (`i` as spent: Lanes.addBar); on the tape's own
      // lanes the two are one loop, which computes f′(x) once (addAdjoints).
      addAdjoints(L, x, () => {
        const xDot = L.fusedDot(x);
        // f″ is evaluated only where its term can be nonzero.
        const curvature = g === 0 || xDot === 0 ? 0 : o.mul(g, o.mul(xDot, m.d2f(o, xv, y, d, p)));
        return o.add(o.mul(gDot, d), curvature);
      }, () => o.mul(g, d), i);
    },
  };
  const code = registerRule(rule);

  const self = Object.assign(unaryRecorder(m, code, rule, true), { math: m }) as UnaryOp;
  return self;
}

/** The piece each element of node x is on, by `which` (a number for a scalar node). */
export function pieces(L: Lanes, x: number, which: (v: number) => number): number | Float64Array {
  const v = L.val(x) as number | Float64Array;
  if (typeof v === 'number') return which(v);
  const out = new Float64Array(v.length);
  for (let k = 0; k < out.length; k++) out[k] = which(v[k]);
  return out;
}

/**
 * The op function of an elementwise op whose rule `rule` is registered as `code`. Ops that write
 * their rule out in their own file use it for everything but the scalar hot path. `genericTangent`
 * says the rule's tangent is defineUnary's, R{y} = f′(x)·R{x}: a tensor's value and tangent may then
 * be computed together, as one loop ({@link valueAndTangent}).
 */
export function unaryRecorder(m: UnaryMath, code: number, rule: OpRule, genericTangent = false): (x: Node, p?: number) => Node {
  function op(x: Node, parameter?: number): Node {
    if (parameter !== undefined && m.parameter === undefined) refuseParameter(m, parameter);
    if (arguments.length > 2) noExtraArguments(m.name, arguments, m.parameter === undefined ? 1 : 2, m.parameter === undefined ? `${m.name}(x)` : `${m.name}(x, ${m.parameter})`);
    const p = parameter ?? 0;
    if (x instanceof Scalar) {
      const t = checkLive(x.tape, m.name);
      const active = t.active[x.id] === 1;
      const i = t.pushScalar(code, x.id, NO_INPUT, active);
      t.vals[i] = m.f(t.vals[x.id], p);
      t.aux[i] = p;
      t.dots[i] = 0;
      if (active && t.withTangent) rule.tangent(t.o, t, i);
      return new Scalar(t, i);
    }
    if (x instanceof Tensor) {
      const t = checkLive(x.tape, m.name);
      const active = t.active[x.id] === 1;
      const both = genericTangent && active && t.withTangent ? valueAndTangent(t, m, x.id, x.size, p) : null;
      if (both) {
        const y = newTensor(t, code, x.id, NO_INPUT, true, x.shape, both[0], null);
        t.aux[y.id] = p;
        t.setDot(y.id, both[1]);
        return y;
      }
      // An input still to be computed (a bias add) is computed inside this op's loop instead; a
      // long array of a math-library call goes through the same loop, which the threads can split.
      const work = x.dataWork ?? (x.size >= SPLIT_MIN && isSelfContained(m.f) ? x.data : null);
      let ys: Float64Array;
      if (work) ys = evaluate(new Lazy('f1', work, p, x.size, m.f), t.o.timesFn, null, false);
      else {
        ys = new Float64Array(x.size);
        unaryLoop(m.f)(x.data, ys, p);
      }
      const y = newTensor(t, code, x.id, NO_INPUT, active, x.shape, ys, null);
      t.aux[y.id] = p;
      if (active && t.withTangent) rule.tangent(t.o, t, y.id);
      return y;
    }
    throw new ArgumentError(`${m.name}: expected a node, got ${x === null ? 'null' : typeof x}`);
  }

  return op;
}

/**
 * y = f(x) and R{y} = f′(x)·R{x} for tensor node x (of `size` elements) on the tape's own lanes, as
 * ONE loop (fusion.ts, evaluatePair): f′ of most ops reads y (tanh's 1 − y², exp's y), which the loop
 * then has at hand instead of reading it back, and x is read once. The same numbers as the value's
 * loop followed by the tangent rule's. Used when f is recorded with tangents and when a replay runs
 * with a direction. Null, for the two to go their own ways, when x has no tangent or the tangent is
 * not elementwise work worth a loop (f′ constant 1, or light work its readers fuse: Tape.setDot).
 */
function valueAndTangent(t: Tape, m: UnaryMath, x: number, size: number, p: number): [Float64Array, Float64Array] | null {
  const o = t.o;
  const xDot = t.fusedDot(x);
  if (xDot === 0) return null;
  const xv = t.fusedVal(x);
  const y = new Lazy('f1', xv as Lazy | Float64Array, p, size, m.f);
  const yDot = o.mul(xDot, m.df(o, xv, y, p));
  if (!(yDot instanceof Lazy) || isLight(yDot, isHeld) || !pairable(y, yDot)) return null;
  return evaluatePair(y, null, false, yDot, null, false, o.timesFn);
}

/**
 * The ArgumentError for a second argument to an op that has no parameter. JS would drop it silently,
 * and a caller who wrote `log(x, 10)` or `round(x, 2)` would get ln x or an integer.
 */
export function refuseParameter(m: UnaryMath, extra: unknown): never {
  const hint = m.noParameterHint ?? `pass only the operand: ${m.name}(x)`;
  // xs.map(sin) passes each index as the second argument.
  const fromMap = Number.isInteger(extra) && (extra as number) >= 0 ? `; from xs.map(${m.name}), which passes the index, write xs.map((x) => ${m.name}(x))` : '';
  throw new ArgumentError(`${m.name}: takes one operand, got a second argument ${shown(extra)}; ${hint}${fromMap}`);
}
