// defineOp checks what it is given: the definition object when the op is defined (a misspelled field,
// a missing name, a rule that is not a function, both forms at once), and every derivative `partials`
// returns (or computes with), at every level. Was: entries were checked for their count only, so a
// Float64Array, a node made outside the rule or `undefined` ended in "dualtape internal error", a
// TypeError, a RangeError or an error blaming f; and a definition's mistakes surfaced at the first
// use as a TypeError, or never (a misspelled field silently selected the other form).
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, D, DualtapeError, NodeConversionError, OptionError, StaleNodeError, cos, defineOp, exp, grad, gradAndHvp, hvp, hypot, relu, scalar,
  tensor, type Algebra, type Scalar, type Tensor, type Value,
} from '../src/index.js';
import { expectError } from './expect-error.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = (...args: any[]) => any;
const loose = (f: unknown) => f as Loose;
/** d/ds of a scalar function, as a function on nodes (for nesting). */
const d = (f: (s: Scalar) => Scalar) => (s: Scalar) => grad(f)(s) as unknown as Scalar;

let count = 0;
/** The name of the op {@link square} made last. */
const last = () => `vsq${count - 1}`;
/** y = x² with the given partials (anything at all, for the refusals). */
const square = (partials: (o: Algebra, x: readonly Value[], y: Value) => unknown) =>
  defineOp({ name: `vsq${count++}`, primal: (x: number) => x * x, partials: partials as never });

// ---- where an op runs: first order, second order (dual), nested, nested second order --------------

/** Scalar uses of a one-input op: top-level grad and hvp, grad of grad, grad of hvp. */
const scalarUses = (op: Loose): Array<[string, () => unknown]> => [
  ['grad', () => grad((s: Scalar) => op(s))(1.5)],
  ['hvp', () => hvp((s: Scalar) => op(s), 1.5, 1)],
  ['grad of grad', () => grad(d((s: Scalar) => op(s)))(1.5)],
  ['grad of hvp', () => grad((s: Scalar) => hvp((t: Scalar) => op(t), s, 1) as unknown as Scalar)(1.5)],
];

/** The same on a tensor, of shape [3] or [2,2]. */
const tensorUses = (op: Loose, shape: number[] = [3]): Array<[string, () => unknown]> => {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = Array.from({ length: n }, (_, k) => 0.5 + k), v = x.map(() => 1);
  const f = (t: Tensor) => (op(t.reshape(shape)) as Tensor).sum();
  return [
    ['grad', () => grad(f)(x)],
    ['hvp', () => hvp(f, x, v)],
    ['grad of grad', () => grad((t: Tensor) => (grad(f)(t) as unknown as Tensor).square().sum())(x)],
    ['grad of hvp', () => grad((t: Tensor) => (hvp(f, t, v) as unknown as Tensor).sum())(x)],
  ];
};

const allUses = (op: Loose, shape?: number[]) => [
  ...scalarUses(op).map(([w, run]) => [`scalar, ${w}`, run] as const),
  ...tensorUses(op, shape).map(([w, run]) => [`tensor ${shape ? `[${shape.join(',')}]` : '[3]'}, ${w}`, run] as const),
];

/** Runs every use and expects each to throw `cls` naming the op and every fragment. */
function expectRefusedEverywhere(op: Loose, name: string, cls: new (...a: never[]) => Error, fragments: string[], shape?: number[]): void {
  for (const [where, run] of allUses(op, shape)) {
    let error: Error;
    try {
      error = expectError(run, cls, `defineOp ${name}`, ...fragments);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    expect(error.message, where).not.toMatch(/internal error/);
  }
}

describe('defineOp: what partials returns is checked at every level', () => {
  // Each entry is wrong whatever the op's inputs: refused with an ArgumentError naming the op, the
  // entry (the input's index) and what it was, at top level and nested, first and second order.
  const bad: Array<[string, () => unknown, string]> = [
    ['a Float64Array of length 1', () => Float64Array.of(2), 'a Float64Array of length 1'],
    ['a Float32Array', () => Float32Array.of(2), 'a Float32Array'],
    ['a number[]', () => [2], 'an array of length 1'],
    ['undefined (a forgotten return)', () => undefined, 'undefined'],
    ['null', () => null, 'null'],
    ['a string', () => '2', "'2'"],
    ['a boolean', () => true, 'true'],
    ['an object', () => ({ value: 2 }), 'an object'],
    ['a scalar node made with scalar()', () => scalar(2), 'a scalar node'],
    ['a tensor node made with tensor()', () => tensor([2, 2, 2]), 'a tensor node'],
  ];
  it.each(bad)('%s: an ArgumentError naming the op and entry 0, scalar and tensor, top level and nested', (_what, entry, shown) => {
    const op = square(() => [entry()]);
    expectRefusedEverywhere(loose(op), last(), ArgumentError, ['partials', 'entry 0', shown]);
  });

  it('the entry named is the one that is wrong (entry 1 of a two-input op)', () => {
    const op = defineOp({ name: 'badSecond', primal: (a: number, b: number) => a * b, partials: ((_o: Algebra, [a]: readonly Value[]) => [a, Float64Array.of(1)]) as never });
    expectError(() => grad((p: Tensor) => op(p.at(0), p.at(1)))([1, 2]), ArgumentError, 'defineOp badSecond', 'entry 1', 'Float64Array');
    expectError(() => grad(d((s: Scalar) => op(s, s)))(2), ArgumentError, 'defineOp badSecond', 'entry 1', 'Float64Array');
  });

  it('a flat Float64Array of the op\'s size, for a [2,2] op: refused the same way at top level and nested (not a partial of o)', () => {
    // Was: accepted at top level, a ShapeError or TypeError from inside the engine when nested.
    const op = defineOp({ name: 'flat22', primal: (x: number) => 2 * x, partials: (() => [new Float64Array(4).fill(2)]) as never });
    for (const [where, run] of tensorUses(loose(op), [2, 2])) {
      try {
        expectError(run, ArgumentError, 'defineOp flat22', 'entry 0', 'a Float64Array of length 4', 'plain number');
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    }
  });

  it('a node captured from the enclosing f, returned as is or computed with: refused, not a RangeError or a silent wrong number', () => {
    let captured: Scalar | null = null;
    const returned = square(() => [captured]);
    const used = square((o) => [o.mul(2, captured as never)]);
    for (const op of [returned, used]) {
      // Top level, first and second order.
      expectError(() => grad((s: Scalar) => { captured = s; return op(s); })(3), ArgumentError, 'partials', 'a scalar node', 'did not compute');
      expectError(() => hvp((s: Scalar) => { captured = s; return op(s); }, 3, 1), ArgumentError, 'partials', 'a scalar node', 'did not compute');
      // Nested: the node of the enclosing call is a node of the tape the inner sweep records on, and
      // 2·u happened to equal the right derivative only where s = u; refused wherever it is.
      expectError(() => grad(d((s: Scalar) => { captured = s; return op(s); }))(3), ArgumentError, 'partials', 'a scalar node');
      expectError(() => grad((u: Scalar) => { captured = u; return grad((s: Scalar) => op(s))(u) as unknown as Scalar; })(3), ArgumentError, 'partials', 'a scalar node');
      expectError(() => grad((u: Scalar) => { captured = u; return grad((s: Scalar) => op(s))(u.mul(2)) as unknown as Scalar; })(3), ArgumentError, 'partials', 'a scalar node');
      expectError(() => grad((u: Scalar) => { captured = u; return hvp((s: Scalar) => op(s), u, 1) as unknown as Scalar; })(3), ArgumentError, 'partials', 'a scalar node');
    }
  });

  it('a captured tensor node, and a node of another transform call that is still running', () => {
    let captured: Tensor | null = null;
    const op = square((o, [x]) => [o.mul(x, captured as never)]);
    expectError(() => grad((t: Tensor) => { captured = t.mul(2); return (op(t) as Tensor).sum(); })([1, 2, 3]), ArgumentError, 'partials', 'a tensor node', 'did not compute');
    expectError(() => hvp((t: Tensor) => { captured = t.mul(2); return (op(t) as Tensor).sum(); }, [1, 2, 3], [1, 0, 0]), ArgumentError, 'partials', 'a tensor node');
    expectError(() => grad((t: Tensor) => {
      captured = t.mul(2);
      return (grad((u: Tensor) => (op(u) as Tensor).sum())(t) as unknown as Tensor).sum();
    })([1, 2, 3]), ArgumentError, 'partials', 'a tensor node');
    // Another call: the outer call's node, inside a separate inner call on numbers.
    expectError(() => grad((t: Tensor) => {
      captured = t;
      const inner = grad((u: Tensor) => (op(u) as Tensor).sum())([1, 2, 3]) as Float64Array;
      return t.mul(inner).sum();
    })([1, 2, 3]), ArgumentError, 'partials', 'a tensor node', 'another transform call');
  });

  it('a node of a finished call, returned or computed with: StaleNodeError naming the op', () => {
    let stale: Scalar | null = null;
    grad((s: Scalar) => (stale = s.mul(2)))(1);
    const returned = square(() => [stale]);
    const used = square((o, [x]) => [o.mul(x, stale as never)]);
    for (const op of [returned, used]) {
      for (const [where, run] of scalarUses(loose(op))) {
        try {
          expectError(run, StaleNodeError, 'partials', 'finished');
        } catch (e) {
          throw new Error(`${where}: ${(e as Error).message}`);
        }
      }
    }
    let staleTensor: Tensor | null = null;
    grad((t: Tensor) => (staleTensor = t.mul(2)).sum())([1, 2, 3]);
    const op = square(() => [staleTensor]);
    for (const [where, run] of tensorUses(loose(op))) {
      try {
        expectError(run, StaleNodeError, 'partials', 'finished');
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    }
  });

  it('arrays and foreign values given to o are refused where they are used, not inside the engine', () => {
    // Was: "dualtape internal error: elementwise lengths 3 and 1" at top level.
    const op = square((o, [x]) => [o.mul(Float64Array.of(2) as never, x)]);
    expectRefusedEverywhere(loose(op), last(), ArgumentError, ['o.mul was given', 'a Float64Array']);
    const numbersBack = square((o, [x]) => [o.mul(2, o.numbers(x))]);
    for (const [where, run] of tensorUses(loose(numbersBack))) {
      try {
        expectError(run, ArgumentError, 'o.mul was given', 'a Float64Array');
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    }
  });

  it('o.map and o.step take what they say; shape methods are refused at every level, first order included', () => {
    // Was: a TypeError reading `math` of Math.tanh; and o.reshape worked for grad but not for hvp.
    const mapped = square((o, [x]) => [o.map(Math.tanh as never, x)]);
    expectRefusedEverywhere(loose(mapped), last(), ArgumentError, ['o.map takes an elementwise op']);
    const stepped = square((o, [x]) => [o.step(x, 1 as never)]);
    expectRefusedEverywhere(loose(stepped), last(), ArgumentError, ['o.step takes a function']);
    const reshaped = square((o, [x]) => [o.reshape(o.mul(2, x), [3], [3])]);
    for (const [where, run] of tensorUses(loose(reshaped))) {
      try {
        expectError(run, ArgumentError, `defineOp ${last()}`, 'elementwise arithmetic only', 'o.reshape');
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    }
  });

  it('a partial computed with Math on x (guide page 6): right at first order, a NodeConversionError at second order and nested', () => {
    // The guide says Math.tanh(x) of a dual value or a node throws, rather than giving NaN.
    const raw = square((_o, [x]) => [2 * Math.tanh(x as unknown as number)]);
    expect(grad((s: Scalar) => loose(raw)(s))(0.8)).toBeCloseTo(2 * Math.tanh(0.8), 15);
    for (const [where, run] of scalarUses(loose(raw)).slice(1)) {
      try {
        expectError(run, NodeConversionError);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
    }
  });

  it('the wrong count is still refused, naming the op', () => {
    const op = square(() => []);
    expectRefusedEverywhere(loose(op), last(), ArgumentError, ['one derivative per input (1)']);
  });
});

describe('defineOp: every valid partials form still gives exact derivatives', () => {
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(b)));
  const closeAll = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    expect(a.length).toBe(b.length);
    for (let k = 0; k < b.length; k++) close(a[k], b[k]);
  };
  /** f written with the op and with built-ins: value, first, second and third derivatives at s. */
  const agreeScalar = (mine: (s: Scalar) => Scalar, builtIn: (s: Scalar) => Scalar, s: number) => {
    for (const f of [(g: typeof mine) => grad(g)(s), (g: typeof mine) => hvp(g, s, 0.7),
      (g: typeof mine) => grad(d(g))(s), (g: typeof mine) => grad(d(d(g)))(s),
      (g: typeof mine) => grad((t: Scalar) => hvp(g, t, 1) as unknown as Scalar)(s)]) {
      close(f(mine) as number, f(builtIn) as number);
    }
  };
  const agreeTensor = (mine: (t: Tensor) => Scalar, builtIn: (t: Tensor) => Scalar, x: number[]) => {
    const v = x.map((_, k) => 1 - 0.3 * k);
    const a = gradAndHvp(mine, x, v), b = gradAndHvp(builtIn, x, v);
    close(a.value as number, b.value as number);
    closeAll(a.grad as Float64Array, b.grad as Float64Array);
    closeAll(a.hvp as Float64Array, b.hvp as Float64Array);
    const nested = (f: typeof mine) => grad((t: Tensor) => (grad(f)(t) as unknown as Tensor).square().sum())(x) as Float64Array;
    closeAll(nested(mine), nested(builtIn));
  };

  const sq = defineOp({ name: 'validSquare', primal: (x) => x * x, partials: (o, [x]) => [o.mul(2, x)] });
  const twice = defineOp({ name: 'validTwice', primal: (x) => 2 * x, partials: () => [2] });
  const myExp = defineOp({ name: 'validExp', primal: Math.exp, partials: (_o, _x, y) => [y] });
  const mySin = defineOp({ name: 'validSin', primal: Math.sin, partials: (o, [x]) => [o.map(cos, x)] });
  const myRelu = defineOp({ name: 'validRelu', primal: (x) => Math.max(x, 0), partials: (o, [x]) => [o.step(x, (v) => (v > 0 ? 1 : 0))] });
  const product = defineOp({ name: 'validProduct', primal: (a, b) => a * b, partials: (_o, [a, b]) => [b, a] });
  const norm = defineOp({ name: 'validNorm', primal: (a, b) => Math.hypot(a, b), partials: (o, [a, b], y) => [o.div(a, y), o.div(b, o.map2(hypot, a, b))] });
  const branchy = defineOp({
    name: 'validAbsCube', primal: (x) => Math.abs(x) ** 3,
    // o.numbers for a branch decision: the sign is piecewise constant.
    partials: (o, [x]) => [o.mul(3, o.mul(o.mul(x, x), (o.numbers(x) as number) < 0 ? -1 : 1))],
  });
  const cubeDual = defineOp({
    name: 'validCubeDual', primal: (x) => x ** 3, tangent: ([x], [xDot]) => 3 * x * x * xDot,
    backward: ([x], _y, g) => [D.mul(g, D.scale(D.mul(x, x), 3))],
  });

  it('scalar inputs: first, second and third derivatives equal the built-in versions', () => {
    agreeScalar((s) => sq(s), (s) => s.square(), 1.3);
    agreeScalar((s) => twice(s).mul(s), (s) => s.mul(2).mul(s), -0.4);
    agreeScalar((s) => myExp(s), (s) => exp(s), 0.6);
    agreeScalar((s) => mySin(s), (s) => s.sin(), 0.9);
    agreeScalar((s) => myRelu(s).square(), (s) => relu(s).square(), 0.8);
    agreeScalar((s) => product(s, s.sin()), (s) => s.mul(s.sin()), 0.3);
    agreeScalar((s) => product(s, 3), (s) => s.mul(3), 0.3);
    agreeScalar((s) => norm(s, s.square()), (s) => hypot(s, s.square()), 0.7);
    agreeScalar((s) => branchy(s), (s) => s.abs().mul(s.square()), -1.1);
    expect(grad(d(d((s: Scalar) => sq(s))))(2)).toBe(0);
    expect(grad(d((s: Scalar) => sq(s)))(2)).toBe(2);
  });

  it('tensor inputs, [3] and [2,2], with numbers mixed in: grad, H·v and a nested gradient equal the built-ins', () => {
    agreeTensor((t) => sq(t).sum(), (t) => t.square().sum(), [1, -2, 0.5]);
    agreeTensor((t) => sq(t.reshape([2, 2])).mul(t.reshape([2, 2])).sum(), (t) => t.square().reshape([2, 2]).mul(t.reshape([2, 2])).sum(), [1, -2, 0.5, 3]);
    agreeTensor((t) => twice(t).square().sum(), (t) => t.mul(2).square().sum(), [1, -2, 0.5]);
    agreeTensor((t) => myExp(t.reshape([2, 2])).sum(), (t) => t.exp().sum(), [0.1, -0.2, 0.5, 0.3]);
    agreeTensor((t) => mySin(t).mul(t).sum(), (t) => t.sin().mul(t).sum(), [0.1, -0.2, 0.5]);
    agreeTensor((t) => product(t, t.sin()).sum(), (t) => t.mul(t.sin()).sum(), [0.1, -0.2, 0.5]);
    agreeTensor((t) => product(2, t.square()).sum(), (t) => t.square().mul(2).sum(), [0.1, -0.2, 0.5]);
    agreeTensor((t) => norm(t, t.square().add(1)).sum(), (t) => hypot(t, t.square().add(1)).sum(), [0.1, -0.2, 0.5]);
    agreeTensor((t) => myRelu(t).square().sum(), (t) => relu(t).square().sum(), [0.1, -0.2, 0.5]);
  });

  it('the dual-number form, top level: grad and H·v equal the built-in cube', () => {
    const r = gradAndHvp((t: Tensor) => cubeDual(t).sum(), [1, -2, 0.5], [1, 1, 2]);
    const b = gradAndHvp((t: Tensor) => t.square().mul(t).sum(), [1, -2, 0.5], [1, 1, 2]);
    expect(r).toEqual(b);
    expect(hvp((s: Scalar) => cubeDual(s), 2, 1)).toBe(12);
  });
});

describe('defineOp checks the definition when the op is defined', () => {
  const primal = (x: number) => x * x;
  const partials = (o: Algebra, [x]: readonly Value[]) => [o.mul(2, x)];
  const tangent = ([x]: readonly number[], [xDot]: readonly number[]) => 2 * x * xDot;
  const backward = ([x]: readonly D[], _y: D, g: D) => [D.mul(g, D.scale(x, 2))];
  type D = Parameters<typeof D.mul>[0];
  const define = (def: unknown) => () => defineOp(def as never);

  it('a rule that is not a function: OptionError naming defineOp, the op and the field (was: a TypeError at the first use)', () => {
    const e = expectError(define({ name: 'p', primal: (x: number) => x, partials: [1] }), OptionError, 'defineOp p', "'partials'", 'a function', 'an array of length 1');
    expect((e as OptionError).problem?.option).toBe('partials');
    expectError(define({ name: 'p', primal: 3, partials }), OptionError, 'defineOp p', "'primal'", 'a function');
    expectError(define({ name: 'p', primal, tangent: 'yes', backward }), OptionError, 'defineOp p', "'tangent'");
    expectError(define({ name: 'p', primal, tangent, backward: {} }), OptionError, 'defineOp p', "'backward'");
    expectError(define({ name: 'p', partials }), ArgumentError, 'defineOp p', 'primal must be a function', 'undefined');
  });

  it('a missing, empty or non-string name: a typed error at once (was: "defineOp undefined: …" and a TypeError in formatTrace)', () => {
    for (const name of [undefined, '', '  ']) {
      expectError(define({ name, primal, partials }), ArgumentError, 'defineOp', 'name must be a non-empty string');
    }
    expectError(define({ primal, partials }), ArgumentError, 'defineOp', 'name', 'undefined');
    for (const name of [7, null, { toString: () => 'x' }, Symbol('s')]) {
      expectError(define({ name, primal, partials }), OptionError, 'defineOp', "'name' must be a string");
    }
    // A misspelled name is named as such.
    const e = expectError(define({ nmae: 'x', primal, partials }), OptionError, 'defineOp', "'nmae'", "did you mean 'name'");
    expect((e as OptionError).problem?.suggestion).toBe('name');
  });

  it('a misspelled field: OptionError suggesting the field meant (was: silently another form, or ignored)', () => {
    // {partial, tangent, backward} quietly became the dual-number form.
    let e = expectError(define({ name: 'typo', primal, partial: partials, tangent, backward }), OptionError, 'defineOp typo', "'partial'", "did you mean 'partials'");
    expect((e as OptionError).problem?.suggestion).toBe('partials');
    e = expectError(define({ name: 'typo', primal, partials, tangnet: tangent }), OptionError, "'tangnet'", "did you mean 'tangent'");
    expect((e as OptionError).problem?.kind).toBe('unknown-option');
    expectError(define({ name: 'typo', primal, partials, Name: 'x' }), OptionError, "'Name'", "did you mean 'name'");
    expectError(define({ name: 'typo', primal, partials, arity: 1 }), OptionError, "'arity'", 'name, primal, partials, tangent, backward');
  });

  it('both forms, or half of the dual-number form: ArgumentError saying which to give (was: tangent and backward silently ignored)', () => {
    expectError(define({ name: 'both', primal, partials, tangent, backward }), ArgumentError, 'defineOp both', 'not both', 'partials, tangent, backward');
    expectError(define({ name: 'both', primal, partials, tangent }), ArgumentError, 'defineOp both', 'not both');
    expectError(define({ name: 'both', primal, partials, backward }), ArgumentError, 'defineOp both', 'not both');
    expectError(define({ name: 'half', primal, tangent }), ArgumentError, 'defineOp half', 'both tangent and backward', 'tangent only');
    expectError(define({ name: 'none', primal }), ArgumentError, 'defineOp none', 'give partials');
  });

  it('not an object at all: ArgumentError', () => {
    for (const def of [null, undefined, 3, 'op', [primal], () => 1]) expectError(define(def), ArgumentError, 'defineOp', 'expected an object of rules');
  });

  it('fields left undefined count as left out, and each valid form is accepted', () => {
    expect(() => defineOp({ name: 'okPartials', primal, partials, tangent: undefined, backward: undefined })).not.toThrow();
    expect(() => defineOp({ name: 'okDual', primal, partials: undefined, tangent, backward })).not.toThrow();
    const op = defineOp({ name: 'okDual2', primal, tangent, backward });
    expect(hvp((s: Scalar) => op(s), 3, 1)).toBe(2);
  });

  it('every error here is a DualtapeError', () => {
    for (const def of [{ name: 'p', primal, partials: 1 }, { primal }, { name: 'p', primal, partial: partials }]) {
      expect(define(def)).toThrow(DualtapeError);
    }
  });
});
