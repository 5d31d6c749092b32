/**
 * User-defined ops. Two ways to give the rules:
 *
 * - **`partials(o, x, y)`** — the nestable form: the partial derivatives ∂y/∂xᵢ written with the
 *   algebra `o` (`o.mul`, `o.map(tanh, x)`, …). The engine derives the tangent Σ ∂y/∂xᵢ·R{xᵢ} and the
 *   dual backward rule from them, evaluating your partials on dual values to get their own R{·}, so
 *   the op is exact at second order and runs inside nested transforms to any depth.
 * - **`tangent` and `backward`** on numbers and dual numbers ({@link D}) — the top-level form. The
 *   op then works under every top-level transform, first and second order; inside a nested
 *   transform it raises {@link NestedTransformError} saying to give `partials` instead.
 *
 * Ops act on scalar nodes; on a tensor they apply elementwise.
 * @module
 */
import type { Algebra, Value } from './algebra/algebra.js';
import { DualAlgebra, DualValue } from './algebra/dual.js';
import { dual, type Dual } from './dual.js';
import { ArgumentError, NestedTransformError, ShapeError } from './errors.js';
import type { Lanes } from './lanes.js';
import { Scalar, Tensor, constantScalar, constantTensor, describeValue, newScalar, newTensor, onTape, type Node } from './node.js';
import { tapeOfArguments } from './elementwise/operands.js';
import { formatShape, sameShape } from './shape.js';
import { NO_INPUT, registerRule, type OpRule, type Tape } from './tape.js';

/**
 * The rules of a user-defined op on `arity` scalar inputs.
 *
 * @example
 * ```ts
 * const def: OpDefinition = { name: 'cube', primal: (x) => x ** 3, partials: (o, [x]) => [o.mul(3, o.mul(x, x))] };
 * const cube = defineOp(def);
 * ```
 */
export interface OpDefinition {
  /** Shown in traces and error messages. */
  readonly name: string;
  /** y = f(x₁, …, xₙ) on plain numbers. */
  primal(...x: number[]): number;
  /**
   * ∂y/∂xᵢ for each input, written with the algebra `o` (its values are numbers at top level and
   * nodes when nested; use `o.add`, `o.mul`, `o.div`, `o.map(op, x)`, …, never JS operators). Give
   * this, and leave out `tangent` and `backward`, for an op that nests.
   */
  partials?(o: Algebra, x: readonly Value[], y: Value): readonly Value[];
  /** R{y} given the inputs, their tangents R{xᵢ}, and y, on numbers (top-level form). */
  tangent?(x: readonly number[], xDot: readonly number[], y: number): number;
  /**
   * The adjoint contributions (x̄ᵢ, R{x̄ᵢ}) from the output's (ȳ, R{ȳ}), computed in dual arithmetic
   * (top-level form): `x[i]` is (xᵢ, R{xᵢ}), `y` is (y, R{y}), `yBar` is (ȳ, R{ȳ}). Typically
   * `D.mul(yBar, ∂y/∂xᵢ as a Dual)`.
   */
  backward?(x: readonly Dual[], y: Dual, yBar: Dual): readonly Dual[];
}

/**
 * The arguments of a {@link CustomOp} on `N` inputs: `N` nodes or numbers (any number of them when the
 * primal takes a rest parameter, as `Math.hypot` does).
 *
 * @example
 * ```ts
 * const args: CustomOpOperands<2> = [scalar(1), 2]; // a node and a constant
 * ```
 */
export type CustomOpOperands<N extends number, R extends unknown[] = []> = number extends N
  ? Array<Node | number>
  : R['length'] extends N ? R : CustomOpOperands<N, [...R, Node | number]>;

/**
 * `true` when some argument's type is `Tensor` itself (a `Node` might be either kind, so it does not count).
 *
 * @example
 * ```ts
 * const yes: HasTensorOperand<[Scalar, Tensor, number]> = true;
 * const no: HasTensorOperand<[Scalar, Node]> = false;
 * ```
 */
export type HasTensorOperand<A extends readonly unknown[]> =
  true extends { [K in keyof A]: [A[K]] extends [Tensor] ? true : false }[number] ? true : false;

/**
 * What a {@link CustomOp} returns for arguments of types `A`: a `Scalar` when they are scalars and
 * numbers, a `Tensor` once one is a tensor (the op applies elementwise), a `Node` when an argument's
 * kind is not known statically. Numbers alone are refused (see {@link NodeOperandRequired}).
 *
 * @example
 * ```ts
 * const s: CustomOpResult<[Scalar, number]> = cube(scalar(2));
 * const t: CustomOpResult<[Tensor]> = cube(tensor([1, 2]));
 * ```
 */
export type CustomOpResult<A extends readonly unknown[]> = [A[number]] extends [number]
  ? never
  : [A[number]] extends [Scalar | number]
    ? Scalar
    : HasTensorOperand<A> extends true ? Tensor : Node;

/**
 * A type error, at the call, for a {@link CustomOp} called with numbers only: an op needs at least one
 * node to record (for a number, call the primal itself).
 *
 * @example
 * ```ts
 * cube(2); // type error: property 'at least one argument must be a node' is missing
 * ```
 */
export type NodeOperandRequired<A extends readonly unknown[]> =
  // never: the op passed where a function of never is expected (`grad(cube)`), not a call.
  [A[number]] extends [never] ? unknown : [A[number]] extends [number] ? { 'at least one argument must be a node': never } : unknown;

/**
 * A user op on `N` inputs: call it with scalar nodes, tensors (elementwise, same shape) or numbers, at
 * least one a node. Its result type follows the arguments ({@link CustomOpResult}), and the argument
 * count is checked against the primal's.
 *
 * @example
 * ```ts
 * const cube: CustomOp<1> = defineOp({ name: 'cube', primal: (x) => x ** 3, partials: (o, [x]) => [o.mul(3, o.mul(x, x))] });
 * cube(scalar(2)).value; // 8: a Scalar for scalar arguments
 * cube(tensor([1, 2])).value; // [1, 8]: a Tensor once any argument is one
 * ```
 */
export type CustomOp<N extends number = number> =
  <const A extends CustomOpOperands<N>>(...x: A & NodeOperandRequired<A>) => CustomOpResult<A>;

/**
 * Defines an op from its primal and its partial derivatives (or, top-level only, its tangent and a
 * dual-arithmetic backward rule).
 *
 * @example
 * ```ts
 * // y = x³: ∂y/∂x = 3x², written with the algebra o, so the op nests and its R{·} comes for free.
 * const cube = defineOp({
 *   name: 'cube',
 *   primal: (x) => x * x * x,
 *   partials: (o, [x]) => [o.mul(3, o.mul(x, x))],
 * });
 * hvp((p: Scalar) => cube(p), 2, 1); // 12
 * grad(grad(grad((p: Scalar) => cube(p))))(2); // 6
 * ```
 */
export function defineOp<P extends (...x: number[]) => number>(def: OpDefinition & { primal: P }): CustomOp<Parameters<P>['length']> {
  if (def === null || typeof def !== 'object') throw new ArgumentError(`defineOp: expected an object of rules, got ${describeValue(def)}`);
  if (typeof def.primal !== 'function') throw new ArgumentError(`defineOp ${def.name}: primal must be a function on numbers`);
  const arity = def.primal.length;
  if (arity < 1) throw new ArgumentError(`defineOp ${def.name}: primal must declare its inputs (got ${arity} parameters)`);
  const rule: OpRule = { ...(def.partials ? partialsRule(def) : numbersRule(def)), primal: primalRule(def) };
  const code = registerRule(rule);

  return ((...args: Array<Node | number>): Node => {
    if (args.length !== arity) throw new ArgumentError(`${def.name}: expects ${arity} inputs, got ${args.length}`);
    args.forEach((a, k) => {
      if (typeof a !== 'number' && !(a instanceof Scalar) && !(a instanceof Tensor)) {
        throw new ArgumentError(`${def.name}: input ${k} is ${describeValue(a)}; expected a node or a number`);
      }
    });
    if (!args.some((a) => typeof a !== 'number')) throw new ArgumentError(`${def.name}: at least one input must be a node`);
    const t: Tape = tapeOfArguments(args, def.name);
    args = args.map((a) => (typeof a === 'number' ? a : onTape(a, t, def.name)));
    const tensorArg = args.find((a): a is Tensor => a instanceof Tensor);
    if (!tensorArg) {
      const ids = args.map((a) => (typeof a === 'number' ? constantScalar(t, a).id : a.id));
      const active = ids.some((id) => t.active[id] === 1);
      const y = newScalar(t, code, ids[0], NO_INPUT, active, primalNumber(def, def.primal(...ids.map((id) => t.vals[id]))), 0);
      t.manyInputs.set(y.id, ids);
      if (active && t.withTangent) rule.tangent(t.o, t, y.id);
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
      if (a instanceof Scalar && a.isActive) throw new ArgumentError(`${def.name}: mixing a scalar node with tensors is not supported; broadcast it first`);
      const value = typeof a === 'number' ? a : a.value;
      return constantTensor(t, new Float64Array(tensorArg.size).fill(value), shape);
    });
    const data = new Float64Array(tensorArg.size);
    for (let e = 0; e < data.length; e++) data[e] = primalNumber(def, def.primal(...xs.map((x) => x.data[e])));
    const active = xs.some((x) => t.active[x.id] === 1);
    const y = newTensor(t, code, xs[0].id, NO_INPUT, active, shape, data, null);
    t.manyInputs.set(y.id, xs.map((x) => x.id));
    if (active && t.withTangent) rule.tangent(t.o, t, y.id);
    return y;
  }) as CustomOp<Parameters<P>['length']>;
}

/** The rules derived from partials: R{y} = Σ pᵢR{xᵢ}; (x̄ᵢ, R{x̄ᵢ}) += (ȳ, R{ȳ})·(pᵢ, R{pᵢ}). */
function partialsRule(def: OpDefinition): OpRule {
  const partials = (o: Algebra, x: readonly Value[], y: Value): readonly Value[] => {
    const p = def.partials!(o, x, y);
    if (!Array.isArray(p) || p.length !== x.length) {
      throw new ArgumentError(`defineOp ${def.name}: partials must return one derivative per input (${x.length}), got ${describeValue(p)}`);
    }
    return p;
  };
  return {
    name: def.name,
    tangent(o, L, i) {
      const ids = L.tape.inputsOf(i);
      const p = partials(o, ids.map((id) => L.val(id)), L.val(i));
      let yDot: Value = 0;
      ids.forEach((id, k) => {
        const xDot = L.dot(id);
        if (xDot !== 0) yDot = o.add(yDot, o.mul(p[k], xDot));
      });
      L.setDot(i, yDot);
    },
    backward(o, L, i) {
      const g = L.bar(i), gDot = L.barDot(i);
      if (g === 0 && gDot === 0) return;
      const ids = L.tape.inputsOf(i);
      if (!L.sweepBarDot) {
        const p = partials(o, ids.map((id) => L.val(id)), L.val(i));
        ids.forEach((id, k) => { if (L.isActive(id)) L.addBar(id, o.mul(g, p[k])); });
        return;
      }
      // On duals (x, R{x}), the partials come with their own tangents R{pᵢ}: the second-order term.
      const d = new DualAlgebra(o);
      const p = partials(d, ids.map((id) => new DualValue(L.val(id), L.dot(id))), new DualValue(L.val(i), L.dot(i)));
      ids.forEach((id, k) => {
        if (!L.isActive(id)) return;
        const pk = d.lift(p[k]);
        if (L.sweepBar) L.addBar(id, o.mul(g, pk.value));
        L.addBarDot(id, o.add(o.mul(gDot, pk.value), o.mul(g, pk.tangent)));
      });
    },
  };
}

/** The top-level form: the user's tangent and dual backward on numbers, element by element. */
function numbersRule(def: OpDefinition): OpRule {
  const { tangent, backward } = def;
  if (typeof tangent !== 'function' || typeof backward !== 'function') {
    throw new ArgumentError(`defineOp ${def.name}: give partials(o, x, y), or both tangent and backward`);
  }
  const refuseNested = (o: Algebra) => {
    if (o.kind === 'nodes') {
      throw new NestedTransformError(
        `defineOp ${def.name}: its tangent and backward rules compute on numbers, so they cannot run inside a nested ` +
          'transform; define the op with partials(o, x, y) written with the algebra o (o.mul, o.map(tanh, x), …) instead, ' +
          'and it nests to any depth',
      );
    }
  };
  return {
    name: def.name,
    // The user's rules take one direction's numbers.
    perDirection: true,
    tangent(o, L, i) {
      refuseNested(o);
      const ids = L.tape.inputsOf(i);
      const lanes = ids.map((id) => elements(L, id, 'val'));
      const dots = ids.map((id) => elements(L, id, 'dot'));
      const ys = elements(L, i, 'val');
      const out = ys.map((y, e) => tangentNumber(def, tangent(lanes.map((x) => x[e]), dots.map((x) => x[e]), y)));
      L.setDot(i, out.length === 1 && !L.tape.isTensor(i) ? out[0] : Float64Array.from(out));
    },
    backward(o, L, i) {
      refuseNested(o);
      const ids = L.tape.inputsOf(i);
      const xs = ids.map((id) => elements(L, id, 'val'));
      const xDots = ids.map((id) => elements(L, id, 'dot'));
      const ys = elements(L, i, 'val'), yDots = elements(L, i, 'dot');
      const gs = elements(L, i, 'bar'), gDots = elements(L, i, 'barDot');
      const bars = ids.map(() => new Float64Array(ys.length));
      const barDots = ids.map(() => new Float64Array(ys.length));
      for (let e = 0; e < ys.length; e++) {
        if (gs[e] === 0 && gDots[e] === 0) continue;
        const contributions = backward(
          ids.map((_, k) => dual(xs[k][e], xDots[k][e])), dual(ys[e], yDots[e]), dual(gs[e], gDots[e]),
        );
        if (!Array.isArray(contributions) || contributions.length !== ids.length) {
          throw new ArgumentError(`defineOp ${def.name}: backward must return one dual per input (${ids.length}), got ${describeValue(contributions)}`);
        }
        ids.forEach((_, k) => {
          const c = contributionOf(def, contributions[k], k);
          bars[k][e] = c.value;
          barDots[k][e] = c.tangent;
        });
      }
      const tensor = L.tape.isTensor(i);
      ids.forEach((id, k) => {
        if (!L.isActive(id)) return;
        if (L.sweepBar) L.addBar(id, tensor ? bars[k] : bars[k][0]);
        if (L.sweepBarDot) L.addBarDot(id, tensor ? barDots[k] : barDots[k][0]);
      });
    },
  };
}

/** What the user's `tangent` returned, if it is a number (stored into a Float64Array, a string or a forgotten `return` would become NaN). */
function tangentNumber(def: OpDefinition, t: unknown): number {
  if (typeof t === 'number') return t;
  throw new ArgumentError(`defineOp ${def.name}: tangent must return a number, got ${describeValue(t)}`);
}

/** Entry k of what the user's `backward` returned, if it is a dual number (a plain number there would read as NaN). */
function contributionOf(def: OpDefinition, c: unknown, k: number): Dual {
  if (c !== null && typeof c === 'object' && typeof (c as Dual).value === 'number' && typeof (c as Dual).tangent === 'number') return c as Dual;
  throw new ArgumentError(
    `defineOp ${def.name}: backward must return dual numbers (x̄ᵢ with its R{x̄ᵢ}, e.g. D.mul(yBar, ∂y/∂xᵢ as a dual)); entry ${k} is ${describeValue(c)}`,
  );
}

/**
 * What `primal` returned, if it is a number. Stored into a Float64Array, a forgotten `return` would
 * become NaN, a string a number, and a node (a transform called inside the rule returns nodes of the
 * enclosing one) a NodeConversionError that does not name the op.
 */
function primalNumber(def: OpDefinition, y: unknown): number {
  if (typeof y === 'number') return y;
  const hint = y instanceof Scalar || y instanceof Tensor
    ? '; a transform called inside primal returns nodes of the enclosing transform: compute the number directly'
    : '';
  throw new ArgumentError(`${def.name}: primal must return a number, got ${describeValue(y)}${hint}`);
}

/** y = primal(x₁, …, xₙ) element by element at the inputs' current values (a compiled replay). */
function primalRule(def: OpDefinition): NonNullable<OpRule['primal']> {
  return (_o, L, i) => {
    const ids = L.tape.inputsOf(i);
    const xs = ids.map((id) => elements(L, id, 'val'));
    const out = new Float64Array(L.tape.isTensor(i) ? L.tape.tensorAt(i).size : 1);
    for (let e = 0; e < out.length; e++) out[e] = primalNumber(def, def.primal(...xs.map((x) => (x.length === 1 ? x[0] : x[e]))));
    L.setVal(i, L.tape.isTensor(i) ? out : out[0]);
  };
}

/** A numeric lane of node i as an array of its elements (zeros for an empty lane). */
function elements(L: Lanes, i: number, lane: 'val' | 'dot' | 'bar' | 'barDot'): Float64Array {
  const v = L[lane](i) as number | Float64Array;
  const size = L.tape.isTensor(i) ? L.tape.tensorAt(i).size : 1;
  if (typeof v === 'number') return new Float64Array(size).fill(v);
  return v;
}
