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
import type { Algebra, Elementwise, Elementwise2, Value } from './algebra/algebra.js';
import { DualAlgebra, DualValue } from './algebra/dual.js';
import { Lazy } from './algebra/fusion.js';
import { dual, type Dual } from './dual.js';
import { ArgumentError, DualtapeError, NestedTransformError, ShapeError, StaleNodeError } from './errors.js';
import type { Lanes } from './lanes.js';
import { Scalar, Tensor, constantScalar, constantTensor, describeValue, newScalar, newTensor, onTape, type Node } from './node.js';
import { tapeOfArguments } from './elementwise/operands.js';
import { checkOptions, option, type OptionError, type OptionsSpec } from './options.js';
import { formatShape, sameShape, sizeOf, type Shape } from './shape.js';
import { NO_INPUT, registerRule, type OpRule, type Tape } from './tape.js';
import { noExtraArguments } from './arity.js';

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
   * this, and leave out `tangent` and `backward`, for an op that nests. Each entry is a plain number
   * (a constant), one of `x` and `y`, or a value `o` computed from them in this call; anything else
   * (an array, a node made outside the rule, `undefined`) is an {@link ArgumentError} naming the op
   * and the entry, at every level.
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
 * The definition is checked here, not at the first use: a missing or empty `name`, both forms at
 * once or half of the dual one is an {@link ArgumentError}; a field it does not know (a misspelling
 * such as `partial`, with the nearest name suggested) or of the wrong type (a rule that is not a
 * function) is an {@link OptionError}.
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
  noExtraArguments('defineOp', arguments, 1, 'defineOp(definition)');
  checkDefinition(def);
  const arity = def.primal.length;
  if (arity < 1) throw new ArgumentError(`defineOp ${def.name}: primal must declare its inputs (got ${arity} parameters)`);
  const rule: OpRule = { ...(def.partials !== undefined ? partialsRule(def) : numbersRule(def)), primal: primalRule(def) };
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

/** The fields of an {@link OpDefinition}, checked as options are: a misspelled one gets the nearest name. */
const DEFINITION_FIELDS: OptionsSpec<OpDefinition> = {
  name: option.string(),
  primal: option.function(),
  partials: option.function(),
  tangent: option.function(),
  backward: option.function(),
};

/**
 * Checks the definition object before anything is registered: an object, a name to show in messages,
 * no field the engine does not read (`partial` for `partials` would silently pick the other form), a
 * function for every rule, and exactly one form of derivative.
 */
function checkDefinition(def: OpDefinition): void {
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    throw new ArgumentError(`defineOp: expected an object of rules { name, primal, partials } (or { name, primal, tangent, backward }), got ${describeValue(def)}`);
  }
  const { name } = def as { name: unknown };
  const named = typeof name === 'string' && name.trim() !== '';
  // Fields first, so that a misspelled `name` is named as such.
  checkOptions(named ? `defineOp ${name}` : 'defineOp', def, DEFINITION_FIELDS);
  if (!named) {
    throw new ArgumentError(`defineOp: name must be a non-empty string (it is shown in traces and error messages), got ${describeValue(name)}`);
  }
  if (typeof def.primal !== 'function') throw new ArgumentError(`defineOp ${name}: primal must be a function on numbers, got ${describeValue(def.primal)}`);
  const given = (['partials', 'tangent', 'backward'] as const).filter((key) => def[key] !== undefined);
  if (def.partials !== undefined && given.length > 1) {
    throw new ArgumentError(
      `defineOp ${name}: give partials(o, x, y), or tangent and backward, not both (got ${given.join(', ')}); ` +
        'partials alone gives every rule, nested ones included',
    );
  }
  if (def.partials === undefined && given.length < 2) {
    throw new ArgumentError(
      `defineOp ${name}: give partials(o, x, y), or both tangent and backward (got ${given.length === 0 ? 'none of them' : `${given[0]} only`})`,
    );
  }
}

/** The rules derived from partials: R{y} = Σ pᵢR{xᵢ}; (x̄ᵢ, R{x̄ᵢ}) += (ȳ, R{ȳ})·(pᵢ, R{pᵢ}). */
function partialsRule(def: OpDefinition): OpRule {
  /** The user's partials on x and y, computed with `o` through a {@link CheckedAlgebra}, each entry checked. */
  const partials = (o: Algebra, L: Lanes, i: number, x: readonly Value[], y: Value): readonly Value[] => {
    const checked = new CheckedAlgebra(o, def, [...x, y]);
    const p: unknown = def.partials!(checked, x, y);
    if (!Array.isArray(p) || p.length !== x.length) {
      throw new ArgumentError(`defineOp ${def.name}: partials must return one derivative per input (${x.length}), got ${describeValue(p)}`);
    }
    const shape = L.tape.isTensor(i) ? L.tape.tensorAt(i).shape : null;
    p.forEach((pk: unknown, k) => checked.checkEntry(pk, k, shape));
    return p as readonly Value[];
  };
  return {
    name: def.name,
    tangent(o, L, i) {
      const ids = L.tape.inputsOf(i);
      const p = partials(o, L, i, ids.map((id) => L.val(id)), L.val(i));
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
        const p = partials(o, L, i, ids.map((id) => L.val(id)), L.val(i));
        ids.forEach((id, k) => { if (L.isActive(id)) L.addBar(id, o.mul(g, p[k])); });
        return;
      }
      // On duals (x, R{x}), the partials come with their own tangents R{pᵢ}: the second-order term.
      const d = new DualAlgebra(o);
      const p = partials(d, L, i, ids.map((id) => new DualValue(L.val(id), L.dot(id))), new DualValue(L.val(i), L.dot(i)));
      ids.forEach((id, k) => {
        if (!L.isActive(id)) return;
        const pk = d.lift(p[k]);
        if (L.sweepBar) L.addBar(id, o.mul(g, pk.value));
        L.addBarDot(id, o.add(o.mul(gDot, pk.value), o.mul(g, pk.tangent)));
      });
    },
  };
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
/** ∂y/∂xₖ, for messages. */
const partialName = (k: number) => `∂y/∂x${String(k).replace(/\d/g, (c) => SUBSCRIPTS[Number(c)])}`;

/**
 * The algebra a user's `partials` computes with: the rule's own `o` (numbers, nodes, or duals of
 * either), letting through only what the partials are promised to be — plain numbers (constants of any
 * shape), the rule's arguments x and y, and values this algebra computed from them in this call. That
 * is what makes an op behave the same at every level: a raw array (a number list at top level only),
 * a node captured from the enclosing function or another transform call, or a node made by calling an
 * op directly instead of through `o` would otherwise compute something at one level and fail, or be
 * silently frozen, at another. Every other value is refused where it is first used, naming the op.
 *
 * Only the elementwise part of the algebra is available, at every level, as in the dual algebra the
 * second-order rule evaluates partials in (a user op is elementwise).
 */
class CheckedAlgebra implements Algebra {
  /** Values (objects: arrays, deferred work, nodes, duals) this algebra returned in this call. */
  private made: Set<object> | null = null;

  constructor(private readonly o: Algebra, private readonly def: OpDefinition, private readonly args: readonly Value[]) {}

  get kind(): 'numbers' | 'nodes' {
    return this.o.kind;
  }

  add(a: Value, b: Value): Value { return this.keep(this.o.add(this.use(a, 'add'), this.use(b, 'add'))); }
  sub(a: Value, b: Value): Value { return this.keep(this.o.sub(this.use(a, 'sub'), this.use(b, 'sub'))); }
  mul(a: Value, b: Value): Value { return this.keep(this.o.mul(this.use(a, 'mul'), this.use(b, 'mul'))); }
  div(a: Value, b: Value): Value { return this.keep(this.o.div(this.use(a, 'div'), this.use(b, 'div'))); }
  neg(a: Value): Value { return this.keep(this.o.neg(this.use(a, 'neg'))); }

  map(op: Elementwise, x: Value, p?: number): Value {
    this.elementwise(op, 'map', 'tanh, exp, sigmoid');
    if (p !== undefined && typeof p !== 'number') throw new ArgumentError(`defineOp ${this.def.name}: o.map's parameter must be a number, got ${describeValue(p)}`);
    return this.keep(this.o.map(op, this.use(x, 'map'), p));
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    this.elementwise(op, 'map2', 'hypot, pow, maximum');
    return this.keep(this.o.map2(op, this.use(a, 'map2'), this.use(b, 'map2')));
  }

  /** Raw numbers, for masks and branch decisions: never an argument itself, so it cannot pass for one. */
  numbers(x: Value): number | Float64Array {
    const v = this.o.numbers(this.use(x, 'numbers'));
    return v instanceof Float64Array && this.isOurs(v) ? v.slice() : v;
  }

  step(x: Value, fn: (v: number) => number): Value {
    this.callback(fn, 'step');
    return this.keep(this.o.step(this.use(x, 'step'), fn));
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): Value {
    this.callback(fn, 'step2');
    return this.keep(this.o.step2(this.use(a, 'step2'), this.use(b, 'step2'), fn));
  }

  constant(): never { return this.notElementwise('constant'); }
  broadcastTo(): never { return this.notElementwise('broadcastTo'); }
  sumTo(): never { return this.notElementwise('sumTo'); }
  reshape(): never { return this.notElementwise('reshape'); }
  transpose(): never { return this.notElementwise('transpose'); }
  matmul(): never { return this.notElementwise('matmul'); }
  matmulSum(): never { return this.notElementwise('matmulSum'); }
  matmulSums(): never { return this.notElementwise('matmulSums'); }
  slice(): never { return this.notElementwise('slice'); }
  pad(): never { return this.notElementwise('pad'); }
  concat(): never { return this.notElementwise('concat'); }
  at(): never { return this.notElementwise('at'); }
  oneHot(): never { return this.notElementwise('oneHot'); }
  select(): never { return this.notElementwise('select'); }
  promote(): never { return this.notElementwise('promote'); }
  demote(): never { return this.notElementwise('demote'); }
  apply(): never { return this.notElementwise('apply'); }

  /**
   * Entry k of what partials returned, for an op whose output has `shape` (`null`: a scalar op): a
   * number, or a value of this call of the output's shape.
   */
  checkEntry(v: unknown, k: number, shape: Shape | null): void {
    if (typeof v === 'number') return;
    const what = `entry ${k} (${partialName(k)}) is`;
    if (!this.isOurs(v)) throw this.refusal(v, what);
    const base = v instanceof DualValue ? v.value : v;
    if (typeof base === 'number' || fitsOutput(this.o.kind, base, shape)) return;
    throw new ArgumentError(
      `defineOp ${this.def.name}: partials must give each derivative with the op's output shape ` +
        `(${shape === null ? 'a scalar' : formatShape(shape)}); ${what} ${describeValue(base)}`,
    );
  }

  private isOurs(v: unknown): boolean {
    return this.args.includes(v as Value) || (this.made !== null && this.made.has(v as object));
  }

  /** An operand, if it is a number, an argument or a value of this call. */
  private use(v: Value, method: string): Value {
    if (typeof v === 'number' || this.isOurs(v)) return v;
    throw this.refusal(v, `o.${method} was given`);
  }

  private keep(v: Value): Value {
    if (typeof v === 'object' && v !== null) (this.made ??= new Set()).add(v);
    return v;
  }

  /** The error for a value partials may not use: what it is, and what to write instead. */
  private refusal(v: unknown, what: string): DualtapeError {
    const head = `defineOp ${this.def.name}: partials must be computed with o from x and y (o.mul(x, x), o.map(tanh, x), …), ` +
      `or be plain numbers for constants; ${what} ${describeValue(v)}`;
    if (v instanceof Scalar || v instanceof Tensor) {
      if (v.tape.finished) return new StaleNodeError(`${head} from a transform call that has finished (nodes live only inside their call)`);
      return new ArgumentError(
        `${head} that o did not compute in this rule (a node captured from the enclosing function or another transform ` +
          'call, or made by calling an op, scalar() or tensor() directly rather than through o)',
      );
    }
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      return new ArgumentError(
        `${head}: an array is not a value of o (o computes on numbers at top level and on nodes when nested); ` +
          'give a plain number for a constant derivative, or compute it with o from x and y',
      );
    }
    if (v instanceof DualValue || v instanceof Lazy) return new ArgumentError(`${head} that o did not compute in this call (kept from another call?)`);
    if (v === undefined) return new ArgumentError(`${head} (a missing entry, or a forgotten return?)`);
    return new ArgumentError(head);
  }

  private elementwise(op: unknown, method: string, examples: string): void {
    const math = typeof op === 'function' ? (op as { math?: { f?: unknown } }).math : undefined;
    if (math && typeof math.f === 'function') return;
    throw new ArgumentError(
      `defineOp ${this.def.name}: o.${method} takes an elementwise op of dualtape (${examples}, …, imported from @dualtape/core), ` +
        `got ${describeValue(op)}`,
    );
  }

  private callback(fn: unknown, method: string): void {
    if (typeof fn !== 'function') throw new ArgumentError(`defineOp ${this.def.name}: o.${method} takes a function on numbers, got ${describeValue(fn)}`);
  }

  private notElementwise(method: string): never {
    throw new ArgumentError(
      `defineOp ${this.def.name}: partials may use elementwise arithmetic only (o.add, o.sub, o.mul, o.div, o.neg, o.map, ` +
        `o.map2, o.step, o.step2, o.numbers); o.${method} is not available there`,
    );
  }
}

/** Whether a value of this level (not a number) has the op's output shape (`null`: a scalar op). */
function fitsOutput(kind: 'numbers' | 'nodes', v: unknown, shape: Shape | null): boolean {
  if (kind === 'nodes') return shape === null ? v instanceof Scalar : v instanceof Tensor && sameShape(v.shape, shape);
  if (shape === null) return false;
  const n = v instanceof Lazy ? v.n : v instanceof Float64Array ? v.length : -1;
  return n === sizeOf(shape);
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
