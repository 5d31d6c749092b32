// Every bad input gives the documented error CLASS and a message that names the problem (the shapes,
// the path of the offending leaf, the op). And a failure leaves nothing behind: the next call is exact.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DualtapeError, compile, FiniteError, NestedTransformError, OutputError, ShapeError, StaleNodeError,
  StructureError, TapeBudgetError, defineOp, D, ggnvp, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian,
  dual, flatten, jvp, scalar, stack, tensor, unflatten, valueAndGrad, vjp, where,
  type Dual, type Node, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

const six = () => Float64Array.of(1, 2, 3, 4, 5, 6);

describe('ShapeError names both shapes', () => {
  it('broadcasting [2,3] with [4]', () => {
    expectError(() => grad((x: Tensor) => x.reshape([2, 3]).add(tensor([1, 2, 3, 4])).sum())(six()), ShapeError, '[2,3]', '[4]', 'add');
    expectError(() => grad((x: Tensor) => tensor([1, 2, 3, 4]).mul(x.reshape([2, 3])).sum())(six()), ShapeError, '[4]', '[2,3]', 'mul');
    // [2,3] with a [2] vector: trailing dimensions 3 and 2 differ (a column needs shape [2,1]).
    expectError(() => grad((x: Tensor) => x.reshape([2, 3]).sub(x.slice(0, 2)).sum())(six()), ShapeError, '[2,3]', '[2]');
  });

  it('matmul with mismatched inner dimensions', () => {
    expectError(() => grad((x: Tensor) => x.reshape([2, 3]).matmul(tensor([1, 2, 3, 4])).sum())(six()), ShapeError, 'matmul', '[2,3]', '[4]');
    expectError(() => grad((x: Tensor) => x.reshape([2, 3]).matmul(x.reshape([2, 3])).sum())(six()), ShapeError, '[2,3]');
    // Two vectors are no error: NumPy's matmul gives their inner product (a 0-d tensor; products.test.ts).
    // Two vectors of different lengths name both.
    expectError(() => grad((x: Tensor) => x.matmul(tensor([1, 2, 3])).sum())([1, 2]), ShapeError, '[2]', '[3]');
  });

  it('reshape to the wrong number of elements', () => {
    expectError(() => grad((x: Tensor) => x.reshape([4, 2]).sum())(six()), ShapeError, 'reshape', '[6]', '[4,2]');
    expectError(() => grad((x: Tensor) => x.reshape([4, -1]).sum())(six()), ShapeError, '[6]', '[4,-1]');
  });

  it('concat of shapes that differ outside the axis', () => {
    expectError(() => grad((x: Tensor) => x.reshape([2, 2]).concat([x.reshape([1, 4])]).sum())([1, 2, 3, 4]), ShapeError, 'concat', '[2,2]', '[1,4]');
  });

  it('dot of vectors of different lengths', () => {
    expectError(() => grad((x: Tensor) => x.dot(tensor([1, 2])))([1, 2, 3]), ShapeError, 'dot', '[3]', '[2]');
  });
});

describe('ArgumentError: indices and ranges', () => {
  it('at() out of bounds, flat and per dimension', () => {
    expectError(() => grad((x: Tensor) => x.at(3))([1, 2, 3]), ArgumentError, 'at', '3', '[3]');
    // Negative indices count from the end; past the start is out of bounds.
    expectError(() => grad((x: Tensor) => x.at(-4))([1, 2, 3]), ArgumentError, '-4', '[3]', 'out of bounds');
    expectError(() => grad((x: Tensor) => x.at(1.5))([1, 2, 3]), ArgumentError, '1.5', 'not an integer');
    expectError(() => grad((x: Tensor) => x.reshape([2, 2]).at([0, 2]))([1, 2, 3, 4]), ArgumentError, '[0,2]', '[2,2]');
    expectError(() => grad((x: Tensor) => x.reshape([2, 2]).at([1]))([1, 2, 3, 4]), ArgumentError, '[1]', '[2,2]');
  });

  it('slice out of range', () => {
    expectError(() => grad((x: Tensor) => x.slice(1, 4).sum())([1, 2, 3]), ArgumentError, 'slice', '[1, 4)', '[3]');
    expectError(() => grad((x: Tensor) => x.slice(2, 1).sum())([1, 2, 3]), ArgumentError, '[2, 1)');
    // Negative indices count from the end (issue 15): −1 is element 2; −4 is before the start.
    expectError(() => grad((x: Tensor) => x.slice(-4, 2).sum())([1, 2, 3]), ArgumentError, '[-4, 2)');
  });

  it('tensor() and scalar() given what is not data', () => {
    expectError(() => tensor('12' as never), ArgumentError, 'tensor', "'12'");
    expectError(() => scalar([2] as never), ArgumentError, 'scalar()', 'an array');
  });

  it('tensor() whose data do not fill its shape', () => {
    expectError(() => grad((x: Tensor) => tensor([1, 2, 3], [2, 2]).sum().mul(x.sum()))([1]), ShapeError, '3 values', '[2,2]');
  });

  it('a where mask that is neither a tensor nor an array (a mask that depends on x is fine: where-mask.test.ts)', () => {
    expectError(() => grad((x: Tensor) => where(x.sum() as never, x, 0).sum())([1, 2]), ArgumentError, 'where', 'mask', 'a scalar node');
  });

  it('a user op called with the wrong number of inputs', () => {
    const cube = defineOp({
      name: 'cubeForErrors',
      primal: (x) => x * x * x,
      tangent: ([x], [xDot]) => 3 * x * x * xDot,
      backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(x, x), 3))],
    });
    // A type error too (CustomOp<1> takes one argument); the run-time check is for JavaScript callers.
    // @ts-expect-error two arguments to a one-input op
    expectError(() => grad((p: Scalar) => cube(p, p))(2), ArgumentError, 'cubeForErrors', '1', '2');
  });

  it('stack along an axis out of range', () => {
    expectError(() => grad((x: Tensor) => stack([x, x], 3).sum())([1, 2, 3]), ArgumentError, 'stack', '3');
  });
});

describe('StructureError: v, u and pytrees that do not match', () => {
  const f = (p: { a: Tensor; b: Scalar }) => p.a.square().sum().mul(p.b);

  it('v missing a leaf of x names the leaves of both', () => {
    expectError(() => hvp(f, { a: [1, 2], b: 3 }, { a: [1, 2] }), StructureError, 'x.a', 'x.b', 'v.a');
  });

  it('v with an extra leaf', () => {
    expectError(() => hvp(f, { a: [1, 2], b: 3 }, { a: [1, 2], b: 1, c: 4 }), StructureError, 'v.c');
  });

  it('v with a leaf of another length names the lengths', () => {
    expectError(() => hvp((x: Tensor) => x.sum(), [1, 2, 3], [1, 2]), StructureError, 'length 2', 'length 3');
    expectError(() => gradAndHvp(f, { a: [1, 2], b: 3 }, { a: [1, 2, 3], b: 1 }), StructureError, 'v.a', 'length 3', 'length 2');
  });

  it('v with a vector where x has a number', () => {
    expectError(() => hvp(f, { a: [1, 2], b: 3 }, { a: [1, 2], b: [1] }), StructureError, 'v.b', 'a number');
  });

  it('the same for jvp, ggnvp and hvpOperator.apply', () => {
    expectError(() => jvp((x: Tensor) => x.mul(2), [1, 2], [1]), StructureError, 'length');
    expectError(() => ggnvp((x: Tensor) => x.mul(2), (z) => z.sum(), [1, 2], [1, 2, 3]), StructureError, 'length');
    const op = hvpOperator(f, { a: [1, 2], b: 3 });
    expectError(() => op.apply({ a: [1, 2] }), StructureError, 'v.a');
    expectError(() => op.applyFlat(new Float64Array(4)), StructureError, '4', '3');
  });

  it('vjp cotangents of the wrong size', () => {
    expectError(() => vjp((x: Tensor) => x.mul(2), [1, 2]).pullback([1]), StructureError, '[2]', 'length 1');
    expectError(() => vjp((x: Tensor) => x.mul(2), [1, 2]).pullback(1), StructureError, 'a number');
    expectError(() => vjp((x: Tensor) => x.sum(), [1, 2]).pullback([1]), StructureError, 'scalar');
  });

  it('f returning several outputs (a JAX tuple or dict) where one output is needed is told how to write them, and a pair about hasAux', () => {
    // (jvp, vjp, linearize and jacobian take them: tree-outputs.test.ts.)
    expectError(() => hessian((x: Tensor) => [x.at(0), x.at(1)] as never, [1, 2]), OutputError, 'an array of length 2', '{ hasAux: true }', 'stack([a, b])');
    expectError(() => hvp((x: Tensor) => ({ a: x }) as never, [1, 2], [1, 0]), OutputError, 'an object', 'concat(');
    expectError(() => grad((x: Tensor) => [x.sum(), x.sum(), 1] as never)([1, 2]), OutputError, 'an array of length 3', 'stack([a, b])');
  });

  it('hvpMany with V not a multiple of n, unflatten of the wrong length', () => {
    expectError(() => hvpMany((x: Tensor) => x.sum(), [1, 2], new Float64Array(3)), StructureError, '3', '2');
    // k directions given one by one: named as what they are, with the way to stack them (was "a number[]").
    expectError(() => hvpMany((x: Tensor) => x.sum(), [1, 2], [Float64Array.of(1, 0), Float64Array.of(0, 1)] as never), StructureError, 'an array of 2 arrays', 'V.set(vⱼ, j·n)');
    expectError(() => hvpMany((x: Tensor) => x.sum(), [1, 2], [1, 0] as never), StructureError, 'a number[]', 'Float64Array.from');
    expectError(() => unflatten({ a: [0, 0], b: 0 }, [1, 2]), StructureError, '2', '3');
  });

  it('leaves that are not numbers or Float64Arrays name their path and type', () => {
    expectError(() => grad((x: Tensor) => x.sum())(new Float32Array(3) as never), StructureError, 'Float32Array');
    expectError(() => grad((p: { w: Tensor }) => p.w.sum())({ w: [1, 2], b: 'three' } as never), StructureError, 'x.b', 'string');
    expectError(() => grad((p: { w: Tensor }) => p.w.sum())({ w: [1, 2], layers: [{ b: null }] } as never), StructureError, 'x.layers[0].b', 'null');
  });

  it('a node made outside any transform, where numbers belong (flatten, an optimizer\'s x0), says to pass node.value', () => {
    expectError(() => flatten({ a: tensor([1, 2]) } as never), StructureError, 'outside any transform', 'node.value');
  });

  it('a null-prototype object (Object.create(null)) is a plain object: x, v and the compiled point alike', () => {
    const dict = <T extends object>(o: T): T => Object.assign(Object.create(null) as T, o);
    const f = (p: { a: Tensor; b: Scalar }) => p.a.square().sum().mul(p.b);
    const r = gradAndHvp(f, dict({ a: [1, 2], b: 3 }), dict({ a: [1, 0], b: 1 }));
    expect(Array.from(r.grad.a)).toEqual([6, 12]);
    expect(r.grad.b).toBe(5);
    expect(Array.from(r.hvp.a)).toEqual([8, 4]); // H·v: 2b·v_a + 2a·v_b
    expect(r.hvp.b).toBe(2);
    expect(compile(f, dict({ a: [0, 0], b: 0 })).value({ a: [1, 2], b: 3 })).toBe(15);
  });
});

describe('OutputError: f returns the wrong kind of thing', () => {
  it('a tensor to grad, valueAndGrad, hvp, gradAndHvp, hvpOperator, hessian (names the shape)', () => {
    const f = (x: Tensor) => x.mul(2) as unknown as Scalar;
    expectError(() => grad(f)([1, 2]), OutputError, 'scalar', '[2]');
    expectError(() => valueAndGrad(f)([1, 2]), OutputError, '[2]');
    expectError(() => hvp(f, [1, 2], [1, 0]), OutputError, '[2]');
    expectError(() => gradAndHvp(f, [1, 2], [1, 0]), OutputError, 'gradAndHvp', '[2]');
    expectError(() => hvpOperator(f, [1, 2]), OutputError, '[2]');
    expectError(() => hessian(f, [1, 2]), OutputError, '[2]');
    // A 0-d tensor is read as the number it holds (JAX's grad takes a 0-d array): no error, the
    // gradient of Σx is ones (test/iteration.test.ts has the rest).
    expect(Array.from(grad((x: Tensor) => x.sum(0))([1, 2]) as Float64Array)).toEqual([1, 1]);
  });

  it('a string, undefined, null or an array instead of a node', () => {
    expectError(() => grad((() => 'hello') as never)([1, 2]), OutputError, "'hello'");
    expectError(() => grad((() => undefined) as never)([1, 2]), OutputError, 'undefined');
    expectError(() => hvp((() => null) as never, [1, 2], [1, 1]), OutputError, 'null');
    expectError(() => hvp((() => [1, 2]) as never, [1, 2], [1, 1]), OutputError, 'array');
    expectError(() => jvp((() => ['a']) as never, [1, 2], [1, 1]), OutputError, 'a tree of outputs', 'output[0] is a string');
  });

  it('ggnvp with a model that returns a scalar', () => {
    expectError(() => ggnvp((x: Tensor) => x.sum() as never, (z) => z.sum(), [1, 2], [1, 1]), OutputError, 'ggnvp', 'tensor');
  });
});

describe('StaleNodeError: nodes live only inside their call', () => {
  it('a node saved from an earlier call, used in an op of a later call', () => {
    let saved: Scalar | undefined;
    grad((x: Scalar) => { saved = x.square(); return saved; })(3);
    expectError(() => grad((x: Scalar) => x.mul(saved!))(2), StaleNodeError);
    expectError(() => grad((x: Scalar) => saved!.mul(x))(2), StaleNodeError);
    expectError(() => grad((x: Scalar) => saved!.add(1).mul(x))(2), StaleNodeError);
    expectError(() => grad((x: Scalar) => saved!.tanh().mul(x))(2), StaleNodeError);
  });

  it('a saved tensor, in tensor ops', () => {
    let saved: Tensor | undefined;
    grad((x: Tensor) => { saved = x.exp(); return saved.sum(); })([1, 2]);
    expectError(() => grad((x: Tensor) => x.mul(saved!).sum())([1, 2]), StaleNodeError);
    expectError(() => grad((x: Tensor) => saved!.sum().mul(x.sum()))([1, 2]), StaleNodeError);
    expectError(() => grad((x: Tensor) => x.dot(saved!))([1, 2]), StaleNodeError);
    expectError(() => grad((x: Tensor) => x.concat([saved!]).sum())([1, 2]), StaleNodeError);
    expectError(() => grad((x: Tensor) => saved!.reshape([2, 1]).sum().mul(x.sum()))([1, 2]), StaleNodeError);
  });

  it('reading .value or .tangent of a saved node after the call', () => {
    let s: Scalar | undefined;
    let t: Tensor | undefined;
    gradAndHvp((x: Tensor) => { t = x.square(); s = t.sum(); return s; }, [1, 2], [1, 0]);
    expectError(() => s!.value, StaleNodeError, 'value');
    expectError(() => t!.value, StaleNodeError, 'value');
    expectError(() => s!.tangent, StaleNodeError);
    expectError(() => t!.tangent, StaleNodeError);
  });

  it('after every transform, including those that keep their tape (hvpOperator, vjp)', () => {
    const saves: Scalar[] = [];
    const f = (x: Tensor) => { const y = x.square().sum(); saves.push(y); return y; };
    jvp(f, [1, 2], [1, 1]);
    vjp(f, [1, 2]).pullback(1);
    hvpOperator(f, [1, 2]).apply([1, 0]);
    hvp(f, [1, 2], [1, 0]);
    jacobian(f, [1, 2]);
    expect(saves.length).toBe(5);
    for (const s of saves) expectError(() => s.value, StaleNodeError);
  });

  it('f returning a node of an earlier call', () => {
    let saved: Scalar | undefined;
    grad((x: Scalar) => { saved = x.square(); return saved; })(3);
    expectError(() => grad(() => saved!)(2), StaleNodeError);
  });
});

describe('FiniteError with { checkFinite: true }', () => {
  it('names the path of a NaN or ±Infinity in x', () => {
    expectError(() => grad((x: Tensor) => x.sum(), { checkFinite: true })([1, NaN, 2]), FiniteError, 'x[1]', 'NaN');
    expectError(() => grad((p: { a: Scalar; w: Tensor }) => p.w.sum(), { checkFinite: true })({ a: Infinity, w: [1] }), FiniteError, 'x.a', 'Infinity');
    expectError(() => hvp((p: { readonly layers: readonly { readonly b: Tensor }[] }) => p.layers[0].b.sum(), { layers: [{ b: [0, -Infinity] }] }, { layers: [{ b: [0, 0] }] }, { checkFinite: true }),
      FiniteError, 'x.layers[0].b[1]', '-Infinity');
  });

  it('names the path of a NaN or Infinity in v', () => {
    expectError(() => hvp((p: { w: Tensor }) => p.w.square().sum(), { w: [1, 2, 3] }, { w: [0, 0, Infinity] }, { checkFinite: true }), FiniteError, 'v.w[2]', 'Infinity');
    expectError(() => jvp((x: Tensor) => x.sum(), [1, 2], [NaN, 0], { checkFinite: true }), FiniteError, 'v[0]');
    const op = hvpOperator((x: Tensor) => x.square().sum(), [1, 2], { checkFinite: true });
    expectError(() => op.apply([1, NaN]), FiniteError, 'v[1]');
  });

  it('a NaN arising inside f names the op that produced it', () => {
    expectError(() => grad((x: Tensor) => x.log().sum(), { checkFinite: true })([1, -1, 2]), FiniteError, 'log', 'NaN', 'element 1');
    expectError(() => grad((x: Scalar) => x.sqrt(), { checkFinite: true })(-4), FiniteError, 'sqrt', 'NaN');
    expectError(() => hvp((x: Scalar) => x.div(x.sub(2)), 2, 1, { checkFinite: true }), FiniteError, 'div');
  });

  it('without checkFinite, NaN and Infinity simply propagate (IEEE semantics, no error)', () => {
    const r = gradAndHvp((x: Tensor) => x.log().sum(), [1, -1, 2], [1, 1, 1]);
    expect(r.value).toBeNaN();
    // d/dx log x = 1/x and d²/dx² = −1/x² are finite even where log x is NaN.
    expect(Array.from(r.grad)).toEqual([1, -1, 0.5]);
    expect(Array.from(r.hvp)).toEqual([-1, -1, -0.25]);
    const g = grad((x: Tensor) => x.mul(x.at(0)).sum())([NaN, 1]);
    expect(Number.isNaN(g[0])).toBe(true);
    expect(valueAndGrad((x: Scalar) => x.exp())(1000).value).toBe(Infinity);
  });
});

describe('TapeBudgetError', () => {
  it('{ maxNodes: 100 } stops a 1000-node function and names the budget', () => {
    const chain = (x: Scalar) => {
      let y = x;
      for (let i = 0; i < 1000; i++) y = y.mul(x).tanh();
      return y;
    };
    expectError(() => grad(chain, { maxNodes: 100 })(0.5), TapeBudgetError, 'grad: ', '100');
    expectError(() => hvp(chain, 0.5, 1, { maxNodes: 100 }), TapeBudgetError, 'hvp: ', '100');
    // The same function within budget, and the default budget, work.
    expect(Number.isFinite(grad(chain, { maxNodes: 5000 })(0.5))).toBe(true);
    expect(Number.isFinite(grad(chain)(0.5))).toBe(true);
  });

  it('tensor ops count as one node each', () => {
    const f = (x: Tensor) => {
      let y = x;
      for (let i = 0; i < 30; i++) y = y.tanh();
      return y.sum();
    };
    expect(grad(f, { maxNodes: 100 })(new Float64Array(1000)).length).toBe(1000);
    expectError(() => grad(f, { maxNodes: 20 })(new Float64Array(1000)), TapeBudgetError, '20');
  });
});

describe('a failed call leaves no state behind', () => {
  const f = (x: Tensor) => x.tanh().mul(x).sum();
  const expected = (x: number[], v: number[]) => {
    // f = Σ xᵢ tanh xᵢ:  f′ = t + x(1 − t²),  f″ = 2(1 − t²) − 2x t(1 − t²)
    const grad = x.map((xi) => { const t = Math.tanh(xi); return t + xi * (1 - t * t); });
    const hvp = x.map((xi, i) => { const t = Math.tanh(xi); return (2 * (1 - t * t) - 2 * xi * t * (1 - t * t)) * v[i]; });
    return { grad, hvp };
  };
  const x = [0.3, -1.2, 0.8];
  const v = [1, 0.5, -2];

  function expectCorrectAfterwards(): void {
    const r = gradAndHvp(f, x, v);
    const e = expected(x, v);
    r.grad.forEach((g, i) => expect(g).toBeCloseTo(e.grad[i], 14));
    r.hvp.forEach((h, i) => expect(h).toBeCloseTo(e.hvp[i], 14));
    // No transform is left "in progress": a constant made now is a plain value of its own, on no transform's tape.
    expect(tensor([1]).tape.eager).toBe(true);
  }

  it('an error thrown by f itself after recording many nodes', () => {
    let saved: Tensor | undefined;
    const boom = new Error('user code failed');
    expect(() => gradAndHvp((y: Tensor) => {
      saved = y.exp().mul(tensor([1, 2, 3]));
      for (let i = 0; i < 5000; i++) saved = saved.add(1e-9);
      throw boom;
    }, x, v)).toThrow(boom);
    expectCorrectAfterwards();
    // The nodes made before the throw are dead.
    expectError(() => saved!.value, StaleNodeError);
  });

  it('an engine error (ShapeError) in the middle of f, then a TapeBudgetError', () => {
    expectError(() => hvp((y: Tensor) => y.square().add(tensor([1, 2])).sum(), x, v), ShapeError);
    expectCorrectAfterwards();
    expectError(() => grad((y: Tensor) => { let s = y.sum(); for (;;) s = s.mul(1.0000001); }, { maxNodes: 1000 })(x), TapeBudgetError);
    expectCorrectAfterwards();
  });

  it('an error inside hvpOperator, vjp and ggnvp recording', () => {
    expectError(() => hvpOperator((y: Tensor) => y.at(7), x), ArgumentError);
    expectCorrectAfterwards();
    expectError(() => vjp((y: Tensor) => y.slice(0, 9), x), ArgumentError);
    expectCorrectAfterwards();
    expectError(() => ggnvp((y: Tensor) => y.mul(2), (z) => z.reshape([9]).sum(), x, v), ShapeError, '[3]', '[9]');
    expectCorrectAfterwards();
  });

  it('an error from an inner transform, caught by the outer f, does not disturb the outer call', () => {
    // The outer f catches the inner call's failure and continues on its own tape.
    const g = grad((y: Tensor) => {
      try {
        grad((z: Scalar) => z.mul(tensor([1, 2])) as never)(1);
      } catch (error) {
        expect(error).toBeInstanceOf(OutputError);
      }
      return f(y);
    })(x);
    const e = expected(x, v);
    g.forEach((gi, i) => expect(gi).toBeCloseTo(e.grad[i], 14));
    expectCorrectAfterwards();
  });
});

describe('NestedTransformError basics (more in nesting.test.ts)', () => {
  it('x holding a node of a transform that is not recording: a top-level call given nodes', () => {
    let saved: Scalar | null = null;
    const op = hvpOperator((p: Scalar) => {
      saved = p;
      return p.square();
    }, 1);
    expect(op.apply(1)).toBe(2);
    // The operator's tape stays alive (for apply) but is finished: its nodes are stale everywhere else.
    expectError(() => grad((q: Scalar) => q.mul(2))(saved as never), StaleNodeError, 'finished');
  });
});

// ---------------------------------------------------------------------------------------------------
// Regressions: defects this suite found, fixed in 6e5c5bf (they lived in _found-bugs.test.ts).
// ---------------------------------------------------------------------------------------------------

describe('regression: a FiniteError raised by checkFinite closes the call\'s tape', () => {
  // Was: record() threw from assertFiniteTape without releasing the tape, so nodes of the failed
  // call stayed usable (saved.value returned −2) after the call had ended.
  it('a node saved during a call that failed with FiniteError must be stale afterwards', () => {
    let saved: Scalar | undefined;
    expect(() => grad((x: Scalar) => { saved = x.mul(2); return x.log(); }, { checkFinite: true })(-1)).toThrow(FiniteError);
    expect(() => saved!.value).toThrow(StaleNodeError);
  });

  it('and no op may record onto it', () => {
    let saved: Tensor | undefined;
    expect(() => jvp((x: Tensor) => { saved = x.mul(2); return x.log(); }, [1, -1], [1, 1], { checkFinite: true })).toThrow(FiniteError);
    expect(() => saved!.add(1)).toThrow(StaleNodeError);
  });
});

describe('regression: hvpOperator.applyFlat and hvpMany honour { checkFinite: true } for v', () => {
  // Was: apply(v) checked v but applyFlat did not (returned [NaN, 2]), nor hvpMany, which uses it.
  const f = (x: Tensor) => x.square().sum();

  it('applyFlat with a NaN direction', () => {
    const op = hvpOperator(f, [1, 2], { checkFinite: true });
    expect(() => op.apply([Number.NaN, 1])).toThrow(FiniteError);
    expect(() => op.applyFlat(Float64Array.of(Number.NaN, 1))).toThrow(FiniteError);
  });

  it('hvpMany with a NaN in V', () => {
    expect(() => hvpMany(f, [1, 2], Float64Array.of(Number.NaN, 0), { checkFinite: true })).toThrow(FiniteError);
  });

  it("a tangent that overflows in an operator's own tangent sweep is named there (the tape has no recorded tangents)", () => {
    // Was: the check after an apply's tangent sweep looked at values only (the tape was recorded with
    // no direction), so an ∞ tangent surfaced later as some R-adjoint, and jacobian by columns and
    // linearize, which have no reverse sweep, returned it.
    const op = hvpOperator((x: Tensor) => x.exp().sum(), [700], { checkFinite: true });
    expectError(() => op.apply([1e10]), FiniteError, 'the tangent of node', '(exp)');
    expectError(() => jacobian((x: Tensor) => x.mul(1e10).exp(), [6.9e-8], { mode: 'forward', checkFinite: true }), FiniteError, 'the tangent of node', '(exp)'); // e^690 ≈ 1e299, its tangent 1e10 times that
  });
});

describe('regression: a compiled program with { checkFinite: true } names a non-finite x or v, as the transforms do', () => {
  // Was: a NaN in v reached the sweeps and was reported as "the R{adjoint} of node 0 (leaf) … (a local
  // derivative is not finite there)", blaming the function; a NaN in a flat x as "the value of node 0".
  const f = (p: { m: Tensor; s: Scalar }) => p.m.square().sum().add(p.s.mul(p.m.sum()));
  const program = compile(f, { m: [[1, 2], [3, 4]], s: 1 }, { checkFinite: true });
  const x = { m: [[1, 2], [3, 4]], s: 1 };

  it('v in gradAndHvp, hvp, gradAndHvpFlat, hvpMany and an operator\'s apply', () => {
    expectError(() => program.gradAndHvp(x, { m: [1, 2, 3, 4], s: Number.NaN }), FiniteError, 'v.s is NaN', 'non-finite inputs');
    expectError(() => program.hvp(x, { m: [1, 2, Infinity, 4], s: 0 }), FiniteError, 'v.m[2] is Infinity');
    expectError(() => program.gradAndHvpFlat(Float64Array.of(1, 2, 3, 4, 1), Float64Array.of(0, Number.NaN, 0, 0, 0)), FiniteError, 'v.m[1] is NaN');
    expectError(() => program.hvpMany(x, Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0, -Infinity, 0)), FiniteError, 'v.m[3] is -Infinity');
    expectError(() => program.hvpOperator(x).apply({ m: [Number.NaN, 0, 0, 0], s: 0 }), FiniteError, 'v.m[0] is NaN');
  });

  it('x, given as a tree or flat', () => {
    expectError(() => program.valueAndGrad({ m: [[1, 2], [Number.NaN, 4]], s: 1 }), FiniteError, 'x.m[2] is NaN');
    expectError(() => program.valueAndGradFlat(Float64Array.of(1, 2, 3, 4, Infinity)), FiniteError, 'x.s is Infinity');
    // A finite point still replays, to the transform's numbers.
    expect(program.gradAndHvp(x, { m: [1, 0, 0, 0], s: 1 })).toEqual(gradAndHvp(f, x, { m: [1, 0, 0, 0], s: 1 }));
  });
});

describe('regression: an axis out of range is an ArgumentError, as errors.ts documents', () => {
  // errors.ts: "ArgumentError — An argument is outside what an operation accepts (an axis out of
  // range, an index out of bounds)". Was: normalizeAxis threw ShapeError while stack threw ArgumentError.
  it('sum, slice, concat, softmax with an axis out of range', () => {
    expectError(() => grad((x: Tensor) => x.sum(1).sum())([1, 2]), ArgumentError, 'axis 1', '[2]');
    expectError(() => grad((x: Tensor) => x.slice(0, 1, 1).sum())([1, 2]), ArgumentError, 'axis 1', '[2]');
    expectError(() => grad((x: Tensor) => x.concat([x], 1).sum())([1, 2]), ArgumentError, 'axis 1', '[2]');
    expectError(() => grad((x: Tensor) => x.softmax(2).sum())([1, 2]), ArgumentError, 'axis 2', '[2]');
    expectError(() => grad((x: Tensor) => stack([x, x], 3).sum())([1, 2]), ArgumentError, 'axis 3');
  });
});

describe('regression: defineOp refuses tensor inputs of different shapes with the same size', () => {
  // Was: sizes only were compared, so [2,3] and [3,2] were silently paired by flat index (built-in
  // elementwise ops reject this pair with a ShapeError).
  const product = defineOp({
    name: 'productForShapeCheck',
    primal: (a, b) => a * b,
    tangent: ([a, b], [aDot, bDot]) => aDot * b + a * bDot,
    backward: ([a, b], _y, yBar) => [D.mul(yBar, b), D.mul(yBar, a)],
  });

  it('[2,3] with [3,2]', () => {
    const f = (x: Tensor) => product(x.reshape([2, 3]), x.reshape([3, 2])).sum();
    expectError(() => grad(f)([1, 2, 3, 4, 5, 6]), ShapeError, 'productForShapeCheck', '[2,3]', '[3,2]');
    expectError(() => grad((x: Tensor) => x.reshape([2, 3]).mul(x.reshape([3, 2])).sum())([1, 2, 3, 4, 5, 6]), ShapeError, '[2,3]', '[3,2]');
  });
});

describe('regression: vjp of a function returning a plain number checks its cotangent', () => {
  // As for a scalar node output ("f returns a scalar, so u must be a number"). Was: silently accepted.
  it('pullback([1, 2, 3]) of a constant function', () => {
    expect(() => vjp((x: Tensor) => x.sum(), [1, 2]).pullback([1, 2, 3])).toThrow(StructureError);
    expect(() => vjp(() => 5, [1, 2]).pullback([1, 2, 3])).toThrow(StructureError);
  });
});

describe('regression: defineOp tangent and backward rules that return the wrong kind of thing (adversarial pass)', () => {
  // Stored into Float64Arrays, a number where a dual belongs read as NaN and a string as a number.
  const square = (rules: { tangent?: unknown; backward?: unknown }) => defineOp({
    name: 'mySquare',
    primal: (x: number) => x * x,
    tangent: ((x: readonly number[], xDot: readonly number[]) => 2 * x[0] * xDot[0]) as never,
    backward: ((x: readonly Dual[], _y: Dual, yBar: Dual) => [D.mul(yBar, D.scale(x[0], 2))]) as never,
    ...rules,
  } as never) as unknown as (x: Node) => Scalar;

  it('a well-formed pair gives the closed forms (so the failures below are the checks, not the op)', () => {
    const r = gradAndHvp((x: Scalar) => square({})(x), 3, 1);
    expect([r.value, r.grad, r.hvp]).toEqual([9, 6, 2]);
  });
  it.each([
    ['plain numbers', () => [6]],
    ['null', () => [null]],
    ['a dual with a string value', () => [{ value: '6', tangent: 0 }]],
    ['nothing for the input', () => [undefined]],
  ])('backward returning %s is an ArgumentError naming the op and the entry', (_what, backward) => {
    expectError(() => grad((x: Scalar) => square({ backward })(x))(3), ArgumentError, 'mySquare', 'backward must return dual numbers', 'entry 0');
  });
  it.each([['a string', () => 'a'], ['undefined (a forgotten return)', () => undefined], ['a dual', () => dual(1, 0)]])(
    'tangent returning %s is an ArgumentError naming the op', (_what, tangent) => {
      expectError(() => hvp((x: Scalar) => square({ tangent })(x), 3, 1), ArgumentError, 'mySquare', 'tangent must return a number');
    },
  );
});

describe('regression: dual arithmetic refuses operands that are not dual numbers (adversarial pass)', () => {
  it('dual(value, tangent) takes numbers only', () => {
    expectError(() => dual('a' as never, 1), ArgumentError, 'dual:', "'a'");
    expectError(() => dual(1, null as never), ArgumentError, 'dual:', 'null');
    expect(dual(2)).toEqual({ value: 2, tangent: 0 });
  });
  const x = dual(0.5, 1);
  it.each([
    ['add', () => D.add(1 as never, x)],
    ['sub', () => D.sub(x, undefined as never)],
    ['mul', () => D.mul(undefined as never, x)],
    ['div', () => D.div(x, { value: 1 } as never)],
    ['neg', () => D.neg(null as never)],
    ['scale', () => D.scale(3 as never, 2)],
    ['exp', () => D.exp(0.5 as never)],
    ['tanh', () => D.tanh({ value: '1', tangent: 1 } as never)],
    ['log1p', () => D.log1p([] as never)],
    ['sigmoid', () => D.sigmoid(undefined as never)],
    ['softplus', () => D.softplus(2 as never)],
    ['pow', () => D.pow('x' as never, 2)],
    ['lift', () => D.lift(1 as never, 1, 1)],
  ])('D.%s names itself', (name, call) => {
    expectError(call, ArgumentError, `D.${name}:`, 'expected a dual number');
  });
  it('the number arguments of scale, pow and lift are checked too', () => {
    expectError(() => D.scale(x, x as never), ArgumentError, 'D.scale:', 'the factor must be a number');
    expectError(() => D.pow(x, '2' as never), ArgumentError, 'D.pow:', 'the exponent must be a number');
    expectError(() => D.lift(x, 1, undefined as never), ArgumentError, 'D.lift:', 'the derivative must be a number');
  });
  it('checked operands give the same numbers as before: tanh against its closed form', () => {
    const y = D.tanh(x);
    expect(y.value).toBe(Math.tanh(0.5));
    expect(y.tangent).toBe(1 - Math.tanh(0.5) ** 2);
  });
});

describe('regression: stack with holes and unflatten with a vector of the wrong kind (adversarial pass)', () => {
  it('x.concat() and x.stack() without the array of others name it (a TypeError from the spread before)', () => {
    expectError(() => grad((x: Tensor) => x.concat(undefined as never).sum())([1, 2]), ArgumentError, 'concat: others must be an array', 'x.concat([y, z])');
    expectError(() => grad((x: Tensor) => x.stack(tensor([1, 2]) as never).sum())([1, 2]), ArgumentError, 'stack: others must be an array', 'a tensor node (put it in an array)');
    expect(grad((x: Tensor) => x.concat([x]).sum())([1, 2])).toEqual(Float64Array.of(2, 2));
  });
  it('pad with holes for the widths of a matrix is an ArgumentError (holes were skipped, then read)', () => {
    expectError(() => grad((x: Tensor) => x.reshape([2, 2]).pad(new Array(2) as never).sum())([1, 2, 3, 4]), ArgumentError, 'pad: widths must be');
    expect(grad((x: Tensor) => x.reshape([2, 2]).pad([[1, 0], [0, 1]]).sum())([1, 2, 3, 4])).toEqual(Float64Array.of(1, 1, 1, 1));
  });
  it('stack(new Array(2)) names the hole instead of failing inside', () => {
    expectError(() => grad((x: Scalar) => stack(new Array(2) as never).sum().add(x))(1), ArgumentError, 'stack: element 0 is undefined');
  });
  it('unflatten refuses a vector that is not numbers, naming the entry', () => {
    expectError(() => unflatten([1, 2], null as never), StructureError, 'unflatten', 'null');
    expectError(() => unflatten([1, 2], 'ab' as never), StructureError, 'unflatten', "'ab'");
    expectError(() => unflatten([1, 2], ['a', 'b'] as never), StructureError, "entry 0 is 'a'");
    expectError(() => unflatten([1, 2], [1, undefined] as never), StructureError, 'entry 1 is undefined');
    expectError(() => unflatten(0, BigInt64Array.of(1n) as never), StructureError, 'unflatten');
  });
  it('unflatten still takes arrays and typed arrays of numbers', () => {
    expect(unflatten({ a: [0, 0], b: 0 }, [1, 2, 3])).toEqual({ a: Float64Array.of(1, 2), b: 3 });
    expect(unflatten([0, 0], Float32Array.of(1.5, 2))).toEqual(Float64Array.of(1.5, 2));
  });
});

describe('regression: a compiled program\'s flat forms check x and v (adversarial pass)', () => {
  const program = compile((x: Tensor) => x.square().sum(), [1, 2]);
  it('strings or holes were read as NaN, null was a TypeError: now a StructureError naming the entry', () => {
    expectError(() => program.valueAndGradFlat(['a', 'b'] as never), StructureError, 'compile: x must be a Float64Array', "x[0] is 'a'");
    expectError(() => program.gradAndHvpFlat(new Array(2) as never, Float64Array.of(1, 1)), StructureError, 'x[0] is undefined');
    expectError(() => program.gradAndHvpFlat(Float64Array.of(1, 1), [1, 'a'] as never), StructureError, "v[1] is 'a'");
    expectError(() => program.valueAndGradFlat(null as never), StructureError, 'compile: x must be', 'null');
    expectError(() => program.gradAndHvpFlat(undefined as never, Float64Array.of(1, 1)), StructureError, 'undefined');
  });
  it('a Float64Array or an array of numbers still replays, with the transforms\' numbers', () => {
    const grad = new Float64Array(2), hvp = new Float64Array(2);
    expect(program.gradAndHvpFlat([3, 4] as never, Float64Array.of(0, 1), grad, hvp)).toBe(25);
    expect([...grad, ...hvp]).toEqual([6, 8, 0, 2]);
    expect(program.valueAndGradFlat(Float64Array.of(1, -1))).toBe(2);
  });
});
