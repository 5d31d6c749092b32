/**
 * Elementwise functions y = f(x) given by f, f′ and f″. One pair of rules serves all of them:
 *
 *   tangent:   R{y} = f′(x)·R{x}
 *   backward:  (x̄, R{x̄}) += (ȳ, R{ȳ}) · (f′(x), f″(x)·R{x})
 *
 * The backward line is a dual multiply: the local derivative f′(x) is itself a dual number whose
 * tangent is f″(x)·R{x}. That second term is the h″(a)·R{a} of PRML eq. 5.107, the one TensorFlow.js
 * drops for tanh, exp and sigmoid; here no op can leave it out, because it is not written per op.
 *
 * Exact zeros are symbolic: a product with a zero adjoint or a zero tangent factor contributes
 * nothing, even where f′ or f″ is infinite (sqrt at 0, log at 0). So a branch that `where` masks out
 * cannot poison a gradient with 0·∞ = NaN, and scalar and tensor forms give the same numbers.
 * @module
 */
import { Scalar, Tensor, newTensor, type Node } from '../node.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';
import { ArgumentError } from '../errors.js';
import { times } from './times.js';

/** The math of an elementwise op; `p` is an optional constant parameter (e.g. an exponent). */
export interface UnaryMath {
  readonly name: string;
  /** y = f(x). */
  f(x: number, p: number): number;
  /** dy/dx, given x and y (so tanh can use 1 − y²). */
  df(x: number, y: number, p: number): number;
  /** d²y/dx², given x, y and dy/dx. */
  d2f(x: number, y: number, dy: number, p: number): number;
}

/** An elementwise unary op function, for scalars and tensors alike. */
export type UnaryOp = {
  (x: Scalar, p?: number): Scalar;
  (x: Tensor, p?: number): Tensor;
  (x: Node, p?: number): Node;
};

/** Registers the scalar and tensor rules of `m` and returns the op function. */
export function defineUnary(m: UnaryMath): UnaryOp {
  const scalarCode = registerRule({
    name: m.name,
    tangent(t, i) {
      const x = t.in0[i];
      t.dot[i] = times(t.dot[x], m.df(t.val[x], t.val[i], t.aux[i]));
    },
    backward(t, i) {
      const yBar = t.bar[i];
      const yBarDot = t.barDot[i];
      if (yBar === 0 && yBarDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
      const x = t.in0[i];
      const xv = t.val[x];
      const y = t.val[i];
      const p = t.aux[i];
      const d = m.df(xv, y, p);
      if (t.sweepBar) t.bar[x] += times(yBar, d);
      if (t.sweepBarDot) {
        const xDot = t.dot[x];
        // f″ is evaluated only where its term can be nonzero.
        const curvature = yBar !== 0 && xDot !== 0 ? times(yBar, times(xDot, m.d2f(xv, y, d, p))) : 0;
        t.barDot[x] += times(yBarDot, d) + curvature;
      }
    },
  });

  const tensorCode = registerRule({
    name: m.name,
    tangent(t, i) {
      const y = t.tensorAt(i);
      const x = t.tensorAt(t.in0[i]);
      y.dataDot = tangentOf(m, x, y, t.aux[i]);
    },
    backward(t, i) {
      const y = t.tensorAt(i);
      const x = t.tensorAt(t.in0[i]);
      const p = t.aux[i];
      const { data: xs, dataDot: xDot } = x;
      const ys = y.data;
      const n = ys.length;
      if (t.sweepBar && y.bar) {
        const xBar = (x.bar ??= new Float64Array(n));
        const yBar = y.bar;
        for (let k = 0; k < n; k++) xBar[k] += times(yBar[k], m.df(xs[k], ys[k], p));
      }
      if (t.sweepBarDot && (y.barDot || (xDot && y.bar))) {
        const xBarDot = (x.barDot ??= new Float64Array(n));
        const { bar: yBar, barDot: yBarDot } = y;
        for (let k = 0; k < n; k++) {
          const g = yBar ? yBar[k] : 0;
          const gDot = yBarDot ? yBarDot[k] : 0;
          const xk = xDot ? xDot[k] : 0;
          if (gDot === 0 && (g === 0 || xk === 0) && !t.checkFinite) continue; // strict mode counts any 0·∞
          const d = m.df(xs[k], ys[k], p);
          const curvature = g !== 0 && xk !== 0 ? times(g, times(xk, m.d2f(xs[k], ys[k], d, p))) : 0;
          xBarDot[k] += times(gDot, d) + curvature;
        }
      }
    },
  });

  function op(x: Node, p = 0): Node {
    if (x instanceof Scalar) {
      const t = checkLive(x.tape, m.name);
      const xv = t.val[x.id];
      const active = t.active[x.id] === 1;
      const y = m.f(xv, p);
      const i = t.pushScalar(scalarCode, x.id, NO_INPUT, active);
      t.val[i] = y;
      t.aux[i] = p;
      t.dot[i] = active && t.withTangent ? times(t.dot[x.id], m.df(xv, y, p)) : 0;
      return new Scalar(t, i);
    }
    if (x instanceof Tensor) {
      const t = checkLive(x.tape, m.name);
      const xs = x.data;
      const ys = new Float64Array(xs.length);
      for (let k = 0; k < xs.length; k++) ys[k] = m.f(xs[k], p);
      const active = t.active[x.id] === 1;
      const y = newTensor(t, tensorCode, x.id, NO_INPUT, active, x.shape, ys, null);
      t.aux[y.id] = p;
      if (active && t.withTangent) y.dataDot = tangentOf(m, x, y, p);
      return y;
    }
    throw new ArgumentError(`${m.name}: expected a node, got ${typeof x}`);
  }
  return op as UnaryOp;
}

function tangentOf(m: UnaryMath, x: Tensor, y: Tensor, p: number): Float64Array | null {
  const xDot = x.dataDot;
  if (!xDot) return null;
  const { data: xs } = x;
  const ys = y.data;
  const yDot = new Float64Array(ys.length);
  for (let k = 0; k < ys.length; k++) yDot[k] = times(xDot[k], m.df(xs[k], ys[k], p));
  return yDot;
}
