/**
 * The compiled replay's sweeps over scalar nodes, generated from the rules themselves. A rule is
 * written once against the algebra (algebra/algebra.ts); run on a *symbolic* algebra, where a value
 * is the text of an expression, it prints its own arithmetic for one scalar node: `bars[a] +=
 * tz(bars[i], vals[b])`. Those snippets, one per (op, sweep, which inputs are active, op parameter),
 * become the cases of one generated `switch` over the tape — the typed-array interpreter of a
 * hand-written AD tool, derived from the one form of the rules, with no per-node call or allocation.
 * A rule that cannot be traced this way (tensors, op data, a structural method) runs as itself in the
 * switch's default case, so the fast path covers what it can and never changes a result.
 * @module
 */
import type { Algebra, Elementwise, Elementwise2, Value } from '../algebra/algebra.js';
import type { Lanes } from '../lanes.js';
import { CONSTANT, LEAF, ruleOf, type OpRule, type Tape } from '../tape.js';

/** An expression over one node's lanes, as JavaScript text. */
class Sym {
  constructor(readonly code: string) {}
}

type S = Sym | number;

/** A tensor input's lane (its whole array), which a rule may only index into with `at`. */
class SymTensor {
  /** `nullable`: the lane may be null (a tangent lane not computed), reading as zeros. */
  constructor(readonly code: string, readonly nullable = false) {}
}

/** Thrown while tracing a rule that does something only the generic sweep can do. */
class NotTraceable extends Error {}

const text = (x: S): string => (typeof x === 'number' ? numberLiteral(x) : x.code);

function numberLiteral(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${x})` : String(x);
}

/** The numbers algebra's scalar arithmetic, printed instead of computed (the same operations, in order). */
class SymbolicAlgebra implements Algebra {
  readonly kind = 'numbers' as const;
  /** Functions the generated code calls: ops' f, masks' step functions. */
  readonly fns: Array<(u: number, v: number) => number> = [];

  private num(a: unknown): S {
    if (typeof a === 'number' || a instanceof Sym) return a;
    throw new NotTraceable();
  }

  private fn(f: (u: number, v: number) => number): string {
    let k = this.fns.indexOf(f);
    if (k < 0) k = this.fns.push(f) - 1;
    return `F[${k}]`;
  }

  private binary(a: unknown, b: unknown, op: string, fold: (x: number, y: number) => number): S {
    const x = this.num(a), y = this.num(b);
    if (typeof x === 'number' && typeof y === 'number') return fold(x, y);
    return new Sym(`(${text(x)} ${op} ${text(y)})`);
  }

  add(a: Value, b: Value): Value { return this.binary(a, b, '+', (x, y) => x + y) as Value; }
  sub(a: Value, b: Value): Value { return this.binary(a, b, '-', (x, y) => x - y) as Value; }
  div(a: Value, b: Value): Value { return this.binary(a, b, '/', (x, y) => x / y) as Value; }

  mul(a: Value, b: Value): Value {
    const x = this.num(a), y = this.num(b);
    // The numbers algebra's structural-zero product, exactly (tz is its times, see below).
    if (typeof x === 'number' && typeof y === 'number') return (x === 0 || y === 0 ? 0 : x * y + 0) as Value;
    // With a finite nonzero constant factor c, times(c, w) is exactly c·w + 0 (w = 0 gives +0 either
    // way, and no indeterminate product is possible): no test needed.
    const c = typeof x === 'number' ? x : typeof y === 'number' ? y : null;
    if (c !== null && c !== 0 && Number.isFinite(c)) return new Sym(`(${numberLiteral(c)} * ${text(typeof x === 'number' ? y : x)} + 0)`) as unknown as Value;
    return new Sym(`tz(${text(x)}, ${text(y)})`) as unknown as Value;
  }

  neg(a: Value): Value {
    const x = this.num(a);
    return (typeof x === 'number' ? -x : new Sym(`(-${text(x)})`)) as Value;
  }

  map(op: Elementwise, x: Value, p = 0): Value {
    const v = this.num(x);
    if (typeof v === 'number') return op.math.f(v, p) as Value;
    return new Sym(`${this.fn(op.math.f)}(${text(v)}, ${numberLiteral(p)})`) as unknown as Value;
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    return this.step2(a, b, op.math.f);
  }

  step(x: Value, f: (v: number) => number): Value {
    const v = this.num(x);
    if (typeof v === 'number') return f(v) as Value;
    return new Sym(`${this.fn(f as (u: number, v: number) => number)}(${text(v)})`) as unknown as Value;
  }

  step2(a: Value, b: Value, f: (u: number, v: number) => number): Value {
    const x = this.num(a), y = this.num(b);
    if (typeof x === 'number' && typeof y === 'number') return f(x, y) as Value;
    return new Sym(`${this.fn(f)}(${text(x)}, ${text(y)})`) as unknown as Value;
  }

  // Scalars need none of the shape work: a rule that reaches for it is traced no further.
  numbers(): never { throw new NotTraceable(); }
  constant(): never { throw new NotTraceable(); }
  broadcastTo(): never { throw new NotTraceable(); }
  sumTo(): never { throw new NotTraceable(); }
  reshape(): never { throw new NotTraceable(); }
  transpose(): never { throw new NotTraceable(); }
  matmul(): never { throw new NotTraceable(); }
  slice(): never { throw new NotTraceable(); }
  pad(): never { throw new NotTraceable(); }
  concat(): never { throw new NotTraceable(); }
  /** Element k of a tensor input's lane: `at` reading one element. */
  at(x: Value, _shape: unknown, k: number): Value {
    if (!((x as unknown) instanceof SymTensor)) throw new NotTraceable();
    const lane = x as unknown as SymTensor;
    const element = `${lane.code}[${k === AUX_MARK ? 'aux[i]' : String(k)}]`;
    return new Sym(lane.nullable ? `(${lane.code} === null ? 0 : ${element})` : element) as unknown as Value;
  }
  oneHot(): never { throw new NotTraceable(); }
  select(): never { throw new NotTraceable(); }
  promote(): never { throw new NotTraceable(); }
  demote(): never { throw new NotTraceable(); }
  apply(): never { throw new NotTraceable(); }
}

/** The op parameter of a rule whose parameter is data (`auxIsData`), as it appears while tracing. */
const AUX_MARK = 987654;

/** Node slots of a traced rule: its inputs and itself, named as the generated code names them. */
const A = 0, B = 1, I = 2;
const NAMES = ['a', 'b', 'i'];

/** Which lanes a pass computes. */
export type Pass = 'forward' | 'forwardTangent' | 'tangent' | 'reverseBar' | 'reverseBarDot' | 'reverseBoth';

/**
 * A stand-in tape of three scalar nodes (two inputs and the node itself) with the given activity and
 * op parameter, and lanes that print what the rule reads and writes.
 */
function traceRule(
  rule: OpRule, pass: Pass, aActive: boolean, bActive: boolean, hasB: boolean, aux: number, aTensor: boolean,
): { code: string; fns: SymbolicAlgebra['fns'] } | null {
  const o = new SymbolicAlgebra();
  const lines: string[] = [];
  const active = new Uint8Array([aActive ? 1 : 0, bActive ? 1 : 0, 1]);
  // A tensor input (`at` reads one element of it): its lanes are the handle's arrays, TA.
  const fakeTensor = { shape: [AUX_MARK + 1], size: AUX_MARK + 1 };
  const tape = {
    in0: Int32Array.of(-1, -1, A), in1: Int32Array.of(-1, -1, hasB ? B : -1), aux: Float64Array.of(0, 0, aux),
    slot: Int32Array.of(aTensor ? 0 : -1, -1, -1), active, checkFinite: false,
    isTensor: (j: number) => aTensor && j === A,
    tensorAt: (j: number) => { if (aTensor && j === A) return fakeTensor; throw new NotTraceable(); },
    inputsOf: () => (hasB ? [A, B] : [A]),
    saved: { get: () => { throw new NotTraceable(); } },
    manyInputs: { get: () => undefined },
    get o(): never { throw new NotTraceable(); },
  } as unknown as Tape;
  const lane = (name: string, j: number): S => new Sym(`${name}[${NAMES[j]}]`);
  // Element k of a tensor input's adjoint lane, as the tape's addBarAt does it (nothing for a zero).
  const addAt = (laneName: 'bar' | 'barDot', j: number, k: number, v: S): void => {
    if (!aTensor || j !== A) throw new NotTraceable();
    if (v === 0) return;
    const index = k === AUX_MARK ? 'aux[i]' : String(k);
    lines.push(`{ const w = ${text(v)}; if (w !== 0) (TA.${laneName} ??= new Float64Array(TA.size))[${index}] += w; }`);
  };
  const reverse = pass.startsWith('reverse');
  const L: Lanes = {
    tape,
    sweepBar: pass === 'reverseBar' || pass === 'reverseBoth',
    sweepBarDot: pass === 'reverseBarDot' || pass === 'reverseBoth',
    isActive: (j) => active[j] === 1,
    val: (j) => (aTensor && j === A ? new SymTensor('TA.data') : lane('vals', j)) as unknown as Value,
    dot: (j) => (active[j] !== 1 ? 0 : aTensor && j === A ? new SymTensor('TA.dataDot', true) : lane('dots', j)) as unknown as Value,
    bar: (j) => (reverse && j === I ? lane('bars', j) : 0) as unknown as Value,
    barDot: (j) => (reverse && j === I ? lane('barDots', j) : 0) as unknown as Value,
    setDot: (j, v) => lines.push(`dots[${NAMES[j]}] = ${text(v as unknown as S)};`),
    setVal: (j, v) => lines.push(`vals[${NAMES[j]}] = ${text(v as unknown as S)};`),
    addBar: (j, v) => { if (v !== 0) lines.push(`bars[${NAMES[j]}] += ${text(v as unknown as S)};`); },
    addBarDot: (j, v) => { if (v !== 0) lines.push(`barDots[${NAMES[j]}] += ${text(v as unknown as S)};`); },
    addBarAt: (j, k, v) => addAt('bar', j, k, v as unknown as S),
    addBarDotAt: (j, k, v) => addAt('barDot', j, k, v as unknown as S),
  };
  try {
    if (pass === 'tangent') rule.tangent(o, L, I);
    else if (pass === 'forward' || pass === 'forwardTangent') {
      rule.primal!(o, L, I);
      if (pass === 'forwardTangent') rule.tangent(o, L, I);
    } else {
      rule.backward(o, L, I);
    }
  } catch (error) {
    if (error instanceof NotTraceable || error instanceof TypeError) return null;
    throw error;
  }
  return { code: lines.join(' '), fns: o.fns };
}

/** One pass over a tape, generated: a switch with one case per traced variant, the rest generic. */
export interface GeneratedPass {
  run(tape: Tape): void;
}

const snippetCache = new Map<number, { code: string; fns: SymbolicAlgebra['fns'] } | null>();

const UNSEEN = -3;
/** Room for the variants of op codes below ~2000 found by index (others go through the map). */
const BY_SHAPE = 2 ** 18;

const PASS_IDS: Record<Pass, number> = { forward: 0, forwardTangent: 1, tangent: 5, reverseBar: 2, reverseBarDot: 3, reverseBoth: 4 };

/** Small numbers for the op parameters seen, so a variant's key stays a number. */
const auxIds = new Map<number, number>([[0, 0], [AUX_MARK, 1]]);
function auxId(aux: number): number {
  let id = auxIds.get(aux);
  if (id === undefined) {
    if (auxIds.size >= 2 ** 20) auxIds.clear(), snippetCache.clear(), auxIds.set(0, 0).set(AUX_MARK, 1);
    auxIds.set(aux, (id = auxIds.size));
  }
  return id;
}
const passCache = new Map<string, (...args: unknown[]) => void>();

/**
 * The pass `pass` over the scalar nodes of `tape`, generated, or null when code cannot be generated
 * here (a Content-Security-Policy without 'unsafe-eval').
 */
export function generatePass(tape: Tape, pass: Pass): GeneratedPass | null {
  const n = tape.length;
  const variant = new Int32Array(n).fill(-2);
  const cases: string[] = [];
  const caseOf = new Map<number, number>();
  const fns: Array<(u: number, v: number) => number> = [];
  const reverse = pass.startsWith('reverse');
  const many = tape.manyInputs.size > 0;
  const byShape = new Int32Array(BY_SHAPE).fill(UNSEEN);
  for (let i = 0; i < n; i++) {
    const code = tape.op[i];
    if (code === LEAF || code === CONSTANT) continue;
    // Inactive nodes carry no tangent or adjoint; the forward pass still recomputes their value.
    if ((reverse || pass === 'tangent') && tape.active[i] !== 1) continue;
    const a = tape.in0[i], b = tape.in1[i];
    const rule = ruleOf(code);
    // Scalar nodes of scalar inputs; and `at`-like ops, a scalar read from a tensor input.
    const aTensor = a >= 0 && tape.slot[a] >= 0;
    const scalar = tape.slot[i] < 0 && a >= 0 && (!aTensor || (rule.auxIsData === true && b < 0)) &&
      (b < 0 || tape.slot[b] < 0) && !(many && tape.manyInputs.has(i));
    if (!scalar) {
      variant[i] = -1;
      continue;
    }
    const nodePass: Pass = pass === 'forwardTangent' && tape.active[i] !== 1 ? 'forward' : pass;
    const aux = rule.auxIsData ? AUX_MARK : tape.aux[i];
    // A number per variant (a string per node would cost more than the sweep it saves).
    const shape = (((code * 6 + PASS_IDS[nodePass]) * 2 + tape.active[a]) * 3 + (b >= 0 ? tape.active[b] : 2)) * 2 + (aTensor ? 1 : 0);
    // The common case, a parameter of 0 or one read at run time, is found by array index.
    const plain = aux === 0 || aux === AUX_MARK;
    const slotOf = plain ? shape * 2 + (aux === 0 ? 0 : 1) : -1;
    if (slotOf >= 0 && slotOf < byShape.length && byShape[slotOf] !== UNSEEN) {
      variant[i] = byShape[slotOf];
      continue;
    }
    const key = shape * 2 ** 20 + auxId(aux);
    let k = caseOf.get(key);
    if (k === undefined) {
      let snippet = snippetCache.get(key);
      if (snippet === undefined) {
        snippet = traceRule(rule, nodePass, tape.active[a] === 1, b >= 0 && tape.active[b] === 1, b >= 0, aux, aTensor);
        snippetCache.set(key, snippet);
      }
      if (snippet === null) k = -1;
      else {
        // Renumber the snippet's function table into this pass's.
        const body = snippet.code.replace(/F\[(\d+)\]/g, (_m, j: string) => {
          const f = snippet!.fns[Number(j)];
          let at = fns.indexOf(f);
          if (at < 0) at = fns.push(f) - 1;
          return `F[${at}]`;
        });
        k = cases.push(body) - 1;
      }
      caseOf.set(key, k);
      if (slotOf >= 0 && slotOf < byShape.length) byShape[slotOf] = k;
    }
    variant[i] = k;
  }
  const source = `const rules = generic;
for (let i = ${reverse ? 'to - 1' : 'from'}; ${reverse ? 'i >= from' : 'i < to'}; ${reverse ? 'i--' : 'i++'}) {
  const a = in0[i], b = in1[i];
  switch (variant[i]) {
    case -2: break;
${cases.map((c, k) => `    case ${k}: {${c.includes('TA') ? ' const TA = T[slot[a]];' : ''} ${c} break; }`).join('\n')}
    default: rules(i);
  }
}`;
  let fn = passCache.get(source);
  if (!fn) {
    try {
      fn = new Function('vals', 'dots', 'bars', 'barDots', 'in0', 'in1', 'aux', 'slot', 'T', 'variant', 'from', 'to', 'generic', 'tz', 'F', source) as (...args: unknown[]) => void;
    } catch {
      return null;
    }
    if (passCache.size > 200) passCache.clear();
    passCache.set(source, fn);
  }
  const generated = fn;
  // Made once per tape, so the generated loop sees the same function objects on every replay.
  const o = tape.o;
  const generic = reverse
    ? (i: number) => ruleOf(tape.op[i]).backward(o, tape, i)
    : pass === 'tangent'
      ? (i: number) => ruleOf(tape.op[i]).tangent(o, tape, i)
    : pass === 'forwardTangent'
      ? (i: number) => {
        const rule = ruleOf(tape.op[i]);
        rule.primal!(o, tape, i);
        if (tape.active[i] === 1) rule.tangent(o, tape, i);
      }
      : (i: number) => ruleOf(tape.op[i]).primal!(o, tape, i);
  // The structural-zero product of the numbers algebra, with its strict-mode count.
  const times = o.timesFn;
  const tz = (u: number, w: number) => (u === 0 || w === 0 ? times(u, w) : u * w + 0);
  return {
    run(t) {
      if (t !== tape) throw new Error('dualtape internal error: a generated pass run on another tape');
      t.sweepWith(() => generated(t.vals, t.dots, t.bars, t.barDots, t.in0, t.in1, t.aux, t.slot, t.tensors, variant, 0, t.length, generic, tz, fns));
    },
  };
}
