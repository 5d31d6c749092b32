// The rules of a primary matrix function Y = f(A) (expm, sqrtm), from f itself applied to a block
// matrix (Mathias 1996; Higham, "Functions of Matrices", Thm 3.6):
//   f([[A, E], [0, A]]) = [[f(A), L(A, E)], [0, f(A)]]
// with L(A, E) the Fréchet derivative of f at A along E. So
//   R{Y} = L(A, Ȧ),   Ā = L(Aᵀ, Ȳ)   (the adjoint of E ↦ L(A, E) in ⟨·,·⟩_F is E ↦ L(Aᵀ, E) for f
//   with a real power series),
//   R{Ā} = the top-right block of L(B, Ḃ) for B = [[Aᵀ, Ȳ], [0, Aᵀ]], Ḃ = [[R{A}ᵀ, R{Ȳ}], [0, R{A}ᵀ]]
// (Ā is the top-right block of f(B), so its tangent is that block of f(B)'s tangent). Every f in the
// rules is the op again through its Primitive, so nested transforms differentiate the rules with the
// same rules, to any order, and no eigenvectors are involved (defective A and repeated eigenvalues
// are fine wherever f is differentiable).
import type { Algebra, Primitive, Value } from '../../algebra/algebra.js';
import { ArgumentError } from '../../errors.js';
import { shapeOf } from '../../lanes.js';
import { Tensor, describeValue, newTensor, type Node } from '../../node.js';
import { sizeOf, type Shape } from '../../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../../tape.js';
import { noExtraArguments } from '../op-args.js';
import { symmetricEigen } from './jacobi-eigen.js';
import { squareStack, swapLast } from './matrices.js';

const doubled = (s: Shape): Shape => [...s.slice(0, -2), 2 * s[s.length - 1], 2 * s[s.length - 1]];

/** [[X, E], [0, X]] for each matrix of a stack (E a value of X's shape, never a symbolic zero). */
function block(o: Algebra, x: Value, e: Value, s: Shape): Value {
  const r = s.length, n = s[r - 1];
  const wide = [...s.slice(0, -2), n, 2 * n];
  const top = o.concat([x, e], [s, s], r - 1);
  const bottom = o.pad(x, s, n, 2 * n, r - 1);
  return o.concat([top, bottom], [wide, wide], r - 2);
}

/** The top-right n×n block of each 2n×2n matrix. */
function topRight(o: Algebra, y: Value, s: Shape): Value {
  const r = s.length, n = s[r - 1];
  const rows = o.slice(y, doubled(s), 0, n, r - 2);
  return o.slice(rows, [...s.slice(0, -2), n, 2 * n], n, 2 * n, r - 1);
}

/** The largest |entry| of a value (numbers behind a node). */
function largest(o: Algebra, v: Value): number {
  const d = o.numbers(v);
  if (typeof d === 'number') return Math.abs(d);
  let t = 0;
  for (let k = 0; k < d.length; k++) t = Math.max(t, Math.abs(d[k]));
  return t;
}

/**
 * A power of two c with c·E about the size of X (largest entries; of 1 for X = 0), so that E's scale,
 * which L is linear in, never moves the block's norm or conditioning (and with it the work f does,
 * or its accuracy, or whether an iteration sees the block as singular): L(X, E) = L(X, c·E)/c exactly.
 */
function balance(o: Algebra, x: Value, e: Value): number {
  const size = largest(o, x);
  const ratio = (size > 0 ? size : 1) / largest(o, e);
  return Number.isFinite(ratio) && ratio > 0 ? 2 ** Math.round(Math.log2(ratio)) : 1;
}

/** L(X, E) of f computed in the algebra `o` (numbers, or nodes when nested), for a stack of shape s. */
function frechetIn(o: Algebra, f: Primitive<undefined>, x: Value, e: Value, s: Shape): Value {
  const c = balance(o, x, e);
  const y = o.apply(f, [block(o, x, c === 1 ? e : o.mul(e, c), s)], [doubled(s)], undefined);
  const l = topRight(o, y, s);
  return c === 1 ? l : o.mul(l, 1 / c);
}

/**
 * L(X, E) as a Primitive of its own, so that each direction of a lane stack (hvpMany, hessian) is
 * balanced on its own numbers: the algebra of lanes applies a primitive once per lane.
 */
const FRECHET: Primitive<Primitive<undefined>> = {
  name: 'Fréchet derivative',
  numbers: ([x, e], [s], f, o) => frechetIn(o, f, x, e, s) as Float64Array,
  nodes: ([x, e], [s], f, o) => frechetIn(o, f, x, e, s) as Node,
};

/** L(X, E) of the function `f` reaches through its Primitive, for each matrix of a stack of shape s. */
function frechet(o: Algebra, f: Primitive<undefined>, x: Value, e: Value, s: Shape): Value {
  return e === 0 ? 0 : o.apply(FRECHET, [x, e], [s, s], f);
}

/**
 * R{Ā} = the top-right block of L(B, Ḃ) for B = [[Xᵀ, Ȳ], [0, Xᵀ]], Ḃ = [[R{X}ᵀ, R{Ȳ}], [0, R{X}ᵀ]]
 * (args: Xᵀ, Ȳ, R{X}ᵀ, R{Ȳ}), with Ȳ and R{Ȳ} scaled together by one power of two c to the size of
 * Xᵀ: R{Ā} is linear in (Ȳ, R{Ȳ}), and an adjoint far larger than A (a loss scaled by 1e12) would
 * otherwise dominate B. A Primitive, so that each lane is balanced on its own numbers.
 */
const ADJOINT_TANGENT: Primitive<Primitive<undefined>> = {
  name: 'Fréchet adjoint tangent',
  numbers: (args, [s], f, o) => adjointTangentIn(o, f, args, s) as Float64Array,
  nodes: (args, [s], f, o) => adjointTangentIn(o, f, args, s) as Node,
};

function adjointTangentIn(o: Algebra, f: Primitive<undefined>, [xT, g, aDotT, gDot]: readonly Value[], s: Shape): Value {
  const c = balance(o, xT, g);
  const scaled = (v: Value) => (c === 1 ? v : o.mul(v, c));
  const l = topRight(o, frechetIn(o, f, block(o, xT, scaled(g), s), block(o, aDotT, scaled(gDot), s), doubled(s)), s);
  return c === 1 ? l : o.mul(l, 1 / c);
}

/** A value of shape s, with a symbolic zero made a constant of zeros (for a block). */
function filled(o: Algebra, x: Value, s: Shape): Value {
  return x === 0 ? o.constant(new Float64Array(sizeOf(s)), s) : x;
}

/**
 * The rule of a primary matrix function op: `numbers` computes f of each matrix of a stack (also on
 * replays), `f` reaches it from rules (numbers on numbers, the op itself on nodes).
 */
function matrixFunctionRule(name: string, numbers: (a: Float64Array, shape: Shape) => Float64Array, f: Primitive<undefined>): OpRule {
  return {
    name,
    // A compiled replay: f again at A's current values (with whatever choices f makes there).
    primal(o, L, i) {
      const t = L.tape;
      const a = t.in0[i];
      L.setVal(i, numbers(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
    },
    tangent(o, L, i) {
      const a = L.tape.in0[i];
      L.setDot(i, frechet(o, f, L.val(a), L.dot(a), shapeOf(L.tape, a)));
    },
    backward(o, L, i) {
      const a = L.tape.in0[i];
      const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
      if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
      const s = shapeOf(L.tape, a);
      const xT = swapLast(o, L.val(a), s);
      if (L.sweepBar) L.addBar(a, frechet(o, f, xT, g, s));
      if (!L.sweepBarDot) return;
      const aDotT = swapLast(o, L.dot(a), s);
      if (g === 0 || aDotT === 0) {
        // Ā = L(Aᵀ, Ȳ) is linear in Ȳ: with Ȳ or Ȧ zero, R{Ā} is L(Aᵀ, R{Ȳ}).
        L.addBarDot(a, frechet(o, f, xT, gDot, s));
        return;
      }
      L.addBarDot(a, o.apply(ADJOINT_TANGENT, [xT, g, aDotT, filled(o, gDot, s)], [s, s, s, s], f));
    },
  };
}

// ---- The numbers side, shared by the ops ------------------------------------------------------------

/**
 * f of each n×n matrix of a stack, computed by `one` (null where f has no real value there, which
 * gives NaN, as sqrt(−1) does); a matrix with a NaN or ±∞ entry gives NaN.
 */
export function eachMatrix(a: Float64Array, shape: Shape, opName: string, one: (m: Float64Array, n: number) => Float64Array | null): Float64Array {
  const { n, count } = squareStack(shape, opName);
  const out = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const at = b * n * n;
    const m = a.subarray(at, at + n * n);
    const y = m.every(Number.isFinite) ? one(m, n) : null;
    if (y === null) out.fill(NaN, at, at + n * n);
    else out.set(y, at);
  }
  return out;
}

/** ‖M − shift·I‖₁, the largest column sum of magnitudes; NaN if M holds one. */
export function norm1(m: Float64Array, n: number, shift = 0): number {
  let largest = 0;
  for (let j = 0; j < n; j++) {
    let column = 0;
    for (let i = 0; i < n; i++) column += Math.abs(m[i * n + j] - (i === j ? shift : 0));
    if (!(column <= largest)) largest = column; // NaN wins
  }
  return largest;
}

export function isSymmetric(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (a[i * n + j] !== a[j * n + i]) return false;
  return true;
}

/**
 * V·diag(g(λ))·Vᵀ for a symmetric matrix (Jacobi eigendecomposition), or null if g is NaN at an
 * eigenvalue. g also gets the largest |λ|, for rounding-level decisions.
 */
export function symmetricFunction(a: Float64Array, n: number, g: (lambda: number, largest: number) => number): Float64Array | null {
  const { values, vectors } = symmetricEigen(a, n, 1);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(values[i]));
  const mapped = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mapped[i] = g(values[i], largest);
    if (Number.isNaN(mapped[i])) return null;
  }
  const y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += vectors[i * n + k] * mapped[k] * vectors[j * n + k];
      y[i * n + j] = sum;
      y[j * n + i] = sum;
    }
  }
  return y;
}

/**
 * A primary matrix function as an op: registers its rule and returns the function that records it
 * (checking the argument and refusing any further one, as the ops of one matrix do). `numbers`
 * computes f of a stack, at recording and on replays; rules reach f through a Primitive that records
 * the op again on nodes.
 */
export function matrixFunctionOp(name: string, numbers: (a: Float64Array, shape: Shape) => Float64Array): (a: Tensor, given: ArrayLike<unknown>) => Tensor {
  const f: Primitive<undefined> = {
    name,
    numbers: ([x], [shape]) => numbers(x as Float64Array, shape),
    nodes: ([x]) => record(x as Tensor),
  };
  const rule = matrixFunctionRule(name, numbers, f);
  const code = registerRule(rule);
  function record(a: Tensor): Tensor {
    const t = checkLive(a.tape, name);
    const active = t.active[a.id] === 1;
    const y = newTensor(t, code, a.id, NO_INPUT, active, a.shape, numbers(a.data, a.shape), null);
    if (active && t.withTangent) rule.tangent(t.o, t, y.id);
    return y;
  }
  return (a, given) => {
    noExtraArguments(name, given, 1, `${name}(a)`, 'it takes no options');
    if (!(a instanceof Tensor)) throw new ArgumentError(`${name}: expected a tensor, got ${describeValue(a)}`);
    return record(a);
  };
}
