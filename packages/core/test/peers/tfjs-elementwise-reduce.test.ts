// Peer suite: the gradient cases of TensorFlow.js's activation, softmax, clipping and reduction tests,
// ported as our own TypeScript (tensorflow/tfjs, tfjs-core/src/ops/):
//   relu_test.ts, elu_test.ts, selu_test.ts, sigmoid_test.ts, softplus_test.ts, softmax_test.ts
//   (describe('softmax') and describe('logSoftmax')), log_softmax_test.ts, clip_by_value_test.ts,
//   cumsum_test.ts, prod_test.ts.
// Same inputs, same upstream gradient dy, tfjs's expected numbers (written by tfjs as literals or as a
// closed form evaluated in plain JS, which we evaluate the same way here); see ./tfjs-check.ts for what
// each case checks. tfjs's "with clones" variants (x.clone()…clone()) are the same numbers as the plain
// case and are folded into it (we have no clone; an identity op would not change the check).
// Convention differences (docs/conventions.md), tested as ours:
//   - clipByValue at a bound: tfjs passes all of dy to x at x = lo or x = hi; our clip is
//     minimum(maximum(x, lo), hi) and gives ½ to x there (½ to the constant bound), which is also what
//     central differences give.
//   - prod: tfjs's stored gradient expectations for prod are not the derivative of prod (see the
//     describe block); we check the closed form ∂/∂xᵢ Πx = Π_{j≠i} xⱼ, by hand, and central differences.
import { describe, it } from 'vitest';
import { clip, cumsum, elu, logSoftmax, prod, relu, selu, sigmoid, softmax, softplus } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('tfjs relu_test.ts: gradients', () => {
  it('gradients: positive scalar (and: with clones)', () => {
    gradCase({ a: t([], [3]) }, ({ a }) => relu(a), [5], { a: [5] });
  });
  it('gradients: negative scalar', () => {
    gradCase({ a: t([], [-3]) }, ({ a }) => relu(a), [5], { a: [0] });
  });
  it('gradients: array (relu′(0) = 0, as tfjs; central differences skip the kink)', () => {
    gradCase({ a: t([2, 2], [1, -1, 0, 0.1]) }, ({ a }) => relu(a), [1, 2, 3, 4], { a: [1, 0, 0, 4] }, { fdSkip: { a: [2] } });
  });
});

describe('tfjs elu_test.ts: gradients', () => {
  it('derivative (and: gradient with clones)', () => {
    gradCase({ x: t([3], [1, 3, -2]) }, ({ x }) => elu(x), [5, 50, 500], { x: [5, 50, 500 * Math.exp(-2)] },
      { value: [1, 3, Math.exp(-2) - 1] });
  });
});

describe('tfjs selu_test.ts: gradients', () => {
  // tfjs's selu_util constants (SELU_SCALE, SELU_SCALEALPHA = scale·alpha), as decimal literals.
  const scale = 1.0507009873554804934193349852946;
  const scaleAlpha = 1.7580993408473768599402175208123;
  const expected = (a: number[], dy: number[]) => a.map((v, i) => (v > 0 ? dy[i] * scale : dy[i] * scaleAlpha * Math.exp(v)));
  it('gradients: Scalar (two points; and: gradient with clones)', () => {
    gradCase({ a: t([], [1]) }, ({ a }) => selu(a), [1], { a: [scale] });
    gradCase({ a: t([], [-1]) }, ({ a }) => selu(a), [2], { a: [2 * scaleAlpha * Math.exp(-1)] });
  });
  it('gradients: Tensor1D (at 0 the left derivative λα, as tfjs; central differences skip the kink)', () => {
    gradCase({ a: t([3], [1, -1, 0]) }, ({ a }) => selu(a), [1, 2, 3], { a: expected([1, -1, 0], [1, 2, 3]) },
      { fdSkip: { a: [2] }, value: [1.0507, -1.1113, 0] });
  });
  it('gradients: Tensor2D', () => {
    gradCase({ a: t([2, 2], [1, -1, 0, 0.5]) }, ({ a }) => selu(a), [1, 2, 3, 4], { a: expected([1, -1, 0, 0.5], [1, 2, 3, 4]) },
      { fdSkip: { a: [2] } });
  });
});

describe('tfjs sigmoid_test.ts: gradients', () => {
  it('gradients: Tensor1D (and: gradient with clones)', () => {
    const a = [1, 2, -3, 5], dy = [1, 2, 3, 4];
    gradCase({ a: t([4], a) }, ({ a }) => sigmoid(a), dy, { a: a.map((v, i) => dy[i] * sig(v) * (1 - sig(v))) });
  });
});

describe('tfjs softplus_test.ts: gradients', () => {
  it('gradients: Scalar (twice in tfjs: plain and with clones)', () => {
    gradCase({ a: t([], [3]) }, ({ a }) => softplus(a), [4], { a: [4 * sig(3)] });
  });
  it('gradients: Tensor1D', () => {
    const a = [1, 2, -3, 5], dy = [1, 2, 3, 4];
    gradCase({ a: t([4], a) }, ({ a }) => softplus(a), dy, { a: a.map((v, i) => dy[i] * sig(v)) });
  });
  it('gradients: Tensor2D', () => {
    const a = [1, 2, -3, 5], dy = [1, 2, 3, 4];
    gradCase({ a: t([2, 2], a) }, ({ a }) => softplus(a), dy, { a: a.map((v, i) => dy[i] * sig(v)) });
  });
});

describe('tfjs softmax_test.ts: gradients', () => {
  // tfjs's expectation: (dyᵢ − Σⱼ dyⱼ·yⱼ)·yᵢ per row, with y the softmax, here in plain JS.
  const softmaxRows = (x: number[], n: number) => {
    const out: number[] = [];
    for (let r = 0; r < x.length; r += n) {
      const row = x.slice(r, r + n), m = Math.max(...row), e = row.map((v) => Math.exp(v - m)), s = e.reduce((p, v) => p + v, 0);
      out.push(...e.map((v) => v / s));
    }
    return out;
  };
  const expected = (x: number[], dy: number[], n: number) => {
    const y = softmaxRows(x, n);
    return y.map((yi, i) => {
      const r = Math.floor(i / n) * n;
      let s = 0;
      for (let j = r; j < r + n; j++) s += dy[j] * y[j];
      return (dy[i] - s) * yi;
    });
  };
  it('1D gradient (and: gradient with clones)', () => {
    gradCase({ x: t([3], [10, 0, -1]) }, ({ x }) => softmax(x), [1, 2, 3], { x: expected([10, 0, -1], [1, 2, 3], 3) });
  });
  it('2D gradient', () => {
    const x = [10, 0, -1, 5, 4, 3], dy = [3, 2, 1, 1, 2, 3];
    gradCase({ x: t([2, 3], x) }, ({ x }) => softmax(x), dy, { x: expected(x, dy, 3) });
  });
});

describe('tfjs log_softmax_test.ts and softmax_test.ts describe(logSoftmax): gradients', () => {
  it('1D gradient', () => {
    gradCase({ x: t([3], [1, 2, 10]) }, ({ x }) => logSoftmax(x), [1, 2, 3], { x: [0.9992599, 1.9979881, -2.9972477] });
  });
});

describe('tfjs clip_by_value_test.ts: gradients', () => {
  it('gradient: 1D tensor', () => {
    gradCase({ x: t([3], [3, -2, 1]) }, ({ x }) => clip(x, -1, 2), [5, 50, 500], { x: [0, 0, 500] });
  });
  it('gradient: 1D tensor with max or min value (convention: ½ to x at a bound; tfjs: all of dy)', () => {
    // tfjs: [1, 10, 100, 0]. Ours at x = lo = −1 and x = hi = 2: half of dy, 0.5 and 50; central
    // differences agree (one side moves with x, the other is clipped).
    gradCase({ x: t([4], [-1, 1, 2, 3]) }, ({ x }) => clip(x, -1, 2), [1, 10, 100, 1000], { x: [0.5, 10, 50, 0] });
  });
  it('gradient: scalar (and: with clones, with primitive as input)', () => {
    gradCase({ x: t([], [-10]) }, ({ x }) => clip(x, -1, 2), [5], { x: [0] });
  });
});

describe('tfjs cumsum_test.ts: gradients', () => {
  it('gradient: 1D (and: gradient with clones)', () => {
    gradCase({ a: t([3], [1, 2, 3]) }, ({ a }) => cumsum(a), [4, 5, 6], { a: [15, 11, 6] });
  });
});

describe('tfjs prod_test.ts: gradients (tfjs inputs and dy; expectations by hand, see header)', () => {
  // tfjs expects [[Inf, Inf, Inf], [2, 4, 6]] for 'prod(tensor with zeros)' (its rule divides Πx by x)
  // and, in the three other cases, numbers that are not dy·Π_{j≠i} xⱼ ([[1, 2], [3, 4]] for
  // prod([[1, 2], [3, 4]]) with dy = 24, whose gradient is 24·[24, 12, 8, 6]). We keep their inputs and
  // dy and check the closed form.
  it('gradients: prod(tensor with zeros), axis 1, dy = [12, 12]', () => {
    // Row [1, 2, 0]: Π_{j≠i} = [0, 0, 2] → 12·[0, 0, 2]; row [1, 2, 3]: [6, 3, 2] → 12·[6, 3, 2].
    gradCase({ a: t([2, 3], [1, 2, 0, 1, 2, 3]) }, ({ a }) => prod(a, 1), [12, 12], { a: [0, 0, 24, 72, 36, 24] });
  });
  it('gradients: prod(2d), dy = 24', () => {
    gradCase({ a: t([2, 2], [1, 2, 3, 4]) }, ({ a }) => prod(a), [24], { a: [24 * 24, 24 * 12, 24 * 8, 24 * 6] });
  });
  it('gradients: prod(2d, axis=0), dy = [3, 8]', () => {
    // Column [1, 3, 1]: [3, 1, 3]·3; column [2, 1, 4]: [4, 8, 2]·8.
    gradCase({ a: t([3, 2], [1, 2, 3, 1, 1, 4]) }, ({ a }) => prod(a, 0), [3, 8], { a: [9, 32, 3, 64, 9, 16] });
  });
  it('gradients: prod(2d, axis=1), dy = [4, 3, 4]', () => {
    // Rows [1, 2], [3, 1], [1, 4]: [2, 1]·4, [1, 3]·3, [4, 1]·4.
    gradCase({ a: t([3, 2], [1, 2, 3, 1, 1, 4]) }, ({ a }) => prod(a, 1), [4, 3, 4], { a: [8, 4, 3, 9, 16, 4] });
  });
});
