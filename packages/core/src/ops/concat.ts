// y = [x₁, x₂, …] joined along one axis. Linear: R{y} joins the R{xᵢ}; each x̄ᵢ (and R{x̄ᵢ}) takes back
// its own block of ȳ (and R{ȳ}).
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { newTensor, type ArrayData, type Tensor } from '../node.js';
import { tapeOfArguments, tensorOperand } from '../elementwise/operands.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { NO_INPUT, registerRule, type OpRule, type Tape } from '../tape.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  linear: true,
  name: 'concat',
  tangent(o, L, i) {
    const t = L.tape;
    const inputs = t.inputsOf(i);
    const dots = inputs.map((x) => L.dot(x));
    L.setDot(i, dots.every((d) => d === 0) ? 0 : o.concat(dots, inputs.map((x) => shapeOf(t, x)), t.aux[i]));
  },
  backward(o, L, i) {
    const t = L.tape;
    const axis = t.aux[i];
    const ys = shapeOf(t, i);
    const g = L.sweepBar ? L.bar(i) : 0, gDot = L.sweepBarDot ? L.barDot(i) : 0;
    let at = 0;
    for (const x of t.inputsOf(i)) {
      const len = shapeOf(t, x)[axis];
      if (L.isActive(x)) {
        if (g !== 0) L.addBar(x, o.slice(g, ys, at, at + len, axis));
        if (gDot !== 0) L.addBarDot(x, o.slice(gDot, ys, at, at + len, axis));
      }
      at += len;
    }
  },
};
const CONCAT = registerRule(rule);

/**
 * Joins tensors along an existing axis (default 0, negative axes counting from the end); all other
 * dimensions must agree.
 *
 * @example
 * ```ts
 * concat([a, b]);          // end to end
 * concat([m1, m2], -1);    // matrices side by side
 * ```
 */
export function concat(parts: readonly (Tensor | ArrayData)[], axis = 0): Tensor {
  noExtraArguments('concat', arguments, 2, 'concat(parts, axis)', 'to join more parts put them all in the array: concat([a, b, c], axis)');
  if (!Array.isArray(parts) || parts.length === 0) throw new ArgumentError('concat: needs a non-empty array of tensors');
  const t: Tape = tapeOfArguments(parts, 'concat');
  const xs = parts.map((x, j) => tensorOperand(x, t, 'concat', `element ${j}`));
  const first = xs[0].shape;
  const a = normalizeAxis(axis, first, 'concat');
  for (const x of xs) {
    if (x.shape.length !== first.length || x.shape.some((d: number, k: number) => k !== a && d !== first[k])) {
      throw new ShapeError(`concat: shapes ${formatShape(first)} and ${formatShape(x.shape)} differ outside axis ${a}`);
    }
  }
  const total = xs.reduce((p, x) => p + x.shape[a], 0);
  const active = xs.some((x) => t.active[x.id] === 1);
  const shape = first.map((d: number, k: number) => (k === a ? total : d));
  const data = t.o.concat(xs.map((x) => x.data), xs.map((x) => x.shape), a) as Float64Array;
  const y = newTensor(t, CONCAT, xs[0].id, NO_INPUT, active, shape, data, null);
  t.aux[y.id] = a;
  t.manyInputs.set(y.id, xs.map((x) => x.id));
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
