/**
 * User-defined ops. Give the primal, the tangent and a backward rule written with dual numbers
 * ({@link D}); the op then works under every transform, first and second order, with no more code:
 * the engine runs your backward rule on dual values, so R{·} of your local derivative is carried by
 * your own dual arithmetic. (JAX's `custom_vjp` functions, by contrast, cannot be differentiated again.)
 *
 * Ops act on scalar nodes; on a tensor they apply elementwise.
 * @module
 */
import { dual, type Dual } from './dual.js';
import { ArgumentError, ShapeError } from './errors.js';
import { formatShape, sameShape } from './shape.js';
import { Scalar, Tensor, constantScalar, constantTensor, newScalar, newTensor, type Node } from './node.js';
import { NO_INPUT, checkLive, commonTape, registerRule, type Tape } from './tape.js';

/** The rules of a user-defined op on `arity` scalar inputs. */
export interface OpDefinition {
  /** Shown in traces and error messages. */
  readonly name: string;
  /** y = f(x₁, …, xₙ) on plain numbers. */
  primal(...x: number[]): number;
  /** R{y} given the inputs, their tangents R{xᵢ}, and y. */
  tangent(x: readonly number[], xDot: readonly number[], y: number): number;
  /**
   * The adjoint contributions (x̄ᵢ, R{x̄ᵢ}) from the output's (ȳ, R{ȳ}), computed in dual arithmetic:
   * `x[i]` is (xᵢ, R{xᵢ}), `y` is (y, R{y}), `yBar` is (ȳ, R{ȳ}). Typically `D.mul(yBar, ∂y/∂xᵢ as a Dual)`.
   */
  backward(x: readonly Dual[], y: Dual, yBar: Dual): readonly Dual[];
}

/** A user op: call it with scalar nodes, tensors (elementwise, same shape) or numbers. */
export type CustomOp = (...x: Array<Node | number>) => Node;

/**
 * Defines an op from its primal, tangent and dual-arithmetic backward rule.
 *
 * @example
 * ```ts
 * // y = x³: ∂y/∂x = 3x², written on duals so its own R{·} (6x·R{x}) comes for free.
 * const cube = defineOp({
 *   name: 'cube',
 *   primal: (x) => x * x * x,
 *   tangent: ([x], [xDot]) => 3 * x * x * xDot,
 *   backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(x, x), 3))],
 * });
 * hvp((p: Scalar) => cube(p) as Scalar, 2, 1); // 12
 * ```
 */
export function defineOp(def: OpDefinition): CustomOp {
  const arity = def.primal.length;
  if (arity < 1) throw new ArgumentError(`defineOp ${def.name}: primal must declare its inputs (got ${arity} parameters)`);

  const scalarCode = registerRule({
    name: def.name,
    tangent: (t, i) => scalarTangent(t, i),
    backward(t, i) {
      if (t.bar[i] === 0 && t.barDot[i] === 0 && !t.checkFinite) return;
      const ids = inputIds(t, i);
      const xs = ids.map((id) => dual(t.val[id], t.active[id] ? t.dot[id] : 0));
      const contributions = def.backward(xs, dual(t.val[i], t.dot[i]), dual(t.bar[i], t.barDot[i]));
      ids.forEach((id, k) => {
        if (!t.active[id]) return;
        if (t.sweepBar) t.bar[id] += contributions[k].value;
        if (t.sweepBarDot) t.barDot[id] += contributions[k].tangent;
      });
    },
  });

  const tensorCode = registerRule({
    name: def.name,
    tangent(t, i) {
      const y = t.tensorAt(i);
      y.dataDot = tensorTangent(inputIds(t, i).map((id) => t.tensorAt(id)), y);
    },
    backward(t, i) {
      const y = t.tensorAt(i);
      if (!y.bar && !y.barDot) return;
      const xs = inputIds(t, i).map((id) => t.tensorAt(id));
      for (let e = 0; e < y.size; e++) {
        const ins = xs.map((x) => dual(x.data[e], x.dataDot ? x.dataDot[e] : 0));
        const yBar = dual(y.bar ? y.bar[e] : 0, y.barDot ? y.barDot[e] : 0);
        if (yBar.value === 0 && yBar.tangent === 0) continue;
        const contributions = def.backward(ins, dual(y.data[e], y.dataDot ? y.dataDot[e] : 0), yBar);
        xs.forEach((x, k) => {
          if (!t.active[x.id]) return;
          if (t.sweepBar) (x.bar ??= new Float64Array(x.size))[e] += contributions[k].value;
          if (t.sweepBarDot) (x.barDot ??= new Float64Array(x.size))[e] += contributions[k].tangent;
        });
      }
    },
  });

  function tensorTangent(xs: Tensor[], y: Tensor): Float64Array | null {
    if (!xs.some((x) => x.dataDot)) return null;
    const out = new Float64Array(y.size);
    for (let e = 0; e < y.size; e++) {
      out[e] = def.tangent(xs.map((x) => x.data[e]), xs.map((x) => (x.dataDot ? x.dataDot[e] : 0)), y.data[e]);
    }
    return out;
  }

  return (...args: Array<Node | number>): Node => {
    if (args.length !== arity) throw new ArgumentError(`${def.name}: expects ${arity} inputs, got ${args.length}`);
    const first = args.find((a): a is Node => typeof a !== 'number');
    if (!first) throw new ArgumentError(`${def.name}: at least one input must be a node`);
    let t: Tape = checkLive(first.tape, def.name);
    for (const a of args) if (typeof a !== 'number') t = commonTape(t, a.tape, def.name);
    const tensorArg = args.find((a): a is Tensor => a instanceof Tensor);
    if (!tensorArg) {
      const ids = args.map((a) => (typeof a === 'number' ? constantScalar(t, a).id : a.id));
      const values = ids.map((id) => t.val[id]);
      const active = ids.some((id) => t.active[id] === 1);
      const y = newScalar(t, scalarCode, ids[0], NO_INPUT, active, def.primal(...values), 0);
      t.saved.set(y.id, ids);
      if (active && t.withTangent) scalarTangent(t, y.id);
      return y;
    }
    const shape = tensorArg.shape;
    const xs = args.map((a) => {
      if (a instanceof Tensor) {
        if (!sameShape(a.shape, shape)) {
          throw new ShapeError(`${def.name}: tensor inputs must have the same shape, got ${formatShape(shape)} and ${formatShape(a.shape)}`);
        }
        return a;
      }
      const value = typeof a === 'number' ? a : (a as Scalar).value;
      if (a instanceof Scalar && a.isActive) throw new ArgumentError(`${def.name}: mixing a scalar node with tensors is not supported; broadcast it first`);
      return constantTensor(t, new Float64Array(tensorArg.size).fill(value), shape);
    });
    const data = new Float64Array(tensorArg.size);
    for (let e = 0; e < data.length; e++) data[e] = def.primal(...xs.map((x) => x.data[e]));
    const active = xs.some((x) => t.active[x.id] === 1);
    const y = newTensor(t, tensorCode, xs[0].id, NO_INPUT, active, shape, data, null);
    t.saved.set(y.id, xs.map((x) => x.id));
    if (active && t.withTangent) y.dataDot = tensorTangent(xs, y);
    return y;
  };

  function scalarTangent(t: Tape, i: number): void {
    const ids = inputIds(t, i);
    t.dot[i] = def.tangent(ids.map((id) => t.val[id]), ids.map((id) => (t.active[id] ? t.dot[id] : 0)), t.val[i]);
  }
}

function inputIds(t: Tape, i: number): number[] {
  return t.saved.get(i) as number[];
}
