// A point object that outlives its call: compile keeps x0, and linearize, hvpOperator and vjp keep x
// for the functions they return. A caller may reuse that object for later points, and resize it; the
// structure recorded must still be the one checked against, and the one results are shaped by.
import { describe, expect, it } from 'vitest';
import { NestedTransformError, StructureError, compile, grad, hvpOperator, linearize, vjp, type Scalar, type Tensor } from '../src/index.js';

const cube = (y: Tensor) => y.pow(3);
const cubeSum = (y: Tensor) => y.pow(3).sum();

describe('a point object resized after the call that recorded at it', () => {
  it('compile: x0 grown, shrunk or given a new leaf shape is a StructureError, and the program still serves its own shape', () => {
    const x = [1, 2];
    const p = compile((y: Tensor) => y.square().sum(), x);
    x.push(3);
    expect(() => p.valueAndGrad(x)).toThrow(StructureError);
    expect(() => p.gradAndHvp(x, [1, 1, 1])).toThrow(/length 3 but x0 is a vector of length 2/);
    const right = p.valueAndGrad([1, 2, 3].slice(0, 2));
    expect(right.value).toBe(5);
    expect(Array.from(right.grad as Float64Array)).toEqual([2, 4]);

    const longer = [1, 2, 3];
    const q = compile((y: Tensor) => y.square().sum(), longer);
    longer.pop();
    expect(() => q.valueAndGrad(longer)).toThrow(/length 2 but x0 is a vector of length 3/);
    expect(q.valueAndGrad([1, 2, 3]).value).toBe(14);
  });

  it('compile: a leaf changed from a number to a vector, or a key deleted, is named', () => {
    const point: { a: number[]; b?: number | number[] } = { a: [1, 2], b: 3 };
    const p = compile(((y: { a: Tensor; b: Tensor }) => y.a.square().sum().mul(y.b)) as never, point as never);
    point.b = [3, 4];
    expect(() => p.valueAndGrad(point as never)).toThrow(/x\.b is a vector of length 2 but x0\.b is a number/);
    delete point.b;
    expect(() => p.valueAndGrad(point as never)).toThrow(StructureError);
    const ok = p.valueAndGrad({ a: [1, 2], b: 3 } as never) as unknown as { value: number; grad: { a: Float64Array; b: number } };
    expect(ok.value).toBe(15);
    expect(Array.from(ok.grad.a)).toEqual([6, 12]);
    expect(ok.grad.b).toBe(5);
  });

  it('compile: the same object with new numbers (an optimizer\'s loop) still replays at them', () => {
    const x = Float64Array.of(1, 2);
    const p = compile((y: Tensor) => y.square().sum(), x);
    x[0] = 3;
    expect(p.valueAndGrad(x).value).toBe(13);
    const list = [1, 2];
    const q = compile((y: Tensor) => y.square().sum(), list);
    list[1] = 5;
    expect(q.valueAndGrad(list).value).toBe(26);
  });

  it('linearize, hvpOperator and vjp keep x\'s recorded structure for what they return', () => {
    const x = [1, 2];
    const L = linearize(cube, x);
    const H = hvpOperator(cubeSum, x);
    const V = vjp(cube, x);
    x.push(3);
    // The direction of the recorded shape works; one of the resized shape is refused by name.
    expect(Array.from(L.jvp([1, 0]) as Float64Array)).toEqual([3, 0]);
    expect(() => L.jvp([1, 0, 0])).toThrow(/v is a vector of length 3 but x is a vector of length 2/);
    expect(Array.from(H.apply([1, 0]) as Float64Array)).toEqual([6, 0]);
    expect(() => H.apply([1, 0, 0])).toThrow(StructureError);
    // The results keep the recorded shape (two numbers), not the resized object's.
    expect(Array.from(V.pullback([1, 1]) as Float64Array)).toEqual([3, 12]);
    expect(Array.from(H.grad as Float64Array)).toEqual([3, 12]);
  });

  it('nested too: keys of x reordered or added after vjp, linearize or hvpOperator inside a transform do not move the results', () => {
    const reorder = (xs: Record<string, unknown>) => { const a = xs.a; delete xs.a; xs.a = a; };
    const g = grad((z: Tensor) => {
      const xs: Record<string, Scalar> = { a: z.at(0), b: z.at(1) };
      const V = vjp(((q: { a: Scalar; b: Scalar }) => q.a.mul(2).add(q.b.mul(3))) as never, xs as never);
      const L = linearize(((q: { a: Scalar; b: Scalar }) => q.a.mul(2).add(q.b.mul(3))) as never, xs as never);
      const H = hvpOperator(((q: { a: Scalar; b: Scalar }) => q.a.square().add(q.b.square().mul(5))) as never, xs as never);
      reorder(xs);
      // The results keep x's order as recorded (a, b): before, the reordered object gave {a: 3, b: 2}.
      const pulled = (V.pullback as (u: number) => unknown)(1) as { a: Scalar; b: Scalar };
      expect([pulled.a.value, pulled.b.value]).toEqual([2, 3]);
      expect((L.jvp({ a: 0, b: 1 } as never) as unknown as Scalar).value).toBe(3);
      const Hv = H.apply({ a: 0, b: 1 } as never) as unknown as { a: Scalar; b: Scalar };
      expect([Hv.a.value, Hv.b.value]).toEqual([0, 10]);
      // A direction in the object's new order is x's keys in another order: refused, as at top level.
      expect(() => L.jvp({ b: 1, a: 0 } as never)).toThrow(StructureError);
      (xs as Record<string, unknown>).c = z.at(2);
      expect(() => L.jvp({ a: 1, b: 0, c: 1 } as never)).toThrow(StructureError);
      return z.sum();
    });
    expect(Array.from(g([1, 2, 3]) as Float64Array)).toEqual([1, 1, 1]);
  });

  it('a vjp pullback made at top level, given a node inside another transform: NestedTransformError', () => {
    const V = vjp(cube, [1, 2]);
    expect(() => grad((x: Tensor) => (V.pullback(x as never) as unknown as Tensor).sum())([1, 0])).toThrow(NestedTransformError);
    expect(() => grad((x: Tensor) => (V.pullback(x as never) as unknown as Tensor).sum())([1, 0])).toThrow(/call vjp inside the enclosing function/);
  });
});
