// Every type that an exported signature names can be imported by name from the package entry (tsc
// checks this file with the tests). The docs build finds any new one: docs/typedoc/plugin.mjs warns
// about a type of ours that the API uses but no entry point exports, and warnings fail the build.
import { describe, expectTypeOf, it } from 'vitest';
import {
  compile, cos, grad, gradAndHvp, hypot, tensor, valueAndGrad, vmap,
  type Algebra, type ArrayData, type Elementwise, type Elementwise2, type GradAndHvpResult, type GradFunction,
  type NestedNumbers, type Program, type ProgramResult, type Scalar, type TapeOptions, type Tensor,
  type TransformOptions, type ValueAndGradFunction, type Widen, type Batched, type VmapOptions,
  type ArgnumsGradFunction, type ArgnumsValueAndGradFunction, type ArgnumsGradient, type GradOptions,
  type AuxGradFunction, type AuxValueAndGradFunction, type AuxValue, type AuxFunction, type AuxOf,
  type AuxTransformOptions, type AuxDifferentiable, jvp, vjp, jacobian, hessian, hvp, hvpMany,
} from '../src/index.js';

describe('the public types are importable by name and are the types the functions use', () => {
  it('transforms: GradFunction, ValueAndGradFunction, GradAndHvpResult, TapeOptions', () => {
    const f = (x: Tensor) => x.square().sum();
    expectTypeOf(grad(f)).toEqualTypeOf<GradFunction>();
    expectTypeOf(valueAndGrad(f)).toEqualTypeOf<ValueAndGradFunction>();
    expectTypeOf(gradAndHvp(f, [1, 2], [1, 0])).toEqualTypeOf<GradAndHvpResult<number[]>>();
    expectTypeOf(gradAndHvp((x: Scalar) => x.square(), 1, 1)).toEqualTypeOf<GradAndHvpResult<number>>();
    expectTypeOf<TransformOptions>().toEqualTypeOf<TapeOptions>();
    expectTypeOf<TapeOptions>().toHaveProperty('checkFinite');
  });

  it('grad and valueAndGrad with argnums: the gradient typed from the call\'s arguments (JAX\'s argnums)', () => {
    const loss = (w: Tensor, b: Scalar, data: { x: number[] }) => w.mul(data.x).sum().add(b).square();
    const data = { x: [3, 4] };
    // Types only (tsc checks them; the calls are not run: argnums.test.ts runs such calls).
    const typesOnly = (): void => {
      // One position: that argument's gradient; a list: the tuple of theirs, in the order listed.
      expectTypeOf(grad(loss, { argnums: 1 })).toEqualTypeOf<ArgnumsGradFunction<1>>();
      expectTypeOf(grad(loss, { argnums: 1 })([1, 2], 0.5, data)).toEqualTypeOf<number>();
      expectTypeOf(grad(loss, { argnums: [1, 0] })([1, 2], 0.5, data)).toEqualTypeOf<[number, Float64Array]>();
      expectTypeOf(grad(loss, { argnums: [0, 2] })([1, 2], 0.5, data)).toEqualTypeOf<[Float64Array, { x: Float64Array }]>();
      expectTypeOf(valueAndGrad(loss, { argnums: [0, 1] })([1, 2], 0.5, data)).toEqualTypeOf<{ value: number; grad: [Float64Array, number] }>();
      expectTypeOf(valueAndGrad(loss, { argnums: 1 })).toEqualTypeOf<ArgnumsValueAndGradFunction<1>>();
      // argnums 0 (or none) is the one-argument form; options whose argnums is not a literal give the wide type.
      expectTypeOf(grad(loss, { argnums: 0 })).toEqualTypeOf<GradFunction>();
      const options: GradOptions = { argnums: [0, 1] };
      expectTypeOf(grad(loss, options)).toEqualTypeOf<ArgnumsGradFunction>();
    };
    expectTypeOf(typesOnly).toBeFunction();
    expectTypeOf<ArgnumsGradient<[number[], number], [0, 1]>>().toEqualTypeOf<[Float64Array, number]>();
  });

  it('grad and valueAndGrad with hasAux: [gradient, aux] and { value, grad, aux }, aux\'s nodes as numbers and arrays', () => {
    const f = (x: Tensor) => [x.square().sum(), { residual: x.sub(1), norm: x.square().sum().sqrt(), label: 'fit' }] as const;
    type Aux = { readonly residual: Tensor; readonly norm: Scalar; readonly label: 'fit' };
    expectTypeOf<AuxOf<typeof f>>().toEqualTypeOf<Aux>();
    expectTypeOf(f).toExtend<AuxFunction>();
    expectTypeOf(grad(f, { hasAux: true })).toEqualTypeOf<AuxGradFunction<Aux>>();
    expectTypeOf(valueAndGrad(f, { hasAux: true })).toEqualTypeOf<AuxValueAndGradFunction<Aux>>();
    expectTypeOf(grad(f, { hasAux: true })([1, 2])).toEqualTypeOf<[Float64Array, { residual: Float64Array; norm: number; label: 'fit' }]>();
    expectTypeOf(valueAndGrad(f, { hasAux: true })([1, 2])).toEqualTypeOf<{ value: number; grad: Float64Array; aux: AuxValue<Aux> }>();
    expectTypeOf<AuxValue<[Scalar, number[], Float64Array]>>().toEqualTypeOf<[number, number[], Float64Array]>();
  });

  it('jvp, vjp, jacobian, hessian and gradAndHvp with hasAux: aux typed from f\'s pair', () => {
    const F = (x: Tensor) => [x.exp(), { total: x.sum(), label: 'F' }] as const;
    type A = { total: number; label: 'F' };
    expectTypeOf(F).toExtend<AuxDifferentiable<number[], Tensor, unknown>>();
    expectTypeOf<{ hasAux: true }>().toExtend<AuxTransformOptions>();
    expectTypeOf(jvp(F, [1, 2], [1, 0], { hasAux: true }).aux).toEqualTypeOf<A>();
    expectTypeOf(vjp(F, [1, 2], { hasAux: true }).aux).toEqualTypeOf<A>();
    const [J, auxJ] = jacobian(F, [1, 2], { hasAux: true });
    expectTypeOf(J).toEqualTypeOf<Float64Array>();
    expectTypeOf(auxJ).toEqualTypeOf<A>();
    const L = (x: Tensor) => [x.square().sum(), x.square()] as const;
    const [H, sq] = hessian(L, [1, 2], { hasAux: true, lanes: 2 });
    expectTypeOf(H).toEqualTypeOf<Float64Array>();
    expectTypeOf(sq).toEqualTypeOf<Float64Array>();
    expectTypeOf(gradAndHvp(L, [1, 2], [1, 0], { hasAux: true }).aux).toEqualTypeOf<Float64Array>();
    expectTypeOf(gradAndHvp(L, [1, 2], [1, 0], { hasAux: true }).hvp).toEqualTypeOf<Float64Array>();
  });

  it('hvp and hvpMany with hasAux: [H·v, aux] and [rows, aux], aux typed from f\'s pair; without it, unchanged', () => {
    const L = (x: Tensor) => [x.square().sum(), { sq: x.square(), label: 'L' }] as const;
    type A = { sq: Float64Array; label: 'L' };
    expectTypeOf(hvp(L, [1, 2], [1, 0], { hasAux: true })).toEqualTypeOf<[Float64Array, A]>();
    const tree = (p: { w: Tensor; b: Scalar }) => [p.w.square().sum().mul(p.b), p.b] as const;
    expectTypeOf(hvp(tree, { w: [1, 2], b: 3 }, { w: [1, 0], b: 0 }, { hasAux: true })).toEqualTypeOf<[{ w: Float64Array; b: number }, number]>();
    expectTypeOf(hvpMany(L, [1, 2], Float64Array.of(1, 0), { hasAux: true, lanes: 1 })).toEqualTypeOf<[Float64Array, A]>();
    const plain = (x: Tensor) => x.square().sum();
    expectTypeOf(hvp(plain, [1, 2], [1, 0])).toEqualTypeOf<Float64Array>();
    expectTypeOf(hvpMany(plain, [1, 2], Float64Array.of(1, 0))).toEqualTypeOf<Float64Array>();
    // Nested (x a node), aux keeps f's nodes and the result is a node of the enclosing transform.
    const nested = (x: Tensor) => {
      expectTypeOf(hvp(L, x, [1, 0], { hasAux: true })).toEqualTypeOf<[Tensor, { readonly sq: Tensor; readonly label: 'L' }]>();
      expectTypeOf(hvpMany(L, x, Float64Array.of(1, 0), { hasAux: true })).toEqualTypeOf<[Tensor, { readonly sq: Tensor; readonly label: 'L' }]>();
      return x.sum();
    };
    expectTypeOf(nested).toBeFunction();
  });

  it('vmap: VmapOptions and Batched', () => {
    expectTypeOf(vmap).parameter(1).toEqualTypeOf<VmapOptions | undefined>();
    expectTypeOf(vmap((x: number) => x)).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf(vmap((x: Tensor) => x.sum())).returns.toEqualTypeOf<Tensor>();
    expectTypeOf<Batched<{ g: Float64Array; v: number }>>().toEqualTypeOf<{ g: Float64Array; v: Float64Array }>();
  });

  it('data: ArrayData and NestedNumbers', () => {
    expectTypeOf(tensor).parameter(0).toExtend<ArrayLike<number> | readonly (readonly unknown[])[]>();
    expectTypeOf<NestedNumbers>().toExtend<ArrayData>();
    expectTypeOf([[1, 2], [3, 4]]).toExtend<NestedNumbers>();
    expectTypeOf<Tensor['matmul']>().parameter(0).toEqualTypeOf<Tensor | ArrayData>();
  });

  it('compile: Widen and ProgramResult', () => {
    expectTypeOf<Widen<3>>().toEqualTypeOf<number>();
    expectTypeOf<Widen<number[]>>().toEqualTypeOf<number[]>();
    const program = compile((x: Scalar) => x.square(), 1);
    expectTypeOf(program).toEqualTypeOf<Program<number>>();
    expectTypeOf(program.valueAndGrad(3)).toExtend<ProgramResult<number>>();
  });

  it('algebra: Elementwise and Elementwise2 are what map and map2 take, and the ops are both', () => {
    expectTypeOf<Algebra['map']>().parameter(0).toEqualTypeOf<Elementwise>();
    expectTypeOf<Algebra['map2']>().parameter(0).toEqualTypeOf<Elementwise2>();
    expectTypeOf(cos).toExtend<Elementwise>();
    expectTypeOf(hypot).toExtend<Elementwise2>();
  });

  it('methods: an argument past the last parameter is a type error (plain JavaScript gets the op\'s ArgumentError)', () => {
    const a = tensor([[2, 0], [0, 4]]);
    const calls = [
      // @ts-expect-error add takes one operand: x.add(y, z) is not x + y + z
      () => a.add(a, a),
      // @ts-expect-error log takes no base: log10, log2 or a division
      () => a.log(10),
      // @ts-expect-error solve takes b alone
      () => a.solve(tensor([1, 1]), 3),
      // @ts-expect-error sum takes an axis and keepDims, nothing more
      () => a.sum(0, false, 7),
      // @ts-expect-error a scalar's methods too
      () => a.sum().mul(2, 3),
    ];
    expectTypeOf(calls).toBeArray();
  });
});
