// Indices read from values (argmax, argmin, argsort) are plain integers, not nodes: what f does with
// them (a take, an at, a slice) is decided in JavaScript and cannot be replayed as an op. So on a
// transform's tape they leave a guard: a detached node that holds no number and whose branch is the
// indices, recomputed from x's values. A compiled replay at values with other indices then reports a
// branch change (records f again, or BranchChangeError) instead of reusing the recorded ones.
// Internal: not exported from the package.
import { Tensor } from '../node.js';
import { concat } from './concat.js';
import { detached } from './detached.js';
import { reshape } from './reshape.js';

/** Records on x's tape (not on an eager one) that `indicesOf(x's values)` must not change on replay. */
export function guardIndices(x: Tensor, opName: string, indicesOf: (values: Float64Array) => Int32Array): void {
  if (x.tape.eager) return;
  const branch = (values: number | Float64Array) => Float64Array.from(indicesOf(values as Float64Array));
  detached(x, () => new Float64Array(0), [0], branch, `guard of ${opName}'s indices`);
}

/**
 * As {@link guardIndices} for indices read from two operands' values (searchSorted's sorted array
 * and values), either of which may be a node or fixed numbers (a `Float64Array`, or a node of an
 * eager tape). With one node, its guard recomputes the indices from its values and the other
 * operand's fixed ones, which is exact. With two, they are joined (flattened and concatenated) into
 * one node and the guard recomputes from both current values. Two separate guards, each holding the
 * other operand at its recorded values, would not be enough: a replay that moves both can keep each
 * one's indices and still change the joint ones (sorted [0, 1, 2] → [0, 1.4, 2] with a value
 * 1.5 → 1.3 moves index 2 to 1, while each change alone keeps 2). The joined node is dead (nothing
 * reads it but the guard), so it carries no derivative.
 */
export function guardIndicesOfTwo(
  a: Tensor | Float64Array, b: Tensor | Float64Array, opName: string,
  indicesOf: (a: Float64Array, b: Float64Array) => Int32Array,
): void {
  const aNode = a instanceof Tensor && !a.tape.eager ? a : null;
  const bNode = b instanceof Tensor && !b.tape.eager ? b : null;
  const fixed = (x: Tensor | Float64Array) => (x instanceof Tensor ? x.data : x);
  if (aNode && bNode) {
    const na = aNode.size;
    const both = concat([reshape(aNode, [na]), reshape(bNode, [bNode.size])]);
    guardIndices(both, opName, (values) => indicesOf(values.subarray(0, na), values.subarray(na)));
  } else if (aNode) {
    const bValues = fixed(b);
    guardIndices(aNode, opName, (values) => indicesOf(values, bValues));
  } else if (bNode) {
    const aValues = fixed(a);
    guardIndices(bNode, opName, (values) => indicesOf(aValues, values));
  }
}
