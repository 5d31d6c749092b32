// A compiled program's points and directions keep x0's structure, every leaf's shape included; a
// failed re-recording leaves the program as it was. Each expected value comes from the transforms
// called directly at the same point (or a closed form), never from the program itself.
import { describe, expect, it } from 'vitest';
import {
  FiniteError, StructureError, compile, gradAndHvp, hvp, tensor, valueAndGrad, type Scalar, type Tensor,
} from '../src/index.js';

const M = tensor([[1, 2], [3, 4]]);
/** f of a 2×2 matrix whose value depends on the orientation: read as another shape it differs. */
const quartic = (x: Tensor) => x.matmul(M).square().sum().add(x.at([0, 1]).mul(x.at([1, 0])).square());
/** Piecewise linear in x: a point with another sign pattern crosses a kink and is recorded again. */
const kinked = (x: Tensor) => x.matmul(M).relu().sum().add(x.square().sum());

describe('compile: a point of another shape', () => {
  it('refuses a matrix point for a vector x0 (it would be read as a vector: f sees another shape)', () => {
    const program = compile((x: Tensor) => x.sum().mul(x.shape[0]), [1, 2, 3, 4]);
    expect(() => program.valueAndGrad([[1, 2], [3, 4]] as never)).toThrow(StructureError);
    expect(() => program.valueAndGrad([[1, 2], [3, 4]] as never)).toThrow(/shape \[2,2\] but x0 has shape \[4\]; .*; x0 is the point compile recorded f at$/);
    // The program is unharmed: at a vector point it equals the transforms.
    expect(program.valueAndGrad([4, 3, 2, 1]).value).toBe(40);
  });

  it('refuses a matrix point transposed or reshaped against a matrix x0, in every method', () => {
    const program = compile(quartic, [[1, 0], [0, 1]]);
    const wrong = [[[1, 2]], [[3], [4]], [[1, 2, 3, 4]], [[1], [2], [3], [4]]];
    for (const x of wrong) {
      expect(() => program.valueAndGrad(x as never)).toThrow(StructureError);
      expect(() => program.gradAndHvp(x as never, [1, 1, 1, 1])).toThrow(StructureError);
      expect(() => program.hvpOperator(x as never)).toThrow(StructureError);
    }
  });

  it('takes a matrix leaf given flat, read row-major in x0 shape (results come back flat)', () => {
    const program = compile(quartic, [[1, 0], [0, 1]]);
    for (const point of [[0.5, -1, 2, 0.25], [3, 1, -2, 1]]) {
      const matrix = [[point[0], point[1]], [point[2], point[3]]];
      const direct = gradAndHvp(quartic, matrix, [1, -1, 0.5, 2]);
      const compiled = program.gradAndHvp(Float64Array.from(point) as never, [1, -1, 0.5, 2]);
      expect(compiled.value).toBe(direct.value);
      expect(Array.from(compiled.grad as Float64Array)).toEqual(Array.from(direct.grad as Float64Array));
      expect(Array.from(compiled.hvp as Float64Array)).toEqual(Array.from(direct.hvp as Float64Array));
    }
  });

  it('records f again at a matrix point given flat with the matrix shape (a kink crossed through the Flat forms)', () => {
    const program = compile(kinked, [[1, 0], [0, 1]]);
    const points = [[-1, -1, 1, 1], [1, -2, -3, 0.5], [-0.5, 0.25, -2, -1]];
    const v = Float64Array.of(0.5, -1, 2, 1);
    for (const point of points) {
      const matrix = [[point[0], point[1]], [point[2], point[3]]];
      const direct = gradAndHvp(kinked, matrix, v);
      const grad = new Float64Array(4), hv = new Float64Array(4);
      const value = program.gradAndHvpFlat(Float64Array.from(point), v, grad, hv);
      expect(value).toBe(direct.value);
      expect(Array.from(grad)).toEqual(Array.from(direct.grad as Float64Array));
      expect(Array.from(hv)).toEqual(Array.from(direct.hvp as Float64Array));
    }
    expect(program.rerecords).toBeGreaterThanOrEqual(2);
  });
});

describe('directions of another shape', () => {
  const f = (x: Tensor) => x.matmul(M).square().sum();
  it('refuses a matrix direction shaped otherwise than x, in the transforms and in compile', () => {
    expect(() => hvp(f, [[1, 0], [0, 1]], [[1, 2, 3, 4]])).toThrow(StructureError);
    expect(() => hvp((x: Tensor) => x.square().sum(), [1, 2, 3, 4], [[1, 2], [3, 4]])).toThrow(/v has shape \[2,2\] but x has shape \[4\]/);
    const program = compile(f, [[1, 0], [0, 1]]);
    expect(() => program.gradAndHvp([[1, 0], [0, 1]], [[1], [2], [3], [4]])).toThrow(StructureError);
  });

  it('takes a gradient (flat) as the direction of a matrix x, and it equals the matrix-shaped direction', () => {
    const x = [[1, -2], [0.5, 3]];
    const { grad } = valueAndGrad(f)(x);
    const flatDirection = hvp(f, x, grad) as Float64Array;
    const g = grad as Float64Array;
    const shapedDirection = hvp(f, x, [[g[0], g[1]], [g[2], g[3]]]) as Float64Array;
    expect(Array.from(flatDirection)).toEqual(Array.from(shapedDirection));
    // Closed form: f = ‖xM‖², H·v = 2·v·M·Mᵀ (row-major 2×2).
    const MMt = [[5, 11], [11, 25]];
    const expected = [0, 1].flatMap((i) => [0, 1].map((j) => 2 * (g[2 * i] * MMt[0][j] + g[2 * i + 1] * MMt[1][j])));
    Array.from(flatDirection).forEach((h, k) => expect(h).toBeCloseTo(expected[k], 10));
  });
});

describe('compile: gradAndHvpFlat needs v', () => {
  it('refuses a missing v with a StructureError instead of reading the last call\'s tangents', () => {
    const program = compile((x: Tensor) => x.at(0).mul(x.at(1)).sin(), [1, 2]);
    const grad = new Float64Array(2), hv = new Float64Array(2);
    program.gradAndHvpFlat(Float64Array.of(1, 2), Float64Array.of(1, 0), grad, hv);
    for (const missing of [undefined, null]) {
      expect(() => program.gradAndHvpFlat(Float64Array.of(0.3, -0.7), missing as never, grad, hv)).toThrow(StructureError);
    }
    // Still right afterwards: H·e₁ of sin(ab) at (0.3, −0.7) is (−b² sin ab, cos ab − ab sin ab).
    program.gradAndHvpFlat(Float64Array.of(0.3, -0.7), Float64Array.of(1, 0), grad, hv);
    const ab = 0.3 * -0.7;
    expect(hv[0]).toBeCloseTo(-0.49 * Math.sin(ab), 14);
    expect(hv[1]).toBeCloseTo(Math.cos(ab) - ab * Math.sin(ab), 14);
  });
});

describe('compile: a re-recording that fails', () => {
  it('leaves the program usable when f throws while recorded again', () => {
    let fail = false;
    const program = compile((x: Scalar) => {
      if (fail) throw new Error('boom');
      return x.abs();
    }, 1);
    fail = true;
    expect(() => program.valueAndGrad(-1)).toThrow('boom');
    fail = false;
    expect(program.valueAndGrad(2)).toEqual({ value: 2, grad: 1 });
    expect(program.valueAndGrad(-2)).toEqual({ value: 2, grad: -1 });
    expect(program.gradAndHvp(3, 1)).toEqual({ value: 3, grad: 1, hvp: 0 });
    expect(program.nodes).toBeGreaterThan(0);
  });

  it('leaves the program usable after a FiniteError in strict mode while recorded again', () => {
    const f = (x: Scalar) => x.relu().log(); // log 0 = −∞ past the kink
    const program = compile(f, 1, { checkFinite: true });
    expect(() => program.valueAndGrad(-1)).toThrow(FiniteError);
    for (const x of [2, 0.5]) expect(program.valueAndGrad(x)).toEqual(valueAndGrad(f)(x));
  });
});
