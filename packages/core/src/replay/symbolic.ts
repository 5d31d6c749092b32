/**
 * Tracing a rule into text. A rule is written once against the algebra (algebra/algebra.ts); run on a
 * *symbolic* algebra, where a value is the text of an expression, it prints its own arithmetic for one
 * scalar node: `bars[$a] += tz(bars[$i], vals[$b])`. The text is a template — `$i`, `$a`, `$b` name
 * the node and its inputs, and the tangent lanes (`dots`, `barDots`, a tensor input's `TDOT`) are
 * left for the sweep generator to place, once per direction when it carries several: the compiled
 * replay's sweeps (scalar-sweeps.ts) and the transforms' k-lane sweeps (../scalar-lanes.ts) both print
 * from these traces.
 * @module
 */
import type { Algebra, Elementwise, Elementwise2, Value } from '../algebra/algebra.js';
import type { Lanes } from '../lanes.js';
import type { OpRule, Tape } from '../tape.js';

/** An expression over one node's lanes, as JavaScript text. */
class Sym {
  constructor(readonly code: string) {}
}

type S = Sym | number;

/** A tensor input's lane (its whole array), which a rule may only index into with `at`. */
class SymTensor {
  /** `tangent`: the lane is the tangent lane, which a generator places per direction (`TDOT`). */
  constructor(readonly code: string, readonly tangent = false) {}
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

/** Functions the generated code calls: ops' f, masks' step functions. */
export type TracedFn = (u: number, v: number) => number;

/** The numbers algebra's scalar arithmetic, printed instead of computed (the same operations, in order). */
class SymbolicAlgebra implements Algebra {
  readonly kind = 'numbers' as const;
  readonly fns: TracedFn[] = [];

  private num(a: unknown): S {
    if (typeof a === 'number' || a instanceof Sym) return a;
    throw new NotTraceable();
  }

  private fn(f: TracedFn): string {
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
    // The numbers algebra's structural-zero product, exactly (tz is its times, see scalar-sweeps.ts).
    if (typeof x === 'number' && typeof y === 'number') return (x === 0 || y === 0 ? 0 : x * y + 0) as Value;
    const c = typeof x === 'number' ? x : typeof y === 'number' ? y : null;
    // A structural zero factor gives +0 whatever the other is (the generated sweeps do not count 0·∞:
    // only strict mode does, and it runs the rules themselves).
    if (c === 0) return 0 as Value;
    // With a finite nonzero constant factor c, times(c, w) is exactly c·w + 0 (w = 0 gives +0 either
    // way, and no indeterminate product is possible): no test needed.
    if (c !== null && Number.isFinite(c)) return new Sym(`(${numberLiteral(c)} * ${text(typeof x === 'number' ? y : x)} + 0)`) as unknown as Value;
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
    return new Sym(`${this.fn(f as TracedFn)}(${text(v)})`) as unknown as Value;
  }

  step2(a: Value, b: Value, f: TracedFn): Value {
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
  matmulSum(): never { throw new NotTraceable(); }
  matmulSums(): never { throw new NotTraceable(); }
  slice(): never { throw new NotTraceable(); }
  pad(): never { throw new NotTraceable(); }
  concat(): never { throw new NotTraceable(); }
  /** Element k of a tensor input's lane: `at` reading one element. */
  at(x: Value, _shape: unknown, k: number): Value {
    if (!((x as unknown) instanceof SymTensor)) throw new NotTraceable();
    const lane = x as unknown as SymTensor;
    return new Sym(`${lane.code}[${indexText(k)}]`) as unknown as Value;
  }
  oneHot(): never { throw new NotTraceable(); }
  select(): never { throw new NotTraceable(); }
  promote(): never { throw new NotTraceable(); }
  demote(): never { throw new NotTraceable(); }
  apply(): never { throw new NotTraceable(); }
}

/** The op parameter of a rule whose parameter is data (`auxIsData`), as it appears while tracing. */
export const AUX_MARK = 987654;

const indexText = (k: number): string => (k === AUX_MARK ? 'aux[$i]' : String(k));

/** Node slots of a traced rule: its inputs and itself, named as the templates name them. */
const A = 0, B = 1, I = 2;
const NAMES = ['$a', '$b', '$i'];

/** One rule's part, traced separately so a generator can run the tangent parts once per direction. */
export type Part = 'primal' | 'tangent' | 'bar' | 'barDot';

/**
 * One statement of a traced part. `lane` is the lane written: a scalar node's (`node` is `$i`, `$a`
 * or `$b`), or element `index` of a tensor input's adjoint (`tensorBar`, `tensorBarDot`).
 */
export interface Statement {
  readonly lane: 'vals' | 'dots' | 'bars' | 'barDots' | 'tensorBar' | 'tensorBarDot';
  readonly op: '=' | '+=';
  readonly node: string;
  readonly index: string;
  readonly expr: string;
}

/** A traced part: its statements, and the functions they call (`F[k]` indexes `fns`). */
export interface Traced {
  readonly statements: readonly Statement[];
  readonly fns: readonly TracedFn[];
}

/**
 * Traces one part of `rule` for a scalar node whose inputs have the given activity and op parameter,
 * on a stand-in tape of three nodes whose lanes print what the rule reads and writes. Null when the
 * rule does something only the generic sweep can do (tensor work, op data, structural methods).
 */
export function traceRule(
  rule: OpRule, part: Part, aActive: boolean, bActive: boolean, hasB: boolean, aux: number, aTensor: boolean,
): Traced | null {
  const o = new SymbolicAlgebra();
  const statements: Statement[] = [];
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
  const push = (lane: Statement['lane'], op: Statement['op'], j: number, v: Value): void => {
    statements.push({ lane, op, node: NAMES[j], index: '', expr: text(v as unknown as S) });
  };
  // Element k of a tensor input's adjoint lane, as the tape's addBarAt does it (nothing for a zero).
  const addAt = (laneName: 'tensorBar' | 'tensorBarDot', j: number, k: number, v: Value): void => {
    if (!aTensor || j !== A) throw new NotTraceable();
    if ((v as unknown) === 0) return;
    statements.push({ lane: laneName, op: '+=', node: '$a', index: indexText(k), expr: text(v as unknown as S) });
  };
  const reverse = part === 'bar' || part === 'barDot';
  const L: Lanes = {
    tape,
    sweepBar: part === 'bar',
    sweepBarDot: part === 'barDot',
    isActive: (j) => active[j] === 1,
    val: (j) => (aTensor && j === A ? new SymTensor('TA.data') : lane('vals', j)) as unknown as Value,
    dot: (j) => (active[j] !== 1 ? 0 : aTensor && j === A ? new SymTensor('TDOT', true) : lane('dots', j)) as unknown as Value,
    fusedVal: (j) => L.val(j),
    fusedDot: (j) => L.dot(j),
    bar: (j) => (reverse && j === I ? lane('bars', j) : 0) as unknown as Value,
    barDot: (j) => (reverse && j === I ? lane('barDots', j) : 0) as unknown as Value,
    setDot: (j, v) => push('dots', '=', j, v),
    setVal: (j, v) => push('vals', '=', j, v),
    addBar: (j, v) => { if ((v as unknown) !== 0) push('bars', '+=', j, v); },
    addBarDot: (j, v) => { if ((v as unknown) !== 0) push('barDots', '+=', j, v); },
    addBarAt: (j, k, v) => addAt('tensorBar', j, k, v),
    addBarDotAt: (j, k, v) => addAt('tensorBarDot', j, k, v),
  };
  try {
    if (part === 'primal') rule.primal!(o, L, I);
    else if (part === 'tangent') rule.tangent(o, L, I);
    else rule.backward(o, L, I);
  } catch (error) {
    if (error instanceof NotTraceable || error instanceof TypeError) return null;
    throw error;
  }
  return { statements, fns: o.fns };
}
