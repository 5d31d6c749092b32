/**
 * The k-lane sweeps over scalar nodes, generated from the rules. Called once per direction, a scalar
 * rule costs a dispatch, lane reads through method calls and its arithmetic, k times over. Instead,
 * each rule is run once on a *symbolic* algebra, where a value is the text of an expression, so it
 * prints its own arithmetic for one node and one direction j: `barDots[aK + j] += tz(bars[i],
 * dots[bK + j])`. The snippet of each (op, sweep, which inputs are active) becomes a case of one
 * generated loop over the tape whose body loops over the k directions — the node is dispatched once,
 * and its values and adjoint (shared by every direction) are read next to each lane's arithmetic.
 * A rule that cannot be traced (tensors, op data, a structural method) runs as itself in the default
 * case (tangent-lanes.ts), so this only ever speeds up what it covers and never changes a result.
 *
 * (The compiled replay, replay/scalar-sweeps.ts, traces rules the same way for one direction; the two
 * tracers could become one once both have settled.)
 * @module
 */
import type { Algebra, Elementwise, Elementwise2, Value } from './algebra/algebra.js';
import type { Lanes } from './lanes.js';
import { CONSTANT, LEAF, ruleOf, type OpRule, type Tape } from './tape.js';

/** An expression over one node's lanes in direction j, as JavaScript text. */
class Sym {
  constructor(readonly code: string) {}
}

type S = Sym | number;

/** A tensor input's lane of direction j (its whole array, or null for zero), read only with `at`. */
class SymTensor {
  constructor(readonly code: string) {}
}

/** Thrown while tracing a rule that does something only the rule itself can do. */
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

  private binary(a: unknown, b: unknown, op: string, fold: (x: number, y: number) => number): Value {
    const x = this.num(a), y = this.num(b);
    // Only numbers fold: on numbers the algebra computes 0 + x too (and 0 + −0 is +0).
    if (typeof x === 'number' && typeof y === 'number') return fold(x, y);
    return new Sym(`(${text(x)} ${op} ${text(y)})`) as unknown as Value;
  }

  add(a: Value, b: Value): Value { return this.binary(a, b, '+', (x, y) => x + y); }
  sub(a: Value, b: Value): Value { return this.binary(a, b, '-', (x, y) => x - y); }
  div(a: Value, b: Value): Value { return this.binary(a, b, '/', (x, y) => x / y); }

  mul(a: Value, b: Value): Value {
    const x = this.num(a), y = this.num(b);
    // The numbers algebra's structural-zero product, exactly (tz is its times).
    if (typeof x === 'number' && typeof y === 'number') return x === 0 || y === 0 ? 0 : x * y + 0;
    if (x === 0 || y === 0) return 0;
    // With a finite nonzero constant factor c, times(c, w) is exactly c·w + 0: no test needed.
    const c = typeof x === 'number' ? x : typeof y === 'number' ? y : null;
    if (c !== null && Number.isFinite(c)) return new Sym(`(${numberLiteral(c)} * ${text(typeof x === 'number' ? y : x)} + 0)`) as unknown as Value;
    return new Sym(`tz(${text(x)}, ${text(y)})`) as unknown as Value;
  }

  neg(a: Value): Value {
    const x = this.num(a);
    return typeof x === 'number' ? -x : (new Sym(`(-${text(x)})`) as unknown as Value);
  }

  map(op: Elementwise, x: Value, p = 0): Value {
    const v = this.num(x);
    if (typeof v === 'number') return op.math.f(v, p);
    return new Sym(`${this.fn(op.math.f)}(${text(v)}, ${numberLiteral(p)})`) as unknown as Value;
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    return this.step2(a, b, op.math.f);
  }

  step(x: Value, f: (v: number) => number): Value {
    const v = this.num(x);
    if (typeof v === 'number') return f(v);
    return new Sym(`${this.fn(f as (u: number, v: number) => number)}(${text(v)})`) as unknown as Value;
  }

  step2(a: Value, b: Value, f: (u: number, v: number) => number): Value {
    const x = this.num(a), y = this.num(b);
    if (typeof x === 'number' && typeof y === 'number') return f(x, y);
    return new Sym(`${this.fn(f)}(${text(x)}, ${text(y)})`) as unknown as Value;
  }

  /** Element `aux[i]` of a tensor input's lane: `at` reading one element. */
  at(x: Value, _shape: unknown, k: number): Value {
    if (!((x as unknown) instanceof SymTensor) || k !== AUX_MARK) throw new NotTraceable();
    const lane = (x as unknown as SymTensor).code;
    return new Sym(`(${lane} === null ? 0 : ${lane}[aux[i]])`) as unknown as Value;
  }

  // Scalars need none of the shape work: a rule that reaches for it is not traced.
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
  oneHot(): never { throw new NotTraceable(); }
  select(): never { throw new NotTraceable(); }
  promote(): never { throw new NotTraceable(); }
  demote(): never { throw new NotTraceable(); }
  apply(): never { throw new NotTraceable(); }
}

/** The op parameter of a rule whose parameter is data (`auxIsData`), as it appears while tracing. */
const AUX_MARK = 987654;

/** Node slots of a traced rule: its inputs and itself, as the generated code names them. */
const A = 0, B = 1, I = 2;
const NAMES = ['a', 'b', 'i'];

/** Which sweep: the tangents forward, or the R-adjoints backward. */
export type LanePass = 'tangent' | 'reverse';

/**
 * One node's rule, printed for direction j: a stand-in tape of three scalar nodes (two inputs and
 * the node) with the given activity and parameter, and lanes that print what the rule reads and writes.
 */
function traceRule(rule: OpRule, pass: LanePass, aActive: boolean, bActive: boolean, hasB: boolean, aux: number, aTensor: boolean): { code: string; fns: SymbolicAlgebra['fns'] } | null {
  const o = new SymbolicAlgebra();
  const lines: string[] = [];
  const active = new Uint8Array([aActive ? 1 : 0, bActive ? 1 : 0, 1]);
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
  // Shared by every direction: values and adjoints. Per direction: tangents and R-adjoints.
  // Shared by every direction, read once per node into $va, $vb, $vi (values) and $gi (the adjoint).
  const shared = (name: 'vals' | 'bars', j: number): S => new Sym(name === 'bars' ? '$gi' : `$v${NAMES[j]}`);
  const lane = (name: string, j: number): S => new Sym(`${name}[${NAMES[j]}K + j]`);
  const L: Lanes = {
    tape,
    sweepBar: false,
    sweepBarDot: pass === 'reverse',
    isActive: (j) => active[j] === 1,
    val: (j) => { if (aTensor && j === A) throw new NotTraceable(); return shared('vals', j) as unknown as Value; },
    dot: (j) => (active[j] !== 1 ? 0 : aTensor && j === A ? new SymTensor('TD[j]') : lane('dots', j)) as unknown as Value,
    bar: (j) => (pass === 'reverse' && j === I ? shared('bars', j) : 0) as unknown as Value,
    barDot: (j) => (pass === 'reverse' && j === I ? lane('barDots', j) : 0) as unknown as Value,
    setDot: (j, v) => { lines.push(`dots[${NAMES[j]}K + j] = ${text(v as unknown as S)};`); },
    addBarDot: (j, v) => {
      if (aTensor && j === A) throw new NotTraceable();
      if (v !== 0) lines.push(`barDots[${NAMES[j]}K + j] += ${text(v as unknown as S)};`);
    },
    addBarDotAt: (j, k, v) => {
      if (!aTensor || j !== A || k !== AUX_MARK) throw new NotTraceable();
      if (v !== 0) lines.push(`{ const w = ${text(v as unknown as S)}; if (w !== 0) (TB[j] ?? laneBlock(TB, size, j))[aux[i]] += w; }`);
    },
    setVal: () => { throw new NotTraceable(); },
    addBar: () => { throw new NotTraceable(); },
    addBarAt: () => { throw new NotTraceable(); },
  };
  try {
    if (pass === 'tangent') rule.tangent(o, L, I);
    else rule.backward(o, L, I);
  } catch (error) {
    if (error instanceof NotTraceable || error instanceof TypeError) return null;
    throw error;
  }
  return { code: lines.join(' '), fns: o.fns };
}

const UNSEEN = -3;

/** What the generator asks of a rule, by op code (rule objects differ in shape: reading them per node is slow). */
const KNOWN = 1, PER_DIRECTION = 2, AUX_IS_DATA = 4;
let ruleFlags = new Uint8Array(256);
function flagsOf(code: number): number {
  if (code >= ruleFlags.length) {
    const grown = new Uint8Array(2 * code);
    grown.set(ruleFlags);
    ruleFlags = grown;
  }
  let f = ruleFlags[code];
  if (f === 0) {
    const rule = ruleOf(code);
    f = ruleFlags[code] = KNOWN | (rule.perDirection ? PER_DIRECTION : 0) | (rule.auxIsData ? AUX_IS_DATA : 0);
  }
  return f;
}
/** Room for the parameter-free variants of op codes below ~2700, reused by every generation (single-threaded). */
const byVariant = new Int32Array(1 << 16);

/** Snippets by variant, kept across calls: a rule is traced once per variant per process. */
const snippets = new Map<string, { code: string; fns: SymbolicAlgebra['fns'] } | null>();
const loops = new Map<string, GeneratedLoop>();
const MAX_LOOPS = 200;
let canGenerate = true;

type GeneratedLoop = (
  vals: Float64Array, bars: Float64Array, dots: Float64Array, barDots: Float64Array, in0: Int32Array, in1: Int32Array,
  aux: Float64Array, slot: Int32Array, T: unknown[], TD: unknown[], TB: unknown[], variant: Int32Array,
  n: number, generic: (i: number) => void, tz: (u: number, w: number) => number, F: unknown[],
  laneBlock: (lanes: Array<Float64Array | null>, size: number, j: number) => Float64Array,
) => void;

/**
 * The numbers algebra's structural-zero product: an exact zero factor gives 0, even against ±∞ or
 * NaN. One function for every loop, so the generated code's calls to it stay inlined (the 0·∞ count
 * that strict mode reads is not kept: strict mode sweeps one direction at a time, transforms.ts).
 */
function tz(u: number, w: number): number {
  return u === 0 || w === 0 ? 0 : u * w + 0;
}

/**
 * Turns code generation off (as a Content-Security-Policy without 'unsafe-eval' would) or back on,
 * so the tests can run the rules' own sweeps against the generated ones. @internal
 */
export function allowLaneCodegen(allowed: boolean): void {
  canGenerate = allowed;
}

/**
 * Lane j of a tensor's R-adjoint, allocated with every other missing lane as views of one array,
 * staggered by a cache line: k arrays allocated apart start at the same offset within a page, so
 * the same element of each — what `at` writes for k directions — contends for the same cache set.
 */
function laneBlock(lanes: Array<Float64Array | null>, size: number, j: number): Float64Array {
  const stride = size + 8;
  const block = new Float64Array(stride * lanes.length);
  for (let m = 0; m < lanes.length; m++) lanes[m] ??= block.subarray(m * stride, m * stride + size);
  return lanes[j]!;
}

/** What a generated sweep reads: the tape's shared lanes and the k-wide ones. */
export interface LaneArrays {
  readonly dots: Float64Array;
  readonly barDots: Float64Array;
  readonly tensorDots: unknown[];
  readonly tensorBarDots: unknown[];
}

/** The two generated sweeps of a tape with k lanes. */
export interface LaneSweeps {
  readonly tangent: () => void;
  readonly reverse: () => void;
}

/**
 * The tangent and reverse sweeps over `tape` with k lanes, generated: scalar nodes whose rule traces
 * run as straight-line code looped over the directions; every other active node calls
 * `genericTangent(i)` / `genericBackward(i)`. Null where code cannot be generated (a
 * Content-Security-Policy without 'unsafe-eval').
 */
export function generateLaneSweeps(
  tape: Tape, k: number, lanes: LaneArrays, genericTangent: (i: number) => void, genericBackward: (i: number) => void,
): LaneSweeps | null {
  if (!canGenerate) return null;
  const { variant, variants } = classify(tape);
  const tangent = generate(tape, 'tangent', k, lanes, variant, variants, genericTangent);
  const reverse = tangent && generate(tape, 'reverse', k, lanes, variant, variants, genericBackward);
  return tangent && reverse ? { tangent, reverse } : null;
}

/** A kind of node the generated code has one case for: its op, inputs' activity and parameter. */
interface Variant {
  readonly code: number;
  readonly aActive: boolean;
  readonly bActive: boolean;
  readonly hasB: boolean;
  readonly aTensor: boolean;
  readonly p: number;
}

/**
 * Each node's variant (an index into `variants`), −2 for a node no sweep visits (inactive, a leaf)
 * and −1 for one whose rule runs as itself. One pass, shared by both sweeps.
 */
function classify(tape: Tape): { variant: Int32Array; variants: Variant[] } {
  const n = tape.length;
  const variant = new Int32Array(n);
  const variants: Variant[] = [];
  // Parameter-free variants by number (an array: a Map lookup per node costs what the sweep saves).
  const byNumber = byVariant.fill(UNSEEN);
  const byKey = new Map<string, number>();
  const { op, in0, in1, slot, active, aux } = tape;
  const many = tape.manyInputs.size > 0;
  for (let i = 0; i < n; i++) {
    const code = op[i];
    if (active[i] !== 1 || code === LEAF || code === CONSTANT) {
      variant[i] = -2;
      continue;
    }
    const a = in0[i], b = in1[i];
    const known = code < ruleFlags.length ? ruleFlags[code] : 0;
    const flags = known !== 0 ? known : flagsOf(code);
    const aTensor = a >= 0 && slot[a] >= 0;
    const traceable = slot[i] < 0 && a >= 0 && (flags & PER_DIRECTION) === 0 && (!aTensor || ((flags & AUX_IS_DATA) !== 0 && b < 0)) &&
      (b < 0 || slot[b] < 0) && !(many && tape.manyInputs.has(i));
    if (!traceable) {
      variant[i] = -1;
      continue;
    }
    const p = (flags & AUX_IS_DATA) !== 0 ? AUX_MARK : aux[i];
    const shape = ((code * 2 + active[a]) * 3 + (b >= 0 ? active[b] : 2)) * 2 + (aTensor ? 1 : 0);
    const numeric = (p === 0 || p === AUX_MARK) && shape * 2 + 1 < byNumber.length ? shape * 2 + (p === 0 ? 0 : 1) : -1;
    // (A string key only for a parameter: building one per node would cost what the sweep saves.)
    let v = numeric >= 0 ? byNumber[numeric] : byKey.get(`${shape} ${p}`) ?? UNSEEN;
    if (v === UNSEEN) {
      v = variants.push({ code, aActive: active[a] === 1, bActive: b >= 0 && active[b] === 1, hasB: b >= 0, aTensor, p }) - 1;
      if (numeric >= 0) byNumber[numeric] = v;
      else byKey.set(`${shape} ${p}`, v);
    }
    variant[i] = v;
  }
  return { variant, variants };
}

/** Values and adjoints shared by every direction, read once per node before the loop over directions. */
const SHARED_READS: ReadonlyArray<[string, string]> = [['$va', 'vals[a]'], ['$vb', 'vals[b]'], ['$vi', 'vals[i]'], ['$gi', 'bars[i]']];

function generate(
  tape: Tape, pass: LanePass, k: number, lanes: LaneArrays, variant: Int32Array, variants: readonly Variant[], generic: (i: number) => void,
): (() => void) | null {
  const fns: Array<(u: number, v: number) => number> = [];
  const cases: string[] = [];
  variants.forEach((v, index) => {
    const key = `${pass} ${v.code} ${v.aActive} ${v.bActive} ${v.hasB} ${v.aTensor} ${v.p}`;
    let snippet = snippets.get(key);
    if (snippet === undefined) {
      snippet = traceRule(ruleOf(v.code), pass, v.aActive, v.bActive, v.hasB, v.p, v.aTensor);
      snippets.set(key, snippet);
    }
    if (snippet === null) return;
    const s = snippet;
    // Renumber the snippet's functions into this loop's table.
    const body = s.code.replace(/F\[(\d+)\]/g, (_m, j: string) => {
      const f = s.fns[Number(j)];
      let at = fns.indexOf(f);
      if (at < 0) at = fns.push(f) - 1;
      return `F[${at}]`;
    });
    let prologue = SHARED_READS.filter(([name]) => body.includes(name)).map(([name, read]) => ` const ${name} = ${read};`).join('');
    if (body.includes('TD[j]')) prologue += ' const TD = TDs[slot[a]];';
    if (body.includes('TB[j]')) prologue += ' const TB = TBs[slot[a]], size = T[slot[a]].size;';
    // K is a literal: the loop over directions has a known trip count.
    cases.push(`    case ${index}: {${prologue} for (let j = 0; j < ${k}; j++) { ${body} } break; }`);
  });
  const reverse = pass === 'reverse';
  const source = `for (let i = ${reverse ? 'n - 1' : '0'}; ${reverse ? 'i >= 0' : 'i < n'}; ${reverse ? 'i--' : 'i++'}) {
  const v = variant[i];
  if (v === -2) continue;
  const a = in0[i], b = in1[i], aK = a * ${k}, bK = b * ${k}, iK = i * ${k};
  switch (v) {
${cases.join('\n')}
    default: generic(i);
  }
}`;
  let loop = loops.get(source);
  if (!loop) {
    try {
      loop = new Function('vals', 'bars', 'dots', 'barDots', 'in0', 'in1', 'aux', 'slot', 'T', 'TDs', 'TBs', 'variant', 'n', 'generic', 'tz', 'F', 'laneBlock', source) as GeneratedLoop;
    } catch {
      canGenerate = false;
      return null;
    }
    if (loops.size >= MAX_LOOPS) loops.clear();
    loops.set(source, loop);
  }
  const generated = loop;
  return () => generated(
    tape.vals, tape.bars, lanes.dots, lanes.barDots, tape.in0, tape.in1, tape.aux, tape.slot, tape.tensors,
    lanes.tensorDots, lanes.tensorBarDots, variant, tape.length, generic, tz, fns, laneBlock,
  );
}
