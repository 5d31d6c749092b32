// Neural-network ops against references written here: a direct seven-loop convolution (stride,
// padding, dilation, groups), direct pooling loops, softmax's closed forms; plus the adjoints of
// the convolution against direct loops (in the chunked im2col path too), ties, NaN, empty batches
// and every option error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, ShapeError, avgPool2d, conv1d, conv2d, getKernelBackend, grad, gradAndHvp, jvp, logSoftmax, matmul, maxPool2d,
  setKernelBackend, softmax, tensor, type ConvOptions, type Padding, type Tensor,
} from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';

const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
const randomData = (n: number, seed: number) => {
  const random = seededUniform(seed);
  return Float64Array.from({ length: n }, () => random() * 2 - 1);
};

/** Values of f at x (one tensor per entry of `inputs`, reshaped), through jvp. */
function valueOf(f: (xs: Tensor[]) => Tensor, inputs: readonly { data: Float64Array; shape: readonly number[] }[]): { data: Float64Array; shape: readonly number[] } {
  let shape: readonly number[] = [];
  const g = (p: Tensor[]) => {
    const y = f(p.map((t, j) => t.reshape(inputs[j].shape)));
    shape = y.shape;
    return y;
  };
  const x = inputs.map((i) => i.data);
  const { value } = jvp(g as never, x as unknown as Float64Array[], x.map((d) => new Float64Array(d.length)));
  return { data: typeof value === 'number' ? Float64Array.of(value) : value, shape };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-12): void {
  expect(got.length).toBe(want.length);
  // One assertion for the whole array: the first entry off by more than the tolerance, if any.
  let bad = -1;
  for (let k = 0; k < want.length && bad < 0; k++) {
    const ok = Number.isNaN(want[k]) ? Number.isNaN(got[k]) : Math.abs(got[k] - want[k]) <= tolerance * Math.max(1, Math.abs(want[k]));
    if (!ok) bad = k;
  }
  expect(bad < 0 ? 'all close' : `entry ${bad}: got ${got[bad]}, want ${want[bad]}`).toBe('all close');
}

/** TensorFlow's padding: [before, after] along one axis and the output size. */
function padAlong(padding: Padding, axis: 0 | 1, size: number, window: number, stride: number, dilation: number): [number, number, number] {
  const span = dilation * (window - 1) + 1;
  let before = 0, after = 0;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    before = Math.floor(total / 2);
    after = total - before;
  } else if (padding !== 'valid') {
    const p = typeof padding === 'number' ? [padding] : [...padding];
    const four = p.length === 1 ? [p[0], p[0], p[0], p[0]] : p.length === 2 ? [p[0], p[0], p[1], p[1]] : p;
    [before, after] = axis === 0 ? [four[0], four[1]] : [four[2], four[3]];
  }
  return [before, after, Math.floor((size + before + after - span) / stride) + 1];
}

interface Conv {
  n: number; h: number; w: number; c: number; k: number; fh: number; fw: number;
  sh: number; sw: number; dh: number; dw: number; padding: Padding; groups: number;
}

/** The convolution by its definition: seven nested loops, zeros outside the image. */
function directConv(x: Float64Array, f: Float64Array, p: Conv): { data: Float64Array; shape: number[] } {
  const [top, , oh] = padAlong(p.padding, 0, p.h, p.fh, p.sh, p.dh);
  const [left, , ow] = padAlong(p.padding, 1, p.w, p.fw, p.sw, p.dw);
  const cg = p.c / p.groups, kg = p.k / p.groups;
  const y = new Float64Array(p.n * oh * ow * p.k);
  for (let b = 0; b < p.n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let co = 0; co < p.k; co++) {
          const group = Math.floor(co / kg);
          let s = 0;
          for (let i = 0; i < p.fh; i++)
            for (let j = 0; j < p.fw; j++)
              for (let ci = 0; ci < cg; ci++) {
                const yy = oy * p.sh - top + i * p.dh, xx = ox * p.sw - left + j * p.dw;
                if (yy < 0 || yy >= p.h || xx < 0 || xx >= p.w) continue;
                s += x[((b * p.h + yy) * p.w + xx) * p.c + group * cg + ci] * f[((i * p.fw + j) * cg + ci) * p.k + co];
              }
          y[((b * oh + oy) * ow + ox) * p.k + co] = s;
        }
  return { data: y, shape: [p.n, oh, ow, p.k] };
}

const convArbitrary = fc.record({
  n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }),
  cg: fc.integer({ min: 1, max: 3 }), kg: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 2 }),
  fh: fc.integer({ min: 1, max: 3 }), fw: fc.integer({ min: 1, max: 3 }),
  sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
  padding: fc.oneof(
    fc.constantFrom<Padding>('valid', 'same'), fc.integer({ min: 0, max: 2 }),
    fc.tuple(fc.nat(2), fc.nat(2)), fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
  ),
  seed: fc.integer({ min: 1, max: 1e6 }),
}).map((r) => ({ ...r, c: r.cg * r.groups, k: r.kg * r.groups, padding: r.padding as Padding }));

function optionsOf(p: Conv): ConvOptions {
  return { stride: [p.sh, p.sw], padding: p.padding, dilation: [p.dh, p.dw], groups: p.groups };
}

describe('conv2d against a direct seven-loop convolution', () => {
  it('agrees for random shapes, strides, paddings, dilations and groups (or both refuse an empty output)', () => {
    fc.assert(
      fc.property(convArbitrary, (p) => {
        const x = randomData(p.n * p.h * p.w * p.c, p.seed), f = randomData(p.fh * p.fw * p.cg * p.k, p.seed + 1);
        const [, , oh] = padAlong(p.padding, 0, p.h, p.fh, p.sh, p.dh);
        const [, , ow] = padAlong(p.padding, 1, p.w, p.fw, p.sw, p.dw);
        const run = () => valueOf(([a, b]) => conv2d(a, b, optionsOf(p)), [{ data: x, shape: [p.n, p.h, p.w, p.c] }, { data: f, shape: [p.fh, p.fw, p.cg, p.k] }]);
        if (oh < 1 || ow < 1) {
          expect(run).toThrow(ShapeError);
          return;
        }
        const want = directConv(x, f, p);
        const got = run();
        expect(got.shape).toEqual(want.shape);
        expectClose(got.data, want.data);
      }),
      { numRuns: 250, seed: 11 },
    );
  });

  it('has derivatives that agree with finite differences at random geometries', () => {
    fc.assert(
      fc.property(convArbitrary.filter((p) => padAlong(p.padding, 0, p.h, p.fh, p.sh, p.dh)[2] >= 1 && padAlong(p.padding, 1, p.w, p.fw, p.sw, p.dw)[2] >= 1), (p) => {
        const f = (q: { x: Tensor; w: Tensor }) => conv2d(q.x.reshape([p.n, p.h, p.w, p.c]), q.w.reshape([p.fh, p.fw, p.cg, p.k]), optionsOf(p)).tanh().sum();
        const x = { x: Array.from(randomData(p.n * p.h * p.w * p.c, p.seed)), w: Array.from(randomData(p.fh * p.fw * p.cg * p.k, p.seed + 1)) };
        const checks = checkGrads(f as never, x as never, { order: 2, directions: 1, seed: p.seed });
        expect(checks.filter((ch) => !ch.passed).map((ch) => ch.name)).toEqual([]);
      }),
      { numRuns: 15, seed: 12 },
    );
  });

  it('adjoints match direct loops in the chunked im2col path (a batch larger than one chunk, two groups)', () => {
    // 8 images of 32×32 windows of 144 taps per group: 1.2M numbers of cols, over the kernels' 2²⁰ per chunk.
    const p: Conv = { n: 8, h: 34, w: 34, c: 32, k: 4, fh: 3, fw: 3, sh: 1, sw: 1, dh: 1, dw: 1, padding: 'valid', groups: 2 };
    const x = randomData(p.n * p.h * p.w * p.c, 1), f = randomData(3 * 3 * 16 * 4, 2);
    const C = randomData(p.n * 32 * 32 * 4, 3);
    // ∂/∂x and ∂/∂W of Σ C·conv(x, W), directly: each tap's product with C, summed into its place.
    const xBar = new Float64Array(x.length), fBar = new Float64Array(f.length);
    for (let b = 0; b < p.n; b++) for (let oy = 0; oy < 32; oy++) for (let ox = 0; ox < 32; ox++) for (let co = 0; co < 4; co++) {
      const g = C[((b * 32 + oy) * 32 + ox) * 4 + co], group = co >> 1;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let ci = 0; ci < 16; ci++) {
        const xi = ((b * 34 + oy + i) * 34 + ox + j) * 32 + group * 16 + ci, fi = ((i * 3 + j) * 16 + ci) * 4 + co;
        xBar[xi] += g * f[fi];
        fBar[fi] += g * x[xi];
      }
    }
    const options = { groups: 2 };
    const loss = (q: { x: Tensor; w: Tensor }) => conv2d(q.x.reshape([8, 34, 34, 32]), q.w.reshape([3, 3, 16, 4]), options).mul(tensor(C, [8, 32, 32, 4])).sum();
    const g = grad(loss)({ x, w: f }) as { x: Float64Array; w: Float64Array };
    expectClose(valueOf(([a, b]) => conv2d(a, b, options), [{ data: x, shape: [8, 34, 34, 32] }, { data: f, shape: [3, 3, 16, 4] }]).data, directConv(x, f, p).data, 1e-11);
    expectClose(g.x, xBar, 1e-11);
    expectClose(g.w, fBar, 1e-11);
  });

  it('takes one image as [H, W, C] and an empty batch', () => {
    const p: Conv = { n: 1, h: 4, w: 3, c: 2, k: 3, fh: 2, fw: 2, sh: 1, sw: 1, dh: 1, dw: 1, padding: 'valid', groups: 1 };
    const x = randomData(24, 4), f = randomData(24, 5);
    const got = valueOf(([a, b]) => conv2d(a, b), [{ data: x, shape: [4, 3, 2] }, { data: f, shape: [2, 2, 2, 3] }]);
    expect(got.shape).toEqual([3, 2, 3]);
    expectClose(got.data, directConv(x, f, p).data);
    const empty = valueOf(([a, b]) => conv2d(a, b, { padding: 'same' }), [{ data: new Float64Array(0), shape: [0, 4, 4, 2] }, { data: f, shape: [2, 2, 2, 3] }]);
    expect(empty.shape).toEqual([0, 4, 4, 3]);
  });

  it('propagates NaN to exactly the outputs whose window covers it', () => {
    const x = new Float64Array(16).fill(1);
    x[5] = NaN; // row 1, column 1 of a 4×4 image
    const got = valueOf(([a, b]) => conv2d(a, b), [{ data: x, shape: [1, 4, 4, 1] }, { data: new Float64Array(4).fill(1), shape: [2, 2, 1, 1] }]).data;
    expect(Array.from(got, (v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 'NaN', 4, 'NaN', 'NaN', 4, 4, 4, 4]);
  });
});

describe('the products behind conv2d and batched matmul on every kernel backend', () => {
  it('give the same gradient and H·v on js, wasm and wasm-threads (operands are views into larger arrays)', () => {
    // A convolution in two chunks (10 images of 28×28 windows of 144 taps) and a matmul of two
    // stacks (one product per batch): every product reads views into larger arrays.
    const f = (p: { x: Tensor; w: Tensor; m: Tensor }) => {
      const y = conv2d(p.x.reshape([10, 30, 30, 16]), p.w.reshape([3, 3, 16, 8])).tanh();
      const z = matmul(y.reshape([10, 28 * 28, 8]), p.m.reshape([10, 8, 4]));
      return z.square().sum();
    };
    const x = { x: randomData(10 * 30 * 30 * 16, 1), w: randomData(3 * 3 * 16 * 8, 2), m: randomData(10 * 8 * 4, 3) };
    const v = { x: randomData(10 * 30 * 30 * 16, 4), w: randomData(3 * 3 * 16 * 8, 5), m: randomData(10 * 8 * 4, 6) };
    const results: Float64Array[] = [];
    const backends = ['js', 'wasm', ...(getKernelBackend().wasmThreads ? ['wasm-threads' as const] : [])] as const;
    try {
      for (const backend of backends) {
        setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 2 } : {});
        const r = gradAndHvp(f, x, v);
        results.push(Float64Array.from([...r.grad.x, ...r.grad.w, ...r.grad.m, ...r.hvp.x, ...r.hvp.w, ...r.hvp.m]));
      }
    } finally {
      setKernelBackend('auto');
    }
    for (const r of results.slice(1)) expectClose(r, results[0], 1e-11);
  });
});

describe('conv1d', () => {
  it('agrees with a direct loop over random strides, paddings, dilations and groups', () => {
    fc.assert(
      fc.property(convArbitrary, (r) => {
        const padding: Padding = typeof r.padding === 'object' ? [r.padding[0], r.padding[r.padding.length - 1]] : r.padding;
        const p: Conv = { ...r, h: 1, fh: 1, sh: 1, dh: 1, padding: typeof padding === 'object' ? [0, 0, padding[0], padding[1]] : typeof padding === 'number' ? [0, 0, padding, padding] : padding };
        const [, , ow] = padAlong(p.padding, 1, p.w, p.fw, p.sw, p.dw);
        const x = randomData(p.n * p.w * p.c, r.seed), f = randomData(p.fw * r.cg * p.k, r.seed + 1);
        const run = () => valueOf(([a, b]) => conv1d(a, b, { stride: p.sw, padding, dilation: [p.dw], groups: p.groups }), [{ data: x, shape: [p.n, p.w, p.c] }, { data: f, shape: [p.fw, r.cg, p.k] }]);
        if (ow < 1) {
          expect(run).toThrow(ShapeError);
          return;
        }
        const got = run();
        expect(got.shape).toEqual([p.n, ow, p.k]);
        expectClose(got.data, directConv(x, f, p).data);
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});

describe('convolution options and shapes are checked at run time', () => {
  const run = (xs: number[], fs: number[], options?: unknown, op: typeof conv2d = conv2d) => () =>
    grad((q: { x: Tensor; w: Tensor }) => op(q.x.reshape(xs), q.w.reshape(fs), options as ConvOptions).sum())({ x: new Float64Array(sizeOf(xs)), w: new Float64Array(sizeOf(fs)) });

  it('names unknown keys (with a suggestion) and bad values', () => {
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { strides: 2 })).toThrow(/conv2d: unknown option 'strides'; did you mean 'stride'\?/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { strides: 2 })).toThrow(OptionError);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { stride: 0 })).toThrow(/stride/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { stride: [1, 2, 3] })).toThrow(/an integer ≥ 1 or an array of 2/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { padding: 'full' })).toThrow(/'valid', 'same'/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { padding: [1, 2, 3] })).toThrow(/padding/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { dilation: 1.5 })).toThrow(/dilation/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], { groups: -1 })).toThrow(/groups/);
    expect(run([1, 4, 4, 1], [2, 2, 1, 1], 'same')).toThrow(/options must be an object/);
    expect(run([1, 4, 2], [2, 2, 1], { padding: [1, 2, 3, 4] }, conv1d)).toThrow(/conv1d: .*padding/);
  });

  it('names both shapes when channels, groups or ranks disagree, or the window does not fit', () => {
    expect(run([1, 4, 4, 3], [2, 2, 2, 1])).toThrow(/the filters take 2 input channels per group but the input has 3 channels/);
    expect(run([1, 4, 4, 4], [2, 2, 2, 3], { groups: 2 })).toThrow(/groups = 2 must divide the input channels \(4\) and the output channels \(3\)/);
    expect(run([4, 4], [2, 2, 1, 1])).toThrow(/input \[4,4\] and filters \[2,2,1,1\]/);
    expect(run([1, 2, 2, 1], [3, 3, 1, 1])).toThrow(/the window spans 3×3/);
    expect(run([1, 2, 2, 1], [3, 3, 1, 1])).toThrow(ShapeError);
    // In each op's own terms: conv1d's padding is [left, right]; dilation is named only where there is some.
    expect(run([1, 2, 3], [3, 3, 2], { padding: [0, 0] }, conv1d)).toThrow(/conv1d: the window spans 3 but the input is only length 2 plus padding \[0,0\];/);
    expect(run([1, 2, 2], [2, 2, 1], { dilation: 2 }, conv1d)).toThrow(/the window spans 3 \(dilation included\) but/);
    expect(() => maxPool2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), 3)).toThrow(/maxPool2d: the window spans 3×3 but the input is only 2×2 plus padding \[0,0,0,0\];/);
    expect(() => grad((x: Tensor) => conv2d(x, [1] as never).sum())([1])).toThrow(/the filters are an array/);
    expect(() => grad((x: Tensor) => conv2d(x, [1] as never).sum())([1])).toThrow(ArgumentError);
  });
});

/** Pooling by its definition: each window's max or mean over the positions inside the image. */
function directPool(x: Float64Array, shape: number[], size: [number, number], stride: [number, number], padding: Padding, kind: 'max' | 'avg'): Float64Array {
  const [n, h, w, c] = shape;
  const [top, , oh] = padAlong(padding, 0, h, size[0], stride[0], 1);
  const [left, , ow] = padAlong(padding, 1, w, size[1], stride[1], 1);
  const out = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ch = 0; ch < c; ch++) {
    const values: number[] = [];
    for (let i = 0; i < size[0]; i++) for (let j = 0; j < size[1]; j++) {
      const yy = oy * stride[0] - top + i, xx = ox * stride[1] - left + j;
      if (yy >= 0 && yy < h && xx >= 0 && xx < w) values.push(x[((b * h + yy) * w + xx) * c + ch]);
    }
    out[((b * oh + oy) * ow + ox) * c + ch] = kind === 'max' ? Math.max(...values) : values.reduce((s, v) => s + v, 0) / values.length;
  }
  return out;
}

describe('maxPool2d and avgPool2d', () => {
  const poolArbitrary = fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 3 }),
    size: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.constantFrom<Padding>('valid', 'same'), seed: fc.integer({ min: 1, max: 1e6 }),
  });

  it('agree with direct loops over random windows, strides and paddings', () => {
    fc.assert(
      fc.property(poolArbitrary, (p) => {
        if (padAlong(p.padding, 0, p.h, p.size[0], p.stride[0], 1)[2] < 1 || padAlong(p.padding, 1, p.w, p.size[1], p.stride[1], 1)[2] < 1) return;
        const shape = [p.n, p.h, p.w, p.c];
        const x = randomData(sizeOf(shape), p.seed);
        for (const [kind, op] of [['max', maxPool2d], ['avg', avgPool2d]] as const) {
          const got = valueOf(([a]) => op(a, p.size, { stride: p.stride, padding: p.padding }), [{ data: x, shape }]);
          expectClose(got.data, directPool(x, shape, p.size, p.stride, p.padding, kind));
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('default their stride to the window size', () => {
    const x = randomData(2 * 6 * 4 * 3, 8);
    const got = valueOf(([a]) => maxPool2d(a, [3, 2]), [{ data: x, shape: [2, 6, 4, 3] }]);
    expect(got.shape).toEqual([2, 2, 2, 3]);
    expectClose(got.data, directPool(x, [2, 6, 4, 3], [3, 2], [3, 2], 'valid', 'max'));
  });

  it('split the adjoint evenly between tied maxima, as max does', () => {
    // One 2×2 window holding [1, 3, 3, 2]: the two 3s share the adjoint.
    const g = grad((x: Tensor) => maxPool2d(x.reshape([1, 2, 2, 1]), 2).sum())([1, 3, 3, 2]) as Float64Array;
    expect(Array.from(g)).toEqual([0, 0.5, 0.5, 0]);
    // Overlapping windows over a constant image: each window spreads 1 over its 4 ties.
    const h = grad((x: Tensor) => maxPool2d(x.reshape([1, 3, 3, 1]), 2, { stride: 1 }).sum())(new Float64Array(9).fill(5)) as Float64Array;
    expect(Array.from(h)).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
  });

  it('avgPool2d leaves padding out of the count; its gradient is 1/count per covered element', () => {
    const g = grad((x: Tensor) => avgPool2d(x.reshape([1, 3, 3, 1]), 2, { padding: 'same' }).sum())(new Float64Array(9).fill(1)) as Float64Array;
    // 'same' (stride 2) pads one row below and one column right: windows of 4, 2, 2 and 1 elements.
    expect(Array.from(g)).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  });

  it('give NaN for a window holding NaN, and send that window\'s adjoint to it', () => {
    const x = [1, NaN, 3, 4];
    const y = valueOf(([a]) => maxPool2d(a, 2), [{ data: Float64Array.from(x), shape: [1, 2, 2, 1] }]);
    expect(y.data[0]).toBeNaN();
    const g = grad((t: Tensor) => maxPool2d(t.reshape([1, 2, 2, 1]), 2).sum())(x) as Float64Array;
    expect(Array.from(g)).toEqual([0, 1, 0, 0]);
  });

  it('check their window and options', () => {
    const run = (size: unknown, options?: unknown) => () => grad((x: Tensor) => maxPool2d(x.reshape([1, 4, 4, 1]), size as number, options as never).sum())(new Float64Array(16));
    expect(run(0)).toThrow(/maxPool2d: size is 0; expected an integer ≥ 1/);
    expect(run([2, 2, 2])).toThrow(ArgumentError);
    expect(run(2, { strid: 1 })).toThrow(/unknown option 'strid'; did you mean 'stride'\?/);
    expect(run(2, { padding: [2, 0] })).toThrow(/must be smaller than the window/);
    expect(run(5)).toThrow(ShapeError);
    expect(() => grad((x: Tensor) => avgPool2d(x.reshape([4, 4]), 2).sum())(new Float64Array(16))).toThrow(/avgPool2d: input \[4,4\]: expected \[N, H, W, C\]/);
  });
});

describe('softmax and logSoftmax over any axis', () => {
  const logits = { data: Float64Array.of(1, 2, 3, -1, 0, 4, 0.5, 0.5, 2, -3, 1, 0), shape: [2, 2, 3] };

  it('sum to 1 over the axes given, and logSoftmax is log(softmax)', () => {
    for (const axis of [0, 1, 2, -1, [0, 2], [1, 2], [0, 1, 2]]) {
      const s = valueOf(([x]) => softmax(x, axis), [logits]).data;
      const l = valueOf(([x]) => logSoftmax(x, axis), [logits]).data;
      const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => (a + 3) % 3);
      // Sum over the axes by hand: the index with those axes zeroed groups the entries.
      const totals = new Map<string, number>();
      for (let e = 0; e < 12; e++) {
        const idx = [Math.floor(e / 6), Math.floor(e / 3) % 2, e % 3].map((v, k) => (axes.includes(k) ? 0 : v)).join();
        totals.set(idx, (totals.get(idx) ?? 0) + s[e]);
      }
      for (const t of totals.values()) expect(t).toBeCloseTo(1, 14);
      expectClose(l, Array.from(s, Math.log), 1e-14);
    }
  });

  it('stays finite at extreme logits, where log(softmax) would not', () => {
    const x = { data: Float64Array.of(1000, -1000, 0), shape: [3] };
    expectClose(valueOf(([t]) => logSoftmax(t), [x]).data, [0, -2000, -1000]);
    expectClose(valueOf(([t]) => softmax(t), [x]).data, [1, 0, 0]);
    const g = grad((t: Tensor) => logSoftmax(t).mul(tensor([1, 2, 3])).sum())([1000, -1000, 0]) as Float64Array;
    expectClose(g, [1 - 6, 2, 3]);
  });

  it('has the gradient w − softmax(x)·Σw of Σ w·logSoftmax(x) (closed form)', () => {
    const w = [0.3, -1, 2];
    const x = [0.1, -0.4, 1.3];
    const e = x.map(Math.exp);
    const total = e.reduce((a, b) => a + b, 0);
    const sw = w.reduce((a, b) => a + b, 0);
    const g = grad((t: Tensor) => logSoftmax(t).mul(tensor(w)).sum())(x) as Float64Array;
    expectClose(g, w.map((wk, k) => wk - (e[k] / total) * sw), 1e-14);
  });

  it('propagates NaN along its axis only', () => {
    const s = valueOf(([t]) => softmax(t, 1), [{ data: Float64Array.of(1, NaN, 0, 1), shape: [2, 2] }]).data;
    expect(Number.isNaN(s[0]) && Number.isNaN(s[1])).toBe(true);
    expect(s[2] + s[3]).toBeCloseTo(1, 15);
  });

  it('reject a non-tensor and axes out of range', () => {
    expect(() => grad((t: Tensor) => logSoftmax([1, 2] as never).sum().add(t.sum()))([1])).toThrow(/logSoftmax: expected a tensor, got an array/);
    expect(() => grad((t: Tensor) => softmax(t, 3).sum())([1, 2])).toThrow(/axis 3 is out of range/);
    expect(() => grad((t: Tensor) => logSoftmax(t, [0, 0]).sum())([1, 2])).toThrow(ArgumentError);
  });
});
