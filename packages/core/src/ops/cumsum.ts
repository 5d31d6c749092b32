// yₖ = Σ_{j≤k} xⱼ along one axis. Linear: R{y} = cumsum(R{x}); the adjoint runs the sum backwards,
// x̄ⱼ += Σ_{k≥j} ȳₖ, and likewise R{x̄}. The backward sum is the same op reversed (a Primitive), so
// each direction's rule is the other: exact at every order of nesting.
import type { Primitive } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { axisView } from '../algebra/numbers.js';
import { shapeOf } from '../lanes.js';
import { newTensor, type Node, type Tensor } from '../node.js';
import { normalizeAxis, type Shape } from '../shape.js';
import { NO_INPUT, registerRule, type OpRule } from '../tape.js';
import { noExtraArguments, shown, tensorArg } from './op-args.js';
import { shaped, through } from './primitive-lanes.js';
import { reshape } from './reshape.js';

interface Spec {
  readonly axis: number;
  /** Sum from the end: yₖ = Σ_{j≥k} xⱼ (the adjoint of the forward sum). */
  readonly reverse: boolean;
}

const CUMSUM: Primitive<Spec> = {
  name: 'cumsum',
  numbers: ([x], [shape], s) => cumulative(x as Float64Array, shape, s),
  nodes: ([x], [shape], s) => recordCumsum(shaped(x as Node, shape), s),
};

function cumulative(xs: Float64Array, shape: Shape, s: Spec): Float64Array {
  const { outer, n, inner } = axisView(shape, s.axis);
  const ys = new Float64Array(xs.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let acc = 0;
      for (let step = 0; step < n; step++) {
        const e = base + (s.reverse ? n - 1 - step : step) * inner;
        acc += xs[e];
        ys[e] = acc;
      }
    }
  }
  return ys;
}

const rule: OpRule = {
  name: 'cumsum',
  linear: true,
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setDot(i, through(o, CUMSUM, L.dot(x), shapeOf(t, x), t.saved.get(i) as Spec));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const s = t.saved.get(i) as Spec;
    const back: Spec = { axis: s.axis, reverse: !s.reverse };
    const ys = shapeOf(t, i);
    if (L.sweepBar) L.addBar(x, through(o, CUMSUM, L.bar(i), ys, back));
    if (L.sweepBarDot) L.addBarDot(x, through(o, CUMSUM, L.barDot(i), ys, back));
  },
};
const CUMSUM_OP = registerRule(rule);

function recordCumsum(x: Tensor, s: Spec): Tensor {
  const t = x.tape;
  const active = t.active[x.id] === 1;
  const y = newTensor(t, CUMSUM_OP, x.id, NO_INPUT, active, x.shape, cumulative(x.data, x.shape, s), null);
  t.saved.set(y.id, s);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

/**
 * Running sums along `axis` (NumPy's `cumsum`): element k is the sum of elements 0…k. Without
 * `axis`, of x flattened (a 1-D result).
 *
 * @example
 * ```ts
 * cumsum(x);        // [1, 3, 6] for x = [1, 2, 3]
 * m.cumsum(1);      // running sums along each row
 * ```
 */
export function cumsum(x: Tensor, axis?: number): Tensor {
  noExtraArguments('cumsum', arguments, 2, 'cumsum(x, axis)');
  const xt = tensorArg(x, 'cumsum');
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`cumsum: axis must be one axis (a number) or left out (to sum x flattened), got ${shown(axis)}`);
  }
  if (axis === undefined) return recordCumsum(reshape(xt, [xt.size]), { axis: 0, reverse: false });
  return recordCumsum(xt, { axis: normalizeAxis(axis, xt.shape, 'cumsum'), reverse: false });
}
