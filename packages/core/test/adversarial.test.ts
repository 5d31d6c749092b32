// Findings of an adversarial pass over the public API (random and hand-picked bad arguments, edge
// values, misuse of the transforms), one block per finding: each was a silent wrong number or an
// internal TypeError/RangeError before its fix, and is now the documented result or a typed error.
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import {
  ArgumentError, DualtapeError, StructureError, defineOp, grad, gradAndHvp, hessian, hvp, jacobian, tensor, vjp, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = (f: unknown) => f as (...args: any[]) => any;

describe('an elementwise op without a parameter refuses a second argument', () => {
  // log(x, 10) was ln x and round(x, 2) an integer: the hidden parameter slot of the unary ops took
  // the 10 and ignored it.
  it('log(x, 10) and round(x, 2) name what to write instead', () => {
    expectError(() => grad((x: Scalar) => loose(ops.log)(x, 10))(100), ArgumentError, 'log', '10', 'log10');
    expectError(() => grad((x: Scalar) => loose(ops.round)(x, 2))(1.2345), ArgumentError, 'round', 'decimals');
    expectError(() => grad((x: Tensor) => loose(ops.sqrt)(x, 3).sum())([4]), ArgumentError, 'sqrt', '3');
    expectError(() => grad((x: Scalar) => loose(ops.neg)(x, 0))(1), ArgumentError, 'neg');
    expectError(() => grad((x: Scalar) => loose(ops.square)(x, 3))(1), ArgumentError, 'square');
  });

  it('every parameterless unary op refuses it, scalar and tensor alike', () => {
    const parametric = new Set(['elu', 'leakyRelu', 'polygamma']);
    // The elementwise ops carry their math; the binary ones have partials da and db besides.
    const unary = Object.entries(ops).filter(([name, op]) =>
      typeof op === 'function' && 'math' in op && !('da' in (op.math as object)) && !parametric.has(name));
    expect(unary.length).toBeGreaterThanOrEqual(40);
    for (const [name, op] of unary) {
      expectError(() => grad((x: Scalar) => loose(op)(x, 0))(0.5), ArgumentError, name);
      expectError(() => grad((x: Tensor) => loose(op)(x, 2).sum())([0.5]), ArgumentError, name);
    }
  });

  it('their methods refuse it too (x.log(10) in plain JavaScript), and x.elu(0.5) keeps its parameter', () => {
    const parametric = new Set(['elu', 'leakyRelu', 'polygamma']);
    const unary = Object.entries(ops).filter(([name, op]) =>
      typeof op === 'function' && 'math' in op && !('da' in (op.math as object)) && !parametric.has(name));
    let methods = 0;
    for (const [name] of unary) {
      const method = (x: unknown) => (x as Record<string, (...a: unknown[]) => unknown>)[name];
      if (typeof method(tensor([0.5])) !== 'function') continue;
      methods++;
      expectError(() => grad((x: Scalar) => method(x).call(x, 10) as Scalar)(0.5), ArgumentError, name);
      expectError(() => grad((x: Tensor) => (method(x).call(x, 10) as Tensor).sum())([0.5]), ArgumentError, name);
      // Without the argument, the method is the op.
      expect(grad((x: Scalar) => method(x).call(x) as Scalar)(0.5)).toBe(grad((x: Scalar) => loose(ops[name as 'exp'])(x) as Scalar)(0.5));
    }
    expect(methods).toBeGreaterThanOrEqual(35);
    expectError(() => grad((x: Tensor) => (x as unknown as { log(b: number): Tensor }).log(10).sum())([100]), ArgumentError, 'log10');
    const loose2 = tensor([-1, 2]) as unknown as { elu(a: number): Tensor; leakyRelu(s: number): Tensor };
    expect(Array.from(loose2.elu(0.5).value)).toEqual([0.5 * Math.expm1(-1), 2]);
    expect(Array.from(loose2.leakyRelu(0.5).value)).toEqual([-0.5, 2]);
  });

  it('the ops with a parameter keep it, to third order', () => {
    // d³/dx³ at x = −1 of elu(x, 2) + leakyRelu(x, 0.2) + x⁻³ + polygamma(1, x + 3), from closed forms:
    // elu‴ = 2eˣ, leakyRelu‴ = 0, (x⁻³)‴ = −60x⁻⁶, ψ⁽¹⁾‴ = ψ⁽⁴⁾(2) = −24(ζ(5) − 1).
    const f = (x: Scalar) => ops.elu(x, 2).add(ops.leakyRelu(x, 0.2)).add(ops.pow(x, -3)).add(ops.polygamma(1, x.add(3)));
    const zeta5 = 1.0369277551433699;
    const expected = 2 * Math.exp(-1) - 60 - 24 * (zeta5 - 1);
    expect(Math.abs(grad(grad(grad(f)))(-1) - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
    expect(Array.from(hvp((x: Tensor) => ops.elu(x, 2).sum(), [-1], [1]))).toEqual([2 * Math.exp(-1)]);
  });
});

describe('a result too large for a tensor is an ArgumentError, not an engine RangeError', () => {
  // Each allocated its result first and died in the typed-array constructor (RangeError: Invalid
  // typed array length), or, for pad's index maps, tried to allocate gigabytes.
  const n = 1e5;
  const x = Array.from({ length: n }, (_, k) => k / n);
  const cases: [string, (t: Tensor) => Tensor][] = [
    ['outer', (t) => ops.outer(t, t)],
    ['matmul', (t) => ops.matmul(t.reshape([n, 1]), t.reshape([1, n]))],
    ['einsum', (t) => ops.einsum('i,j->ij', t, t)], // an outer product, no label summed: one broadcasting mul
    ['tile', (t) => ops.tile(t, n)],
    ['repeat', (t) => ops.repeat(t, n)],
    ['add', (t) => t.reshape([n, 1]).add(t)],
    ['diag', (t) => ops.diag(t)],
    ['diag', (t) => ops.diag(t.slice(0, 2), 2 ** 31)],
    ['pad', (t) => ops.pad(t.slice(0, 6), [3e9, 0])],
    ['conv2d', (t) => ops.conv2d(t.slice(0, 6).reshape([1, 2, 3, 1]), ops.reshape(t.slice(0, 1), [1, 1, 1, 1]), { padding: n })],
  ];
  it.each(cases)('%s', (name, f) => {
    expectError(() => grad((t: Tensor) => f(t).sum())(x), ArgumentError, name, 'elements', '2³¹ − 1');
  });

  it('the largest allowed size is still a tensor: a broadcast to exactly the limit is only refused above it', async () => {
    const { checkedSize, MAX_ELEMENTS } = await import('../src/shape.js');
    expect(checkedSize([MAX_ELEMENTS], 'op')).toBe(2 ** 31 - 1);
    expectError(() => checkedSize([2, 2 ** 30], 'op'), ArgumentError, 'op', '2147483648');
    expectError(() => checkedSize([Infinity], 'op'), ArgumentError, 'Infinity');
  });
});

describe('error messages show any value the caller passed', () => {
  // The messages formatted the value with JSON.stringify, which throws on a BigInt and on a node
  // (its tape refers back to it): the caller got an internal TypeError instead of the typed error.
  it('a bigint or a node where an index, a shape or axes belong', () => {
    const six = [1, 2, 3, 4, 5, 6];
    expectError(() => grad((x: Tensor) => loose(ops.at)(x, 1n))(six), ArgumentError, 'at', '1n');
    expectError(() => grad((x: Tensor) => loose(ops.broadcastTo)(x, x).sum())(six), ArgumentError, 'broadcastTo', 'a tensor node');
    expectError(() => grad((x: Tensor) => loose(ops.transpose)(x, x).sum())(six), ArgumentError, 'transpose', 'a tensor node');
    expectError(() => grad((x: Tensor) => loose(ops.tensordot)(x, x, x).sum())(six), ArgumentError, 'tensordot', 'a tensor node');
    expectError(() => grad((x: Tensor) => loose(ops.tensordot)(x, x, [[0n], [0]]).sum())(six), ArgumentError, 'tensordot', '0n (a bigint)');
    expectError(() => grad((x: Tensor) => loose(ops.sum)(x, Symbol('axis')))(six), ArgumentError, 'sum', 'a symbol');
    expectError(() => grad((x: Tensor) => loose(ops.expandDims)(x, [0, 1n]).sum())(six), ArgumentError, 'expandDims');
    expectError(() => grad((x: Tensor) => loose(ops.sum)(x, [0, 0n]))(six), ArgumentError, 'sum');
    expectError(() => grad((x: Tensor) => loose(x.reshape)([2, 3n]).sum())(six), DualtapeError, 'reshape');
    expectError(() => grad((x: Tensor) => ops.norm(x.reshape([2, 3]), 'fro', loose([0n]) as unknown as number[]).sum())(six), ArgumentError, 'norm', '0n');
  });

  it('mean of a non-tensor names mean', () => {
    expectError(() => grad((x: Tensor) => loose(ops.mean)({}, 1.5).add(x.sum()))([1]), ArgumentError, 'mean', 'an object');
    expectError(() => grad((x: Tensor) => loose(ops.mean)(null).add(x.sum()))([1]), ArgumentError, 'mean', 'null');
  });
});

describe("vjp's cotangent u is read as numbers, like every leaf of x and v", () => {
  // u was taken by its length alone and copied with Float64Array.from: a string or an array of
  // strings gave NaN, [null, null] gave zeros, and a matrix cotangent [[1, 0], [0, 1]] gave NaN.
  const { pullback } = vjp((x: Tensor) => x.mul(2), [1, 2]);
  it('refuses what is not numbers', () => {
    for (const u of ['ab', ['1', '2'], [null, null], [1, , 2], { length: 2 }, Int32Array.of(1, 2)]) {
      expectError(() => pullback(u as never), StructureError, 'vjp', 'u must match');
    }
  });

  it('reads a matrix cotangent row-major, as a matrix leaf of x', () => {
    const m = vjp((x: Tensor) => x.reshape([2, 2]).mul(tensor([1, 2, 3, 4], [2, 2])), [1, 1, 1, 1]);
    expect(Array.from(m.pullback([[1, 0], [5, 1]] as never) as Float64Array)).toEqual([1, 0, 15, 4]);
    expect(Array.from(pullback([1, 3]) as Float64Array)).toEqual([2, 6]);
  });
});

describe('hessian and jacobian refuse a result no tensor can hold before computing it', () => {
  // hessian over 1e5 parameters ran 1e5 products (minutes) and then died allocating 1e10 numbers.
  const x = new Float64Array(1e5).fill(0.5);
  it('hessian', () => {
    expectError(() => hessian((t: Tensor) => t.square().sum(), x), ArgumentError, 'hessian', '[100000,100000]', 'hvpOperator');
  });
  it('jacobian', () => {
    expectError(() => jacobian((t: Tensor) => t.square(), x), ArgumentError, 'jacobian', '[100000,100000]', 'vjp');
  });
});

describe('polygamma refuses an order too high to compute', () => {
  // polygamma(1e308, x) never returned (1e308 is an integer to JS): its n! and cot⁽ⁿ⁾ tables grow as n².
  it('names the range', () => {
    for (const n of [1e308, 1001, 2 ** 31]) {
      expectError(() => grad((x: Tensor) => ops.polygamma(n, x).sum())([0.5]), ArgumentError, 'polygamma', '[0, 1000]', String(n));
    }
  });
  it('still nests above the highest order: the rules call n + 1 and n + 2', () => {
    // ψ⁽¹⁰⁰⁰⁾(x)'s second derivative is ψ⁽¹⁰⁰²⁾(x) = −1002!·ζ(1003, x), which at x = 400 is
    // −1002!/400¹⁰⁰³ · (1 + (400/401)¹⁰⁰³ + …): compared with the same op one order up.
    const x = 400;
    const d2 = grad(grad((s: Scalar) => ops.polygamma(1000, s)))(x);
    const direct = grad((s: Scalar) => ops.polygamma(1000, s))(x);
    expect(Number.isFinite(d2)).toBe(true);
    expect(Math.sign(d2)).toBe(-1);
    expect(Math.sign(direct)).toBe(1);
  });
});

describe('a scalar node combined with plain array data broadcasts to a tensor', () => {
  // add(s, [-1, 0.5]) returned a Scalar equal to s (the array was read as a scalar node's id) and
  // mul/div gave 'dualtape internal error: a rule gave a tensor value to a scalar node'. The type
  // (Combined) says Tensor, as it is with tensor([-1, 0.5]).
  const c = [-1, 0.5];
  const closed: Record<string, [(x: number, k: number) => number, (x: number, k: number) => number, (x: number, k: number) => number]> = {
    // value, d/dx, d²/dx² of op(x, k) for one element k
    add: [(x, k) => x + k, () => 1, () => 0],
    sub: [(x, k) => x - k, () => 1, () => 0],
    mul: [(x, k) => x * k, (_x, k) => k, () => 0],
    div: [(x, k) => x / k, (_x, k) => 1 / k, () => 0],
    pow: [(x, k) => x ** k, (x, k) => k * x ** (k - 1), (x, k) => k * (k - 1) * x ** (k - 2)],
    hypot: [(x, k) => Math.hypot(x, k), (x, k) => x / Math.hypot(x, k), (x, k) => k * k / Math.hypot(x, k) ** 3],
  };
  it.each(Object.keys(closed))('%s(scalar, array) and %s(scalar, nested array), value, ∇ and H·v', (name) => {
    const [f, df, d2f] = closed[name];
    const x = 1.5;
    for (const operand of [c, [c]]) {
      const op = loose((ops as Record<string, unknown>)[name]);
      const { value, grad: g, hvp: hv } = gradAndHvp((s: Scalar) => (op(s, operand) as Tensor).sum(), x, 1);
      const sum = (h: (x: number, k: number) => number) => c.reduce((acc, k) => acc + h(x, k), 0);
      expect(Math.abs(value - sum(f))).toBeLessThanOrEqual(1e-15 * Math.abs(sum(f)));
      expect(Math.abs((g as number) - sum(df))).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(sum(df))));
      expect(Math.abs((hv as number) - sum(d2f))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(sum(d2f))));
    }
  });
  it('the result is a tensor of the broadcast shape, either operand order', () => {
    grad((s: Scalar) => {
      const y = ops.mul([[1, 2, 3]], s) as unknown as Tensor;
      expect(y.kind).toBe('tensor');
      expect(y.shape).toEqual([1, 3]);
      return y.sum();
    })(2);
  });
});

describe("defineOp: a primal that does not return a number is named", () => {
  // A forgotten return gave NaN silently, a string was coerced, and a node (from a transform called
  // inside primal) was a NodeConversionError that did not name the op.
  let k = 0;
  const define = (primal: (x: number) => unknown) =>
    defineOp({ name: `adversarialPrimal${k++}`, primal: primal as (x: number) => number, partials: (o, [x]) => [o.mul(2, x)] });
  it.each([
    ['undefined', (x: number) => { void (x * x); }],
    ["'4'", (x: number) => String(x * x)],
    ['Scalar', (x: number) => grad((y: Scalar) => y.square())(x)],
  ])('returning %s', (what, primal) => {
    const op = define(primal);
    expectError(() => grad((x: Scalar) => loose(op)(x))(2), ArgumentError, 'adversarialPrimal', 'primal must return a number', what === 'Scalar' ? 'transform called inside primal' : what);
    expectError(() => grad((x: Tensor) => loose(op)(x).sum())([2, 3]), ArgumentError, 'primal must return a number');
  });
  it('a number still works', () => {
    const op = define((x) => x * x);
    expect(grad((x: Scalar) => loose(op)(x))(3)).toBe(6);
  });
});
