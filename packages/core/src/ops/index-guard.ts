// Indices read from values (argmax, argmin, argsort) are plain integers, not nodes: what f does with
// them (a take, an at, a slice) is decided in JavaScript and cannot be replayed as an op. So on a
// transform's tape they leave a guard: a detached node that holds no number and whose branch is the
// indices, recomputed from x's values. A compiled replay at values with other indices then reports a
// branch change (records f again, or BranchChangeError) instead of reusing the recorded ones.
// Internal: not exported from the package.
import type { Tensor } from '../node.js';
import { detached } from './detached.js';

/** Records on x's tape (not on an eager one) that `indicesOf(x's values)` must not change on replay. */
export function guardIndices(x: Tensor, opName: string, indicesOf: (values: Float64Array) => Int32Array): void {
  if (x.tape.eager) return;
  const branch = (values: number | Float64Array) => Float64Array.from(indicesOf(values as Float64Array));
  detached(x, () => new Float64Array(0), [0], branch, `guard of ${opName}'s indices`);
}
