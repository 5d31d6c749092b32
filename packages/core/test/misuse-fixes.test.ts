// Defects found by the misuse sweep (misuse-sweep.test.ts), one focused regression test each: an
// internal TypeError, a silent wrong result, or a typed error naming a function the caller never called.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, D, NodeConversionError, cholesky, eigh, inv, qr, svd, OptionError, OutputError, Scalar, ShapeError, StaleNodeError, StructureError, Tensor, clip, compile, dual,
  einsum, ggnvp, grad, hessian, hvp, hvpMany, jacobian, jvp, logSoftmax, norm, outer, repeat, scalar, setKernelBackend, sinc, softmax, stopGradient, tensor, tile,
  trace, traceFrame, vmap, where,
} from '../src/index.js';
import { expectError } from './expect-error.js';

/** A node of a grad call that has finished. */
function staleTensor(): Tensor {
  let kept: Tensor | undefined;
  grad((x: Tensor) => (kept = x).sum())([1, 2, 3]);
  return kept as Tensor;
}

describe('trace checks its options before reading them', () => {
  const f = (x: Tensor) => x.square().sum();
  it('null was a TypeError (reading maxNodes of null); true, 3 or a symbol were silently taken as no options', () => {
    for (const bad of [null, true, 3, Symbol('s'), 'fast']) {
      expectError(() => trace(f, [1, 2], [1, 0], bad as never), OptionError, 'trace: options must be an object');
    }
    expectError(() => trace(f, [1, 2], [1, 0], { checkfinite: true } as never), OptionError, "did you mean 'checkFinite'");
    expect(trace(f, [1, 2], [1, 0], { maxNodes: 50 }).grad).toEqual(Float64Array.of(2, 4));
  });

  it("traceFrame's position: a symbol was a TypeError and a node a NodeConversionError from formatting the message", () => {
    const t = trace(f, [1, 2], [1, 0]);
    expectError(() => traceFrame(t, Symbol('p') as never), ArgumentError, 'traceFrame: position a symbol is not an integer');
    expectError(() => traceFrame(t, 99), ArgumentError, 'traceFrame: position 99 is outside 0…');
    expectError(() => traceFrame(t, scalar(1) as never), ArgumentError, 'traceFrame: position a scalar node');
    expectError(() => traceFrame(t, 1n as never), ArgumentError, 'traceFrame: position 1n (a bigint)');
    expect(traceFrame(t, 0).position).toBe(0);
  });
});

describe('setKernelBackend names any unknown backend', () => {
  it('a bigint or a node was a TypeError from JSON.stringify', () => {
    try {
      expectError(() => setKernelBackend(1n as never), ArgumentError, 'setKernelBackend: unknown backend 1n (a bigint)');
      expectError(() => setKernelBackend(tensor([1]) as never), ArgumentError, 'setKernelBackend: unknown backend a tensor node');
      expectError(() => setKernelBackend('gpu' as never), ArgumentError, "unknown backend 'gpu'");
    } finally {
      setKernelBackend('auto');
    }
  });
});

describe('D refuses nodes, which have a number .value and .tangent but are not dual numbers', () => {
  it('D.mul(x, …) with a node x computed on numbers and recorded nothing: a zero derivative, silently', () => {
    // The derivative of x·x through D would be lost: D.mul read the node's numbers.
    expectError(() => grad((x: Scalar) => {
      const y = D.mul(x as never, dual(2, 0));
      return x.mul(y.value);
    })(3), ArgumentError, 'D.mul: operand 1 is a scalar node', 'records nothing');
    expectError(() => D.tanh(scalar(1) as never), ArgumentError, 'D.tanh: the operand is a scalar node');
  });

  it('a node of a finished call was a StaleNodeError naming the getter (value:), not D.add', () => {
    let kept: Scalar | undefined;
    grad((x: Scalar) => (kept = x.square()))(2);
    expectError(() => D.add(kept as never, dual(1)), ArgumentError, 'D.add: operand 1 is a scalar node');
  });

  it("D.constant('1') was named as dual's", () => {
    expectError(() => D.constant('1' as never), ArgumentError, "D.constant: the value must be a number, got '1'");
    expect(D.constant(2)).toEqual({ value: 2, tangent: 0 });
    expect(D.mul(dual(3, 1), dual(3, 1))).toEqual({ value: 9, tangent: 6 });
  });
});

describe('hessian, hvpMany, jacobian and ggnvp name themselves, not the transform they are built on', () => {
  const stale = staleTensor();
  it('hessian and hvpMany with a node of a finished call named hvpOperator', () => {
    const sum = ((x: Tensor) => x.sum()) as never;
    expectError(() => hessian(sum, stale as never), StaleNodeError, 'hessian:');
    expectError(() => hvpMany(sum, stale as never, Float64Array.of(1, 0, 0)), StaleNodeError, 'hvpMany:');
  });

  it('jacobian named vjp, for x and for its options', () => {
    const square = ((x: Tensor) => x.square()) as never;
    expectError(() => jacobian(square, stale as never), StaleNodeError, 'jacobian:');
    expectError(() => jacobian(square, [1, 2] as never, { checkfinite: true } as never), OptionError, "jacobian: unknown option 'checkfinite'");
  });

  it("ggnvp's loss returning the wrong thing named gradAndHvp", () => {
    expectError(() => ggnvp((x: Tensor) => x.square(), (() => undefined) as never, [1, 2], [1, 0]), OutputError, 'ggnvp (loss): f must return');
    expectError(() => ggnvp((x: Tensor) => x.square(), (z: Tensor) => z as never, [1, 2], [1, 0]), OutputError, 'ggnvp (loss): f must return a scalar');
    // The GGN of a sum of squares of x² is J·2·Jᵀ·v = 8x²v.
    expect(ggnvp((x: Tensor) => x.square(), (z: Tensor) => z.square().sum(), [1, 2], [1, 1])).toEqual(Float64Array.of(8, 32));
  });
});

describe('sinc refuses a second argument, as every parameterless elementwise op does', () => {
  it('sinc(x, 2) and x.sinc(2) were sinc(x), silently', () => {
    expectError(() => (sinc as (x: Tensor, n: number) => Tensor)(tensor([0.5]), 2), ArgumentError, 'sinc: takes one argument, sinc(x); got a further argument 2 at position 2');
    expectError(() => (tensor([0.5]) as unknown as { sinc(n: number): Tensor }).sinc(2), ArgumentError, 'sinc: takes one argument');
    expect(sinc(tensor([0.5])).value[0]).toBeCloseTo(2 / Math.PI, 15);
    expect(tensor([0.5]).sinc().value[0]).toBeCloseTo(2 / Math.PI, 15);
  });
});

describe('stopGradient and outer name themselves for a node of a finished call', () => {
  const stale = staleTensor();
  it('stopGradient named the internal op "detached", outer named reshape', () => {
    expectError(() => stopGradient(stale), StaleNodeError, 'stopGradient:');
    expectError(() => outer(stale, tensor([1])), StaleNodeError, 'outer:');
    expectError(() => outer(tensor([1]), stale), StaleNodeError, 'outer:');
    expect(Array.from(outer(tensor([1, 2]), tensor([3])).value)).toEqual([3, 6]);
  });
});

describe('outer and einsum name themselves for a result too large for a tensor', () => {
  it('they named mul, the op that would have built it', () => {
    const big = tensor(new Float64Array(1e5));
    expectError(() => outer(big, big), ArgumentError, 'outer: the result would have 10000000000 elements');
    expectError(() => einsum('i,j->ij', big, big), ArgumentError, 'einsum: the result would have 10000000000 elements');
    expect(Array.from(einsum('i,j->ij', tensor([1, 2]), tensor([3])).value)).toEqual([3, 6]);
  });
});

describe('clip names itself, not maximum and minimum', () => {
  it('for a node of a finished call, ragged bounds, and bounds that do not broadcast', () => {
    const x = tensor([0.2, 0.5, 0.7]);
    expectError(() => clip(staleTensor(), 0, 1), StaleNodeError, 'clip:');
    expectError(() => clip(x, [[1, 2], [3]] as never, 1), ShapeError, 'clip: nested arrays are not rectangular');
    expectError(() => clip(x, 0, [] as never), ShapeError, 'clip: shapes [3] and [0] cannot be broadcast');
    expect(Array.from(clip(x, 0.3, [1, 0, 1]).value)).toEqual([0.3, 0, 0.7]);
  });
});

describe('softmax and logSoftmax name themselves, not logSumExp', () => {
  it('for their axis and for a node of a finished call', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expectError(() => softmax(x, 5), ArgumentError, 'softmax: axis 5 is out of range');
    expectError(() => logSoftmax(x, '1' as never), ArgumentError, 'logSoftmax: axis must be');
    expectError(() => softmax(staleTensor()), StaleNodeError, 'softmax:');
    expect(Array.from(softmax(tensor([0, 0])).value)).toEqual([0.5, 0.5]);
  });
});

describe('tile and repeat name themselves for a count past what a tensor holds', () => {
  it('they named broadcastTo, the op they are built on', () => {
    const x = tensor([1, 2]);
    expectError(() => tile(x, 2 ** 53), ArgumentError, 'tile:');
    expectError(() => tile(tensor(new Float64Array(0)), [2 ** 40, 1]), ArgumentError, 'tile:');
    expectError(() => repeat(x, 2 ** 53), ArgumentError, 'repeat:');
    expectError(() => repeat(x, 2 ** 30, 0), ArgumentError, 'repeat: the result would have 2147483648 elements');
    expect(Array.from(tile(x, 2).value)).toEqual([1, 2, 1, 2]);
    expect(Array.from(repeat(x, 2).value)).toEqual([1, 1, 2, 2]);
  });
});

describe('where reads a tensor mask only while its call is live', () => {
  it("a finished call's node as the mask was read silently (other ops throw StaleNodeError)", () => {
    let mask: Tensor | undefined;
    grad((x: Tensor) => (mask = x.sign()).sum())([1, -1, 1]);
    expectError(() => where(mask as Tensor, tensor([1, 2, 3]), 0), StaleNodeError, 'where:');
    expect(Array.from(where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).value)).toEqual([1, 0, 3]);
  });
});

describe('vmap names a node of a finished call in xs', () => {
  it('it named take, the op that slices it, from inside the loop', () => {
    expectError(() => vmap((r: Tensor) => r.sum())(staleTensor()), StaleNodeError, 'vmap:');
  });
});

describe('new Tensor(…) and new Scalar(…) say to use tensor() and scalar()', () => {
  it('new Tensor([1, 2]) was a TypeError inside; new Scalar(2) made a broken node', () => {
    expectError(() => new (Tensor as unknown as new (d: unknown) => unknown)([1, 2]), ArgumentError, 'new Tensor(…)', 'tensor(data, shape)');
    expectError(() => new (Scalar as unknown as new (v: unknown) => unknown)(2), ArgumentError, 'new Scalar(…)', 'scalar(value)');
    expect(tensor([1, 2])).toBeInstanceOf(Tensor);
    expect(() => `${scalar(2) as unknown as string}`).toThrow(NodeConversionError);
  });
});

describe('JSON.stringify of a node is a NodeConversionError', () => {
  it('it was a TypeError from inside JSON.stringify (a node refers to its tape: a circular structure)', () => {
    expectError(() => JSON.stringify(tensor([1, 2])), NodeConversionError, 'a tensor node was converted to JSON', 'Array.from(x.value)');
    expectError(() => grad((x: Scalar) => { JSON.stringify({ loss: x }); return x; })(1), NodeConversionError, 'a scalar node was converted to JSON');
    expect(JSON.stringify(Array.from(tensor([1, 2]).value))).toBe('[1,2]');
  });
});

describe("a compiled program's gradAndHvpFlat checks v before replaying", () => {
  it("v = 0, NaN, '' or false read as no direction and returned the previous call's H·v", () => {
    const program = compile(((x: Tensor) => x.square().sum()) as never, [1, 2, 3]);
    const grad = new Float64Array(3), hvp = new Float64Array(3);
    program.gradAndHvpFlat(Float64Array.of(1, 2, 3), Float64Array.of(0, 1, 0), grad, hvp);
    expect(Array.from(hvp)).toEqual([0, 2, 0]);
    for (const v of [0, NaN, '', false]) {
      expectError(() => program.gradAndHvpFlat(Float64Array.of(1, 2, 3), v as never, grad, hvp), StructureError, 'compile: v must be a Float64Array');
    }
    expect(program.gradAndHvpFlat(Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 0), grad, hvp)).toBe(14);
    expect(Array.from(hvp)).toEqual([2, 0, 0]);
  });
});

describe('norm names itself for a bad axis whatever the ord', () => {
  it('with ord 1, ±Infinity or 0 the axis errors were named sum, max or min', () => {
    const x = tensor([[3, -4], [0, 1]]);
    for (const ord of [1, Infinity, -Infinity, 0, 3]) {
      for (const axis of [null, 'a', 5, 1.5, [0, 0]]) expectError(() => norm(x, ord, axis as never), ArgumentError, 'norm: ');
    }
    expect(Array.from((norm(x, 1, 1) as Tensor).value)).toEqual([7, 1]);
    expect(Array.from((norm(x, Infinity, 0) as Tensor).value)).toEqual([3, 4]);
  });
});

describe('cholesky, qr, svd, eigh and inv refuse a second argument', () => {
  it("cholesky(A, { upper: true }) silently returned the lower factor; qr(A, 'complete') and svd(A, true) the reduced ones", () => {
    const A = tensor([[4, 2], [2, 3]]);
    expectError(() => (cholesky as (...a: unknown[]) => unknown)(A, { upper: true }), ArgumentError, 'cholesky: takes one argument, cholesky(a); got a further argument', 'swapAxes(L, -1, -2)');
    expectError(() => (qr as (...a: unknown[]) => unknown)(A, 'complete'), ArgumentError, "qr: takes one argument, qr(a); got a further argument 'complete' at position 2");
    expectError(() => (svd as (...a: unknown[]) => unknown)(A, true), ArgumentError, 'svd: takes one argument', 'full_matrices');
    expectError(() => (eigh as (...a: unknown[]) => unknown)(A, 'U'), ArgumentError, 'eigh: takes one argument');
    expectError(() => (inv as (...a: unknown[]) => unknown)(A, tensor([1, 2])), ArgumentError, 'inv: takes one argument', 'solve(A, b)');
    // The methods too (plain JavaScript).
    expectError(() => (A as unknown as { cholesky(o: unknown): Tensor }).cholesky({ upper: true }), ArgumentError, 'cholesky: takes one argument');
    expectError(() => (A as unknown as { svd(o: unknown): unknown }).svd(false), ArgumentError, 'svd: takes one argument');
    // Without it, as before: L = [[2, 0], [1, √2]].
    expect(Array.from(cholesky(A).value)).toEqual([2, 0, 1, Math.SQRT2]);
    expect(Array.from(A.cholesky().value)).toEqual([2, 0, 1, Math.SQRT2]);
  });
});

describe('an [output, aux] pair returned to a transform without hasAux', () => {
  const pair = (x: Tensor) => [x.dot(x), 1] as never;
  it('where the transform takes hasAux, the error says to pass it; where it does not, it names those that do', () => {
    expectError(() => grad(pair)([1, 2]), OutputError, 'pass { hasAux: true }');
    expectError(() => hessian(pair, [1, 2]), OutputError, 'pass { hasAux: true }');
    // compile and ggnvp refuse hasAux as an unknown option: pointing to it sent the caller in a circle.
    for (const call of [() => compile(pair, [1, 2]), () => ggnvp(pair, (y: Tensor) => y.sum(), [1, 2], [1, 1])]) {
      expectError(call, OutputError, 'takes no aux: compute aux apart, or use one that does (grad, ');
      expect(() => call()).not.toThrow(/pass \{ hasAux: true \}/);
    }
  });
});

describe('argnums: a node method on an argument that is not differentiated', () => {
  it('was a bare TypeError (a.square is not a function); now an ArgumentError naming the argument and the two fixes', () => {
    const f = (a: Tensor, b: Scalar, c: number) => a.square().sum().mul(b).mul(c);
    const e = expectError(() => grad(f as never, { argnums: 1 })([1, 2], 3, 2), ArgumentError, 'a.square is not a function', 'arguments 0, 2 are not in argnums', 'tensor(data)');
    expect(e.message).toMatch(/add its position to argnums/);
    // The constant passed as a tensor works, and gives ∂/∂b = c·Σa².
    expect(grad(f as never, { argnums: 1 })(tensor([1, 2]), 3, 2)).toBe(10);
    // A TypeError of f's own, about something else, is left as it is.
    const own = () => grad(((a: Tensor, b: Scalar) => { throw new TypeError('bad'); }) as never, { argnums: 1 })(tensor([1]), 3);
    expect(own).toThrow(TypeError);
    expect(own).toThrow('bad');
  });
});

describe('options given where the direction v belongs', () => {
  it('was "v.checkFinite is a boolean"; now says v looks like options and where they go', () => {
    const f = (x: Tensor) => x.square().sum();
    expectError(() => (hvp as unknown as (...a: unknown[]) => unknown)(f, [1, 2], { checkFinite: true }), StructureError, 'v looks like options', 'hvp(f, x, v, options)');
    expectError(() => (jvp as unknown as (...a: unknown[]) => unknown)(f, [1, 2], { hasAux: false }), StructureError, 'v looks like options');
    // A direction whose keys happen to be option names, holding numbers, is a direction.
    const g = (p: { mode: Tensor; lanes: Tensor }) => p.mode.mul(p.lanes).sum();
    expect(Array.from(hvp(g, { mode: [1], lanes: [2] }, { mode: [1], lanes: [0] }).lanes as Float64Array)).toEqual([1]);
  });
});

describe('a node method called on a list or an object of nodes (a ragged x)', () => {
  it('was the bare TypeError x.sum is not a function; now names what f got and how to reach a node', () => {
    expectError(() => grad((x: Tensor) => x.sum())([[1, 2], [3]] as never), ArgumentError, 'x.sum is not a function', 'a list of 2 parts', 'ragged', 'x[0].sum()');
    expectError(() => hvp(((x: Tensor) => x.square().sum()) as never, { w: [1, 2] } as never, { w: [1, 0] }), ArgumentError, 'an object of nodes', 'x.w.square()');
    // f's own TypeError (not a node method) and a working f are untouched.
    expect(() => grad((x: Tensor[]) => (x[0] as unknown as { foo: () => Scalar }).foo())([[1, 2], [3]] as never)).toThrow(TypeError);
    expect(Array.from((grad((x: Tensor[]) => x[0].sum().add(x[1].sum()))([[1, 2], [3]] as never) as unknown as Float64Array[])[1])).toEqual([1]);
  });
});
