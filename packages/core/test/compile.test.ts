// compile(f, x0): record once, replay at new points without calling f. A replay must give the same
// numbers, bit for bit, as the transforms at that point — checked for every op through the op
// tables — and must notice when an op leaves the branch it was recorded on.
import { describe, expect, it } from 'vitest';
import {
  BranchChangeError, SingularMatrixError, StructureError, argmax, argmin, argsort, compile, take, takeAlongAxis, conv2d, grad, gradAndHvp, hvpMany, hvpOperator, inv, logDet, maximum,
  norm, relu, slogdet, tensor, trace, valueAndGrad, where, type Scalar, type Tensor,
} from '../src/index.js';
import { families } from './op-tables/index.js';

const flat = (x: unknown): number[] =>
  typeof x === 'number' ? [x] : x instanceof Float64Array ? Array.from(x) : Object.values(x as object).flatMap(flat);

/**
 * Rules (by name) with no primal rule yet: compile refuses a function using them with a typed error.
 * The list must stay exact: each entry is refused, and nothing else is.
 */
const NOT_YET_REPLAYABLE = new Set<string>([]);
describe('a replay equals the transforms at the new point, bit for bit, for every op', () => {
  for (const [family, table] of Object.entries(families)) {
    for (const [name, cases] of Object.entries(table)) {
      it(`${family}: ${name}`, () => {
        for (const [k, c] of cases.entries()) {
          const x0 = c.x() as never;
          let program: ReturnType<typeof compile>;
          try {
            program = compile(c.f as never, x0);
          } catch (error) {
            const refused = /the op '(\w+)' cannot be replayed/.exec((error as Error).message);
            expect(refused && NOT_YET_REPLAYABLE.has(refused[1]), `case ${k}: ${(error as Error).message}`).toBe(true);
            continue;
          }
          for (let trial = 0; trial < 2; trial++) {
            const x1 = c.x() as never;
            const v = flat(x1).map((_, j) => Math.sin(j + 1 + trial)) as never;
            const vTree = JSON.parse(JSON.stringify(x1, (_k, val) => (val instanceof Float64Array ? Array.from(val) : val)));
            let at = 0;
            const vShaped = shapeLike(vTree, () => (v as unknown as number[])[at++]);
            const got = program.gradAndHvp(x1, vShaped as never);
            const want = gradAndHvp(c.f as never, x1, vShaped as never);
            expect(got.value, `case ${k}: value`).toBe(want.value);
            expect(flat(got.grad), `case ${k}: grad`).toEqual(flat(want.grad));
            expect(flat(got.hvp), `case ${k}: hvp`).toEqual(flat(want.hvp));
          }
        }
      });
    }
  }
});

/** A tree shaped like `like` (numbers and number arrays) with numbers from `next`. */
function shapeLike(like: unknown, next: () => number): unknown {
  if (typeof like === 'number') return next();
  if (Array.isArray(like)) return like.map((e) => shapeLike(e, next));
  return Object.fromEntries(Object.entries(like as object).map(([key, e]) => [key, shapeLike(e, next)]));
}

describe('the list of ops that cannot be replayed yet is exact', () => {
  it('every rule without a primal rule is listed, and every listed rule exists without one', async () => {
    const { ruleOf } = await import('../src/tape.js');
    const missing = new Set<string>();
    for (let code = 0; ruleOf(code) !== undefined; code++) {
      const rule = ruleOf(code);
      if (!rule.primal && rule.name !== 'leaf' && rule.name !== 'constant') missing.add(rule.name);
    }
    // User ops from defineOp get a primal rule too; the remaining gaps are the listed built-in ones.
    expect([...missing].sort()).toEqual([...NOT_YET_REPLAYABLE].sort());
  });
});

describe('the program', () => {
  const rosenbrock = (x: Tensor) => {
    let f: Scalar | undefined;
    for (let i = 0; i + 1 < x.size; i += 2) {
      const a = x.at(i), b = x.at(i + 1);
      const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
      f = f ? f.add(term) : term;
    }
    return f!;
  };

  it('does not call f again', () => {
    let calls = 0;
    const program = compile((x: Tensor) => {
      calls++;
      return rosenbrock(x);
    }, [0, 0, 0, 0]);
    for (let k = 0; k < 5; k++) program.gradAndHvp([k, 1, 2, k], [1, 0, 0, 1]);
    expect(calls).toBe(1);
    expect(program.rerecords).toBe(0);
  });

  it('f that returns a constant (no node) gives zero derivatives in every method, like the transforms', () => {
    for (const x0 of [2, [1, 2, 3]] as const) {
      const f = (): number => 5;
      const program = compile(f as never, x0 as never);
      const zero = typeof x0 === 'number' ? 0 : new Float64Array(3);
      const want = gradAndHvp(f as never, x0 as never, x0 as never);
      expect(want).toEqual({ value: 5, grad: zero, hvp: zero });
      expect(program.gradAndHvp(x0 as never, x0 as never)).toEqual(want);
      expect(program.valueAndGrad(x0 as never)).toEqual({ value: 5, grad: zero });
      expect(program.hvp(x0 as never, x0 as never)).toEqual(zero);
      expect(Array.from(program.hvpMany(x0 as never, new Float64Array(2 * (typeof x0 === 'number' ? 1 : 3)).fill(1)))).toEqual(
        new Array(2 * (typeof x0 === 'number' ? 1 : 3)).fill(0));
    }
  });

  it('flat forms write into the arrays given, and agree with the tree forms', () => {
    const program = compile(rosenbrock, [0, 0, 0, 0]);
    const g = new Float64Array(4), h = new Float64Array(4);
    const x = Float64Array.of(1.2, 0.7, -0.3, 2), v = Float64Array.of(1, -1, 0.5, 2);
    const value = program.gradAndHvpFlat(x, v, g, h);
    const want = gradAndHvp(rosenbrock, x, v);
    expect(value).toBe(want.value);
    expect(g).toEqual(want.grad);
    expect(h).toEqual(want.hvp);
    expect(program.valueAndGradFlat(x, g)).toBe(want.value);
    expect(() => program.valueAndGradFlat(x, new Float64Array(3))).toThrow(StructureError);
    expect(() => program.valueAndGradFlat(Float64Array.of(1, 2))).toThrow(StructureError);
  });

  it('hvpMany and hvpOperator agree with the uncompiled ones; an operator goes stale on the next call', () => {
    const program = compile(rosenbrock, [0, 0, 0, 0]);
    const x = [1.2, 0.7, -0.3, 2];
    const V = Float64Array.of(1, 0, 0, 0, 0, 1, 1, 0, 0.5, 0.5, -1, 2);
    expect(program.hvpMany(x, V)).toEqual(hvpMany(rosenbrock, x, V));
    const op = program.hvpOperator(x);
    expect(op.apply([0, 0, 1, 0])).toEqual(hvpOperator(rosenbrock, x).apply([0, 0, 1, 0]));
    program.valueAndGrad(x);
    expect(() => op.apply([0, 0, 1, 0])).toThrow(/called again/);
  });

  it('tensor programs: a small tanh network, replayed at many points', () => {
    const X = tensor([[0.5, -1], [2, 0.3], [-0.7, 1.1]]);
    const net = (p: { w: Tensor; b: Tensor }) => X.matmul(p.w.reshape([2, 3])).add(p.b).tanh().square().sum();
    const program = compile(net, { w: [0, 0, 0, 0, 0, 0], b: [0, 0, 0] });
    for (let k = 0; k < 4; k++) {
      const p = { w: [k, 1, -1, 0.5, 0.2, -k], b: [0.1, k, 0.3] };
      const v = { w: [1, 0, 0, 1, 0, 1], b: [0, 1, 0] };
      const got = program.gradAndHvp(p, v), want = gradAndHvp(net, p, v);
      expect(got.value).toBe(want.value);
      expect(got.grad).toEqual(want.grad);
      expect(got.hvp).toEqual(want.hvp);
    }
  });
});

describe('what a program hands back', () => {
  const X = tensor([[0.5, -1, 2], [2, 0.3, -0.4]]);
  const net = (p: { w: Tensor; b: Tensor }) => X.matmul(p.w.reshape([2, 3]).transpose()).add(p.b).tanh().square().sum();
  const at = (k: number) => ({ w: [k, 1, -1, 0.5, 0.2, -k], b: [0.1, k] });
  const dir = (k: number) => ({ w: [1, 0, k, 1, 0, 1], b: [0, 1] });

  it('its gradient and H·v arrays are the caller\'s: later calls of every method leave them as they were', () => {
    const program = compile(net, at(0));
    const first = program.gradAndHvp(at(1), dir(1));
    const kept = { grad: first.grad.w.slice(), gradB: first.grad.b.slice(), hvp: first.hvp.w.slice(), hvpB: first.hvp.b.slice() };
    const second = program.gradAndHvp(at(2), dir(2));
    const third = program.valueAndGrad(at(3));
    program.hvpOperator(at(4)).apply(dir(4));
    program.hvp(at(5), dir(5));
    for (const other of [second.grad.w, second.hvp.w, third.grad.w]) {
      expect(other).not.toBe(first.grad.w);
      expect(other).not.toBe(first.hvp.w);
    }
    expect(first.grad.w).toEqual(kept.grad);
    expect(first.grad.b).toEqual(kept.gradB);
    expect(first.hvp.w).toEqual(kept.hvp);
    expect(first.hvp.b).toEqual(kept.hvpB);
    // And writing into them changes nothing the program computes next.
    first.grad.w.fill(7);
    first.hvp.w.fill(-7);
    const again = program.gradAndHvp(at(2), dir(2)), want = gradAndHvp(net, at(2), dir(2));
    expect(again.grad).toEqual(want.grad);
    expect(again.hvp).toEqual(want.hvp);
    expect(second.grad).toEqual(want.grad);
    expect(second.hvp).toEqual(want.hvp);
  });

  it('a matmul replay with an infinite direction against zero entries gives the transforms\' numbers (structural zeros)', () => {
    // (X·Wᵀ)'s tangent X·Vᵀ meets X = 0 where V = ±∞: those 0·∞ are structural zeros, as when recorded.
    const Z = tensor([[0, -1, 2], [2, 0, -0.4]]);
    const W = [0, 0, 1, 0.5, 0, -2];
    const V = [Infinity, 0, 1, 0, -Infinity, 0];
    const f = (p: { w: Tensor; b: Tensor }) => Z.matmul(p.w.reshape([2, 3]).transpose()).add(p.b).square().sum();
    const program = compile(f, at(0));
    for (const point of [{ w: W, b: [0, 0] }, { w: W.map((x) => 2 * x), b: [1, -1] }]) {
      const v = { w: V, b: [0, 0] };
      const got = program.gradAndHvp(point, v), want = gradAndHvp(f, point, v);
      expect(got.value).toBe(want.value);
      expect(flat(got.grad)).toEqual(flat(want.grad));
      expect(flat(got.hvp)).toEqual(flat(want.hvp));
    }
  });
});

describe('branches', () => {
  const f = (x: Tensor) => relu(x).square().sum().add(maximum(x.at(0), x.at(1)));

  it('a replay that crosses a kink records f again (by default) and still gives the right numbers', () => {
    const program = compile(f, [1, -1]);
    const r = program.valueAndGrad([-2, 3]);
    expect(program.rerecords).toBe(1);
    expect(r).toEqual(valueAndGrad(f)([-2, 3]));
    // Now recorded on the new branches: no more re-recording on that side.
    program.valueAndGrad([-1, 5]);
    expect(program.rerecords).toBe(1);
  });

  it('value(x) and grad(x) replay at x: f and ∇f there, across a kink and after other methods (value() once returned the last point\'s f)', () => {
    const program = compile(f, [1, -1]);
    for (const x of [[1, -1], [3, 4], [-2, 3], [0.5, -0.25], [-1, -5]]) {
      const want = valueAndGrad(f)(x);
      program.gradAndHvp([7, 8], [1, 1]);
      expect(program.value(x)).toBe(want.value);
      expect(program.grad(x)).toEqual(want.grad);
    }
  });

  it("with { onBranchChange: 'throw' } it raises BranchChangeError instead", () => {
    const program = compile(f, [1, -1], { onBranchChange: 'throw' });
    expect(program.valueAndGrad([2, -0.5]).value).toBe(valueAndGrad(f)([2, -0.5]).value);
    expect(() => program.valueAndGrad([-2, 3])).toThrow(BranchChangeError);
  });

  it('control flow on .value is frozen at record time (what the docs warn about), and where(...) is not a way out of it', () => {
    // Reading x.value inside f decides the path once, when recording: a replay keeps that path.
    const branchy = (x: Scalar) => (x.value > 0 ? x.square() : x.neg());
    const program = compile(branchy, 1);
    expect(program.valueAndGrad(-3).value).toBe(9); // the recorded x² path, not −x = 3
    // A mask built from values is data, frozen the same way.
    const masked = (x: Tensor) => where(Array.from(x.value, (v) => (v > 0 ? 1 : 0)), x.square(), x.neg()).sum();
    expect(compile(masked, [1]).valueAndGrad([-3]).value).toBe(9);
  });

  it('indices from argmax, argmin and argsort are watched: other indices at the replay are a branch change', () => {
    // Each returns plain data, but leaves a guard on the tape that recomputes the indices.
    const picks = (x: Tensor) => x.at(argmax(x)).square().add(x.at(argmin(x)).mul(3));
    const thrower = compile(picks, [1, 4, 2], { onBranchChange: 'throw' });
    expect(thrower.valueAndGrad([1.5, 3, 2.5])).toEqual(valueAndGrad(picks)([1.5, 3, 2.5])); // same indices
    expect(() => thrower.valueAndGrad([5, 4, 2])).toThrow(BranchChangeError); // argmax moved to 0
    expect(() => thrower.valueAndGrad([1, 4, 0])).toThrow(BranchChangeError); // argmin moved to 2
    const program = compile(picks, [1, 4, 2]);
    expect(program.gradAndHvp([5, 4, 2], [1, 2, 3])).toEqual(gradAndHvp(picks, [5, 4, 2], [1, 2, 3]));
    expect(program.rerecords).toBe(1);
    // Along an axis, and an order: a row whose order changes is enough.
    const rows = (m: Tensor) => takeAlongAxis(m, argsort(m, 1), 1).mul(tensor([[1, 2, 3], [4, 5, 6]])).sum()
      .add(take(m.reshape([6]), Array.from(argmax(m, 0), (j, k) => j * 3 + k)).square().sum());
    const m0 = [[3, 1, 2], [0, 5, 4]];
    const sorted = compile(rows, m0, { onBranchChange: 'throw' });
    expect(sorted.valueAndGrad([[3.5, 1, 2], [0, 6, 4]])).toEqual(valueAndGrad(rows)([[3.5, 1, 2], [0, 6, 4]]));
    expect(() => sorted.valueAndGrad([[3, 1, 2], [0, 3, 4]])).toThrow(BranchChangeError); // row 2 reordered
    expect(() => sorted.valueAndGrad([[3, 6, 2], [0, 7, 4]])).toThrow(BranchChangeError); // column 1's argmax moved
    const rerecorded = compile(rows, m0);
    for (const m of [[[3, 1, 2], [0, 3, 4]], [[1, 2, 3], [9, 8, 7]]]) {
      expect(flat(rerecorded.valueAndGrad(m))).toEqual(flat(valueAndGrad(rows)(m)));
    }
    expect(rerecorded.rerecords).toBe(2);
    // Inside a nested transform: the inner grad's argmax is watched by the compiled outer tape.
    const nested = (x: Tensor) => (grad((y: Tensor) => y.at(argmax(y)).pow(3))(x) as Tensor).square().sum();
    const outer = compile(nested, [1, 3, 2]);
    expect(outer.valueAndGrad([5, 1, 2])).toEqual(valueAndGrad(nested)([5, 1, 2])); // 9·5⁴ at index 0
    expect(outer.rerecords).toBe(1);
  });

  it('outside compile the indices and the derivatives through them are as before', () => {
    const x = tensor([2, 7, 1]);
    expect(argmax(x)).toBe(1);
    expect(Array.from(argsort(x))).toEqual([2, 0, 1]);
    const picks = (v: Tensor) => v.at(argmax(v)).mul(v.at(argmin(v)));
    expect(flat(gradAndHvp(picks, [2, 7, 1], [1, 1, 1]))).toEqual([7, 0, 1, 7, 0, 1, 1]); // x₁x₂: ∇ = (0, x₂, x₁), H·1 = (0, 1, 1)
    // A trace shows the guard for what it is: a node of no numbers, no derivative.
    const rows = trace(picks, [2, 7, 1], [1, 1, 1]).rows.filter((row) => row.detail?.startsWith('guard'));
    expect(rows.map((row) => [row.detail, row.shape, row.active])).toEqual([
      ["guard of argmax's indices", [0], false], ["guard of argmin's indices", [0], false],
    ]);
  });

  it('options are checked', () => {
    expect(() => compile(f, [1, -1], { onBranchChange: 'ignore' as never })).toThrow(/onBranchChange/);
    expect(() => compile(f, [1, -1], { onbranchchange: 'throw' } as never)).toThrow(/onBranchChange/);
  });
});

describe('ops whose recording depends on values', () => {
  it('max and min: a replay that keeps each winner runs the primal rule; another winner, or a tie, is a branch change', () => {
    const f = (x: Tensor) => x.reshape([2, 3]).max(1).square().sum().add(x.min().mul(3));
    const x0 = [1, 5, 2, -4, 0.5, 3];
    const program = compile(f, x0, { onBranchChange: 'throw' });
    // Every element moved, the same winners (5 and 3 by row, −4 overall).
    for (const dx of [0.01, -0.02, 0.3]) {
      const x = x0.map((v, k) => v + dx * Math.cos(k));
      const v = x0.map((_, k) => Math.sin(k + 1));
      const got = program.gradAndHvp(x, v), want = gradAndHvp(f, x, v);
      expect(got.value).toBe(want.value);
      expect(flat(got.grad)).toEqual(flat(want.grad));
      expect(flat(got.hvp)).toEqual(flat(want.hvp));
    }
    expect(program.rerecords).toBe(0);
    expect(() => program.valueAndGrad([6, 5, 2, -4, 0.5, 3])).toThrow(BranchChangeError); // row 0: 6 wins
    expect(() => program.valueAndGrad([1, 5, 5, -4, 0.5, 3])).toThrow(BranchChangeError); // row 0: a tie, ½ each
    expect(() => program.valueAndGrad([1, 5, 2, -1, -7, 3])).toThrow(BranchChangeError); // the min moves
    const rerecording = compile(f, x0);
    const tie = [1, 5, 5, -4, 0.5, 3];
    expect(rerecording.valueAndGrad(tie)).toEqual(valueAndGrad(f)(tie));
    expect(rerecording.rerecords).toBe(1);
  });

  it('slogdet and logDet: the sign of det A, handed to f as a constant, is watched', () => {
    // det = sign · exp(log|det|): the sign is a number in f, frozen unless the replay notices it.
    const det = (x: Tensor) => {
      const { sign, logAbsDet } = slogdet(x.reshape([2, 2]));
      return logAbsDet.exp().mul(sign);
    };
    const program = compile(det, [2, 1, 1, 3]);
    const positive = [3, 1, 0.5, 2], negative = [1, 3, 2, 1];
    expect(program.valueAndGrad(positive)).toEqual(valueAndGrad(det)(positive));
    expect(program.rerecords).toBe(0);
    const got = program.valueAndGrad(negative);
    expect(got).toEqual(valueAndGrad(det)(negative));
    expect(got.value).toBeCloseTo(1 - 6, 12);
    expect(program.rerecords).toBe(1);
    // logDet of a matrix whose determinant turned negative is NaN, as recording there gives.
    const logDetOf = (x: Tensor) => logDet(x.reshape([2, 2]));
    expect(Number.isNaN(compile(logDetOf, [2, 1, 1, 3]).valueAndGrad(negative).value)).toBe(true);
    expect(() => compile(logDetOf, [2, 1, 1, 3], { onBranchChange: 'throw' }).valueAndGrad(negative)).toThrow(BranchChangeError);
  });

  it('linear algebra replays raise what recording there raises (a singular matrix)', () => {
    const f = (x: Tensor) => inv(x.reshape([2, 2])).sum();
    const program = compile(f, [2, 1, 1, 3]);
    expect(() => program.valueAndGrad([1, 2, 2, 4])).toThrow(SingularMatrixError);
    expect(program.valueAndGrad([3, 1, 1, 3])).toEqual(valueAndGrad(f)([3, 1, 1, 3]));
  });

  it('where with a mask computed from values (a tape node) notices when the mask changes', () => {
    // norm(x, 0) counts the non-zeros of each row: a node that tracks x, with no derivative.
    const f = (x: Tensor) => {
      const m = x.reshape([2, 2]);
      return where(norm(m, 0, 1, true), m.square(), m.mul(-1)).sum();
    };
    const x0 = [1, 2, 0, 0];
    const program = compile(f, x0, { onBranchChange: 'throw' });
    expect(program.valueAndGrad([3, 0, 0, 0])).toEqual(valueAndGrad(f)([3, 0, 0, 0]));
    expect(() => program.valueAndGrad([1, 2, 0, 5])).toThrow(BranchChangeError);
    expect(compile(f, x0).valueAndGrad([1, 2, 0, 5])).toEqual(valueAndGrad(f)([1, 2, 0, 5]));
  });

  it('conv on the parameters themselves: replays and repeated H·v on one operator (the kept im2col) stay exact', () => {
    type P = { x: Tensor; w: Tensor };
    const f = (p: P) => conv2d(p.x.reshape([1, 4, 4, 2]), p.w.reshape([3, 3, 2, 2]), { padding: 'same' }).tanh().sum();
    const point = (s: number) => ({ x: Array.from({ length: 32 }, (_, k) => Math.sin(s * k + 1)), w: Array.from({ length: 36 }, (_, k) => Math.cos(s * k + 2) * 0.3) });
    const program = compile(f, point(1));
    for (const s of [2, 3]) {
      const p = point(s);
      const op = program.hvpOperator(p), want = hvpOperator(f, p);
      for (const d of [1, 4, 7]) {
        const v = point(d);
        expect(flat(op.apply(v))).toEqual(flat(want.apply(v)));
      }
      const v = point(5);
      const got = program.gradAndHvp(p, v), wanted = gradAndHvp(f, p, v);
      expect(flat(got.grad)).toEqual(flat(wanted.grad));
      expect(flat(got.hvp)).toEqual(flat(wanted.hvp));
    }
  });
});
