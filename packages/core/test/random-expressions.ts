// Random expression trees for property tests (properties.test.ts, lanes.test.ts).
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { scalar, stack, tensor, type Node, type Scalar, type Tensor } from '../src/index.js';

// ---------------------------------------------------------------------------------------------------
// Expression trees. Three sorts: S (a scalar), V (a vector of the input's length N) and M (a [2, N]
// matrix). Every op is wrapped so that it is smooth and inside its domain for every real input:
// sqrt(e² + 1), exp(tanh e), log(softplus e + 0.1), log1p(e²), a / (b² + 1), tanh(e)³.
// Constants are drawn as integer seeds and expanded deterministically, which keeps trees small.
// ---------------------------------------------------------------------------------------------------

export const UNARY = ['neg', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'sqrt1', 'expTanh', 'logSoftplus', 'log1pSq', 'pow2', 'pow3Tanh'] as const;
const BINARY = ['add', 'sub', 'mul', 'divSafe'] as const;
type U = (typeof UNARY)[number];
type B = (typeof BINARY)[number];

export type S =
  | { t: 'at'; a: V; i: number }
  | { t: 'num'; c: number }
  | { t: 'sum'; a: V }
  | { t: 'mean'; a: V }
  | { t: 'lse'; a: V }
  | { t: 'dot'; a: V; b: V }
  | { t: 'u'; op: U; a: S }
  | { t: 'b'; op: B; a: S; b: S }
  | { t: 'bc'; op: B; a: S; c: number; left: boolean }
  | { t: 'share'; a: S; op1: U; op2: U }
  | { t: 'mm'; a: M; b: M }
  | { t: 'mrows'; a: M; seed: number };

export type V =
  | { t: 'x' }
  | { t: 'cv'; seed: number }
  | { t: 'u'; op: U; a: V }
  | { t: 'b'; op: B; a: V; b: V }
  | { t: 'bc'; op: B; a: V; c: number; left: boolean }
  | { t: 'bs'; op: B; a: V; s: S; left: boolean }
  | { t: 'where'; seed: number; a: V; b: V | number }
  | { t: 'softmax'; a: V }
  | { t: 'matvec'; seed: number; a: V }
  | { t: 'vecmat'; seed: number; a: V }
  | { t: 'rot'; k: number; a: V }
  | { t: 'gather'; k: number; a: V }
  | { t: 'share'; a: V; op1: U; op2: U }
  | { t: 'msum0'; a: M }
  | { t: 'mmean0'; a: M }
  | { t: 'mlse0'; a: M }
  | { t: 'mrow'; a: M; r: number }
  | { t: 'mTv'; seed: number; a: M };

export type M =
  | { t: 'bcast'; seed: number; op: B; a: V }
  | { t: 'stack'; a: V; b: V }
  | { t: 'cat'; a: V; b: V }
  | { t: 'u'; op: U; a: M }
  | { t: 'b'; op: B; a: M; b: M }
  | { t: 'bv'; op: B; a: M; b: V }
  | { t: 'col'; op: B; a: M; s1: S; s2: S }
  | { t: 'where'; seed: number; a: M; b: M }
  | { t: 'softmax'; axis: number; a: M }
  | { t: 'logsoftmax'; a: M }
  | { t: 'lmul'; seed: number; a: M }
  | { t: 'rmul'; seed: number; a: M }
  | { t: 'tmt'; seed: number; a: M };

/** Deterministic constants in (−1.2, 1.2) from a seed. */
export function consts(seed: number, len: number): Float64Array {
  return Float64Array.from({ length: len }, (_, k) => 1.2 * Math.sin(seed * 12.9898 + k * 78.233 + 0.5));
}
function mask(seed: number, len: number): boolean[] {
  return Array.from(consts(seed + 7, len), (c) => c > 0);
}

function unary<T extends Node>(op: U, a: T): T {
  const r = ((): Node => {
    switch (op) {
      case 'neg': return ops.neg(a);
      case 'square': return ops.square(a);
      case 'sin': return ops.sin(a);
      case 'cos': return ops.cos(a);
      case 'tanh': return ops.tanh(a);
      case 'sigmoid': return ops.sigmoid(a);
      case 'softplus': return ops.softplus(a);
      case 'sqrt1': return ops.sqrt(ops.add(ops.square(a), 1));
      case 'expTanh': return ops.exp(ops.tanh(a));
      case 'logSoftplus': return ops.log(ops.add(ops.softplus(a), 0.1));
      case 'log1pSq': return ops.log1p(ops.square(a));
      case 'pow2': return ops.pow(a, 2);
      case 'pow3Tanh': return ops.pow(ops.tanh(a), 3);
    }
  })();
  return r as T;
}

function binary(op: B, a: Node | number, b: Node | number): Node {
  switch (op) {
    case 'add': return ops.add(a, b);
    case 'sub': return ops.sub(a, b);
    case 'mul': return ops.mul(a, b);
    case 'divSafe':
      if (typeof b === 'number') return ops.div(a, 0.5 + Math.abs(b));
      return ops.div(a, ops.add(ops.square(b), 1));
  }
}

export function evalS(e: S, x: Tensor): Scalar {
  const N = x.size;
  switch (e.t) {
    case 'at': return evalV(e.a, x).at(e.i % N);
    case 'num': return scalar(e.c); // a constant node: no tangent, no adjoint
    case 'sum': return evalV(e.a, x).sum();
    case 'mean': return evalV(e.a, x).mean();
    case 'lse': return evalV(e.a, x).logSumExp();
    case 'dot': return evalV(e.a, x).dot(evalV(e.b, x));
    case 'u': return unary(e.op, evalS(e.a, x));
    case 'b': return binary(e.op, evalS(e.a, x), evalS(e.b, x)) as Scalar;
    case 'bc': return (e.left ? binary(e.op, e.c, evalS(e.a, x)) : binary(e.op, evalS(e.a, x), e.c)) as Scalar;
    case 'share': {
      const s = evalS(e.a, x);
      return unary(e.op1, s).mul(unary(e.op2, s)).add(s);
    }
    case 'mm': return evalM(e.a, x).matmul(evalM(e.b, x).transpose()).sum();
    case 'mrows': return evalM(e.a, x).mean(1).mul(tensor(consts(e.seed, 2))).sum();
  }
}

export function evalV(e: V, x: Tensor): Tensor {
  const N = x.size;
  switch (e.t) {
    case 'x': return x;
    case 'cv': return tensor(consts(e.seed, N));
    case 'u': return unary(e.op, evalV(e.a, x));
    case 'b': return binary(e.op, evalV(e.a, x), evalV(e.b, x)) as Tensor;
    case 'bc': return (e.left ? binary(e.op, e.c, evalV(e.a, x)) : binary(e.op, evalV(e.a, x), e.c)) as Tensor;
    case 'bs': {
      const v = evalV(e.a, x);
      const s = evalS(e.s, x);
      return (e.left ? binary(e.op, s, v) : binary(e.op, v, s)) as Tensor;
    }
    case 'where': {
      const a = evalV(e.a, x);
      const b = typeof e.b === 'number' ? e.b : evalV(e.b, x);
      return ops.where(mask(e.seed, N), a, b);
    }
    case 'softmax': return evalV(e.a, x).softmax();
    case 'matvec': return tensor(consts(e.seed, N * N), [N, N]).matmul(evalV(e.a, x));
    case 'vecmat': return evalV(e.a, x).matmul(tensor(consts(e.seed, N * N), [N, N]));
    case 'rot': {
      const v = evalV(e.a, x);
      const k = 1 + (e.k % (N - 1));
      return v.slice(k, N).concat([v.slice(0, k)]);
    }
    case 'gather': {
      const v = evalV(e.a, x);
      return stack(Array.from({ length: N }, (_, i) => v.at((i * (e.k + 1) + e.k) % N)));
    }
    case 'share': {
      const v = evalV(e.a, x);
      return unary(e.op1, v).mul(unary(e.op2, v)).add(v);
    }
    case 'msum0': return evalM(e.a, x).sum(0);
    case 'mmean0': return evalM(e.a, x).mean(0);
    case 'mlse0': return evalM(e.a, x).logSumExp(0);
    case 'mrow': return evalM(e.a, x).slice(e.r, e.r + 1, 0).reshape([N]);
    case 'mTv': return evalM(e.a, x).transpose().matmul(tensor(consts(e.seed, 2)));
  }
}

export function evalM(e: M, x: Tensor): Tensor {
  const N = x.size;
  switch (e.t) {
    case 'bcast': return binary(e.op, tensor(consts(e.seed, 2 * N), [2, N]), evalV(e.a, x)) as Tensor;
    case 'stack': return stack([evalV(e.a, x), evalV(e.b, x)]);
    case 'cat': return evalV(e.a, x).concat([evalV(e.b, x)]).reshape([2, -1]);
    case 'u': return unary(e.op, evalM(e.a, x));
    case 'b': return binary(e.op, evalM(e.a, x), evalM(e.b, x)) as Tensor;
    case 'bv': return binary(e.op, evalM(e.a, x), evalV(e.b, x)) as Tensor;
    case 'col': return binary(e.op, evalM(e.a, x), stack([evalS(e.s1, x), evalS(e.s2, x)]).reshape([2, 1])) as Tensor;
    case 'where': return ops.where(tensor(mask(e.seed, 2 * N).map(Number), [2, N]), evalM(e.a, x), evalM(e.b, x));
    case 'softmax': return evalM(e.a, x).softmax(e.axis);
    case 'logsoftmax': {
      const m = evalM(e.a, x);
      return m.sub(m.logSumExp(1, true));
    }
    case 'lmul': return tensor(consts(e.seed, 4), [2, 2]).matmul(evalM(e.a, x));
    case 'rmul': return evalM(e.a, x).matmul(tensor(consts(e.seed, N * N), [N, N]));
    case 'tmt': return evalM(e.a, x).transpose().matmul(tensor(consts(e.seed, 4), [2, 2])).transpose();
  }
}

const seedArb = fc.integer({ min: 0, max: 999 });
export const smallNum = fc.integer({ min: -12, max: 12 }).map((k) => k / 8);
const uArb = fc.constantFrom(...UNARY);
const bArb = fc.constantFrom(...BINARY);

export function exprArbs(maxDepth: number) {
  return fc.letrec<{ s: S; v: V; m: M }>((tie) => {
    const s = () => tie('s') as fc.Arbitrary<S>;
    const v = () => tie('v') as fc.Arbitrary<V>;
    const m = () => tie('m') as fc.Arbitrary<M>;
    const opts = { maxDepth, depthSize: 'large', depthIdentifier: 'expr', withCrossShrink: true } as const;
    // Elementwise ops get extra weight: they carry the second-order terms.
    const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
    const xLeaf: fc.Arbitrary<V> = fc.constant({ t: 'x' as const });
    return {
      s: fc.oneof(
        opts,
        fc.record({ t: fc.constant('at' as const), a: xLeaf, i: fc.nat(5) }),
        fc.record({ t: fc.constant('num' as const), c: smallNum }),
        fc.record({ t: fc.constant('sum' as const), a: v() }),
        fc.record({ t: fc.constant('mean' as const), a: v() }),
        fc.record({ t: fc.constant('lse' as const), a: v() }),
        fc.record({ t: fc.constant('dot' as const), a: v(), b: v() }),
        fc.record({ t: fc.constant('at' as const), a: v(), i: fc.nat(5) }),
        w(4, fc.record({ t: fc.constant('u' as const), op: uArb, a: s() })),
        w(2, fc.record({ t: fc.constant('b' as const), op: bArb, a: s(), b: s() })),
        fc.record({ t: fc.constant('bc' as const), op: bArb, a: s(), c: smallNum, left: fc.boolean() }),
        fc.record({ t: fc.constant('share' as const), a: s(), op1: uArb, op2: uArb }),
        fc.record({ t: fc.constant('mm' as const), a: m(), b: m() }),
        fc.record({ t: fc.constant('mrows' as const), a: m(), seed: seedArb }),
      ),
      v: fc.oneof(
        opts,
        xLeaf,
        fc.record({ t: fc.constant('cv' as const), seed: seedArb }),
        w(4, fc.record({ t: fc.constant('u' as const), op: uArb, a: v() })),
        w(2, fc.record({ t: fc.constant('b' as const), op: bArb, a: v(), b: v() })),
        fc.record({ t: fc.constant('bc' as const), op: bArb, a: v(), c: smallNum, left: fc.boolean() }),
        fc.record({ t: fc.constant('bs' as const), op: bArb, a: v(), s: s(), left: fc.boolean() }),
        fc.record({ t: fc.constant('where' as const), seed: seedArb, a: v(), b: fc.oneof(v(), smallNum) }),
        fc.record({ t: fc.constant('softmax' as const), a: v() }),
        fc.record({ t: fc.constant('matvec' as const), seed: seedArb, a: v() }),
        fc.record({ t: fc.constant('vecmat' as const), seed: seedArb, a: v() }),
        fc.record({ t: fc.constant('rot' as const), k: fc.nat(4), a: v() }),
        fc.record({ t: fc.constant('gather' as const), k: fc.nat(4), a: v() }),
        fc.record({ t: fc.constant('share' as const), a: v(), op1: uArb, op2: uArb }),
        fc.record({ t: fc.constant('msum0' as const), a: m() }),
        fc.record({ t: fc.constant('mmean0' as const), a: m() }),
        fc.record({ t: fc.constant('mlse0' as const), a: m() }),
        fc.record({ t: fc.constant('mrow' as const), a: m(), r: fc.nat(1) }),
        fc.record({ t: fc.constant('mTv' as const), seed: seedArb, a: m() }),
      ),
      m: fc.oneof(
        opts,
        fc.record({ t: fc.constant('bcast' as const), seed: seedArb, op: bArb, a: xLeaf }),
        fc.record({ t: fc.constant('bcast' as const), seed: seedArb, op: bArb, a: v() }),
        fc.record({ t: fc.constant('stack' as const), a: v(), b: v() }),
        fc.record({ t: fc.constant('cat' as const), a: v(), b: v() }),
        w(3, fc.record({ t: fc.constant('u' as const), op: uArb, a: m() })),
        fc.record({ t: fc.constant('b' as const), op: bArb, a: m(), b: m() }),
        fc.record({ t: fc.constant('bv' as const), op: bArb, a: m(), b: v() }),
        fc.record({ t: fc.constant('col' as const), op: bArb, a: m(), s1: s(), s2: s() }),
        fc.record({ t: fc.constant('where' as const), seed: seedArb, a: m(), b: m() }),
        fc.record({ t: fc.constant('softmax' as const), axis: fc.constantFrom(0, 1, -1), a: m() }),
        fc.record({ t: fc.constant('logsoftmax' as const), a: m() }),
        fc.record({ t: fc.constant('lmul' as const), seed: seedArb, a: m() }),
        fc.record({ t: fc.constant('rmul' as const), seed: seedArb, a: m() }),
        fc.record({ t: fc.constant('tmt' as const), seed: seedArb, a: m() }),
      ),
    };
  });
}

export const { s: scalarExpr, v: vectorExpr, m: matrixExpr } = exprArbs(6);

export const vecOf = (n: number, r: number) =>
  fc.array(fc.double({ min: -r, max: r, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));

/** A point x ∈ [−1.5, 1.5]ⁿ (n = 3…6) and two directions u, v ∈ [−1, 1]ⁿ. */
export const point = fc.integer({ min: 3, max: 6 }).chain((n) => fc.record({ x: vecOf(n, 1.5), u: vecOf(n, 1), v: vecOf(n, 1) }));

export const fOf = (e: S) => (x: Tensor) => evalS(e, x);
