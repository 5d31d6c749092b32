// The cofactor matrix C = adj(A)ᵀ of 1×1, 2×2 and 3×3 matrices (or stacks of them) as a polynomial in
// A's entries, written with the algebra's ops, and its tangent R{C}. det's derivative is C; computed
// as det(A)·A⁻ᵀ instead, its own derivative R{C} = R{d}·A⁻ᵀ − d·A⁻ᵀ·R{A}ᵀ·A⁻ᵀ is the difference of
// two terms of size |d|·‖A⁻¹‖² that cancel near a singular A. The polynomial has nothing to cancel,
// so det's derivatives keep their accuracy to any order (nested transforms differentiate these ops),
// and they exist at a singular matrix, where C is the adjugate.
//   n = 2:  C = [[a₁₁, −a₁₀], [−a₀₁, a₀₀]]                                   (linear in A)
//   n = 3:  Cᵢⱼ = a₍ᵢ₊₁₎₍ⱼ₊₁₎·a₍ᵢ₊₂₎₍ⱼ₊₂₎ − a₍ᵢ₊₁₎₍ⱼ₊₂₎·a₍ᵢ₊₂₎₍ⱼ₊₁₎, indices mod 3 (the signs come
//          from the cyclic order)
import type { Algebra, Value } from '../../algebra/algebra.js';
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

/** C = adj(A)ᵀ of each matrix of a ([..., n, n], n ≤ 3): det's derivative. */
export function cofactorMatrix(o: Algebra, a: Value, shape: Shape): Value {
  const n = shape[shape.length - 1];
  if (n === 1) return o.constant(new Float64Array(sizeOf(shape)).fill(1), shape);
  const e = entries(o, a, shape);
  if (n === 2) return assemble(o, shape, (i, j) => (i === j ? e[1 - i][1 - j] : o.neg(e[1 - i][1 - j])));
  return assemble(o, shape, (i, j) => minor3(o, e, e, i, j));
}

/** R{C}, the tangent of {@link cofactorMatrix} along aDot: bilinear for n = 3, C(aDot) for n = 2, 0 for n = 1. */
export function cofactorTangent(o: Algebra, a: Value, aDot: Value, shape: Shape): Value {
  const n = shape[shape.length - 1];
  if (aDot === 0 || n === 1) return 0;
  if (n === 2) return cofactorMatrix(o, aDot, shape);
  const e = entries(o, a, shape), d = entries(o, aDot, shape);
  return assemble(o, shape, (i, j) => o.add(minor3(o, d, e, i, j), minor3(o, e, d, i, j)));
}
