// defineOp's types (tsc checks this file with the tests): the result type follows the arguments — a
// Scalar for scalars and numbers, a Tensor once one is a tensor, a Node when a kind is not known — the
// argument count follows the primal's, and numbers alone are a type error. Each call also runs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defineOp, grad, scalar, tensor, type CustomOp, type CustomOpResult, type HasTensorOperand, type Node, type Scalar, type Tensor,
} from '../src/index.js';

const cube = defineOp({ name: 'cubeTyped', primal: (x) => x ** 3, partials: (o, [x]) => [o.mul(3, o.mul(x, x))] });
const fma = defineOp({
  name: 'fmaTyped', primal: (a, b, c) => a * b + c, partials: (_o, [a, b]) => [b, a, 1],
});
const norm = defineOp({ name: 'normTyped', primal: Math.hypot, partials: (o, x, y) => x.map((xi) => o.div(xi, y)) });

describe('defineOp: result types follow the arguments', () => {
  it('scalars and numbers give a Scalar; any tensor gives a Tensor; a Node gives a Node', () => {
    expectTypeOf(cube).toEqualTypeOf<CustomOp<1>>();
    expectTypeOf(fma).toEqualTypeOf<CustomOp<3>>();
    expectTypeOf(cube(scalar(2))).toEqualTypeOf<Scalar>();
    expectTypeOf(cube(tensor([1, 2]))).toEqualTypeOf<Tensor>();
    expectTypeOf(fma(scalar(2), 3, 1)).toEqualTypeOf<Scalar>();
    expectTypeOf(fma(2, tensor([1, 2]), 1)).toEqualTypeOf<Tensor>();
    const node = scalar(2) as Node; // a node whose kind the types do not know
    expectTypeOf(cube(node)).toEqualTypeOf<Node>();
    expectTypeOf(fma(node, tensor([1]), 0)).toEqualTypeOf<Tensor>();
    expect(cube(scalar(2)).value).toBe(8);
    expect([...cube(tensor([1, 2])).value]).toEqual([1, 8]);
    expect(fma(scalar(2), 3, 1).value).toBe(7);
    expect([...fma(2, tensor([1, 2]), 1).value]).toEqual([3, 5]);
  });

  it('the helper types say the same', () => {
    expectTypeOf<CustomOpResult<[Scalar, number]>>().toEqualTypeOf<Scalar>();
    expectTypeOf<CustomOpResult<[number, Tensor]>>().toEqualTypeOf<Tensor>();
    expectTypeOf<CustomOpResult<[Node, number]>>().toEqualTypeOf<Node>();
    expectTypeOf<HasTensorOperand<[Scalar, Tensor]>>().toEqualTypeOf<true>();
    expectTypeOf<HasTensorOperand<[Scalar, Node]>>().toEqualTypeOf<false>();
  });

  it('results chain without casts, and the op is a function grad can take', () => {
    expect(grad((x: Scalar) => cube(x).mul(x))(2)).toBe(32); // d/dx x⁴ = 4x³
    expect([...grad((x: Tensor) => cube(x).sum())([1, 2])]).toEqual([3, 12]);
    expect(grad(grad(cube))(2)).toBe(12); // 6x
  });

  it('a variadic primal (Math.hypot) takes any number of arguments', () => {
    expectTypeOf(norm).toEqualTypeOf<CustomOp<number>>();
    expectTypeOf(norm(scalar(3), 4)).toEqualTypeOf<Scalar>();
    expect(norm(scalar(3), 4).value).toBe(5);
  });

  it('numbers alone and a wrong argument count are type errors (and run-time errors for JavaScript callers)', () => {
    // @ts-expect-error numbers only: an op needs a node to record
    expect(() => cube(2)).toThrow(/at least one input must be a node/);
    // @ts-expect-error numbers only, for a variadic op too
    expect(() => norm(3, 4)).toThrow(/at least one input must be a node/);
    // @ts-expect-error two arguments to a one-input op
    expect(() => cube(scalar(1), 2)).toThrow(/expects 1 inputs, got 2/);
    // @ts-expect-error two arguments to a three-input op
    expect(() => fma(scalar(1), 2)).toThrow(/expects 3 inputs, got 2/);
  });
});
