// Defects found by a fuzz sweep of the public API with adversarial arguments, one focused regression
// test each: a silent wrong result or an internal JavaScript error where a typed error belongs.
import { describe, expect, it } from 'vitest';
import { ArgumentError, compile, grad, valueAndGrad, type Tensor } from '../src/index.js';
import { expectError } from './expect-error.js';

describe("a compiled program's gradAndHvpFlat refuses gradOut and hvpOut in the same memory", () => {
  const program = () => compile((x: Tensor) => x.square().sum().mul(x.at(0)), [1, 2, 3]);
  const x = () => Float64Array.of(1, 2, 3), v = () => Float64Array.of(0.5, -1, 2);

  it('the same array for both returned H·v in it, and ∇f was lost without a word', () => {
    const out = new Float64Array(3);
    expectError(() => program().gradAndHvpFlat(x(), v(), out, out), ArgumentError, 'compile gradAndHvpFlat: gradOut and hvpOut share memory', 'two separate arrays');
    // Overlapping views of one buffer likewise.
    const buffer = new Float64Array(5);
    expectError(() => program().gradAndHvpFlat(x(), v(), buffer.subarray(0, 3), buffer.subarray(2, 5)), ArgumentError, 'share memory');
  });

  it('separate arrays, or disjoint views of one buffer, are written as before', () => {
    const buffer = new Float64Array(6);
    const value = program().gradAndHvpFlat(x(), v(), buffer.subarray(0, 3), buffer.subarray(3, 6));
    expect(value).toBe(14);
    expect(Array.from(buffer)).toEqual([16, 4, 6, 11, 0, 7]);
  });
});

describe('hasAux: an aux that refers back to itself is returned with its cycle', () => {
  it('it was a RangeError (maximum call stack size) from walking the cycle to turn its nodes into numbers', () => {
    const f = (x: Tensor) => {
      const log: { loss: unknown; self?: unknown; history: unknown[] } = { loss: x.square().sum(), history: [] };
      log.self = log;
      log.history.push(log);
      return [x.square().sum(), log] as const;
    };
    const [g, aux] = grad(f as never, { hasAux: true })([1, 2]) as [Float64Array, { loss: number; self: unknown; history: unknown[] }];
    expect(Array.from(g)).toEqual([2, 4]);
    expect(aux.loss).toBe(5); // the node, as its number
    expect(aux.self).toBe(aux);
    expect(aux.history[0]).toBe(aux);
    // A part met twice stays one object; each node is read once.
    const shared = (x: Tensor) => { const part = { s: x.sum() }; return [x.sum(), { a: part, b: [part] }] as const; };
    const { aux: both } = valueAndGrad(shared as never, { hasAux: true })([1, 2]) as unknown as { aux: { a: { s: number }; b: unknown[] } };
    expect(both.a).toEqual({ s: 3 });
    expect(both.b[0]).toBe(both.a);
  });
});
