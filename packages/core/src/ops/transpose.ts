// y = x with its axes permuted: axis k of y is axis perm[k] of x (default: reversed, the matrix
// transpose for 2-D). Linear and a permutation: R{y} = R{x} permuted; x̄ += ȳ under the inverse
// permutation, and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newDeferredTensor } from '../node.js';
import { formatShape, listOf } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { shown } from '../shown.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  linear: true,
  name: 'transpose',
  // On the tape's own lanes (numbers, top level) the value and tangent are deferred: matmul reads a
  // transposed operand in place (readThroughTranspose), so a weight matrix's transpose and its
  // tangent are made only if something else reads them.
  primal(o, L, i) {
    const t = L.tape;
    const x = t.in0[i], xs = shapeOf(t, x), perm = t.saved.get(i) as number[];
    const xv = L.val(x);
    if (L === t && o === t.o) t.tensorAt(i).deferData(() => o.transpose(xv, xs, perm) as Float64Array);
    else L.setVal(i, o.transpose(xv, xs, perm));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i], xs = shapeOf(t, x), perm = t.saved.get(i) as number[];
    const xd = L.dot(x);
    if (L === t && o === t.o) t.tensorAt(i).deferDot(xd === 0 ? null : () => o.transpose(xd, xs, perm) as Float64Array);
    else L.setDot(i, o.transpose(xd, xs, perm));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const perm = t.saved.get(i) as number[];
    const inverse = inversePermutation(perm);
    const ys = shapeOf(t, i);
    if (L.sweepBar) L.addBar(x, o.transpose(L.bar(i), ys, inverse));
    if (L.sweepBarDot) L.addBarDot(x, o.transpose(L.barDot(i), ys, inverse));
  },
};
const TRANSPOSE = registerRule(rule);

/**
 * The input of a transpose node that swaps only the last two axes, else null: matmul reads such an
 * operand in place with its transposition flag flipped, so the node's copy is never made. @internal
 */
export function readThroughTranspose(x: Tensor): Tensor | null {
  const t = x.tape;
  if (t.op[x.id] !== TRANSPOSE) return null;
  const perm = t.saved.get(x.id) as number[];
  const r = perm.length;
  for (let k = 0; k < r - 2; k++) if (perm[k] !== k) return null;
  return perm[r - 2] === r - 1 && perm[r - 1] === r - 2 ? t.tensorAt(t.in0[x.id]) : null;
}

export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, k) => (inverse[p] = k));
  return inverse;
}

/**
 * Permutes the axes: axis k of the result is axis `perm[k]` of x; without `perm`, the axes reversed
 * (the matrix transpose). `perm` may hold negative axes (counting from the end). A vector or 0-d
 * tensor is returned as is.
 *
 * @example
 * ```ts
 * transpose(W);                 // the matrix transpose
 * transpose(x, [0, 2, 1]);      // the last two axes of a rank-3 tensor swapped
 * x.transpose([-1, 0, 1]);      // the last axis first
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  if (arguments.length > 2) noExtraArguments('transpose', arguments, 2, 'transpose(x, perm)', 'the permutation is one array: transpose(x, [1, 0])');
  if (!(x instanceof Tensor)) throw new ArgumentError(`transpose: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'transpose');
  const rank = x.shape.length;
  const p = perm === undefined ? x.shape.map((_, k) => rank - 1 - k) : checkPermutation(perm, rank, x);
  if (p.every((a, k) => a === k)) return x;
  const shape = p.map((a) => x.shape[a]);
  const active = t.active[x.id] === 1;
  const data = x.data;
  const y = newDeferredTensor(t, TRANSPOSE, x.id, NO_INPUT, active, shape, () => t.o.transpose(data, x.shape, p) as Float64Array);
  t.saved.set(y.id, p);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

function checkPermutation(perm: readonly number[], rank: number, x: Tensor): number[] {
  const normalized = ((listOf(perm) as number[] | null) ?? []).map((a) => (typeof a === 'number' && a < 0 ? a + rank : a));
  const ok = normalized.length === rank && normalized.every((a) => Number.isInteger(a) && a >= 0 && a < rank) &&
    new Set(normalized).size === rank;
  if (!ok) {
    throw new ArgumentError(`transpose: ${shown(perm)} is not a permutation of the ${rank} axes of shape ${formatShape(x.shape)}`);
  }
  return normalized;
}
