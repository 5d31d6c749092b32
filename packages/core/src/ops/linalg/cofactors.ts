// The cofactor matrix C = adj(A)ᵀ of 1×1, 2×2 and 3×3 matrices (or stacks of them) as a polynomial in
// A's entries, written with the algebra's ops, and its tangent R{C}. det's derivative is C; computed
// as det(A)·A⁻ᵀ instead, its own derivative R{C} = R{d}·A⁻ᵀ − d·A⁻ᵀ·R{A}ᵀ·A⁻ᵀ is the difference of
// two terms of size |d|·‖A⁻¹‖² that cancel near a singular A. The polynomial has nothing to cancel,
// so det's derivatives keep their accuracy to any order (nested transforms differentiate these ops),
// and they exist at a singular matrix, where C is the adjugate.
//   n = 2:  C = [[a₁₁, −a₁₀], [−a₀₁, a₀₀]]                                   (linear in A)
//   n = 3:  Cᵢⱼ = a₍ᵢ₊₁₎₍ⱼ₊₁₎·a₍ᵢ₊₂₎₍ⱼ₊₂₎ − a₍ᵢ₊₁₎₍ⱼ₊₂₎·a₍ᵢ₊₂₎₍ⱼ₊₁₎, indices mod 3 (the signs come
//          from the cyclic order)
import type { Algebra, Primitive, Value } from '../../algebra/algebra.js';
import { sizeOf, type Shape } from '../../shape.js';

/** The largest n whose cofactors are formed this way (4×4 would take 96 products a matrix). */
export const COFACTOR_MAX_N = 3;

/** Whether det's rules use the cofactor polynomial for matrices of `shape` ([..., n, n]): 1 ≤ n ≤ 3. */
export function byCofactors(shape: Shape): boolean {
  const n = shape[shape.length - 1];
  return n >= 1 && n <= COFACTOR_MAX_N;
}

/** The entries of each matrix of the stack x (shape [..., n, n]): grid[i][j] is entry (i, j), as [..., 1, 1]. */
function entries(o: Algebra, x: Value, shape: Shape): Value[][] {
  const r = shape.length, n = shape[r - 1];
  const rowShape = [...shape.slice(0, r - 2), 1, n];
  return Array.from({ length: n }, (_, i) => {
    const row = o.slice(x, shape, i, i + 1, r - 2);
    return Array.from({ length: n }, (_, j) => o.slice(row, rowShape, j, j + 1, r - 1));
  });
}

/** The matrices [..., n, n] whose (i, j) entries are cell(i, j) ([..., 1, 1] each). */
function assemble(o: Algebra, shape: Shape, cell: (i: number, j: number) => Value): Value {
  const r = shape.length, n = shape[r - 1];
  const batch = shape.slice(0, r - 2);
  const rows: Value[] = [];
  for (let i = 0; i < n; i++) {
    const cells = Array.from({ length: n }, (_, j) => cell(i, j));
    rows.push(o.concat(cells, cells.map(() => [...batch, 1, 1]), r - 1));
  }
  return o.concat(rows, rows.map(() => [...batch, 1, n]), r - 2);
}

/** x_{i₁j₁}·y_{i₂j₂} − x_{i₁j₂}·y_{i₂j₁} with i₁, i₂ = i + 1, i + 2 and j₁, j₂ = j + 1, j + 2 (mod 3): with y = x, the 3×3 cofactor Cᵢⱼ. */
function minor3(o: Algebra, x: Value[][], y: Value[][], i: number, j: number): Value {
  const [i1, i2, j1, j2] = [(i + 1) % 3, (i + 2) % 3, (j + 1) % 3, (j + 2) % 3];
  return o.sub(o.mul(x[i1][j1], y[i2][j2]), o.mul(x[i1][j2], y[i2][j1]));
}

/** C = adj(A)ᵀ of each matrix of a ([..., n, n], n ≤ 3) with the algebra's ops: the nested form. */
function cofactorsByOps(o: Algebra, a: Value, shape: Shape): Value {
  const n = shape[shape.length - 1];
  if (n === 1) return o.constant(new Float64Array(sizeOf(shape)).fill(1), shape);
  const e = entries(o, a, shape);
  if (n === 2) return assemble(o, shape, (i, j) => (i === j ? e[1 - i][1 - j] : o.neg(e[1 - i][1 - j])));
  return assemble(o, shape, (i, j) => minor3(o, e, e, i, j));
}

/** R{C} along aDot with the algebra's ops (n ≥ 2): bilinear for n = 3, C(aDot) for n = 2. */
function cofactorTangentByOps(o: Algebra, a: Value, aDot: Value, shape: Shape): Value {
  const n = shape[shape.length - 1];
  if (n === 2) return cofactorsByOps(o, aDot, shape);
  const e = entries(o, a, shape), d = entries(o, aDot, shape);
  return assemble(o, shape, (i, j) => o.add(minor3(o, d, e, i, j), minor3(o, e, d, i, j)));
}

// On numbers, one loop per matrix instead of some 50 operations on [..., 1, 1] arrays (a 3×3
// gradAndHvp took 64 µs that way). Products as the algebra forms them (x·y + 0), so both forms give
// the same bits; with a non-finite entry, where a product could be 0·∞, the algebra's ops run instead
// (their structural zeros).

/** Each entry of x (a number stands for a constant array) as a Float64Array of `shape`'s size, or null if one is not finite. */
function finiteArray(x: number | Float64Array, shape: Shape): Float64Array | null {
  const a = typeof x === 'number' ? new Float64Array(sizeOf(shape)).fill(x) : x;
  for (let k = 0; k < a.length; k++) if (a[k] - a[k] !== 0) return null;
  return a;
}

/** x_{i₁j₁}·y_{i₂j₂} − x_{i₁j₂}·y_{i₂j₁} of one 3×3 matrix at offset b, as minor3 on numbers. */
function minor3At(x: Float64Array, y: Float64Array, b: number, i: number, j: number): number {
  const [i1, i2, j1, j2] = [(i + 1) % 3, (i + 2) % 3, (j + 1) % 3, (j + 2) % 3];
  return (x[b + 3 * i1 + j1] * y[b + 3 * i2 + j2] + 0) - (x[b + 3 * i1 + j2] * y[b + 3 * i2 + j1] + 0);
}

function cofactorsOf(a: Float64Array, n: number): Float64Array {
  const c = new Float64Array(a.length);
  if (n === 1) return c.fill(1);
  for (let b = 0; b < a.length; b += n * n) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        c[b + n * i + j] = n === 2 ? (i === j ? a[b + 3 - (n * i + j)] : -a[b + 3 - (n * i + j)]) : minor3At(a, a, b, i, j);
      }
    }
  }
  return c;
}

function cofactorTangentOf(a: Float64Array, d: Float64Array, n: number): Float64Array {
  if (n === 2) return cofactorsOf(d, 2);
  const c = new Float64Array(a.length);
  for (let b = 0; b < a.length; b += 9) {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) c[b + 3 * i + j] = minor3At(d, a, b, i, j) + minor3At(a, d, b, i, j);
  }
  return c;
}

const COFACTORS: Primitive = {
  name: 'cofactors',
  numbers([a], [shape], _p, o) {
    const x = finiteArray(a, shape);
    return x ? cofactorsOf(x, shape[shape.length - 1]) : o.numbers(cofactorsByOps(o, a, shape));
  },
  nodes([a], [shape], _p, o) {
    return cofactorsByOps(o, a, shape) as ReturnType<Primitive['nodes']>;
  },
};

const COFACTOR_TANGENT: Primitive = {
  name: 'cofactor tangent',
  numbers([a, d], [shape], _p, o) {
    const x = finiteArray(a, shape), y = finiteArray(d, shape);
    return x && y ? cofactorTangentOf(x, y, shape[shape.length - 1]) : o.numbers(cofactorTangentByOps(o, a, d, shape));
  },
  nodes([a, d], [shape], _p, o) {
    return cofactorTangentByOps(o, a, d, shape) as ReturnType<Primitive['nodes']>;
  },
};

/** C = adj(A)ᵀ of each matrix of a ([..., n, n], 1 ≤ n ≤ 3): det's derivative. */
export function cofactorMatrix(o: Algebra, a: Value, shape: Shape): Value {
  return o.apply(COFACTORS, [a], [shape], undefined);
}

/** R{C}, the tangent of {@link cofactorMatrix} along aDot: bilinear for n = 3, C(aDot) for n = 2, 0 for n = 1. */
export function cofactorTangent(o: Algebra, a: Value, aDot: Value, shape: Shape): Value {
  const n = shape[shape.length - 1];
  if (aDot === 0 || n === 1) return 0;
  return o.apply(COFACTOR_TANGENT, [a, aDot], [shape, shape], undefined);
}
