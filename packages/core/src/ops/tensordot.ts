// y = Σ over paired axes of a and b: y[i…, j…] = Σ_k a[i…, k…]·b[k…, j…] (NumPy's tensordot).
// Built as transpose → reshape → one matrix product → reshape, so its rules are theirs: bilinear,
// ā = ȳ contracted with b over b's free axes, and likewise for b.
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { formatShape, listOf, normalizeAxis, type Shape } from '../shape.js';
import { commonTape } from '../tape.js';
import { matmulOp } from './matmul.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { shown } from '../shown.js';
import { noExtraArguments } from './op-args.js';

/**
 * Which axes tensordot pairs: the last n of a with the first n of b, or two lists of axes.
 *
 * @example
 * ```ts
 * tensordot(A, B, 1);                // the last axis of A with the first of B: matmul
 * tensordot(x, W, [[1, 2], [0, 1]]); // axes 1, 2 of x with axes 0, 1 of W
 * ```
 */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];

function pairedAxes(axes: TensordotAxes, as: Shape, bs: Shape): [number[], number[]] {
  const both = () => `shapes ${formatShape(as)} and ${formatShape(bs)}`; // formed only for a message
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > as.length || axes > bs.length) {
      throw new ArgumentError(`tensordot: axes ${axes} must be an integer from 0 to the smaller rank of ${both()}`);
    }
    return [Array.from({ length: axes }, (_, k) => as.length - axes + k), Array.from({ length: axes }, (_, k) => k)];
  }
  const pair = listOf(axes) as Array<number | readonly number[]> | null;
  if (pair === null || pair.length !== 2) {
    throw new ArgumentError(`tensordot: axes must be a number or a pair [axesOfA, axesOfB], got ${shown(axes)}`);
  }
  const list = (x: number | readonly number[], shape: Shape, which: string): number[] => {
    const raw = (typeof x === 'number' ? [x] : listOf(x)) as number[] | null;
    if (raw === null) throw new ArgumentError(`tensordot: the axes of ${which} must be a number or an array of numbers, got ${shown(x)}`);
    const normalized = raw.map((a) => normalizeAxis(a, shape, 'tensordot'));
    if (new Set(normalized).size !== normalized.length) throw new ArgumentError(`tensordot: the axes of ${which} name an axis twice: ${shown(x)}`);
    return normalized;
  };
  const ax = list(pair[0], as, 'a'), bx = list(pair[1], bs, 'b');
  if (ax.length !== bx.length) throw new ArgumentError(`tensordot: ${ax.length} axes of a paired with ${bx.length} of b; give as many of each`);
  return [ax, bx];
}

/**
 * Tensor contraction over paired axes (NumPy's `tensordot`): `axes = n` pairs the last n axes of a
 * with the first n of b (default 2); `axes = [axesOfA, axesOfB]` pairs them one by one. The result's
 * axes are a's unpaired axes then b's, in order. One matrix product on the kernels.
 *
 * @example
 * ```ts
 * tensordot(A, B, 1);                // [m, k]·[k, n]: matmul
 * tensordot(x, W, [[1, 2], [0, 1]]); // [N, H, C]·[H, C, K] → [N, K]
 * tensordot(u, w, 0);                // outer product
 * ```
 */
export function tensordot(a: Tensor, b: Tensor, axes: TensordotAxes = 2): Tensor {
  if (arguments.length > 3) noExtraArguments('tensordot', arguments, 3, 'tensordot(a, b, axes)');
  if (!(a instanceof Tensor)) throw new ArgumentError(`tensordot: the first operand is ${describeValue(a)}; expected a tensor`);
  if (!(b instanceof Tensor)) throw new ArgumentError(`tensordot: the second operand is ${describeValue(b)}; expected a tensor`);
  commonTape(a.tape, b.tape, 'tensordot');
  const [ax, bx] = pairedAxes(axes, a.shape, b.shape);
  ax.forEach((p, k) => {
    if (a.shape[p] !== b.shape[bx[k]]) {
      throw new ShapeError(`tensordot: axis ${p} of a (size ${a.shape[p]}) is paired with axis ${bx[k]} of b (size ${b.shape[bx[k]]}); shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
  });
  const aFree = a.shape.map((_, k) => k).filter((k) => !ax.includes(k));
  const bFree = b.shape.map((_, k) => k).filter((k) => !bx.includes(k));
  const size = (shape: Shape, list: readonly number[]) => list.reduce((p, k) => p * shape[k], 1);
  const M = size(a.shape, aFree), K = size(a.shape, ax), N = size(b.shape, bFree);
  const A = reshape(transpose(a, [...aFree, ...ax]), [M, K]);
  const B = reshape(transpose(b, [...bx, ...bFree]), [K, N]);
  return reshape(matmulOp(A, B, false, false, false), [...aFree.map((k) => a.shape[k]), ...bFree.map((k) => b.shape[k])]);
}
