// sparseHessian: the pattern from the tape is a superset of the Hessian's nonzeros at every point
// tried (and exactly them on structured problems), the star coloring lets every nonzero be read off
// one product, and the values equal the dense `hessian`'s.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, FiniteError, NestedTransformError, OptionError, OutputError, defineOp, grad, hessian, sparseHessian, stack, tensor,
  where, concat, type Scalar, type SparseHessian, type Tensor,
} from '../src/index.js';
import { detached } from '../src/ops/detached.js';
import { builtInRuleCount, OP_SPARSITY } from '../src/sparsity/op-sparsity.js';
import type { SymmetricPattern } from '../src/sparsity/interactions.js';
import { recoveryPlan } from '../src/sparsity/recovery.js';
import { starColoring, type VertexOrder } from '../src/sparsity/star-coloring.js';
import { ruleOf } from '../src/tape.js';
import { families } from './op-tables/index.js';

// ---- helpers --------------------------------------------------------------------------------------

/** The entries of a result as "r,c" keys, after checking the listing: sorted, no repeats, symmetric. */
function entriesOf(S: SparseHessian): Set<string> {
  const keys = new Set<string>();
  for (let k = 0; k < S.rows.length; k++) {
    if (k > 0) {
      const before = S.rows[k - 1] < S.rows[k] || (S.rows[k - 1] === S.rows[k] && S.cols[k - 1] < S.cols[k]);
      expect(before, `entries ${k - 1} and ${k} out of order or repeated`).toBe(true);
    }
    keys.add(`${S.rows[k]},${S.cols[k]}`);
  }
  for (let k = 0; k < S.rows.length; k++) expect(keys.has(`${S.cols[k]},${S.rows[k]}`)).toBe(true);
  expect(S.values.length).toBe(S.rows.length);
  expect(S.cols.length).toBe(S.rows.length);
  return keys;
}

/** The nonzeros of a dense n×n matrix as "r,c" keys. */
function nonzerosOf(H: Float64Array, n: number): Set<string> {
  const keys = new Set<string>();
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (H[r * n + c] !== 0) keys.add(`${r},${c}`);
  return keys;
}

/**
 * sparseHessian against the dense hessian: every nonzero of the dense one is in the pattern, every
 * value agrees (entries outside the pattern are 0 in both). Returns the result and the dense matrix.
 */
function checkAgainstDense(f: (x: never) => Scalar | number, x: unknown, tolerance = 1e-11): { S: SparseHessian; D: Float64Array } {
  const S = sparseHessian(f as never, x as never);
  const D = hessian(f as never, x as never) as unknown as Float64Array;
  const n = S.n;
  expect(D.length).toBe(n * n);
  const pattern = entriesOf(S);
  for (const key of nonzerosOf(D, n)) expect(pattern.has(key), `H[${key}] = ${D[indexOf(key, n)]} is outside the pattern`).toBe(true);
  let scale = 1;
  for (const d of D) scale = Math.max(scale, Math.abs(d));
  for (let k = 0; k < S.rows.length; k++) {
    const d = D[S.rows[k] * n + S.cols[k]];
    expect(Math.abs(S.values[k] - d), `H[${S.rows[k]},${S.cols[k]}]: ${S.values[k]} vs ${d}`).toBeLessThanOrEqual(tolerance * scale);
  }
  return { S, D };
}

const indexOf = (key: string, n: number) => {
  const [r, c] = key.split(',').map(Number);
  return r * n + c;
};

/** The "r,c" keys of a list of entries. */
const keysOf = (entries: ReadonlyArray<readonly [number, number]>) => new Set(entries.map(([r, c]) => `${r},${c}`));

/** The entries of symmetric blocks {i, j, …}². */
const blocks = (...bs: number[][]) => bs.flatMap((b) => b.flatMap((i) => b.map((j) => [i, j] as const)));

const sorted = (keys: Set<string>) => [...keys].sort();

function pointOf(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => Math.sin(1.7 * k + seed) * 1.3);
}

// ---- random problems -------------------------------------------------------------------------------

/**
 * A sum of small terms, each over a few variables, written with scalar ops. `pairs` is what each term
 * can make nonzero, worked out by hand from its formula: the oracle of the pattern.
 */
type Term =
  | { kind: 'tanhProduct'; i: number; j: number; c: number } // tanh(xᵢxⱼ + c): {i, j}²
  | { kind: 'squaredDifference'; i: number; j: number; c: number } // (xᵢ − c·xⱼ)²: {i, j}², {i}² when c = 0
  | { kind: 'expTimes'; i: number; j: number; c: number } // exp(c·xᵢ)·xⱼ: (i, j), and (i, i) when c ≠ 0
  | { kind: 'sinOfSum'; i: number; j: number; k: number } // sin(xᵢ + xⱼ + xₖ): {i, j, k}²
  | { kind: 'quotient'; i: number; j: number } // xᵢ / (2 + xⱼ²): (i, j), (j, j)
  | { kind: 'linear'; i: number; c: number }; // c·xᵢ: nothing

function termValue(t: Term, x: Tensor): Scalar {
  switch (t.kind) {
    case 'tanhProduct': return x.at(t.i).mul(x.at(t.j)).add(t.c).tanh();
    case 'squaredDifference': return x.at(t.i).sub(x.at(t.j).mul(t.c)).square();
    case 'expTimes': return x.at(t.i).mul(t.c).exp().mul(x.at(t.j));
    case 'sinOfSum': return x.at(t.i).add(x.at(t.j)).add(x.at(t.k)).sin();
    case 'quotient': return x.at(t.i).div(x.at(t.j).square().add(2));
    case 'linear': return x.at(t.i).mul(t.c);
  }
}

/** The entries a term can make nonzero, from its formula. */
function termEntries(t: Term): Array<readonly [number, number]> {
  const block = (...vs: number[]) => vs.flatMap((a) => vs.map((b) => [a, b] as const));
  const cross = (i: number, j: number) => [[i, j], [j, i]] as const;
  switch (t.kind) {
    case 'tanhProduct': return block(t.i, t.j);
    case 'squaredDifference': return t.c === 0 ? block(t.i) : block(t.i, t.j);
    case 'expTimes': return t.c === 0 ? [] : [...block(t.i), ...cross(t.i, t.j)];
    case 'sinOfSum': return block(t.i, t.j, t.k);
    case 'quotient': return [...block(t.j), ...cross(t.i, t.j)];
    case 'linear': return [];
  }
}

function termsArb(n: number): fc.Arbitrary<Term[]> {
  const v = fc.integer({ min: 0, max: n - 1 });
  const c = fc.constantFrom(0, 0.5, -1.25, 2);
  return fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('tanhProduct' as const), i: v, j: v, c }),
      fc.record({ kind: fc.constant('squaredDifference' as const), i: v, j: v, c }),
      fc.record({ kind: fc.constant('expTimes' as const), i: v, j: v, c }),
      fc.record({ kind: fc.constant('sinOfSum' as const), i: v, j: v, k: v }),
      fc.record({ kind: fc.constant('quotient' as const), i: v, j: v }),
      fc.record({ kind: fc.constant('linear' as const), i: v, c }),
    ),
    { minLength: 1, maxLength: 8 },
  );
}

describe('sparseHessian on random sums of small terms', () => {
  it('the pattern is exactly the terms\' interactions, and the values are the dense hessian\'s', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(fc.constant(n), termsArb(n), fc.integer({ min: 0, max: 1000 }))),
        ([n, terms, seed]) => {
          const f = (x: Tensor) => terms.map((t) => termValue(t, x)).reduce((a, b) => a.add(b));
          const { S } = checkAgainstDense(f as never, pointOf(n, seed));
          expect(sorted(entriesOf(S))).toEqual(sorted(keysOf(terms.flatMap(termEntries))));
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ---- structured problems -------------------------------------------------------------------------

/** Σᵢ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)², written with scalar ops (the benchmark's form). */
function rosenbrockScalar(x: Tensor): Scalar {
  let f: Scalar | undefined;
  for (let i = 0; i + 1 < x.size; i += 2) {
    const a = x.at(i), b = x.at(i + 1);
    const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
    f = f ? f.add(term) : term;
  }
  return f!;
}

/** The same function with tensor ops: strided slices for the pairs. */
const rosenbrockTensor = (x: Tensor) => {
  const a = x.slice(0, null, 0, 2), b = x.slice(1, null, 0, 2);
  return b.sub(a.square()).square().mul(100).add(a.neg().add(1).square()).sum();
};

/** Its Hessian in closed form: 2×2 blocks [1200a² − 400b + 2, −400a; −400a, 200]. */
function rosenbrockEntry(x: Float64Array, r: number, c: number): number {
  const i = r - (r % 2);
  if (c - (c % 2) !== i) return 0;
  const a = x[i], b = x[i + 1];
  if (r === i && c === i) return 1200 * a * a - 400 * b + 2;
  if (r !== c) return -400 * a;
  return 200;
}

describe('extended Rosenbrock', () => {
  for (const [form, f] of [['scalar ops', rosenbrockScalar], ['tensor ops', rosenbrockTensor]] as const) {
    it(`${form}: the 2×2 blocks exactly, in two colors, equal to the dense hessian`, () => {
      const n = 12;
      const x = pointOf(n, 3);
      const { S } = checkAgainstDense(f as never, x);
      expect(sorted(entriesOf(S))).toEqual(sorted(keysOf(blocks(...Array.from({ length: n / 2 }, (_, k) => [2 * k, 2 * k + 1])))));
      expect(S.colors).toBe(2);
    });

    it(`${form}: at n = 2000 every entry equals the closed form`, () => {
      const n = 2000;
      const x = pointOf(n, 1);
      const S = sparseHessian(f as never, x);
      expect(S.n).toBe(n);
      expect(S.rows.length).toBe(2 * n);
      expect(S.colors).toBe(2);
      for (let k = 0; k < S.rows.length; k++) {
        const want = rosenbrockEntry(x, S.rows[k], S.cols[k]);
        expect(Math.abs(S.values[k] - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        expect(want).not.toBe(0);
      }
    });
  }
});

describe('a banded problem', () => {
  // f = Σ xᵢ² + Σ_{d ≤ b} Σᵢ sin(xᵢ·xᵢ₊d): H[i][j] ≠ 0 exactly for |i − j| ≤ b.
  const banded = (b: number) => (x: Tensor) => {
    let f = x.square().sum();
    for (let d = 1; d <= b; d++) f = f.add(x.slice(d).mul(x.slice(0, -d)).sin().sum());
    return f;
  };
  for (const b of [1, 2, 3]) {
    it(`bandwidth ${b}: the band exactly, with at most 2b + 1 colors (a distance-2 coloring's count) in every order`, () => {
      const n = 25;
      const { S } = checkAgainstDense(banded(b) as never, pointOf(n, b));
      const band = new Set<string>();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Math.abs(i - j) <= b) band.add(`${i},${j}`);
      expect(sorted(entriesOf(S))).toEqual(sorted(band));
      for (const order of ['smallest-last', 'largest-first', 'natural'] as const) {
        const colored = sparseHessian(banded(b) as never, pointOf(n, b), { order });
        expect(colored.colors).toBeLessThanOrEqual(2 * b + 1);
        expect(Array.from(colored.rows)).toEqual(Array.from(S.rows));
        expect(Array.from(colored.cols)).toEqual(Array.from(S.cols));
        colored.values.forEach((v, k) => expect(Math.abs(v - S.values[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
      }
    });
  }
});

describe('an arrowhead problem', () => {
  // f = Σᵢ exp(x₀·xᵢ) + Σ xᵢ²: a dense first row and column, and the diagonal.
  const arrowhead = (x: Tensor) => x.slice(1).mul(x.at(0)).exp().sum().add(x.square().sum());
  it('the arrow exactly, in two colors whatever n is (dense hessian: n products)', () => {
    const n = 30;
    const { S } = checkAgainstDense(arrowhead as never, pointOf(n, 2).map((v) => v / 3));
    const arrow = new Set<string>();
    for (let i = 0; i < n; i++) {
      arrow.add(`${i},${i}`);
      arrow.add(`0,${i}`);
      arrow.add(`${i},0`);
    }
    expect(sorted(entriesOf(S))).toEqual(sorted(arrow));
    for (const order of ['smallest-last', 'largest-first', 'natural'] as const) {
      expect(sparseHessian(arrowhead as never, pointOf(n, 2), { order }).colors).toBe(2);
    }
  });

  it('more colors than one sweep carries (blocks of 16 tangent lanes): a dense Hessian in 37 colors, exact, also with checkFinite (one sweep per color)', () => {
    // Every pair interacts: the pattern is full, so each of the 37 inputs gets a color of its own and
    // the products go in blocks of 16, 16 and 5 lanes.
    const n = 37;
    const f = (x: Tensor) => x.sum().sin().add(x.square().sum().mul(0.5)).add(x.mul(x.sum()).exp().sum().mul(0.01));
    const x0 = pointOf(n, 5).map((v) => v / 10);
    const { S } = checkAgainstDense(f as never, x0);
    expect(S.colors).toBe(n);
    expect(S.rows.length).toBe(n * n);
    const strict = sparseHessian(f as never, x0 as never, { checkFinite: true });
    expect(strict.values).toEqual(S.values);
  });

  it('with a band beside the arrow: values still exact', () => {
    const f = (x: Tensor) => arrowhead(x).add(x.slice(1).mul(x.slice(0, -1)).cos().sum());
    checkAgainstDense(f as never, pointOf(16, 5).map((v) => v / 3));
  });
});

describe('tensor ops', () => {
  it('Σ tanh(A·x) for a sparse constant A built with where and concat: the union of the rows\' supports squared', () => {
    const n = 10;
    // Row r of A reads columns r and (3r + 1) mod n: zeros placed with where, rows joined with concat.
    const rows = Array.from({ length: 6 }, (_, r) => {
      const mask = Array.from({ length: n }, (_, c) => (c === r || c === (3 * r + 1) % n ? 1 : 0));
      return where(mask, tensor(Array.from({ length: n }, (_, c) => 1 + 0.1 * c)), 0).reshape([1, n]);
    });
    const f = (x: Tensor) => concat(rows).matmul(x).tanh().sum();
    const { S } = checkAgainstDense(f as never, pointOf(n, 4));
    expect(sorted(entriesOf(S))).toEqual(sorted(keysOf(blocks(...Array.from({ length: 6 }, (_, r) => [r, (3 * r + 1) % n])))));
  });

  it('elementwise ops on a tensor x, a cumulative sum and a gather: superset, values exact', () => {
    const f = (x: Tensor) =>
      x.slice(1).mul(x.slice(0, -1)).exp().sum()
        .add(x.cumsum().square().sum().mul(0.1))
        .add(x.take([3, 0, 3]).sigmoid().sum())
        .add(x.reshape([2, 4]).transpose().matmul(x.reshape([2, 4])).tanh().sum().mul(0.01));
    checkAgainstDense(f as never, pointOf(8, 6));
  });

  it('a constant zero factor cuts its operand off: x ⊙ [1, 0, 1, 0] reaches the output only through 0 and 2', () => {
    const f = (x: Tensor) => x.mul([1, 0, 1, 0]).tanh().sum().add(x.mul([0, 0, 0, 0]).exp().sum());
    const { S } = checkAgainstDense(f as never, pointOf(4, 7));
    expect(sorted(entriesOf(S))).toEqual(sorted(keysOf(blocks([0], [2]))));
  });

  it('conv2d with a constant filter (groups, stride, padding, dilation): the windows exactly', () => {
    // Each output reads a window of one group's channels; tanh makes every window's pairs nonzero.
    const filter = () => tensor(Array.from({ length: 3 * 3 * 2 * 4 }, (_, k) => 0.2 + 0.05 * ((k * 7) % 11)), [3, 3, 2, 4]);
    for (const options of [{ stride: 2, padding: 'same' as const, groups: 2 }, { dilation: 2, groups: 2 }, { stride: [1, 2], padding: [1, 0], groups: 2 }]) {
      const f = (x: Tensor) => x.reshape([1, 5, 5, 4]).conv2d(filter(), options).tanh().sum();
      const { S, D } = checkAgainstDense(f as never, pointOf(100, 5).map((v) => v / 4));
      expect(sorted(entriesOf(S))).toEqual(sorted(nonzerosOf(D, 100)));
    }
  });

  it('conv2d of constant data with a variable filter: the filter taps that meet in a window', () => {
    const data = () => tensor(Array.from({ length: 2 * 4 * 4 * 2 }, (_, k) => (k % 5 === 0 ? 0 : Math.cos(k))), [2, 4, 4, 2]);
    const f = (w: Tensor) => data().conv2d(w.reshape([2, 2, 2, 3]), { stride: 2 }).tanh().sum();
    const { S, D } = checkAgainstDense(f as never, pointOf(24, 2).map((v) => v / 3));
    expect(sorted(entriesOf(S))).toEqual(sorted(nonzerosOf(D, 24)));
  });

  it('a zero of a detached value (no derivative, but it follows x) does not cut a product off', () => {
    // f = (x₁·m)², m = 0 for x₀ > 0 and 1 otherwise: H[1][1] = 2m² is 0 here but not at x₀ < 0, on the same tape.
    const f = (x: Tensor) => x.at(1).mul(detached(x.at(0), (v) => ((v as number) > 0 ? 0 : 1), null) as Scalar).square();
    expect(sorted(entriesOf(checkAgainstDense(f as never, [0.5, 2]).S))).toEqual(['1,1']);
    expect(hessian(f as never, [-0.5, 2])[3]).toBe(2);
  });

  it('a convolution with a constant stencil couples only the windows: a 1-D Laplacian energy is tridiagonal', () => {
    const n = 12;
    // The stencil is made inside f: a filter made outside any transform trips an engine bug in the
    // convolution's adjoint (reported; not this module's).
    const f = (x: Tensor) => x.reshape([1, n, 1]).conv1d(tensor([1, -2, 1], [3, 1, 1])).square().sum();
    const { S } = checkAgainstDense(f as never, pointOf(n, 8));
    // (x_{i−1} − 2xᵢ + x_{i+1})² couples i with i ± 1 and i ± 2.
    const expected = new Set<string>();
    for (let i = 1; i + 1 < n; i++) for (const p of [i - 1, i, i + 1]) for (const q of [i - 1, i, i + 1]) expected.add(`${p},${q}`);
    expect(sorted(entriesOf(S))).toEqual(sorted(expected));
  });
});

describe('every op', () => {
  it('every built-in op rule has a sparsity rule (a new op must be classified)', () => {
    const missing: string[] = [];
    for (let code = 0; code < builtInRuleCount(); code++) {
      const { name } = ruleOf(code);
      if (!Object.prototype.hasOwnProperty.call(OP_SPARSITY, name)) missing.push(name);
    }
    expect(missing).toEqual([]);
  });

  // Every case of the op tables (every exported op, scalar and tensor forms, broadcasting, pytrees):
  // the pattern holds every nonzero of the dense hessian and the values agree.
  for (const [family, table] of Object.entries(families)) {
    for (const [name, cases] of Object.entries(table)) {
      it(`${family}: ${name}`, () => {
        for (const c of cases) checkAgainstDense(c.f, c.x(), 1e-9);
      });
    }
  }

  it('a user op (defineOp) is kept whole: still a superset, values exact', () => {
    const cube = defineOp({
      name: 'mul', // a built-in's name must not make it look like one
      primal: (a: number, b: number) => a * a * b,
      partials: (o, [a, b]) => [o.mul(2, o.mul(a, b)), o.mul(a, a)],
    });
    const f = (x: Tensor) => cube(x.slice(0, 3), x.slice(1, 4)).sum().add(x.at(4).square());
    checkAgainstDense(f as never, pointOf(5, 9));
  });
});

describe('what the walk leaves out and what it reaches', () => {
  it('work f does on the side adds nothing: only what the output depends on counts', () => {
    const f = (x: Tensor) => {
      x.at(0).mul(x.at(1)).exp(); // computed, never used
      return x.at(2).square();
    };
    const { S } = checkAgainstDense(f as never, pointOf(3, 1));
    expect(sorted(entriesOf(S))).toEqual(['2,2']);
  });

  it('a long running sum of scalar terms (lazy unions) gives the exact block pattern', () => {
    const n = 3000;
    const f = (x: Tensor) => {
      let s: Scalar = x.at(0).mul(x.at(1));
      for (let i = 2; i < n; i++) s = s.add(x.at(i).mul(x.at(i - 1)).mul(0.5)).add(x.at(i));
      return s;
    };
    const S = sparseHessian(f as never, pointOf(n, 2));
    const expected = new Set<string>();
    for (let i = 1; i < n; i++) {
      expected.add(`${i},${i - 1}`);
      expected.add(`${i - 1},${i}`);
    }
    expect(sorted(entriesOf(S))).toEqual(sorted(expected));
  });

  it('a nonlinear function of a long sum is dense over the sum\'s inputs', () => {
    const n = 40;
    const f = (x: Tensor) => {
      let s: Scalar = x.at(0);
      for (let i = 1; i < n - 1; i++) s = s.add(x.at(i));
      return s.tanh().add(x.at(n - 1));
    };
    const { S } = checkAgainstDense(f as never, pointOf(n, 3).map((v) => v / 10));
    expect(S.rows.length).toBe((n - 1) * (n - 1));
  });

  it('a gradient inside f (nested transform): the sweep\'s recorded ops are walked like any others', () => {
    const g = (x: Tensor) => x.slice(1).mul(x.slice(0, -1).pow(3)).sum();
    const f = (x: Tensor) => (grad(g as never)(x) as unknown as Tensor).square().sum();
    checkAgainstDense(f as never, pointOf(7, 4));
  });

  it('pytrees: entries are over flatten(x)', () => {
    const f = (p: { a: Tensor; b: Scalar }) => p.a.mul(p.b).sin().sum().add(p.a.at(0).square());
    const { S } = checkAgainstDense(f as never, { a: [0.3, -0.7, 1.1], b: 0.4 });
    expect(S.n).toBe(4);
    expect(sorted(entriesOf(S))).toEqual(sorted(keysOf(blocks([0, 3], [1, 3], [2, 3]))));
  });

  it('a constant f: an empty matrix of the right size', () => {
    const S = sparseHessian((() => 3) as never, [1, 2]);
    expect(S).toMatchObject({ n: 2, colors: 0 });
    expect(S.rows.length + S.cols.length + S.values.length).toBe(0);
  });
});

// ---- coloring -----------------------------------------------------------------------------------------

/** A random symmetric pattern over n vertices with a given edge probability (and some diagonal). */
function randomPattern(n: number, density: number, seed: number): SymmetricPattern {
  let s = seed * 7919 + 1;
  const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    if (random() < 0.7) rows[i].push(i);
    for (let j = i + 1; j < n; j++) if (random() < density) { rows[i].push(j); rows[j].push(i); }
  }
  const rowStart = new Int32Array(n + 1);
  rows.forEach((r, i) => (rowStart[i + 1] = rowStart[i] + r.length));
  return { n, rowStart, cols: Int32Array.from(rows.flatMap((r) => r.sort((a, b) => a - b))) };
}

/** Every path on four vertices uses at least three colors, and neighbors differ: checked path by path. */
function isStarColoring(p: SymmetricPattern, colorOf: Int32Array): boolean {
  const neighbors = (v: number) => Array.from(p.cols.subarray(p.rowStart[v], p.rowStart[v + 1])).filter((w) => w !== v);
  for (let a = 0; a < p.n; a++) {
    for (const b of neighbors(a)) {
      if (colorOf[a] === colorOf[b] || colorOf[a] < 0) return false;
      for (const c of neighbors(b)) {
        if (c === a) continue;
        for (const d of neighbors(c)) {
          if (d === b || d === a) continue;
          if (new Set([colorOf[a], colorOf[b], colorOf[c], colorOf[d]]).size < 3) return false;
        }
      }
    }
  }
  return true;
}

describe('star coloring', () => {
  it('is a star coloring of random graphs in every order, and every entry has a direct read', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }), fc.double({ min: 0.02, max: 0.6, noNaN: true }), fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom<VertexOrder>('smallest-last', 'largest-first', 'natural'),
        (n, density, seed, order) => {
          const p = randomPattern(n, density, seed);
          const coloring = starColoring(p, order);
          for (let v = 0; v < n; v++) {
            const empty = p.rowStart[v] === p.rowStart[v + 1];
            expect(coloring.colorOf[v] === -1).toBe(empty);
            if (!empty) expect(coloring.colorOf[v]).toBeLessThan(coloring.colors);
          }
          expect(isStarColoring(p, coloring.colorOf)).toBe(true);
          const plan = recoveryPlan(p, coloring);
          // Read (c, i) holds H[r][q] alone: i is r or q, and the other end is i's only neighbor of color c.
          for (let r = 0; r < n; r++) {
            for (let e = p.rowStart[r]; e < p.rowStart[r + 1]; e++) {
              const q = p.cols[e], i = plan.index[e], c = plan.color[e];
              expect(i === r || i === q).toBe(true);
              const other = i === r ? q : r;
              expect(coloring.colorOf[other]).toBe(c);
              const sameColor = Array.from(p.cols.subarray(p.rowStart[i], p.rowStart[i + 1])).filter((w) => coloring.colorOf[w] === c);
              expect(sameColor).toEqual([other]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a recovery plan refuses a coloring that is not a star coloring', () => {
    // A path 0–1–2–3 colored 0, 1, 0, 1: two-colored, so H[1][2] has no direct read.
    const p: SymmetricPattern = { n: 4, rowStart: Int32Array.of(0, 1, 3, 5, 6), cols: Int32Array.of(1, 0, 2, 1, 3, 2) };
    expect(() => recoveryPlan(p, { colorOf: Int32Array.of(0, 1, 0, 1), colors: 2 })).toThrow(/not a star coloring/);
  });
});

// ---- errors and options ---------------------------------------------------------------------------------

describe('errors and options', () => {
  const f = (x: Tensor) => x.square().sum();

  it('a tensor-valued f is an OutputError that says to reduce it', () => {
    expect(() => sparseHessian(((x: Tensor) => x.square()) as never, [1, 2])).toThrow(OutputError);
    expect(() => sparseHessian(((x: Tensor) => x.square()) as never, [1, 2])).toThrow(/must return a scalar/);
  });

  it('f that is not a function is an ArgumentError', () => {
    expect(() => sparseHessian(3 as never, [1, 2])).toThrow(ArgumentError);
  });

  it('inside another transform it is a NestedTransformError naming hessian as the way out', () => {
    const outer = (x: Tensor) => {
      sparseHessian(f as never, [1, 2]);
      return x.sum();
    };
    expect(() => grad(outer as never)([1, 2])).toThrow(NestedTransformError);
    expect(() => grad(outer as never)([1, 2])).toThrow(/use hessian/);
  });

  it('options are checked at run time: unknown keys, bad orders, non-objects', () => {
    expect(() => sparseHessian(f as never, [1, 2], { ordr: 'natural' } as never)).toThrow(OptionError);
    expect(() => sparseHessian(f as never, [1, 2], { ordr: 'natural' } as never)).toThrow(/did you mean 'order'/);
    expect(() => sparseHessian(f as never, [1, 2], { order: 'random' } as never)).toThrow(/'smallest-last', 'largest-first', 'natural'/);
    expect(() => sparseHessian(f as never, [1, 2], 'natural' as never)).toThrow(OptionError);
    expect(() => sparseHessian(f as never, [1, 2], { maxNodes: 0 })).toThrow(OptionError);
  });

  it('transform options reach both recordings: checkFinite and maxNodes', () => {
    expect(() => sparseHessian(f as never, [1, NaN], { checkFinite: true })).toThrow(FiniteError);
    const long = (x: Tensor) => stack(Array.from({ length: 50 }, (_, k) => x.at(k % 2).mul(k))).sum();
    expect(() => sparseHessian(long as never, [1, 2], { maxNodes: 20 })).toThrow(/budget/);
  });
});
