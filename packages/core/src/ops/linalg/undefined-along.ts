// Which matrices of a stack have an undefined second derivative through eigh or svd: the rule of a
// repeated pair (or a zero singular value) needs f″ of the loss there, so R{Ā} is NaN at those pairs
// — but only for a matrix that the direction moves and the loss reaches. A matrix of the stack the
// loss never reaches has exact-zero adjoints and contributes 0, as it does at first order.
import type { Algebra, Value } from '../../algebra/algebra.js';
import { LaneStack } from '../../algebra/lane-stack.js';

/**
 * v's numbers, for telling zeros apart; of a stack of tangent lanes (hvpMany, hessian), 1 wherever
 * some lane holds a nonzero or NaN: the NaN the rules add is one constant for every lane.
 */
export function entriesOfAnyLane(o: Algebra, v: Value): number | Float64Array {
  if (!(v instanceof LaneStack)) return o.numbers(v);
  let out: Float64Array | null = null;
  for (const lane of v.lanes) {
    if (lane === 0) continue;
    const data = o.numbers(lane);
    if (typeof data === 'number') return data;
    out ??= new Float64Array(data.length);
    for (let k = 0; k < data.length; k++) if (data[k] !== 0) out[k] = 1;
  }
  return out ?? 0;
}

/** For each of `count` equal blocks of v: does it hold a nonzero (or NaN)? None for a structural 0. */
function liveBlocks(o: Algebra, v: Value, count: number): boolean[] {
  if (v === 0) return new Array<boolean>(count).fill(false);
  const data = entriesOfAnyLane(o, v);
  if (typeof data === 'number') return new Array<boolean>(count).fill(data !== 0);
  const size = data.length / count;
  return Array.from({ length: count }, (_, b) => {
    for (let k = b * size; k < (b + 1) * size; k++) if (data[k] !== 0) return true;
    return false;
  });
}

/**
 * `marks` (NaN at the undefined pairs, 0 elsewhere; `count` equal blocks, one per matrix) kept for
 * the matrices where `yDot`, the output's tangent, and the adjoint `bar` or its R{·} `barDot` each
 * hold a nonzero; null when none is kept.
 */
export function undefinedAlong(o: Algebra, marks: Float64Array, count: number, yDot: Value, bar: Value, barDot: Value): Float64Array | null {
  const moved = liveBlocks(o, yDot, count), reached = liveBlocks(o, bar, count), reachedDot = liveBlocks(o, barDot, count);
  const size = marks.length / count;
  let out: Float64Array | null = null;
  for (let b = 0; b < count; b++) {
    if (!moved[b] || (!reached[b] && !reachedDot[b])) continue;
    out ??= new Float64Array(marks.length);
    out.set(marks.subarray(b * size, (b + 1) * size), b * size);
  }
  return out;
}
