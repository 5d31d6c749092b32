// Products: N-D matmul, einsum, tensordot and outer against independent references written here —
// a naive loop over every assignment of einsum's labels, and NumPy's matmul rules spelled out as
// loops — plus their error messages, NaN and empty tensors, and derivatives against finite
// differences (checkGrads) for random einsum subscripts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, einsum, grad, jvp, matmul, outer, tensor, tensordot, where, type Tensor,
} from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';

interface Operand {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Values of `f` at the operands (each passed as a tensor of its shape), through jvp. */
function valueOf(f: (xs: Tensor[]) => Tensor, operands: readonly Operand[]): Float64Array {
  const x = operands.map((o) => o.data);
  const g = (p: Tensor[]) => f(p.map((t, j) => t.reshape(operands[j].shape)));
  const { value } = jvp(g as never, x as unknown as Float64Array[], x.map((d) => new Float64Array(d.length)));
  return typeof value === 'number' ? Float64Array.of(value) : value;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-12): void {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (let k = 0; k < want.length; k++) scale = Math.max(scale, Math.abs(want[k]));
  // One assertion for the whole array: the first entry off by more than the tolerance, if any.
  let bad = -1;
  for (let k = 0; k < want.length && bad < 0; k++) {
    const ok = Number.isNaN(want[k]) ? Number.isNaN(got[k]) : Math.abs(got[k] - want[k]) <= tolerance * scale;
    if (!ok) bad = k;
  }
  expect(bad < 0 ? 'all close' : `entry ${bad}: got ${got[bad]}, want ${want[bad]}`).toBe('all close');
}

/**
 * The reference: every assignment of every label, the product of the operands' entries summed into
 * the output entry. Terms are letters only (one per axis); an axis of size 1 broadcasts.
 */
function naiveEinsum(terms: readonly string[], out: string, operands: readonly Operand[]): Float64Array {
  const labels = [...new Set([...terms.join(''), ...out])];
  const size = new Map<string, number>();
  terms.forEach((term, j) => [...term].forEach((l, k) => size.set(l, Math.max(size.get(l) ?? 1, operands[j].shape[k]))));
  const dims = labels.map((l) => size.get(l)!);
  const outShape = [...out].map((l) => size.get(l)!);
  const result = new Float64Array(sizeOf(outShape));
  const value = new Map<string, number>();
  const flat = (shape: readonly number[], idx: readonly number[]) => idx.reduce((p, i, k) => p * shape[k] + (shape[k] === 1 ? 0 : i), 0);
  const total = sizeOf(dims);
  for (let e = 0; e < total; e++) {
    let r = e;
    for (let k = labels.length - 1; k >= 0; k--) {
      value.set(labels[k], r % dims[k]);
      r = Math.floor(r / dims[k]);
    }
    let product = 1;
    terms.forEach((term, j) => {
      product *= operands[j].data[flat(operands[j].shape, [...term].map((l) => value.get(l)!))];
    });
    result[flat(outShape, [...out].map((l) => value.get(l)!))] += product;
  }
  return result;
}

/** A random einsum problem: subscripts (with '...' where drawn), the same with ellipses spelled out, operands. */
interface EinsumCase {
  readonly subscripts: string;
  readonly terms: string[];
  readonly out: string;
  /** The operands as einsum gets them. */
  readonly operands: Operand[];
  /** The same with missing ellipsis axes spelled out as size-1 axes, for the reference. */
  readonly padded: Operand[];
}

function randomCase(seed: number): EinsumCase {
  const random = seededUniform(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const pool = [...'abcdeAB'];
  const size = new Map(pool.map((l) => [l, pick([1, 2, 3])]));
  const ellipsisRank = random() < 0.3 ? pick([1, 2]) : 0;
  const ellipsisNames = ['Y', 'Z'].slice(2 - ellipsisRank);
  const ellipsisSize = ellipsisNames.map(() => pick([2, 3]));
  const count = pick([1, 2, 2, 3]);
  const terms: string[] = [];
  const spelled: string[] = [];
  const operands: Operand[] = [];
  for (let j = 0; j < count; j++) {
    const rank = pick([0, 1, 2, 2, 3]);
    const letters = Array.from({ length: rank }, () => pick(pool));
    const e = ellipsisRank > 0 && random() < 0.8 ? pick([...Array(ellipsisRank + 1).keys()]) : -1;
    const at = Math.floor(random() * (rank + 1));
    const ellipsis = e < 0 ? [] : ellipsisNames.slice(ellipsisRank - e);
    const axes = [...letters.slice(0, at), ...ellipsis, ...letters.slice(at)];
    // A label may broadcast from size 1 (where it is not repeated in this operand).
    const shape = axes.map((l, k) => {
      const d = ellipsis.includes(l) ? ellipsisSize[ellipsisNames.indexOf(l)] : size.get(l)!;
      const repeated = axes.indexOf(l) !== k || axes.lastIndexOf(l) !== k;
      return !repeated && random() < 0.15 ? 1 : d;
    });
    terms.push(e < 0 ? letters.join('') : `${letters.slice(0, at).join('')}...${letters.slice(at).join('')}`);
    spelled.push(axes.join(''));
    operands.push({ data: Float64Array.from({ length: sizeOf(shape) }, () => random() * 2 - 1), shape });
  }
  const used = [...new Set(terms.join('').replace(/\./g, ''))];
  const anyEllipsis = terms.some((t) => t.includes('...'));
  let out: string;
  let subscripts: string;
  if (random() < 0.5) {
    // Implicit output: '...' then the letters used exactly once, in ASCII order.
    const all = terms.join('').replace(/\./g, '');
    const once = used.filter((l) => all.indexOf(l) === all.lastIndexOf(l)).sort();
    out = (anyEllipsis ? ellipsisNames.join('') : '') + once.join('');
    subscripts = terms.join(',');
  } else {
    const chosen = used.filter(() => random() < 0.5).sort(() => random() - 0.5);
    const at = Math.floor(random() * (chosen.length + 1));
    out = [...chosen.slice(0, at), ...(anyEllipsis ? ellipsisNames : []), ...chosen.slice(at)].join('');
    subscripts = `${terms.join(',')}->${chosen.slice(0, at).join('')}${anyEllipsis ? '...' : ''}${chosen.slice(at).join('')}`;
  }
  // Ellipsis axes an operand lacks broadcast: the reference sees them as leading size-1 axes.
  const padded = operands.map((o, j) => {
    if (!terms[j].includes('...')) return o;
    const have = [...spelled[j]].filter((l) => ellipsisNames.includes(l)).length;
    return { data: o.data, shape: [...Array<number>(ellipsisRank - have).fill(1), ...o.shape] };
  });
  const refTerms = spelled.map((t, j) => {
    if (!terms[j].includes('...')) return t;
    const have = [...t].filter((l) => ellipsisNames.includes(l)).length;
    return ellipsisNames.slice(0, ellipsisRank - have).join('') + t;
  });
  return { subscripts, terms: refTerms, out, operands, padded };
}

describe('einsum against a naive loop over all label assignments', () => {
  it('agrees for random subscripts (diagonals, broadcasting, ellipses, implicit and explicit outputs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        const c = randomCase(seed);
        const want = naiveEinsum(c.terms, c.out, c.padded);
        const got = valueOf((xs) => einsum(c.subscripts, ...xs), c.operands);
        expectClose(got, want);
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it('has derivatives that agree with finite differences for random subscripts', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const c = randomCase(seed * 7919);
      const own = c.operands;
      const f = (ps: Tensor[]) => einsum(c.subscripts, ...ps.map((p, j) => p.reshape(own[j].shape))).sin().sum();
      const checks = checkGrads(f as never, own.map((o) => Float64Array.from(o.data)) as never, { order: 2, directions: 1, seed });
      expect(checks.filter((ch) => !ch.passed).map((ch) => `${c.subscripts}: ${ch.name}`)).toEqual([]);
    }
  });

  it('follows NumPy on fixed cases: matmul, trace, diagonal, transpose, batch, outer, sums', () => {
    const A = { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] };
    const B = { data: Float64Array.of(1, 0, -1, 2, 0.5, 1), shape: [3, 2] };
    const M = { data: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), shape: [3, 3] };
    expectClose(valueOf(([a, b]) => einsum('ij,jk->ik', a, b), [A, B]), [1 - 2 + 1.5, 0 + 4 + 3, 4 - 5 + 3, 0 + 10 + 6]);
    expectClose(valueOf(([m]) => einsum('ii', m), [M]), [15]);
    expectClose(valueOf(([m]) => einsum('ii->i', m), [M]), [1, 5, 9]);
    expectClose(valueOf(([a]) => einsum('ij->ji', a), [A]), [1, 4, 2, 5, 3, 6]);
    expectClose(valueOf(([a]) => einsum('ba', a), [A]), [1, 4, 2, 5, 3, 6]);
    expectClose(valueOf(([a]) => einsum('ij->', a), [A]), [21]);
    expectClose(valueOf(([a]) => einsum('ij->j', a), [A]), [5, 7, 9]);
    const u = { data: Float64Array.of(1, 2), shape: [2] }, w = { data: Float64Array.of(3, 4, 5), shape: [3] };
    expectClose(valueOf(([p, q]) => einsum('i,j', p, q), [u, w]), [3, 4, 5, 6, 8, 10]);
    expectClose(valueOf(([p, q]) => einsum('i,i', p, q), [u, { data: Float64Array.of(3, 4), shape: [2] }]), [11]);
  });

  it('returns a 0-d tensor for a full contraction and handles empty axes', () => {
    const shapes: number[][] = [];
    grad((x: Tensor) => {
      const y = einsum('i,i->', x, x);
      shapes.push([...y.shape]);
      const empty = einsum('ij,jk->ik', tensor([], [2, 0]), tensor([], [0, 3]));
      shapes.push([...empty.shape], Array.from(empty.value));
      return y.sum();
    })([1, 2]);
    expect(shapes).toEqual([[], [2, 3], [0, 0, 0, 0, 0, 0]]);
  });

  it('broadcasts a label of size 1 against size 0, as NumPy (an empty result, or zeros where the empty label is summed)', () => {
    // Shapes and values from NumPy 2.4's einsum on the same shapes (jnp.einsum agrees).
    const cases: [string, number[][], number[], number[]][] = [
      ['ij,j->i', [[3, 0], [1]], [3], [0, 0, 0]],
      ['ij,ij->ij', [[1, 3], [0, 3]], [0, 3], []],
      ['...i,...i->...', [[0, 2], [1, 2]], [0], []],
      ['ij,jk->ik', [[2, 1], [0, 3]], [2, 3], [0, 0, 0, 0, 0, 0]],
      ['bij,bjk->bik', [[1, 2, 2], [0, 2, 2]], [0, 2, 2], []],
      ['ii,i->i', [[1, 1], [0]], [0], []],
    ];
    for (const [subscripts, [sa, sb], shape, values] of cases) {
      const a = new Float64Array(sizeOf(sa)).fill(2), b = tensor(new Float64Array(sizeOf(sb)).fill(3), sb);
      const g = grad((x: Tensor) => {
        const y = einsum(subscripts, x.reshape(sa), b);
        expect([subscripts, [...y.shape], Array.from(y.value)]).toEqual([subscripts, shape, values]);
        return y.sum();
      })(a);
      expect(Array.from(g)).toEqual(new Array(a.length).fill(0));
    }
  });

  it('propagates NaN to the entries it reaches', () => {
    const got = valueOf(([a, b]) => einsum('ij,jk->ik', a, b), [
      { data: Float64Array.of(1, NaN, 0, 1), shape: [2, 2] },
      { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] },
    ]);
    expect(Number.isNaN(got[0]) && Number.isNaN(got[1])).toBe(true);
    expect(Array.from(got.slice(2))).toEqual([3, 4]);
  });

  it('rejects malformed subscripts with an ArgumentError naming the problem', () => {
    const bad: [string, number[][], RegExp][] = [
      ['ij,jk', [[2, 2]], /names 2 operand\(s\) but 1 were given/],
      ['i$', [[2, 2]], /character "\$"/],
      ['i.j', [[2, 2]], /'\.' that is not part of '\.\.\.'/],
      ['...i...', [[2, 2]], /more than one '\.\.\.'/],
      ['ij->i->j', [[2, 2]], /more than one '->'/],
      ['ijk', [[2, 2]], /label 3/],
      ['ij->ii', [[2, 2]], /output label 'i' twice/],
      ['ij->k', [[2, 2]], /output label 'k' .* appears in no operand/],
      ['...i->i', [[2, 2]], /no '\.\.\.' to put them in/],
      ['i-j', [[2, 2]], /stray '-'/],
    ];
    for (const [subscripts, shapes, message] of bad) {
      expect(() => grad((x: Tensor) => einsum(subscripts, ...shapes.map((s) => x.reshape(s))).sum())(new Float64Array(4))).toThrow(message);
      expect(() => grad((x: Tensor) => einsum(subscripts, ...shapes.map((s) => x.reshape(s))).sum())(new Float64Array(4))).toThrow(ArgumentError);
    }
    expect(() => grad((x: Tensor) => einsum('ij').sum().add(x.sum()))([1])).toThrow(/at least one operand/);
    expect(() => grad((x: Tensor) => einsum('i,i', x, [1, 2] as never).sum())([1, 2])).toThrow(/operand 1 is an array/);
  });

  it('rejects sizes that disagree with a ShapeError naming the label and the shapes', () => {
    expect(() => grad((x: Tensor) => einsum('ij,jk', x.reshape([2, 3]), x.reshape([2, 3])).sum())(new Float64Array(6)))
      .toThrow(/label 'j' has size 3 in one operand and 2 in operand 1 \(shapes \[2,3\], \[2,3\]\)/);
    expect(() => grad((x: Tensor) => einsum('ii', x.reshape([2, 3])).sum())(new Float64Array(6))).toThrow(ShapeError);
  });
});

/** NumPy's matmul written out: vectors promoted and their axis dropped, batch axes broadcast. */
function naiveMatmul(a: Operand, b: Operand): { data: Float64Array; shape: number[] } {
  const as = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
  const bs = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = as.slice(-2), n = bs[bs.length - 1];
  const aBatch = as.slice(0, -2), bBatch = bs.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const dim = (s: number[], i: number) => s[s.length - rank + i] ?? 1;
  const batch = Array.from({ length: rank }, (_, i) => Math.max(dim(aBatch, i), dim(bBatch, i)));
  const at = (s: number[], idx: number[]) => idx.reduce((p, v, i) => (i < rank - s.length ? p : p * s[i - rank + s.length] + (s[i - rank + s.length] === 1 ? 0 : v)), 0);
  const P = sizeOf(batch);
  const out = new Float64Array(P * m * n);
  for (let f = 0; f < P; f++) {
    const idx: number[] = [];
    let r = f;
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = r % batch[i];
      r = Math.floor(r / batch[i]);
    }
    const ai = at(aBatch, idx) * m * k, bi = at(bBatch, idx) * k * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a.data[ai + i * k + l] * b.data[bi + l * n + j];
      out[(f * m + i) * n + j] = s;
    }
  }
  const shape = [...batch, ...(a.shape.length > 1 ? [m] : []), ...(b.shape.length > 1 ? [n] : [])];
  return { data: out, shape };
}

describe('matmul over N-D operands (NumPy semantics)', () => {
  const shapePairs = fc.tuple(
    fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }),
    fc.constantFrom('matrix', 'row', 'column'),
    fc.integer({ min: 1, max: 2 ** 30 }),
  );

  it('agrees with the matrix products written out, broadcasting batches and promoting vectors', () => {
    fc.assert(
      fc.property(shapePairs, ([aBatch, bBatchRaw, m, k, n, kind, seed]) => {
        const random = seededUniform(seed);
        // Batches broadcast: b's batch is a's, with some axes set to 1 or dropped.
        const bBatch = bBatchRaw.map((d, i) => (d === 1 ? 1 : (aBatch[aBatch.length - bBatchRaw.length + i] ?? d)));
        const aShape = kind === 'row' ? [k] : [...aBatch, m, k];
        const bShape = kind === 'column' ? [k] : [...bBatch, k, n];
        const operand = (shape: number[]) => ({ data: Float64Array.from({ length: sizeOf(shape) }, () => random() * 2 - 1), shape });
        const a = operand(aShape), b = operand(bShape);
        const want = naiveMatmul(a, b);
        const shapes: number[][] = [];
        const got = valueOf(([p, q]) => {
          const c = matmul(p, q);
          shapes.push([...c.shape]);
          return c;
        }, [a, b]);
        expect(shapes[0]).toEqual(want.shape);
        expectClose(got, want.data);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('gives a 0-d tensor for two vectors, as NumPy does', () => {
    let shape: readonly number[] = [1];
    const g = grad((x: Tensor) => {
      const y = matmul(x, x);
      shape = y.shape;
      return y.sum();
    })([1, 2, 3]);
    expect(shape).toEqual([]);
    expect(Array.from(g as Float64Array)).toEqual([2, 4, 6]);
  });

  it('rejects operands that do not chain or whose batches do not broadcast, naming both shapes', () => {
    const run = (as: number[], bs: number[]) => () =>
      grad((p: { a: Tensor; b: Tensor }) => matmul(p.a.reshape(as), p.b.reshape(bs)).sum())({ a: new Float64Array(sizeOf(as)), b: new Float64Array(sizeOf(bs)) });
    expect(run([2, 3], [2, 3])).toThrow(/shapes \[2,3\] and \[2,3\] do not chain: the inner dimensions 3 and 2 must be equal/);
    expect(run([2, 2, 3], [3, 3, 1])).toThrow(/batch dimensions \[2\] and \[3\] cannot be broadcast together/);
    expect(run([2, 2, 3], [3, 3, 1])).toThrow(ShapeError);
    expect(() => grad((x: Tensor) => matmul(x.reshape([]), x.reshape([1])).sum())([1])).toThrow(/0-d operand/);
  });

  it('keeps structural zeros in its batched adjoint: an infinite entry masked out of the loss gives a finite gradient', () => {
    const X = [1, 2, Infinity, 4, 5, 6, 7, 8];
    const g = grad((w: Tensor) => {
      const y = matmul(tensor(X, [2, 2, 2]), w.reshape([2, 1]));   // [2, 2, 1]; row 1 of batch 0 is infinite
      return where([1, 0, 1, 1], y.reshape([4]), 0).sum();
    })([0.5, -1]) as Float64Array;
    expect(Array.from(g)).toEqual([1 + 5 + 7, 2 + 6 + 8]);
  });

  it('runs the batched rules through the kernels at second and third order (checkGrads, nested)', () => {
    const f = (p: { a: Tensor; b: Tensor }) => matmul(p.a.reshape([3, 1, 2, 4]), p.b.reshape([2, 4, 3])).tanh().sum();
    const random = seededUniform(5);
    const x = { a: Array.from({ length: 24 }, () => random() - 0.5), b: Array.from({ length: 24 }, () => random() - 0.5) };
    const checks = checkGrads(f as never, x as never, { order: 3, directions: 1 });
    expect(checks.every((ch) => ch.passed)).toBe(true);
  });
});

describe('tensordot and outer', () => {
  it('tensordot agrees with the naive einsum of the same contraction', () => {
    const random = seededUniform(9);
    const operand = (shape: number[]) => ({ data: Float64Array.from({ length: sizeOf(shape) }, () => random() - 0.5), shape });
    const a = operand([2, 3, 4]), b = operand([4, 3, 2]);
    expectClose(valueOf(([p, q]) => tensordot(p, q, [[1, 2], [1, 0]]), [a, b]), naiveEinsum(['ijk', 'kjl'], 'il', [a, b]));
    expectClose(valueOf(([p, q]) => tensordot(p, q, 1), [a, b]), naiveEinsum(['ijk', 'klm'], 'ijlm', [a, b]));
    expectClose(valueOf(([p, q]) => tensordot(p, q, [-1, 0]), [a, b]), naiveEinsum(['ijk', 'klm'], 'ijlm', [a, b]));
    expectClose(valueOf(([p, q]) => tensordot(p, q, 0), [a, b]), naiveEinsum(['ijk', 'lmn'], 'ijklmn', [a, b]));
    const c = operand([3, 4]);
    expectClose(valueOf(([p, q]) => tensordot(p, q), [a, c]), naiveEinsum(['ijk', 'jk'], 'i', [a, c]));
  });

  it('tensordot rejects bad axes', () => {
    const run = (axes: unknown) => () => grad((x: Tensor) => tensordot(x.reshape([2, 3]), x.reshape([3, 2]), axes as never).sum())(new Float64Array(6));
    expect(run(3)).toThrow(/axes 3 must be an integer from 0 to the smaller rank/);
    expect(run([[0], [0, 1]])).toThrow(/1 axes of a paired with 2 of b/);
    expect(run([[0, 0], [0, 1]])).toThrow(/name an axis twice/);
    expect(run([[5], [0]])).toThrow(/axis 5 is out of range/);
    expect(run([[1], [1]])).toThrow(/axis 1 of a \(size 3\) is paired with axis 1 of b \(size 2\)/);
    expect(run('x')).toThrow(ArgumentError);
  });

  it('outer flattens its operands and multiplies every pair', () => {
    const u = { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] }, w = { data: Float64Array.of(-1, 0.5), shape: [2] };
    expectClose(valueOf(([p, q]) => outer(p, q), [u, w]), [-1, 0.5, -2, 1, -3, 1.5, -4, 2]);
    expect(() => grad((x: Tensor) => outer(x, 2 as never).sum())([1])).toThrow(/second operand is a number|expected a tensor/);
  });
});
