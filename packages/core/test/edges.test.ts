// The API edges of issue 11: misuse that used to give a silently wrong number (or an internal
// TypeError) now gives the right number or a typed error that says what to do. None of these tests
// asserts the old behaviour.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, D, DualtapeError, FiniteError, NodeConversionError, OptionError, OutputError, ShapeError, StructureError,
  defineOp, dot, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jvp, ggnvp, matmul, maximum, minimum, log, mul,
  pow, relu, reshape, scalar, stack, sum, tensor, trace, valueAndGrad, vjp, where, type Scalar, type Tensor,
} from '../src/index.js';
import { ReentrantSweepError } from '../src/tape.js';

/** Runs fn and returns what it threw (failing the test if it threw nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DualtapeError);
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('JS operators on nodes are refused, naming the op to use', () => {
  it('arithmetic, Math functions, comparisons and template strings each raise NodeConversionError', () => {
    const cases: Array<[string, (x: Scalar, y: Scalar) => unknown]> = [
      ['x * 2', (x) => (x as unknown as number) * 2],
      ['x + y', (x, y) => (x as unknown as number) + (y as unknown as number)],
      ['Math.sin(x)', (x) => Math.sin(x as unknown as number)],
      ['x > 0', (x) => (x as unknown as number) > 0],
      ['-x', (x) => -(x as unknown as number)],
      ['`${x}`', (x) => `${x as unknown as string}`],
    ];
    for (const [what, use] of cases) {
      const e = thrown(() => grad((p: { x: Scalar; y: Scalar }) => use(p.x, p.y) as never)({ x: 1, y: 2 }));
      expect(e, what).toBeInstanceOf(NodeConversionError);
      expect(e.message, what).toMatch(/x\.value|sin\(x\)|x\.mul/);
    }
  });

  it('the issue\'s reproducer Math.sin(p.x) * p.y is an error, not f = NaN with a zero gradient', () => {
    const e = thrown(() => gradAndHvp((p: { x: Scalar; y: Scalar }) => (Math.sin(p.x as never) * (p.y as never)) as never, { x: 1, y: 2 }, { x: 1, y: 0 }));
    expect(e).toBeInstanceOf(NodeConversionError);
    expect(e.message).toMatch(/sin\(x\) or x\.sin\(\)/);
  });

  it('assigning an element of a node throws NodeConversionError, in strict and in sloppy code, on tensors and scalars', () => {
    // new Function bodies are sloppy-mode code, where assigning to a non-extensible object is ignored.
    const sloppyAssign = new Function('x', 'i', 'x[i] = 5; return x;') as (x: unknown, i: number) => unknown;
    const strictAssign = (x: unknown, i: number) => { (x as Record<number, number>)[i] = 5; };
    for (const assign of [sloppyAssign, strictAssign]) {
      for (const i of [0, 1, 1023]) {
        const onTensor = thrown(() => grad((x: Tensor) => { assign(x, i); return x.sum(); })([1, 2]));
        expect(onTensor).toBeInstanceOf(NodeConversionError);
        expect(onTensor.message).toContain(`x[${i}] = …`);
        const onScalar = thrown(() => grad((x: Scalar) => { assign(x, i); return x; })(1));
        expect(onScalar).toBeInstanceOf(NodeConversionError);
        expect(onScalar.message).toMatch(/scalar node is not an array/);
      }
    }
    // Past the guarded indices a tensor node is still non-extensible: strict code throws.
    expect(() => grad((x: Tensor) => { strictAssign(x, 5000); return x.sum(); })([1, 2])).toThrow(TypeError);
  });

  it('reading an element of a node (x[1]) throws NodeConversionError naming x.at(1) and x.value[1], not undefined', () => {
    const e = thrown(() => grad((x: Tensor) => {
      const second = (x as unknown as Record<number, unknown>)[1];
      return x.sum().mul(second as never);
    })([1, 2]));
    expect(e).toBeInstanceOf(NodeConversionError);
    expect(e.message).toContain('x.at(1)');
    expect(e.message).toContain('x.value[1]');
    // The right ways still work.
    expect(grad((x: Tensor) => x.at(1).mul(x.at(0)))([3, 4])).toEqual(Float64Array.of(4, 3));
  });

  it('the index guards do not show in keys, JSON or inspection of nodes', () => {
    const t = tensor([1, 2], [2]);
    expect(Object.keys(t)).not.toContain('0');
    expect('0' in t).toBe(true); // on the prototype, not own
    expect(Object.prototype.hasOwnProperty.call(t, '0')).toBe(false);
    expect(() => JSON.stringify({ shape: t.shape })).not.toThrow();
    // A tensor node iterates over its first axis (test/iteration.test.ts), so a deep equality that
    // walks iterables compares its parts: the guards are not what it reads.
    expect([...t].map((part) => part.value[0])).toEqual([1, 2]);
  });
});

describe('NaN propagates through kinks', () => {
  it('relu(log(−1)) is NaN with a NaN gradient, not 0 and 0', () => {
    const r = valueAndGrad((x: Scalar) => relu(log(x)))(-1);
    expect(r.value).toBeNaN();
    expect(r.grad).toBeNaN();
  });

  it('maximum and minimum with NaN on either side are NaN, with NaN gradients on both', () => {
    for (const op of [maximum, minimum]) {
      for (const [a, b] of [[NaN, 0], [0, NaN]]) {
        const r = valueAndGrad((p: Tensor) => op(p.at(0), p.at(1)) as Scalar)([a, b]);
        expect(r.value).toBeNaN();
        expect(Array.from(r.grad as Float64Array).every(Number.isNaN)).toBe(true);
      }
    }
  });
});

describe('directions and arguments that are null, undefined or the wrong kind', () => {
  const f = (x: Tensor) => x.square().sum();
  it('v = null or undefined is a StructureError naming v, for every transform that takes one', () => {
    for (const v of [null, undefined]) {
      for (const call of [
        () => gradAndHvp(f, [1, 2], v as never), () => hvp(f, [1, 2], v as never), () => jvp(f, [1, 2], v as never),
        () => ggnvp((x: Tensor) => x.mul(2), (z) => z.sum(), [1, 2], v as never), () => trace(f as never, [1, 2], v as never),
      ]) {
        const e = thrown(call);
        expect(e).toBeInstanceOf(StructureError);
        expect(e.message).toMatch(new RegExp(`v is ${String(v)}`));
      }
    }
  });

  it('f that is not a function, options that are not options, extra arguments', () => {
    expect(thrown(() => grad(null as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => grad(f as never, [1, 2] as never)).message).toMatch(/grad\(f\)\(x\)/);
    // Extra arguments go to f as they are (JAX's grad(loss)(params, batch); test/argnums.test.ts).
    expect(Array.from(grad((x: Tensor, c: number[]) => x.mul(c).sum())([1, 2], [3, 4]) as Float64Array)).toEqual([3, 4]);
    expect(thrown(() => gradAndHvp(f, [1, 2], [1, 0], null as never))).toBeInstanceOf(OptionError);
  });

  it('options are checked at run time: unknown keys (with the nearest name) and bad values', () => {
    const e = thrown(() => grad(f as never, { checkfinite: true } as never)([1, 2]));
    expect(e).toBeInstanceOf(OptionError);
    expect(e.message).toMatch(/checkFinite/);
    expect(thrown(() => hvp(f, [1, 2], [1, 0], { maxNodes: NaN }))).toBeInstanceOf(OptionError);
    expect(thrown(() => hvp(f, [1, 2], [1, 0], { maxNodes: 0 }))).toBeInstanceOf(OptionError);
    expect(thrown(() => hessian(f, [1, 2], { checkFinite: 'yes' as never }))).toBeInstanceOf(OptionError);
  });

  it('pullback(null), applyFlat(number[]), hvpMany with a number[]: typed errors', () => {
    const { pullback } = vjp((x: Tensor) => x.mul(2), [1, 2]);
    expect(thrown(() => pullback(null as never))).toBeInstanceOf(StructureError);
    expect(thrown(() => hvpOperator(f, [1, 2]).applyFlat([1, 0] as never))).toBeInstanceOf(StructureError);
    expect(thrown(() => hvpMany(f, [1, 2], [1, 0, 0, 1] as never))).toBeInstanceOf(StructureError);
  });

  it('cyclic and absurdly deep pytrees are a StructureError naming the path, not a stack overflow', () => {
    const cyclic: Record<string, unknown> = { a: [1, 2] };
    cyclic.self = cyclic;
    expect(thrown(() => grad((p: never) => scalar(0) as never)(cyclic)).message).toMatch(/x\.self.*cycle/);
    let deep: unknown = [1];
    for (let k = 0; k < 10_000; k++) deep = { d: deep };
    expect(thrown(() => grad((p: never) => scalar(0) as never)(deep as never))).toBeInstanceOf(StructureError);
    // The same with arrays only (a nested-array leaf is looked for first) and an array holding itself.
    let deepArrays: unknown = 1;
    for (let k = 0; k < 10_000; k++) deepArrays = [deepArrays];
    const selfArray: unknown[] = [];
    selfArray.push(selfArray);
    expect(thrown(() => grad((p: never) => scalar(0) as never)(deepArrays as never))).toBeInstanceOf(StructureError);
    expect(thrown(() => grad((p: never) => scalar(0) as never)(selfArray as never))).toBeInstanceOf(StructureError);
    expect(thrown(() => tensor(deepArrays as never))).toBeInstanceOf(ShapeError);
    expect(thrown(() => tensor(selfArray as never)).message).toMatch(/deeper than 64 levels \(or an array containing itself\)/);
  });

  it('a user op whose backward returns the wrong number of duals: ArgumentError naming the op', () => {
    const bad = defineOp({ name: 'bad', primal: (a, b) => a * b, tangent: () => 0, backward: (_x, _y, g) => [g] });
    expect(thrown(() => grad((p: Tensor) => bad(p.at(0), p.at(1)))([1, 2])).message).toMatch(/bad: backward must return one dual per input \(2\)/);
  });
});

describe('operands: raw data is a constant, anything else a typed error', () => {
  it('plain arrays and nested arrays are constants of their shape', () => {
    // x + [1, 2]; X·w with X a number[][]
    expect(grad((x: Tensor) => x.add([1, 2]).square().sum())([1, 1])).toEqual(Float64Array.of(4, 6));
    const X = [[1, 2], [3, 4], [5, 6]];
    const g = grad((w: Tensor) => matmul(X, w).sum())([0.5, -1]);
    expect(g).toEqual(Float64Array.of(9, 12));
    expect(grad((w: Tensor) => dot(w, [3, 4]))([1, 1])).toEqual(Float64Array.of(3, 4));
  });

  it('null, undefined, strings and a scalar where a tensor belongs: ArgumentError naming the op', () => {
    for (const bad of [null, undefined, 'x', {}]) {
      expect(thrown(() => grad((x: Tensor) => x.add(bad as never).sum())([1])).message).toMatch(/add/);
      expect(thrown(() => grad((x: Tensor) => x.mul(bad as never).sum())([1]))).toBeInstanceOf(ArgumentError);
      expect(thrown(() => grad((x: Tensor) => matmul(x.reshape([1, 1]), bad as never).sum())([1]))).toBeInstanceOf(ArgumentError);
    }
    expect(thrown(() => grad((x: Tensor) => matmul(x.sum() as never, x).sum())([1])).message).toMatch(/scalar node/);
    expect(thrown(() => grad((x: Tensor) => where(null as never, x, 0).sum())([1]))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => grad((x: Tensor) => sum(null as never))([1]))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => grad((x: Tensor) => stack([x.at(0), 'y' as never]).sum())([1])).message).toMatch(/^stack/);
    expect(thrown(() => grad((x: Tensor) => stack([x, x.reshape([1, 2])]).sum())([1, 2])).message).toMatch(/^stack/);
  });
});

describe('shapes are non-negative integers whose product is the data length', () => {
  it('negative, fractional, non-numeric shapes and shapes that do not fit are typed errors', () => {
    for (const shape of [[-2, -2], [0.5, 6], [1.5, 2], ['3'], '3', [1e9, 1e-9]]) {
      expect(thrown(() => tensor([1, 2, 3, 4], shape as never))).toBeInstanceOf(ShapeError);
    }
    expect(thrown(() => tensor([7], [1e9, 1e-9] as never))).toBeInstanceOf(ShapeError);
  });

  it('tensor(node) and ragged nested arrays are typed errors', () => {
    expect(thrown(() => grad((x: Tensor) => tensor(x as never).sum())([1])).message).toMatch(/node/);
    expect(thrown(() => tensor([[1, 2], [3]]))).toBeInstanceOf(ShapeError);
  });
});

describe('evaluating outside a transform', () => {
  it('tensor(), scalar() and every op compute plain values with no transform', () => {
    const W = tensor([[1, 2], [3, 4]]);
    const y = W.matmul(tensor([1, -1])).tanh();
    expect(Array.from(y.value)).toEqual([Math.tanh(-1), Math.tanh(-1)]);
    expect(scalar(2).mul(3).add(1).value).toBe(7);
    // A function of parameters, evaluated as a JAX user would, and differentiated with the same code.
    const f = (p: { w: Tensor }) => p.w.mul([1, 2]).square().sum();
    expect(f({ w: tensor([1, 1]) }).value).toBe(5);
    expect(grad(f)({ w: [1, 1] })).toEqual({ w: Float64Array.of(2, 8) });
  });

  it('a value computed outside and used inside a transform is a constant there', () => {
    const c = tensor([2, 3]).mul(2);
    expect(grad((x: Tensor) => x.mul(c).sum())([1, 1])).toEqual(Float64Array.of(4, 6));
    // …and so is one given as the point x.
    expect(grad((x: Tensor) => x.square().sum())(tensor([1, 2]) as never)).toEqual(Float64Array.of(2, 4));
  });

  it('parameters given as number[][] are matrices', () => {
    const g = grad((W: Tensor) => {
      expect(W.shape).toEqual([2, 3]);
      return W.matmul([1, 1, 1]).square().sum();
    })([[1, 2, 3], [4, 5, 6]]);
    // ∂/∂W Σᵢ (Σⱼ Wᵢⱼ)² = 2·rowsum, row-major
    expect(g).toEqual(Float64Array.of(12, 12, 12, 30, 30, 30));
  });
});

describe('re-entrant sweeps and async f', () => {
  it('an hvpOperator applied from inside a rule of its own sweep is refused with a typed error', () => {
    let op: ReturnType<typeof hvpOperator> | null = null;
    const probe = defineOp({
      name: 'probe',
      primal: (x) => x,
      tangent: (_x, [xDot]) => xDot,
      backward: (_x, _y, g) => {
        if (op) op.applyFlat(Float64Array.of(1, 0));
        return [g];
      },
    });
    op = hvpOperator((x: Tensor) => probe(x.at(0)).mul(x.at(1)).add(x.at(0).square()), [1, 2]);
    expect(thrown(() => op!.applyFlat(Float64Array.of(1, 0)))).toBeInstanceOf(ReentrantSweepError);
  });

  it('an async f is an OutputError, and its own promise never becomes an unhandled rejection', async () => {
    let unhandled = 0;
    const onUnhandled = () => unhandled++;
    process.on('unhandledRejection', onUnhandled);
    try {
      const e = thrown(() => grad((async (x: Scalar) => {
        throw new Error(`failed at ${x.value}`);
      }) as never)(1));
      expect(e).toBeInstanceOf(OutputError);
      expect(e.message).toMatch(/promise/);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('one 0·∞ convention, honoured by dot and matmul too', () => {
  it('s^s with s = dot(x, x) at 0 differentiates as with s = sum(x·x): gradient 0, not NaN', () => {
    const viaDot = (x: Tensor) => { const s = dot(x, x); return pow(s, s); };
    const viaSum = (x: Tensor) => { const s = mul(x, x).sum(); return pow(s, s); };
    const viaMatmul = (x: Tensor) => { const s = matmul(x.reshape([1, 2]), x).sum(); return pow(s, s); };
    const expected = valueAndGrad(viaSum)([0, 0]);
    expect(Array.from(expected.grad as Float64Array)).toEqual([0, 0]);
    expect(valueAndGrad(viaDot)([0, 0])).toEqual(expected);
    expect(valueAndGrad(viaMatmul)([0, 0])).toEqual(expected);
  });
});

describe('strict mode: no false alarms, and per call', () => {
  it('pow(x, scalar(3)) at a negative base is fine under checkFinite (the exponent is a constant)', () => {
    const r = gradAndHvp((x: Scalar) => pow(x, scalar(3)), -2, 1, { checkFinite: true });
    expect(r).toEqual({ value: -8, grad: 12, hvp: -12 });
  });

  it('a 0·∞ resolved in an earlier non-strict call does not trip a later strict one', () => {
    // (√x)² at 0: the convention resolves 0·∞ — silently without checkFinite…
    expect(grad((x: Scalar) => x.sqrt().square())(0)).toBe(0);
    // …and an unrelated strict call afterwards is unaffected.
    expect(grad((x: Scalar) => x.square(), { checkFinite: true })(3)).toBe(6);
    expect(thrown(() => grad((x: Scalar) => x.sqrt().square(), { checkFinite: true })(0))).toBeInstanceOf(FiniteError);
  });
});

describe('messages', () => {
  it('structure errors name the path, never an empty one', () => {
    expect(thrown(() => gradAndHvp((x: Tensor) => x.sum(), [1, 2], { a: 1 } as never)).message).not.toMatch(/^StructureError: {2}/);
    expect(thrown(() => gradAndHvp((x: Tensor) => x.sum(), [1, 2], [1] as never)).message).toMatch(/v/);
  });

  it('errors raised inside hvp name hvp', () => {
    expect(thrown(() => hvp(((x: Tensor) => x) as never, [1, 2], [1, 1])).message).toMatch(/^hvp:/);
  });

  it('the dual-number D still works for top-level user ops', () => {
    const cube = defineOp({
      name: 'cube', primal: (x) => x ** 3, tangent: ([x], [xDot]) => 3 * x * x * xDot,
      backward: ([x], _y, g) => [D.mul(g, D.scale(D.mul(x, x), 3))],
    });
    expect(hvp((x: Scalar) => cube(x), 2, 1)).toBe(12);
  });
});

describe('a tensor has at most 64 axes (as in NumPy)', () => {
  const ones = (r: number) => new Array<number>(r).fill(1);
  it('64 axes work; 65, or a million (which spent minutes on index work), are a ShapeError naming the op', () => {
    expect(reshape(tensor([1], [1]), ones(64)).shape.length).toBe(64);
    expect(grad((x: Tensor) => x.reshape(ones(40)).reshape([1]).sum())([2])).toEqual(Float64Array.of(1));
    for (const [what, make] of [
      ['reshape', () => reshape(tensor([1], [1]), ones(65))],
      ['reshape', () => reshape(tensor([1], [1]), ones(1e6))],
      ['tensor', () => tensor([1], ones(65))],
      ['broadcastTo', () => tensor([1], [1]).broadcastTo(ones(65))],
      ['expandDims', () => reshape(tensor([1], [1]), ones(64)).expandDims(0)],
    ] as Array<[string, () => unknown]>) {
      const e = thrown(make);
      expect(e, what).toBeInstanceOf(ShapeError);
      expect(e.message, what).toContain('at most 64');
      expect(e.message, what).toContain(what);
    }
  });
});
