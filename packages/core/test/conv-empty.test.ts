// Convolutions and pools of an input with an empty dimension: the empty result of the right shape, as
// JAX's lax.conv_general_dilated and lax.reduce_window give it (the shapes below are JAX 0.10.2's),
// with zero (or empty) derivatives. A non-empty axis too short for the window and an empty window stay
// errors.
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, avgPool2d, conv1d, conv2d, gradAndHvp, maxPool2d, tensor, type Tensor } from '../src/index.js';

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const filled = (n: number, seed: number) => Float64Array.from({ length: n }, (_, k) => Math.sin(seed + 0.9 * k));
const ones = (s: number[]) => tensor(filled(size(s), 1)).reshape(s);

describe('conv2d / conv1d of an empty input', () => {
  // [x shape, filter shape, padding, JAX's result shape]
  const cases: Array<[number[], number[], 'valid' | 'same' | number[], number[]]> = [
    [[0, 4, 4, 2], [2, 2, 2, 3], 'valid', [0, 3, 3, 3]],
    [[0, 4, 4, 2], [2, 2, 2, 3], 'same', [0, 4, 4, 3]],
    [[1, 0, 4, 2], [2, 2, 2, 3], 'valid', [1, 0, 3, 3]],
    [[1, 0, 4, 2], [2, 2, 2, 3], 'same', [1, 0, 4, 3]],
    [[1, 4, 0, 2], [2, 2, 2, 3], 'valid', [1, 3, 0, 3]],
    [[1, 4, 0, 2], [2, 2, 2, 3], 'same', [1, 4, 0, 3]],
    [[1, 4, 4, 2], [2, 2, 2, 0], 'valid', [1, 3, 3, 0]],
    [[1, 4, 4, 0], [2, 2, 0, 3], 'valid', [1, 3, 3, 3]], // no channels: every output is an empty sum, 0
    [[1, 0, 4, 2], [2, 2, 2, 3], [1, 1, 0, 0], [1, 1, 3, 3]], // windows of padding only: 0 (JAX: ((1,1),(0,0)))
  ];

  it.each(cases)('x %j, filters %j, padding %j: shape %j, zero values, zero derivatives', (xs, ws, padding, expected) => {
    const f = (p: { x: Tensor; w: Tensor }) => conv2d(p.x.reshape(xs), p.w.reshape(ws), { padding }).square().sum();
    const y = conv2d(ones(xs), ones(ws), { padding });
    expect(y.shape).toEqual(expected);
    expect(Array.from(y.value).every((e) => e === 0)).toBe(true);
    const point = { x: filled(size(xs), 2), w: filled(size(ws), 3) };
    const r = gradAndHvp(f, point, { x: filled(size(xs), 4), w: filled(size(ws), 5) });
    expect(r.value).toBe(0);
    for (const lane of [r.grad.x, r.grad.w, r.hvp.x, r.hvp.w]) expect(Array.from(lane).every((e) => e === 0)).toBe(true);
    expect([r.grad.x.length, r.grad.w.length]).toEqual([size(xs), size(ws)]);
  });

  it('conv1d: an empty batch or length gives JAX\'s shape', () => {
    expect(conv1d(ones([2, 0, 2]), ones([3, 2, 3]), { padding: 'same' }).shape).toEqual([2, 0, 3]);
    expect(conv1d(ones([1, 0, 2]), ones([2, 2, 3])).shape).toEqual([1, 0, 3]);
    expect(conv1d(ones([0, 4, 2]), ones([2, 2, 3])).shape).toEqual([0, 3, 3]);
  });

  it('still refuses an empty window and a non-empty input shorter than the window', () => {
    expect(() => conv2d(ones([1, 4, 4, 2]), ones([0, 2, 2, 3]))).toThrow(ShapeError); // JAX refuses too
    expect(() => conv2d(ones([1, 1, 4, 2]), ones([2, 2, 2, 3]))).toThrow(/the window spans 2×2/);
  });
});

describe('maxPool2d / avgPool2d of an empty input', () => {
  const cases: Array<[number[], 'valid' | 'same', number[]]> = [
    [[0, 4, 4, 2], 'valid', [0, 2, 2, 2]],
    [[1, 0, 4, 2], 'valid', [1, 0, 2, 2]],
    [[1, 0, 4, 2], 'same', [1, 0, 2, 2]],
    [[1, 4, 0, 2], 'valid', [1, 2, 0, 2]],
    [[1, 4, 0, 2], 'same', [1, 2, 0, 2]],
    [[1, 4, 4, 0], 'valid', [1, 2, 2, 0]],
    [[0, 4, 2], 'valid', [0, 2, 2]],
  ];
  for (const pool of [maxPool2d, avgPool2d]) {
    it.each(cases)(`${pool.name}: x %j, padding %j: shape %j, empty derivatives`, (xs, padding, expected) => {
      expect(pool(ones(xs), 2, { padding }).shape).toEqual(expected);
      const r = gradAndHvp((x: Tensor) => pool(x.reshape(xs), 2, { padding }).square().sum(), filled(size(xs), 1), filled(size(xs), 2));
      expect(r.value).toBe(0);
      expect(r.grad.length).toBe(size(xs));
    });
  }

  it('still refuses a non-empty input shorter than the window, and an empty window', () => {
    expect(() => maxPool2d(ones([1, 1, 4, 2]), 2)).toThrow(/the window spans 2×2/);
    expect(() => avgPool2d(ones([1, 0, 4, 2]), [0, 2])).toThrow(ArgumentError);
  });
});
