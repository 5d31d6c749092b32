// Peer suite: the test cases of HIPS/autograd's tests/test_binary_ops.py (commit e6ab56a6953e624f384a75c0a2174d3143332fb2),
// ported as our own TypeScript. Every pair of a scalar (2.0), a vector [4], a matrix [3, 4] and a row [1, 4]
// (NumPy broadcasting), for each operator: checkCase (./harness.ts) with autograd's to_scalar (Σ sin) up to
// third order — autograd checks fun and the gradients d_fun_0, d_fun_1, i.e. third derivatives. The value
// is checked against a plain broadcasting loop. Comparisons are ops of ours (greater … notEqual), 0/1 numbers
// with derivative 0 (docs/conventions.md); computed from x.value instead, they are constants with gradient 0.
import { describe, expect, it } from 'vitest';
import {
  add, div, equal, floor, greater, greaterEqual, less, lessEqual, mul, notEqual, pow, remainder, reshape, sub, sum, valueAndGrad, type Node,
} from '../../src/index.js';
import { broadcast2, checkCase, mapArr, normals, scalarArr, sizeOf, type Arr } from './harness.js';

const randn = normals(21);
const scalar = scalarArr(2.0), vector = randn(4), mat = randn(3, 4), mat2 = randn(1, 4);
const allArgs: [string, Arr][] = [['scalar', scalar], ['vector', vector], ['mat', mat], ['mat2', mat2]];
const pairs = allArgs.flatMap(([n1, a1]) => allArgs.map(([n2, a2]) => [`${n1}, ${n2}`, a1, a2, n1 === n2] as const));

const gap = (a: Arr) => mapArr(a, (v) => Math.sqrt(v * v + 0.5));
const positive = (a: Arr) => mapArr(a, (v) => Math.abs(v) + 1.1);
type Op = (a: Node, b: Node) => Node;

function binary(name: string, op: Op, fn: (x: number, y: number) => number, prep: (a: Arr) => Arr = (a) => a, prep2 = prep, skipSame = false): void {
  describe(`test_${name}`, () => {
    for (const [label, a1, a2, same] of pairs) {
      if (skipSame && same) continue;
      it(`(${label})`, () => {
        checkCase(op, [prep(a1), prep2(a2)], (x, y) => broadcast2(x, y, fn), { order: 3, sin: true });
      });
    }
  });
}

describe('autograd test_binary_ops.py', () => {
  binary('mul', (a, b) => mul(a, b), (x, y) => x * y);
  binary('add', (a, b) => add(a, b), (x, y) => x + y);
  binary('sub', (a, b) => sub(a, b), (x, y) => x - y);
  binary('div', (a, b) => div(a, b), (x, y) => x / y, gap);
  binary('pow', (a, b) => pow(a, b), (x, y) => x ** y, positive, (a) => a);
  // An earlier version of the file (commit 06394705) rounds the exponent: integer exponents, 0 and negatives among them.
  binary('pow (exponent rounded)', (a, b) => pow(a, b), (x, y) => x ** y, positive, (a) => mapArr(a, Math.round));
  // np.mod (x % y) is remainder; autograd skips x % x. Also as a user would write it with floor.
  binary('mod (remainder)', (a, b) => remainder(a, b), (x, y) => x - y * Math.floor(x / y), gap, gap, true);
  binary('mod (written x − y·floor(x/y))', (a, b) => sub(a, mul(b, floor(div(a, b)))), (x, y) => x - y * Math.floor(x / y), gap, gap, true);

  const compares: [string, (x: number, y: number) => boolean][] = [
    ['x < x', (x) => x < x], ['x <= y', (x, y) => x <= y], ['x > y', (x, y) => x > y],
    ['x >= y', (x, y) => x >= y], ['x == y', (x, y) => x === y], ['x != y', (x, y) => x !== y],
  ];
  it('test_comparison_grads and test_comparison_values: sum(x ⋈ y) + 0.0 from the values: gradient 0, value kept', () => {
    for (const [, a1, a2] of pairs) {
      for (const [, cmp] of compares) {
        const count = (x: Arr, y: Arr) => broadcast2(x, y, (u, v) => (cmp(u, v) ? 1 : 0)).data.reduce((s, v) => s + v, 0) + 0.0;
        const valueOf = (n: Node, a: Arr): Arr => ({ shape: a.shape, data: typeof n.value === 'number' ? Float64Array.of(n.value) : Float64Array.from(n.value as Float64Array) });
        const f = (p: { x: Node; y: Node }) => count(valueOf(p.x, a1), valueOf(p.y, a2));
        const leaf = (a: Arr) => (a.shape.length === 0 ? a.data[0] : Float64Array.from(a.data));
        const r = valueAndGrad(f as never)({ x: leaf(a1), y: leaf(a2) } as never) as unknown as { value: number; grad: { x: number | Float64Array; y: number | Float64Array } };
        expect(r.value).toBe(count(a1, a2));
        const zeros = (a: Arr) => (a.shape.length === 0 ? 0 : new Float64Array(sizeOf(a.shape)));
        expect(r.grad).toEqual({ x: zeros(a1), y: zeros(a2) });
      }
    }
  });

  const compareOps = [less, lessEqual, greater, greaterEqual, equal, notEqual] as const;
  it('the same with our comparison ops (x ⋈ y as nodes): value kept, gradient 0', () => {
    for (const [, a1, a2] of pairs) {
      compareOps.forEach((op, k) => {
        const cmp = compares[k][1];
        // autograd's first case compares x with itself.
        // The leaves come flat (./harness.ts's convention): each tensor is reshaped to its array's shape.
        const shaped = (n: Node, a: Arr) => (a.shape.length === 0 ? n : reshape(n as never, a.shape));
        const f = (p: { x: Node; y: Node }) => add(sum(op(shaped(p.x, a1), k === 0 ? shaped(p.x, a1) : shaped(p.y, a2)) as never), 0.0);
        const leaf = (a: Arr) => (a.shape.length === 0 ? a.data[0] : Float64Array.from(a.data));
        const r = valueAndGrad(f as never)({ x: leaf(a1), y: leaf(a2) } as never) as unknown as { value: number; grad: { x: number | Float64Array; y: number | Float64Array } };
        const want = broadcast2(a1, k === 0 ? a1 : a2, (u, v) => (cmp(u, v) ? 1 : 0)).data.reduce((s, v) => s + v, 0);
        expect(r.value).toBe(want);
        const zeros = (a: Arr) => (a.shape.length === 0 ? 0 : new Float64Array(sizeOf(a.shape)));
        expect(r.grad).toEqual({ x: zeros(a1), y: zeros(a2) });
      });
    }
  });
});
