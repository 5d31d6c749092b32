// y = x[k], one element of a tensor as a scalar node.
// R{y} = R{x}[k]; x̄[k] += ȳ; R{x̄}[k] += R{ȳ}.
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newScalar, type Scalar } from '../node.js';
import { formatShape, listOf } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { shown } from '../shown.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  name: 'at',
  linear: true,
  // Only an index: code generated from these rules may read it at run time (replay/scalar-sweeps.ts).
  auxIsData: true,
  primal(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setVal(i, o.at(L.val(x), shapeOf(t, x), t.aux[i]));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setDot(i, o.at(L.dot(x), shapeOf(t, x), t.aux[i]));
  },
  backward(_o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const k = t.aux[i];
    // Element by element, not as a one-hot tensor: a loop over x.at(k) must stay linear in x's size.
    if (L.sweepBar) L.addBarAt(x, k, L.bar(i));
    if (L.sweepBarDot) L.addBarDotAt(x, k, L.barDot(i));
  },
};
const AT = registerRule(rule);

/**
 * One element as a scalar node: a flat row-major index, or one index per dimension; negative indices
 * count from the end.
 *
 * @example
 * ```ts
 * at(x, 0);        // the first element
 * x.at(-1);        // the last
 * W.at([1, 0]);    // row 1, column 0 of a matrix
 * ```
 */
export function at(x: Tensor, index: number | readonly number[]): Scalar {
  // at(W, 1, 0) would read element 1 of W flattened.
  if (arguments.length > 2) noExtraArguments('at', arguments, 2, 'at(x, index)', 'for an element of a matrix give its indices as one array: at(x, [i, j])');
  if (!(x instanceof Tensor)) throw new ArgumentError(`at: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'at');
  const k = flatIndex(x, index);
  const active = t.active[x.id] === 1;
  const y = newScalar(t, AT, x.id, NO_INPUT, active, x.data[k], 0);
  t.aux[y.id] = k;
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

function flatIndex(x: Tensor, given: number | readonly number[]): number {
  const index = listOf(given) as number[] | null;
  if (index === null) return indexIn(x, given, given, x.size);
  if (index.length !== x.shape.length) throw badIndex(x, index, `has ${index.length} indices where the tensor has ${x.shape.length} axes`);
  let k = 0;
  for (let d = 0; d < index.length; d++) k = k * x.shape[d] + indexIn(x, index, index[d], x.shape[d]);
  return k;
}

/** One index j into a dimension of length n, negative counting from the end. */
function indexIn(x: Tensor, index: unknown, j: unknown, n: number): number {
  if (typeof j !== 'number' || !Number.isInteger(j)) throw badIndex(x, index, `is not an integer (${shown(j)})`);
  const k = j < 0 ? j + n : j;
  if (k < 0 || k >= n) throw badIndex(x, index, 'is out of bounds');
  return k;
}

function badIndex(x: Tensor, index: unknown, why: string): ArgumentError {
  return new ArgumentError(`at: index ${shown(index)} ${why} for shape ${formatShape(x.shape)}`);
}
