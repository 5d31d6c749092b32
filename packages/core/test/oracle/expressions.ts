/**
 * Random expression DAGs for differential testing: a small SSA language (each node refers to earlier
 * nodes by index, so a node used by several later ones is a shared subexpression) that can be
 * evaluated both by the engine (as a `(x: Tensor) => Scalar`) and by the hyper-dual oracle.
 *
 * Programs are DECODED from plain random integers (see {@link decode}): every instruction is an op
 * code plus a few integers that pick operands, modes and parameters among what is valid at that
 * point. Any list of integers decodes to a well-typed program, so fast-check can shrink freely and a
 * shrunk counterexample is still a valid program; {@link show} prints it and the decoded {@link Expr}
 * (plain JSON) can be pasted into a regression test.
 *
 * Domains are guarded structurally, identically on both sides:
 *   log(e)  is  log(softplus(e) + 0.5)          sqrt(e) is sqrt(square(e) + 0.25)
 *   log1p(e) is log1p(tanh(e)·0.5)              a / b   is a / (square(b) + 1)   (b a node)
 *   aᵇ       is (softplus(a) + 0.5)ᵇ (a a node)  xᵖ for negative or fractional p: (softplus(x) + 0.5)ᵖ
 * Number operands of div and pow are drawn inside the domain instead. Kinks (relu, abs, maximum,
 * minimum) are left in: the oracle reports how close a point came to one and the test skips it.
 */
import fc from 'fast-check';
import * as ops from '../../src/ops/index.js';
import { grad, gradAndHvp, hessian, jacobian, jvp, scalar, tensor, type Node, type Scalar, type Tensor } from '../../src/index.js';
import * as O from './hyper-dual.js';
import { H, oracleDerivatives, type HD, type HT, type OracleDerivatives } from './hyper-dual.js';

// ---------------------------------------------------------------------------------------------------
// The language
// ---------------------------------------------------------------------------------------------------

export const UNARY = [
  'neg', 'square', 'exp', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'relu', 'abs',
  'log', 'sqrt', 'log1p', 'pow',
] as const;
export type UnaryFn = (typeof UNARY)[number];
/** Exponents of the constant-exponent pow; negative and fractional ones get a positive base. */
export const POW_EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5] as const;
export const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow'] as const;
export type BinaryFn = (typeof BINARY)[number];

/** An operand: an earlier node, or a plain number (a constant the engine records itself). */
export type Arg = { readonly ref: number } | { readonly num: number };

export type ENode =
  | { readonly op: 'x' }
  | { readonly op: 'const'; readonly values: readonly number[]; readonly shape: readonly number[] }
  | { readonly op: 'scalar'; readonly c: number }
  | { readonly op: 'unary'; readonly fn: UnaryFn; readonly a: number; readonly p?: number }
  | { readonly op: 'binary'; readonly fn: BinaryFn; readonly a: Arg; readonly b: Arg }
  | { readonly op: 'sum' | 'mean' | 'lse'; readonly a: number; readonly axis?: number; readonly keepDims?: boolean }
  | { readonly op: 'softmax'; readonly a: number; readonly axis: number }
  | { readonly op: 'matmul' | 'dot'; readonly a: number; readonly b: number }
  | { readonly op: 'transpose'; readonly a: number }
  | { readonly op: 'reshape'; readonly a: number; readonly shape: readonly number[] }
  | { readonly op: 'at'; readonly a: number; readonly index: number | readonly number[] }
  | { readonly op: 'slice'; readonly a: number; readonly start: number; readonly end: number; readonly axis: number }
  | { readonly op: 'concat' | 'stack'; readonly parts: readonly number[]; readonly axis: number }
  | {
      readonly op: 'where'; readonly mask: readonly number[]; readonly maskShape: readonly number[];
      readonly a: Arg; readonly b: Arg;
    };

/** A program over an input vector x of length n; its value is the last node, a scalar. */
export interface Expr {
  readonly n: number;
  readonly nodes: readonly ENode[];
}

// ---------------------------------------------------------------------------------------------------
// Evaluation by the engine
// ---------------------------------------------------------------------------------------------------

function engineUnary(fn: UnaryFn, a: Node, p: number | undefined): Node {
  switch (fn) {
    case 'neg': return ops.neg(a);
    case 'square': return ops.square(a);
    case 'exp': return ops.exp(a);
    case 'sin': return ops.sin(a);
    case 'cos': return ops.cos(a);
    case 'tanh': return ops.tanh(a);
    case 'sigmoid': return ops.sigmoid(a);
    case 'softplus': return ops.softplus(a);
    case 'relu': return ops.relu(a);
    case 'abs': return ops.abs(a);
    case 'log': return ops.log(ops.add(ops.softplus(a), 0.5));
    case 'sqrt': return ops.sqrt(ops.add(ops.square(a), 0.25));
    case 'log1p': return ops.log1p(ops.mul(ops.tanh(a), 0.5));
    case 'pow': {
      const q = p ?? 2;
      return ops.pow(needsPositiveBase(q) ? ops.add(ops.softplus(a), 0.5) : a, q);
    }
  }
}

const needsPositiveBase = (p: number) => p < 0 || !Number.isInteger(p);

function engineBinary(fn: BinaryFn, a: Node | number, b: Node | number): Node {
  switch (fn) {
    case 'add': return ops.add(a, b);
    case 'sub': return ops.sub(a, b);
    case 'mul': return ops.mul(a, b);
    case 'div': return ops.div(a, typeof b === 'number' ? b : ops.add(ops.square(b), 1));
    case 'maximum': return ops.maximum(a, b);
    case 'minimum': return ops.minimum(a, b);
    case 'pow': return ops.pow(typeof a === 'number' ? a : ops.add(ops.softplus(a), 0.5), b);
  }
}

/** The program as a function the engine's transforms accept. */
export function toEngine(e: Expr): (x: Tensor) => Scalar {
  return (x: Tensor) => {
    const v: Node[] = [];
    const arg = (a: Arg): Node | number => ('num' in a ? a.num : v[a.ref]);
    const T = (k: number) => v[k] as Tensor;
    for (const node of e.nodes) {
      let r: Node;
      switch (node.op) {
        case 'x': r = x; break;
        case 'const': r = tensor(node.values, node.shape); break;
        case 'scalar': r = scalar(node.c); break;
        case 'unary': r = engineUnary(node.fn, v[node.a], node.p); break;
        case 'binary': r = engineBinary(node.fn, arg(node.a), arg(node.b)); break;
        case 'sum':
          r = node.axis === undefined ? ops.sum(T(node.a)) : ops.sum(T(node.a), node.axis, node.keepDims);
          break;
        case 'mean':
          r = node.axis === undefined ? ops.mean(T(node.a)) : ops.mean(T(node.a), node.axis, node.keepDims);
          break;
        case 'lse':
          r = node.axis === undefined ? ops.logSumExp(T(node.a)) : ops.logSumExp(T(node.a), node.axis, node.keepDims);
          break;
        case 'softmax': r = ops.softmax(T(node.a), node.axis); break;
        case 'matmul': r = ops.matmul(T(node.a), T(node.b)); break;
        case 'dot': r = ops.dot(T(node.a), T(node.b)); break;
        case 'transpose': r = ops.transpose(T(node.a)); break;
        case 'reshape': r = ops.reshape(T(node.a), node.shape); break;
        case 'at': r = ops.at(T(node.a), node.index); break;
        case 'slice': r = ops.slice(T(node.a), node.start, node.end, node.axis); break;
        case 'concat': r = ops.concat(node.parts.map(T), node.axis); break;
        case 'stack': r = ops.stack(node.parts.map((k) => v[k]), node.axis); break;
        case 'where': {
          // A 1-D mask goes in as a plain array (booleans and numbers alike), others as a constant tensor.
          const mask = node.maskShape.length === 1 ? node.mask.map((m) => m === 1) : tensor(node.mask, node.maskShape);
          r = ops.where(mask, arg(node.a), arg(node.b));
          break;
        }
      }
      v.push(r);
    }
    return v[v.length - 1] as Scalar;
  };
}

// ---------------------------------------------------------------------------------------------------
// Evaluation by the oracle
// ---------------------------------------------------------------------------------------------------

function oracleUnary(fn: UnaryFn, a: HT, p: number | undefined): HT {
  const m = (f: (x: HD) => HD) => O.map(a, f);
  switch (fn) {
    case 'neg': return m(H.neg);
    case 'square': return m(H.square);
    case 'exp': return m(H.exp);
    case 'sin': return m(H.sin);
    case 'cos': return m(H.cos);
    case 'tanh': return m(H.tanh);
    case 'sigmoid': return m(H.sigmoid);
    case 'softplus': return m(H.softplus);
    case 'relu': return m(H.relu);
    case 'abs': return m(H.abs);
    case 'log': return m((x) => H.log(H.add(H.softplus(x), O.hconst(0.5))));
    case 'sqrt': return m((x) => H.sqrt(H.add(H.square(x), O.hconst(0.25))));
    case 'log1p': return m((x) => H.log1p(H.scale(H.tanh(x), 0.5)));
    case 'pow': {
      const q = p ?? 2;
      return m((x) => H.powConst(needsPositiveBase(q) ? H.add(H.softplus(x), O.hconst(0.5)) : x, q));
    }
  }
}

function oracleBinary(fn: BinaryFn, a: HT, b: HT, bIsNumber: boolean, aIsNumber: boolean): HT {
  switch (fn) {
    case 'add': return O.zip(a, b, H.add);
    case 'sub': return O.zip(a, b, H.sub);
    case 'mul': return O.zip(a, b, H.mul);
    case 'div': return O.zip(a, b, (x, y) => H.div(x, bIsNumber ? y : H.add(H.square(y), O.hconst(1))));
    case 'maximum': return O.zip(a, b, H.maximum);
    case 'minimum': return O.zip(a, b, H.minimum);
    case 'pow':
      return O.zip(a, b, (x, y) => {
        const base = aIsNumber ? x : H.add(H.softplus(x), O.hconst(0.5));
        // A number exponent is a constant: xᵖ by the one-variable rule (as the engine promises).
        return bIsNumber ? H.powConst(base, y.a) : H.pow(base, y);
      });
  }
}

/** The program evaluated on hyper-dual inputs; returns the (scalar) output. */
export function toOracle(e: Expr): (x: HD[]) => HD {
  return (x: HD[]) => {
    const v: HT[] = [];
    const arg = (a: Arg): HT => ('num' in a ? O.hscalar(O.hconst(a.num)) : v[a.ref]);
    for (const node of e.nodes) {
      let r: HT;
      switch (node.op) {
        case 'x': r = O.ht(x, [x.length]); break;
        case 'const': r = O.constTensor(node.values, node.shape); break;
        case 'scalar': r = O.hscalar(O.hconst(node.c)); break;
        case 'unary': r = oracleUnary(node.fn, v[node.a], node.p); break;
        case 'binary': r = oracleBinary(node.fn, arg(node.a), arg(node.b), 'num' in node.b, 'num' in node.a); break;
        case 'sum': r = O.sum(v[node.a], node.axis, node.keepDims); break;
        case 'mean': r = O.mean(v[node.a], node.axis, node.keepDims); break;
        case 'lse': r = O.logSumExp(v[node.a], node.axis, node.keepDims); break;
        case 'softmax': r = O.softmax(v[node.a], node.axis); break;
        case 'matmul': r = O.matmul(v[node.a], v[node.b]); break;
        case 'dot': r = O.dot(v[node.a], v[node.b]); break;
        case 'transpose': r = O.transpose(v[node.a]); break;
        case 'reshape': r = O.reshape(v[node.a], node.shape); break;
        case 'at': r = O.at(v[node.a], node.index); break;
        case 'slice': r = O.slice(v[node.a], node.start, node.end, node.axis); break;
        case 'concat': r = O.concat(node.parts.map((k) => v[k]), node.axis); break;
        case 'stack': r = O.stack(node.parts.map((k) => v[k]), node.axis); break;
        case 'where': r = O.where(node.mask, node.maskShape, arg(node.a), arg(node.b)); break;
      }
      v.push(r);
    }
    return O.only(v[v.length - 1]);
  };
}

// ---------------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------------

const showArg = (a: Arg) => ('num' in a ? String(a.num) : `%${a.ref}`);

/** One line per node: `%3 = tanh(%1)`. */
export function show(e: Expr): string {
  const lines = e.nodes.map((node, i) => {
    const rhs = (() => {
      switch (node.op) {
        case 'x': return `x (length ${e.n})`;
        case 'const': return `tensor([${node.values.join(', ')}], [${node.shape}])`;
        case 'scalar': return `scalar(${node.c})`;
        case 'unary': return `${node.fn}${node.p !== undefined ? `^${node.p}` : ''}(%${node.a})`;
        case 'binary': return `${node.fn}(${showArg(node.a)}, ${showArg(node.b)})`;
        case 'sum': case 'mean': case 'lse':
          return `${node.op}(%${node.a}${node.axis === undefined ? '' : `, axis ${node.axis}${node.keepDims ? ', keepDims' : ''}`})`;
        case 'softmax': return `softmax(%${node.a}, axis ${node.axis})`;
        case 'matmul': case 'dot': return `${node.op}(%${node.a}, %${node.b})`;
        case 'transpose': return `transpose(%${node.a})`;
        case 'reshape': return `reshape(%${node.a}, [${node.shape}])`;
        case 'at': return `at(%${node.a}, ${JSON.stringify(node.index)})`;
        case 'slice': return `slice(%${node.a}, ${node.start}, ${node.end}, axis ${node.axis})`;
        case 'concat': case 'stack': return `${node.op}([${node.parts.map((k) => `%${k}`).join(', ')}], axis ${node.axis})`;
        case 'where': return `where([${node.mask}] as [${node.maskShape}], ${showArg(node.a)}, ${showArg(node.b)})`;
      }
    })();
    return `%${i} = ${rhs}`;
  });
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Decoding random integers into a well-typed program
// ---------------------------------------------------------------------------------------------------

/** One raw instruction: an op code and integers that pick operands, modes and parameters. */
export interface RawInstr {
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly m: number;
  readonly p: number;
  /** A small integer; number constants are c/4. */
  readonly c: number;
  /** Seed for constant tensors and masks. */
  readonly s: number;
}

export interface RawProgram {
  readonly n: number;
  readonly instrs: readonly RawInstr[];
  /** How the sinks are combined into the output: bit k set = multiply the k-th sink in, else add. */
  readonly combine: number;
}

type Kind = 'S' | 'T';
interface Info {
  readonly kind: Kind;
  readonly shape: readonly number[];
  /** Depends on x (carries derivatives). */
  readonly active: boolean;
}

const MAX_SIZE = 48;
const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** Deterministic constants in [−1.5, 1.5] (three decimals) from a seed. */
export function constValues(seed: number, len: number): number[] {
  return Array.from({ length: len }, (_, k) => {
    const h = Math.abs(Math.imul(seed * 2654435761 + k * 40503 + 12345, 2246822519) ^ (seed + 7 * k));
    return ((h % 3001) - 1500) / 1000;
  });
}

function broadcastable(a: readonly number[], b: readonly number[]): readonly number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, k) => d === b[k]);

/** Divisor pairs [r, size/r]. */
function factorizations(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let r = 1; r <= n; r++) if (n % r === 0) out.push([r, n / r]);
  return out;
}

/**
 * Decodes raw integers into a program. Each instruction tries its op on operands chosen among the
 * nodes where it is valid; when it cannot apply, it falls back to a unary op (always valid). The
 * output is built from every sink (a node nothing else uses) that depends on x: tensors are reduced
 * with a weighted sum, and the scalars are added or multiplied together.
 */
export function decode(raw: RawProgram): Expr {
  const nodes: ENode[] = [];
  const info: Info[] = [];
  const used = new Set<number>();
  const push = (node: ENode, inf: Info): number => {
    nodes.push(node);
    info.push(inf);
    return nodes.length - 1;
  };
  const use = (...refs: number[]) => refs.forEach((r) => used.add(r));
  const refOf = (a: Arg) => ('ref' in a ? a.ref : -1);
  const isActive = (a: Arg) => 'ref' in a && info[a.ref].active;

  push({ op: 'x' }, { kind: 'T', shape: [raw.n], active: true });

  /** Picks a node satisfying `ok`, preferring nodes that depend on x (4 picks in 5). */
  const pick = (choice: number, ok: (i: Info, k: number) => boolean): number | null => {
    const all = info.map((i, k) => [i, k] as const).filter(([i, k]) => ok(i, k)).map(([, k]) => k);
    if (all.length === 0) return null;
    const act = all.filter((k) => info[k].active);
    const pool = act.length > 0 && choice % 5 !== 0 ? act : all;
    // Recent nodes are picked more often: deep chains, not only wide ones.
    const j = Math.floor(choice / 5) % (pool.length + 2);
    return pool[Math.max(0, pool.length - 1 - Math.min(j, pool.length - 1))];
  };
  const pickTensor = (choice: number, ok: (s: readonly number[]) => boolean = () => true) =>
    pick(choice, (i) => i.kind === 'T' && size(i.shape) > 0 && ok(i.shape));

  const freshConst = (shape: readonly number[], seedValue: number): number =>
    push({ op: 'const', values: constValues(seedValue, size(shape)), shape: [...shape] }, { kind: 'T', shape, active: false });

  const unaryOn = (r: RawInstr, a: number): number => {
    const fn = UNARY[r.p % UNARY.length];
    const p = fn === 'pow' ? POW_EXPONENTS[r.s % POW_EXPONENTS.length] : undefined;
    use(a);
    return push(p === undefined ? { op: 'unary', fn, a } : { op: 'unary', fn, a, p }, info[a]);
  };

  /** The number operand of a binary op, drawn inside the op's domain. */
  const numberFor = (fn: BinaryFn, side: 'a' | 'b', c: number): number => {
    if (fn === 'div' && side === 'b') return (c < 0 ? -1 : 1) * (0.5 + Math.abs(c) / 4);
    if (fn === 'pow' && side === 'a') return 0.5 + Math.abs(c) / 4;
    return c / 4;
  };

  const binaryOn = (r: RawInstr, a: number, forceMixed: boolean): number => {
    const fn = BINARY[r.p % BINARY.length];
    const A = info[a];
    let mode = forceMixed ? 5 : r.m % 7;
    let left: Arg = { ref: a };
    let right: Arg = { num: 0 };
    if (mode === 6) {
      // A column against a row: [k] viewed as [k, 1] (or a node already [k, 1]) with a [m] or [1, m] node.
      const s = A.shape;
      const k = s.length === 1 ? s[0] : s.length === 2 && s[1] === 1 ? s[0] : 0;
      const row = k > 1 ? pick(r.b, (i) => i.kind === 'T' && ((i.shape.length === 1 && i.shape[0] > 1) || (i.shape.length === 2 && i.shape[0] === 1 && i.shape[1] > 1)) && k * i.shape[i.shape.length - 1] <= MAX_SIZE) : null;
      if (row === null) mode = 0;
      else {
        if (s.length === 1) {
          use(a);
          left = { ref: push({ op: 'reshape', a, shape: [k, 1] }, { kind: 'T', shape: [k, 1], active: A.active }) };
        }
        right = { ref: row };
      }
    }
    if (mode === 2) right = { num: numberFor(fn, 'b', r.c) };
    else if (mode === 3) {
      right = { ref: a };
      left = { num: numberFor(fn, 'a', r.c) };
    } else if (mode === 4) {
      if (A.kind === 'S') {
        right = { ref: push({ op: 'scalar', c: r.c / 4 }, { kind: 'S', shape: [], active: false }) };
      } else {
        // Same shape, a row, a column, or (for a vector) a column that broadcasts it into a matrix.
        const s = A.shape;
        const options: number[][] = [[...s], [1]];
        if (s.length === 2) options.push([s[1]], [s[0], 1], [1, s[1]]);
        if (s.length === 1) options.push([s[0], 1], [2, 1]);
        const shape = options[Math.floor(r.m / 7) % options.length];
        const out = broadcastable(s, shape);
        right = out && size(out) <= MAX_SIZE ? { ref: freshConst(shape, r.s) } : { num: numberFor(fn, 'b', r.c) };
      }
    } else if (mode !== 6) {
      // Another node: broadcast-compatible (modes 0, 1), or of the other kind, scalar with tensor (5).
      const b = pick(r.b, (i) => {
        if (mode === 5 && i.kind === A.kind) return false;
        const out = broadcastable(A.shape, i.shape);
        return out !== null && out.length <= 3 && size(out) <= MAX_SIZE;
      });
      right = b === null ? { num: numberFor(fn, 'b', r.c) } : { ref: b };
    }
    if (Math.floor(r.m / 7) % 3 === 1 && 'ref' in right) [left, right] = [right, left]; // either side may be the node
    if ('num' in left && fn === 'pow') left = { num: numberFor(fn, 'a', r.c) };
    if ('num' in right && (fn === 'div' || fn === 'pow')) right = { num: numberFor(fn, 'b', r.c) };
    const L = 'ref' in left ? info[left.ref] : null;
    const R = 'ref' in right ? info[right.ref] : null;
    const kind: Kind = L?.kind === 'T' || R?.kind === 'T' ? 'T' : 'S';
    const shape = broadcastable(L?.shape ?? [], R?.shape ?? [])!;
    use(...[refOf(left), refOf(right)].filter((k) => k >= 0));
    return push({ op: 'binary', fn, a: left, b: right }, { kind, shape, active: isActive(left) || isActive(right) });
  };

  for (const r of raw.instrs) {
    const code = r.op % 24;
    const fallback = () => unaryOn(r, pick(r.a, () => true)!);
    if (code <= 4) {
      unaryOn(r, pick(r.a, () => true)!);
    } else if (code <= 8 || code === 23) {
      binaryOn(r, pick(r.a, () => true)!, code === 23);
    } else if (code <= 11) {
      const op = (['sum', 'mean', 'lse'] as const)[code - 9];
      const a = pickTensor(r.a);
      if (a === null) { fallback(); continue; }
      const s = info[a].shape;
      const mode = s.length === 0 ? 0 : r.m % 3;
      use(a);
      if (mode === 0) push({ op, a }, { kind: 'S', shape: [], active: info[a].active });
      else {
        const ax = r.p % s.length;
        const axis = r.p % 2 === 0 ? ax : ax - s.length;
        const keepDims = mode === 2;
        const shape = keepDims ? s.map((d, k) => (k === ax ? 1 : d)) : s.filter((_, k) => k !== ax);
        push({ op, a, axis, keepDims }, { kind: 'T', shape, active: info[a].active });
      }
    } else if (code === 12) {
      const a = pickTensor(r.a, (s) => s.length >= 1);
      if (a === null) { fallback(); continue; }
      const rank = info[a].shape.length;
      use(a);
      push({ op: 'softmax', a, axis: (r.p % (2 * rank)) - rank }, info[a]);
    } else if (code === 13) {
      const a = pickTensor(r.a, (s) => s.length === 1 || s.length === 2);
      if (a === null) { fallback(); continue; }
      const s = info[a].shape;
      const k = s[s.length - 1];
      let left = a;
      let right: number | null = null;
      if (r.m % 3 === 0) {
        // The node on the right of a constant: [j, rows]·a.
        const j = 1 + (r.p % 3);
        left = freshConst([j, s[0]], r.s);
        right = a;
      } else {
        if (r.m % 3 === 1) right = pickTensor(r.b, (t) => (t.length === 2 || (t.length === 1 && s.length === 2)) && t[0] === k);
        if (right === null) right = freshConst([k, 1 + (r.p % 3)], r.s);
      }
      const ls = info[left].shape, rs = info[right].shape;
      const shape = [...(ls.length === 2 ? [ls[0]] : []), ...(rs.length === 2 ? [rs[1]] : [])];
      if (size(shape) > MAX_SIZE) { fallback(); continue; }
      use(left, right);
      push({ op: 'matmul', a: left, b: right }, { kind: 'T', shape, active: info[left].active || info[right].active });
    } else if (code === 14) {
      const a = pickTensor(r.a, (s) => s.length === 1);
      if (a === null) { fallback(); continue; }
      const len = info[a].shape[0];
      let b = r.m % 2 === 0 ? pickTensor(r.b, (s) => s.length === 1 && s[0] === len) : null;
      if (b === null) b = freshConst([len], r.s);
      use(a, b);
      push({ op: 'dot', a, b }, { kind: 'S', shape: [], active: info[a].active || info[b].active });
    } else if (code === 15) {
      const a = pickTensor(r.a, (s) => s.length === 2);
      if (a === null) { fallback(); continue; }
      use(a);
      const [rows, cols] = info[a].shape;
      push({ op: 'transpose', a }, { kind: 'T', shape: [cols, rows], active: info[a].active });
    } else if (code === 16) {
      const a = pickTensor(r.a);
      if (a === null) { fallback(); continue; }
      const n = size(info[a].shape);
      const options: number[][] = [[n], [-1]];
      for (const [p, q] of factorizations(n)) options.push([p, q], [p, -1], [-1, q]);
      if (n === 1) options.push([]);
      if (n <= 16) for (const [p, q] of factorizations(n)) if (q % 2 === 0) options.push([p, q / 2, 2]);
      const shape = options[r.p % options.length];
      const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
      use(a);
      push({ op: 'reshape', a, shape }, { kind: 'T', shape: shape.map((d) => (d === -1 ? n / known : d)), active: info[a].active });
    } else if (code === 17 || (code === 22 && r.m % 3 === 0)) {
      const a = code === 22 ? 0 : pickTensor(r.a);
      if (a === null) { fallback(); continue; }
      const s = info[a].shape;
      const flat = r.p % size(s);
      const index = r.m % 2 === 0 || s.length === 0 ? flat : s.map((_, k) => Math.floor(flat / size(s.slice(k + 1))) % s[k]);
      use(a);
      push({ op: 'at', a, index }, { kind: 'S', shape: [], active: info[a].active });
    } else if (code === 18 || (code === 22 && r.m % 3 === 2)) {
      const a = code === 22 ? 0 : pickTensor(r.a, (s) => s.some((d) => d >= 2));
      if (a === null || !info[a].shape.some((d) => d >= 2)) { fallback(); continue; }
      const s = info[a].shape;
      const axes = s.map((d, k) => (d >= 2 ? k : -1)).filter((k) => k >= 0);
      const axis = axes[r.m % axes.length];
      const d = s[axis];
      const start = r.p % (d - 1);
      const end = start + 1 + (r.b % (d - start));
      use(a);
      push({ op: 'slice', a, start, end, axis }, { kind: 'T', shape: s.map((v, k) => (k === axis ? end - start : v)), active: info[a].active });
    } else if (code === 19) {
      const a = pickTensor(r.a, (s) => s.length >= 1);
      if (a === null) { fallback(); continue; }
      const s = info[a].shape;
      const axis = r.m % s.length;
      const fits = (t: readonly number[]) => t.length === s.length && t.every((d, k) => k === axis || d === s[k]);
      const parts = [a];
      const extra = 1 + (r.p % 2);
      for (let j = 0; j < extra; j++) {
        const b = pickTensor(r.b + 7 * j, fits);
        parts.push(b ?? a); // concat([a, a]) is a shared subexpression too
      }
      const total = parts.reduce((t, k) => t + info[k].shape[axis], 0);
      const shape = s.map((d, k) => (k === axis ? total : d));
      if (size(shape) > MAX_SIZE) { fallback(); continue; }
      use(...parts);
      push({ op: 'concat', parts, axis: r.m % 2 === 0 ? axis : axis - s.length }, { kind: 'T', shape, active: parts.some((k) => info[k].active) });
    } else if (code === 20) {
      const a = pick(r.a, (i) => i.kind === 'S' || (i.shape.length <= 2 && size(i.shape) > 0));
      if (a === null) { fallback(); continue; }
      const A = info[a];
      const count = 2 + (r.p % 2);
      const parts = [a];
      for (let j = 1; j < count; j++) {
        const b = pick(r.b + 11 * j, (i) => i.kind === A.kind && sameShape(i.shape, A.shape));
        parts.push(b ?? a);
      }
      const rank = A.kind === 'S' ? 0 : A.shape.length;
      const ax = r.m % (rank + 1);
      const shape = [...A.shape.slice(0, ax), count, ...A.shape.slice(ax)];
      if (size(shape) > MAX_SIZE) { fallback(); continue; }
      use(...parts);
      push({ op: 'stack', parts, axis: r.m % 2 === 0 ? ax : ax - rank - 1 }, { kind: 'T', shape, active: parts.some((k) => info[k].active) });
    } else if (code === 21) {
      const a = pickTensor(r.a, (s) => s.length >= 1);
      if (a === null) { fallback(); continue; }
      const s = info[a].shape;
      let other: Arg;
      const mode = r.m % 4;
      if (mode === 0) other = { num: r.c / 4 };
      else if (mode === 1) {
        const b = pick(r.b, (i) => i.kind === 'S');
        other = b === null ? { num: r.c / 4 } : { ref: b };
      } else {
        const b = pick(r.b, (i) => { const o = broadcastable(s, i.shape); return o !== null && sameShape(o, s); });
        other = b === null ? { ref: freshConst(s, r.s) } : { ref: b };
      }
      const mask = constValues(r.s + 1, size(s)).map((c) => (c > 0 ? 1 : 0));
      const [x, y]: [Arg, Arg] = r.p % 2 === 0 ? [{ ref: a }, other] : [other, { ref: a }];
      use(...[refOf(x), refOf(y)].filter((k) => k >= 0));
      push({ op: 'where', mask, maskShape: [...s], a: x, b: y }, { kind: 'T', shape: s, active: isActive(x) || isActive(y) });
    } else {
      // code 22, m % 3 === 1: x viewed as a matrix
      const [p, q] = factorizations(raw.n)[r.p % factorizations(raw.n).length];
      use(0);
      push({ op: 'reshape', a: 0, shape: [p, q] }, { kind: 'T', shape: [p, q], active: true });
    }
  }

  // The output: every sink that depends on x, reduced to a scalar and combined.
  const sinks = info.map((_, k) => k).filter((k) => info[k].active && !used.has(k));
  let out: number | null = null;
  sinks.forEach((k, j) => {
    let s = k;
    if (info[k].kind === 'T') {
      const w = freshConst(info[k].shape, 1000 + k);
      const weighted = push({ op: 'binary', fn: 'mul', a: { ref: k }, b: { ref: w } }, info[k]);
      s = push({ op: 'sum', a: weighted }, { kind: 'S', shape: [], active: true });
    }
    if (out === null) out = s;
    else {
      const fn = (raw.combine >> j) & 1 ? 'mul' : 'add';
      out = push({ op: 'binary', fn, a: { ref: out }, b: { ref: s } }, { kind: 'S', shape: [], active: true });
    }
  });
  if (out === null || info[out].kind !== 'S') throw new Error('decode: no scalar output');
  if (out !== nodes.length - 1) push({ op: 'binary', fn: 'add', a: { ref: out }, b: { num: 0 } }, { kind: 'S', shape: [], active: true });
  return { n: raw.n, nodes };
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------

const instrArb: fc.Arbitrary<RawInstr> = fc.record({
  op: fc.nat(239),
  a: fc.nat(99),
  b: fc.nat(99),
  m: fc.nat(99),
  p: fc.nat(99),
  c: fc.integer({ min: -8, max: 8 }),
  s: fc.nat(9999),
});

/** Raw programs over an input of length 1…6 with 1…maxInstrs instructions. */
export function rawProgramArb(maxInstrs = 14): fc.Arbitrary<RawProgram> {
  return fc.record({
    n: fc.integer({ min: 1, max: 6 }),
    instrs: fc.array(instrArb, { minLength: 1, maxLength: maxInstrs, size: 'max' }),
    combine: fc.nat(255),
  });
}

// Uniform over the reals in [−r, r]. fast-check's doubles are spread over bit patterns instead (half of
// them tiny) and biased toward 0 and the bounds: points exactly on kinks, which are the hostile-input
// tests' business, not this one's.
const coord = (r: number) => fc.noBias(fc.integer({ min: -1e9, max: 1e9 })).map((k) => (r * k) / 1e9 + 0);

/** Exact values where the engine has special cases (0·∞ guards, pow's b = 0, p = 1 branches, ties). */
const SPECIAL = [0, 1, -1, 2, 0.5, -0.5] as const;

/**
 * A program with a point x ∈ [−2, 2]ⁿ and a direction v ∈ [−1, 1]ⁿ (drawn at length 6, cut to n).
 * With `special`, one coordinate in five is one of 0, ±1, 2, ±½ exactly instead.
 */
export function caseArb(maxInstrs = 14, options: { special?: boolean } = {}): fc.Arbitrary<{ expr: Expr; x: Float64Array; v: Float64Array }> {
  const c = (r: number) => (options.special ? fc.oneof({ weight: 4, arbitrary: coord(r) }, { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) }) : coord(r));
  return fc
    .record({
      raw: rawProgramArb(maxInstrs),
      x: fc.array(c(2), { minLength: 6, maxLength: 6 }),
      v: fc.array(c(1), { minLength: 6, maxLength: 6 }),
    })
    .map(({ raw, x, v }) => ({
      expr: decode(raw),
      x: Float64Array.from(x.slice(0, raw.n)),
      v: Float64Array.from(v.slice(0, raw.n)),
    }));
}

// ---------------------------------------------------------------------------------------------------
// Comparing the engine with the oracle (shared by differential.test.ts and regressions.test.ts)
// ---------------------------------------------------------------------------------------------------

/**
 * Agreement required: |engine − oracle| ≤ 1e-12 · max(1, scale) + 64 ulps of M, where the scale is the
 * compared quantity's magnitude and M the largest intermediate number of the computation (value or
 * derivative part, measured by the oracle). Two correct float64 evaluations differ by a few ulps of
 * their intermediates however small the result is (up to ~3 ulps of M observed over 10⁴ programs; the
 * saturated softmax in regressions.test.ts is the extreme case, M = 4.5e7), so for M below ~70 the
 * bound is the plain 1e-12 relative one, and above it grows with M. A real defect is off by O(1) of
 * the quantity (a dropped term, a wrong partial), far above either term.
 */
export const TOL = 1e-12;
/** Points within this distance of a kink (where the subgradient choice matters) are skipped. */
export const KINK_MARGIN = 1e-6;
/** Rounding allowance in units in the last place of the largest intermediate (see above). */
export const INTERMEDIATE_ULPS = 64;

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * Throws a readable error unless max|engine − oracle| ≤ TOL · max(1, scale) + slack; returns true when
 * the comparison passed only thanks to the slack.
 */
function agree(engine: ArrayLike<number>, oracle: ArrayLike<number>, scale: number, slack: number, what: string, context: () => string): boolean {
  if (engine.length !== oracle.length) throw new Error(`${what}: engine has ${engine.length} numbers, oracle ${oracle.length}\n${context()}`);
  let diff = 0;
  let at = -1;
  for (let k = 0; k < oracle.length; k++) {
    const d = Math.abs(engine[k] - oracle[k]);
    if (!(d <= diff)) { diff = d; at = k; }
  }
  const bound = TOL * Math.max(1, scale) + slack;
  if (!(diff <= bound)) {
    throw new Error(
      `${what}: engine and oracle differ by ${diff} at [${at}] (allowed ${bound})\n` +
        `  engine = [${Array.from(engine).join(', ')}]\n  oracle = [${Array.from(oracle).join(', ')}]\n${context()}`,
    );
  }
  return diff > TOL * Math.max(1, scale);
}

export interface Outcome {
  readonly skipped: 'kink' | 'non-finite' | null;
  /** True when some comparison passed only thanks to the intermediates' rounding allowance. */
  readonly loosened: boolean;
}

/** Compares every engine transform in the test with the oracle on one program; returns what happened. */
export function compareWithOracle(expr: Expr, x: Float64Array, v: Float64Array, withHessian: boolean): Outcome {
  const o: OracleDerivatives = oracleDerivatives(toOracle(expr), x, v, withHessian);
  if (o.kinkMargin <= KINK_MARGIN) return { skipped: 'kink', loosened: false };
  const all = [o.value, ...o.grad, ...o.hvp, ...(o.hessian ?? [])];
  // A program whose exact derivatives overflow has nothing finite to compare (hostile-inputs covers those).
  if (!all.every(Number.isFinite)) return { skipped: 'non-finite', loosened: false };

  const context = () => `program:\n${show(expr)}\nx = [${Array.from(x).join(', ')}]\nv = [${Array.from(v).join(', ')}]\n` +
    `largest intermediate ${o.largestIntermediate}\nJSON: ${JSON.stringify({ expr, x: Array.from(x), v: Array.from(v) })}`;
  const slack = INTERMEDIATE_ULPS * Number.EPSILON * o.largestIntermediate;
  const f = toEngine(expr);
  const n = x.length;
  const needed: boolean[] = [];

  const r = gradAndHvp(f, x, v);
  needed.push(agree([r.value], [o.value], Math.abs(o.value), slack, 'gradAndHvp value', context));
  needed.push(agree(r.grad as Float64Array, o.grad, maxAbs(o.grad), slack, 'gradAndHvp grad', context));
  // H·v sums n products H_ij·v_j: its natural scale is that of the terms, not of the sum.
  let hvScale = maxAbs(o.hvp);
  if (o.hessian) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(o.hessian[i * n + j] * v[j]);
      hvScale = Math.max(hvScale, s);
    }
  }
  needed.push(agree(r.hvp as Float64Array, o.hvp, hvScale, slack, 'gradAndHvp H·v', context));

  const t = jvp(f, x, v);
  const gv = o.grad.reduce((s, g, k) => s + Math.abs(g * v[k]), 0);
  needed.push(agree([t.tangent as number], [o.directional], Math.max(gv, Math.abs(o.directional)), slack, 'jvp tangent (∇f·v)', context));

  if (o.hessian) needed.push(agree(hessian(f, x), o.hessian, maxAbs(o.hessian), slack, 'hessian', context));
  const loosened = needed.some(Boolean);
  return { skipped: null, loosened };
}


/**
 * The same program's H·v and Hessian computed through nested transforms — forward over reverse as
 * `jvp` of an inner `grad`, reverse over forward as `grad` of an inner `jvp`, and the Hessian as the
 * `jacobian` of an inner `grad` — against the oracle, with the tolerances of {@link compareWithOracle}.
 */
export function compareNestedWithOracle(expr: Expr, x: Float64Array, v: Float64Array): Outcome {
  const o: OracleDerivatives = oracleDerivatives(toOracle(expr), x, v, true);
  if (o.kinkMargin <= KINK_MARGIN) return { skipped: 'kink', loosened: false };
  if (![o.value, ...o.grad, ...o.hvp, ...o.hessian!].every(Number.isFinite)) return { skipped: 'non-finite', loosened: false };
  const context = () => `program:\n${show(expr)}\nx = [${Array.from(x).join(', ')}]\nv = [${Array.from(v).join(', ')}]\n` +
    `JSON: ${JSON.stringify({ expr, x: Array.from(x), v: Array.from(v) })}`;
  const slack = INTERMEDIATE_ULPS * Number.EPSILON * o.largestIntermediate;
  const f = toEngine(expr);
  const n = x.length;
  let hvScale = maxAbs(o.hvp);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(o.hessian![i * n + j] * v[j]);
    hvScale = Math.max(hvScale, s);
  }
  const innerGrad = (xn: Tensor) => grad(f)(xn) as unknown as Tensor;
  const forwardOverReverse = jvp(innerGrad, x, v).tangent as Float64Array;
  const reverseOverForward = grad((xn: Tensor) => jvp(f, xn, v).tangent as unknown as Scalar)(x) as Float64Array;
  const needed = [
    agree(forwardOverReverse, o.hvp, hvScale, slack, 'jvp(grad f) = H·v', context),
    agree(reverseOverForward, o.hvp, hvScale, slack, 'grad(jvp f) = H·v', context),
    agree(jacobian(innerGrad, x), o.hessian!, maxAbs(o.hessian!), slack, 'jacobian(grad f) = H', context),
  ];
  return { skipped: null, loosened: needed.some(Boolean) };
}
