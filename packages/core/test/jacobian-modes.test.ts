// jacobian by rows (reverse sweeps, JAX's jacrev) and by columns (tangent sweeps, JAX's jacfwd), over
// one recording: both against closed forms and central differences, against each other over random
// expressions, nested inside another transform, with aux and strict mode, at the edges (no outputs,
// no parameters, a constant f, f the identity), and which one `'auto'` runs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FiniteError, OptionError, checkpoint, cumsum, defineOp, flatten, grad, jacobian, jvp, sort, stack, tensor, unflatten, vmap,
  type Pytree, type Scalar, type Tensor,
} from '../src/index.js';
import { allowLaneCodegen } from '../src/scalar-lanes.js';
import { hessianBlockWidth } from '../src/transforms.js';
import { countingCube } from './counting-cube.js';
import { expectClose } from './expect-close.js';
import { evalM, evalV, matrixExpr, vecOf, vectorExpr } from './random-expressions.js';
import { eachOpCase } from './op-tables/index.js';

const MODES = ['forward', 'reverse', 'auto'] as const;

/** J by central differences of f's flattened output, m×n row-major. */
function differences(f: (x: never) => Tensor | Scalar, x: Pytree, h = 1e-6): Float64Array {
  const x0 = flatten(x);
  // f on nodes (jvp's value), at a point given as flat numbers.
  const value = (p: Float64Array) => {
    const y = jvp(f as never, unflatten(x, p) as Pytree, unflatten(x, new Float64Array(p.length)) as Pytree).value;
    return typeof y === 'number' ? Float64Array.of(y) : Float64Array.from(y as Float64Array);
  };
  const m = value(x0).length, n = x0.length;
  const J = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const plus = x0.slice(), minus = x0.slice();
    plus[j] += h;
    minus[j] -= h;
    const up = value(plus), down = value(minus);
    for (let i = 0; i < m; i++) J[i * n + j] = (up[i] - down[i]) / (2 * h);
  }
  return J;
}

/**
 * A chain of scalar ops over v's elements (the generated lane sweeps), each step's value an output,
 * and with `extra` beside it: f: ℝ³⁰ → ℝ²⁹ or more.
 */
function scalarChain(extra: (v: Tensor, parts: Scalar[]) => Tensor) {
  return (v: Tensor) => {
    const parts: Scalar[] = [];
    let s: Scalar = v.at(0);
    for (let i = 1; i < v.size; i++) {
      s = s.mul(v.at(i)).add(v.at(i - 1).square()).tanh();
      parts.push(s);
    }
    return extra(v, parts);
  };
}

/** J by `mode` at top level (lanes) has the bits of strict mode's one sweep per row or column, with code generation on and off. */
function expectLaneBits(f: (v: Tensor) => Tensor, x: number[], mode: 'forward' | 'reverse'): void {
  const oneByOne = jacobian(f, x, { mode, checkFinite: true }) as Float64Array;
  for (const codegen of [true, false]) {
    allowLaneCodegen(codegen);
    try {
      expect(Array.from(jacobian(f, x, { mode }) as Float64Array), `${mode}, codegen ${codegen}`).toEqual(Array.from(oneByOne));
    } finally {
      allowLaneCodegen(true);
    }
  }
}

describe('jacobian: by rows and by columns', () => {
  it('f(x) = A·x + sin(x)·x₀ against its closed form J = A + diag(cos x)·x₀ + sin(x)·e₀ᵀ, in every mode', () => {
    const A = Float64Array.of(1, -2, 0.5, 3, 0.25, -1, 2, 0, 4, 1.5, -0.5, 2); // 4×3: a tall J
    const x = [0.3, -1.1, 0.7];
    const f = (v: Tensor) => tensor(A, [4, 3]).matmul(v).add(tensor([0, 0, 0, 1]).mul(v.at(0))).add(stack([v.at(0), v.at(1), v.at(2), v.at(0)]).sin().mul(v.at(0)));
    const expected = new Float64Array(12);
    const xs = [x[0], x[1], x[2], x[0]];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) expected[i * 3 + j] = A[i * 3 + j] + (i === 3 && j === 0 ? 1 : 0);
      const own = i === 3 ? 0 : i; // the input row i's sine reads
      expected[i * 3 + own] += Math.cos(xs[i]) * x[0];
      expected[i * 3] += Math.sin(xs[i]);
    }
    for (const mode of MODES) expectClose(jacobian(f, x, { mode }) as Float64Array, expected, 1e-15, mode);
  });

  it('over random expressions (fast-check): columns equal rows to rounding and both equal central differences', () => {
    fc.assert(fc.property(fc.oneof(vectorExpr.map((e) => ({ e, tall: false })), matrixExpr.map((e) => ({ e, tall: true }))), vecOf(4, 1.2), ({ e, tall }, x) => {
      const f = (v: Tensor) => (tall ? evalM(e as never, v).reshape([-1]) : evalV(e as never, v));
      const rows = jacobian(f, x, { mode: 'reverse' }) as Float64Array;
      const columns = jacobian(f, x, { mode: 'forward' }) as Float64Array;
      expectClose(columns, rows, 1e-13, 'columns against rows');
      expectClose(columns, differences(f as never, x), 1e-6, 'columns against differences');
    }), { numRuns: 60, seed: 91 });
  });

  it('a pytree of a scalar, a vector and a matrix, with the output a matrix: rows, columns and differences agree', () => {
    const x = { s: 0.4, v: [0.2, -0.9], M: Float64Array.of(1.1, -0.3, 0.5, 0.8) };
    const f = (p: { s: Scalar; v: Tensor; M: Tensor }) => p.M.reshape([2, 2]).matmul(p.v.tanh().mul(p.s)).reshape([2, 1]).mul(tensor([[1, -2, 0.5]])).exp();
    const rows = jacobian(f as never, x, { mode: 'reverse' }) as Float64Array;
    expect(rows.length).toBe(6 * 7);
    expectClose(jacobian(f as never, x, { mode: 'forward' }) as Float64Array, rows, 1e-14, 'columns');
    expectClose(rows, differences(f as never, x), 1e-7, 'differences');
  });

  it('through a checkpointed block, a defineOp with rules on numbers, cumsum and sort, and vmap: columns equal rows', () => {
    const cube = defineOp({
      name: 'cubeOnNumbers',
      primal: (u: number) => u * u * u,
      tangent: ([u], [d]) => 3 * u * u * d,
      backward: ([u], _y, g) => [{ value: 3 * u.value * u.value * g.value, tangent: 3 * u.value * u.value * g.tangent + 6 * u.value * u.tangent * g.value }],
    });
    const block = checkpoint((y: Tensor) => y.tanh().mul(y));
    const rowsOf = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]);
    const fs: Array<(v: Tensor) => Tensor> = [
      (v) => block(v.mul(v.at(0))).concat([v.exp()]),
      (v) => (cube(v.sin()) as Tensor).concat([v]),
      (v) => cumsum(v.square()).concat([sort(v.mul(tensor([1, -2, 3])))]),
      (v) => vmap((r: Tensor) => r.mul(v).sum() as never)(rowsOf) as unknown as Tensor,
    ];
    const x = [0.3, -0.7, 1.1];
    fs.forEach((f, k) => {
      const rows = jacobian(f, x, { mode: 'reverse' }) as Float64Array;
      expectClose(jacobian(f, x, { mode: 'forward' }) as Float64Array, rows, 1e-15, `function ${k}`);
      expectClose(rows, differences(f as never, x), 1e-7, `function ${k}: differences`);
    });
  });

  it('at top level the columns ride as tangent lanes, in blocks: the same as one sweep per column (strict mode), in one block and in several', () => {
    // Scalar ops (the generated lane sweeps), with code generation on and off: the same bits.
    const x = Array.from({ length: 30 }, (_, k) => 0.4 * Math.cos(k));
    expectLaneBits(scalarChain((v, parts) => stack(parts).concat([v.sin()])), x, 'forward');
    // A large tape: blocks of 16 lanes, the last one 4 wide; the product takes the lanes as columns.
    const A = Float64Array.from({ length: 40_000 * 20 }, (_, k) => Math.sin(0.37 * k));
    const wide = (v: Tensor) => tensor(A, [40_000, 20]).matmul(v).tanh().mul(v.sum());
    const v0 = Array.from({ length: 20 }, (_, k) => 0.05 * (k - 10));
    expect(hessianBlockWidth((v: Tensor) => wide(v).sum(), v0)).toBe(16);
    expectClose(jacobian(wide, v0) as Float64Array, jacobian(wide, v0, { checkFinite: true }) as Float64Array, 1e-14, 'blocks');
  });

  it('at top level the rows ride as R-adjoint lanes with zero tangents, in blocks: the same as one reverse sweep per row (strict mode)', () => {
    // Random expressions: rows by lanes against one pullback per row, and against differences.
    fc.assert(fc.property(fc.oneof(vectorExpr.map((e) => ({ e, tall: false })), matrixExpr.map((e) => ({ e, tall: true }))), vecOf(4, 1.2), ({ e, tall }, x) => {
      const f = (v: Tensor) => (tall ? evalM(e as never, v).reshape([-1]) : evalV(e as never, v));
      const lanes = jacobian(f, x, { mode: 'reverse' }) as Float64Array;
      expectClose(lanes, jacobian(f, x, { mode: 'reverse', checkFinite: true }) as Float64Array, 1e-14, 'lanes against one sweep per row');
    }), { numRuns: 40, seed: 5 });
    // Scalar ops (the generated sweeps) beside enough tensor work for the rows to ride as lanes, code
    // generation on and off: the same bits as one row at a time.
    const K = Float64Array.from({ length: 300 * 30 }, (_, k) => Math.sin(0.3 * k));
    const x = Array.from({ length: 30 }, (_, k) => 0.4 * Math.cos(k));
    expectLaneBits(scalarChain((v, parts) => stack(parts).add(tensor(K, [300, 30]).matmul(v).tanh().sum())), x, 'reverse');
    // A large tape and 20 outputs: blocks of 16 rows, then 4.
    const A = Float64Array.from({ length: 40_000 * 20 }, (_, k) => Math.sin(0.37 * k));
    const B = Float64Array.from({ length: 20 * 40_000 }, (_, k) => Math.cos(0.11 * k));
    const g = (v: Tensor) => tensor(B, [20, 40_000]).matmul(tensor(A, [40_000, 20]).matmul(v).tanh());
    const v0 = Array.from({ length: 20 }, (_, k) => 0.05 * (k - 10));
    expect(hessianBlockWidth((v: Tensor) => g(v).sum(), v0)).toBe(16);
    expectClose(jacobian(g, v0) as Float64Array, jacobian(g, v0, { checkFinite: true }) as Float64Array, 1e-14, 'blocks');
  });

  it("'auto' sweeps the fewer: tangent sweeps for a tall J, reverse sweeps for a wide one", () => {
    let tangents = 0, backwards = 0;
    const counted = countingCube('countedCube', (rule) => (rule === 'tangent' ? tangents++ : backwards++));
    const tall = (v: Tensor) => tensor([1, 2, 3, 4, 5]).mul(counted(v.sum()) as Scalar); // m = 5, n = 2
    const wide = (v: Tensor) => stack([counted(v.sum()) as Scalar, v.at(0)]); // m = 2, n = 5
    jacobian(tall, [0.5, 1]);
    expect([tangents > 0, backwards]).toEqual([true, 0]);
    tangents = backwards = 0;
    jacobian(wide, [0.5, 1, 2, 3, 4]);
    expect([tangents, backwards > 0]).toEqual([0, true]);
    // And each mode runs as asked whatever the shape.
    tangents = backwards = 0;
    jacobian(tall, [0.5, 1], { mode: 'reverse' });
    expect([tangents, backwards > 0]).toEqual([0, true]);
    expectClose(jacobian(tall, [0.5, 1], { mode: 'reverse' }) as Float64Array, jacobian(tall, [0.5, 1]) as Float64Array, 1e-15, 'tall');
    expectClose(jacobian(wide, [0.5, 1, 2, 3, 4], { mode: 'forward' }) as Float64Array, jacobian(wide, [0.5, 1, 2, 3, 4]) as Float64Array, 1e-15, 'wide');
  });

  it('nested: grad of Σ J² is the same by columns and by rows, and matches differences of that sum', () => {
    const f = (v: Tensor) => v.mul(v.at(0)).sin().concat([v.square()]);
    const sumSquares = (mode: 'forward' | 'reverse') => (v: Tensor) => (jacobian(f, v, { mode }) as unknown as Tensor).square().sum();
    const x = [0.3, -0.8, 1.2];
    const byColumns = grad(sumSquares('forward'))(x) as Float64Array;
    const byRows = grad(sumSquares('reverse'))(x) as Float64Array;
    expectClose(byColumns, byRows, 1e-13, 'nested');
    const h = 1e-6;
    const plain = (p: number[]) => Array.from(jacobian(f, p, { mode: 'reverse' }) as Float64Array).reduce((s, u) => s + u * u, 0);
    const fd = x.map((_, j) => {
      const up = x.slice(), down = x.slice();
      up[j] += h;
      down[j] -= h;
      return (plain(up) - plain(down)) / (2 * h);
    });
    expectClose(byColumns, fd, 1e-7, 'differences');
  });

  it('hasAux, strict mode and the edges: no outputs, no parameters, a constant f, the identity', () => {
    const [J, aux] = jacobian((v: Tensor) => [v.exp().concat([v]), v.sum()] as const, [0, 1], { hasAux: true, mode: 'forward' });
    expectClose(J as Float64Array, [1, 0, 0, Math.E, 1, 0, 0, 1], 1e-15, 'with aux');
    expect(aux).toBe(1);
    // A non-finite tangent in strict mode: d√v at 0.
    expect(() => jacobian((v: Tensor) => v.sqrt().concat([v]), [0, 1], { mode: 'forward', checkFinite: true })).toThrow(FiniteError);
    for (const mode of MODES) {
      expect(Array.from(jacobian((v: Tensor) => v.slice(0, 0), [1, 2], { mode }) as Float64Array), `${mode}: m = 0`).toEqual([]);
      expect(Array.from(jacobian((v: Tensor) => tensor([1, 2, 3]).mul(v.sum()), [] as number[], { mode }) as Float64Array), `${mode}: n = 0`).toEqual([]);
      expect(Array.from(jacobian(() => 3, [1, 2], { mode }) as Float64Array), `${mode}: a constant`).toEqual([0, 0]);
      // The output is the leaf itself, whose tangent is the unit direction being swept.
      expect(Array.from(jacobian((v: Tensor) => v, [1, 2, 3], { mode }) as Float64Array), `${mode}: the identity`).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
      expect(Array.from(jacobian((v: Scalar) => v.mul(v), 3, { mode }) as Float64Array), `${mode}: scalar to scalar`).toEqual([6]);
    }
  });

  it('refuses an unknown mode, naming the three', () => {
    expect(() => jacobian((v: Tensor) => v, [1], { mode: 'fwd' } as never)).toThrow(OptionError);
    expect(() => jacobian((v: Tensor) => v, [1], { mode: 'fwd' } as never)).toThrow(/'auto', 'forward', 'reverse'/);
  });
});

describe('jacobian by columns over every op of the op tables: n tangent sweeps give the reverse sweep\'s gradient', () => {
  // Each case is a scalar f, so J is ∇f: its columns come from the ops' tangent rules alone, its row
  // from their backward rules alone — two derivations of every op's first derivative, checked apart.
  eachOpCase((c, x, label) => {
    const columns = jacobian(c.f as never, x, { mode: 'forward' }) as Float64Array;
    expectClose(columns, flatten(grad(c.f as never)(x as never) as Pytree), 1e-13, label);
  });
});
