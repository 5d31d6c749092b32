// A compiled program's hvpMany and hessian carry several directions as tangent lanes of one replay.
// Each lane does the arithmetic of a single-direction replay, so every row must equal program.hvp for
// that direction bit for bit — over every op of the op tables and over random scalar compositions —
// and a replay over lanes must notice a branch change as a single-direction one does.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BranchChangeError, compile, flatten, hessian, tensor, type Program, type Pytree, type Scalar, type Tensor,
} from '../src/index.js';
import type { Tape } from '../src/tape.js';
import { LEAF, ruleOf } from '../src/tape.js';
import { families } from './op-tables/index.js';

/** Indices where a and b differ as bit patterns (−0 ≠ +0, NaN = NaN), at most a few. */
function bitDifferences(a: ArrayLike<number>, b: ArrayLike<number>): string[] {
  if (a.length !== b.length) return [`lengths ${a.length} and ${b.length}`];
  const out: string[] = [];
  for (let k = 0; k < a.length && out.length < 3; k++) if (!Object.is(a[k], b[k])) out.push(`[${k}] ${a[k]} vs ${b[k]}`);
  return out;
}

/** k directions over n parameters, row-major, from a formula that gives every row its own numbers. */
function directions(k: number, n: number, salt: number): Float64Array {
  return Float64Array.from({ length: k * n }, (_, m) => Math.sin(1.3 * m + salt) * (m % 5 === 3 ? 0 : 1));
}

/** H·vⱼ one direction at a time through the single-direction replay: the reference of every lane. */
function oneByOne(program: Program<Pytree>, x: Float64Array, V: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(V.length);
  const grad = new Float64Array(n), hv = new Float64Array(n);
  for (let j = 0; j * n < V.length; j++) {
    program.gradAndHvpFlat(x, V.subarray(j * n, (j + 1) * n), grad, hv);
    out.set(hv, j * n);
  }
  return out;
}

/** The program's tape holds scalar nodes only (tensors only as leaves): its lanes must be generated. */
function scalarGraph(program: unknown): boolean {
  const tape = (program as { tape: Tape }).tape;
  for (let i = 0; i < tape.length; i++) if (tape.slot[i] >= 0 && tape.op[i] !== LEAF) return false;
  return true;
}

/** Whether the program's last hvpMany over k directions ran over generated lanes. */
function usedLanes(program: unknown, k: number): boolean {
  const states = (program as { laneStates: Map<number, unknown> }).laneStates;
  return (states.get(Math.min(k, 8)) ?? null) !== null;
}

/**
 * Ops whose rule reaches for shape work even on a scalar node (so it cannot be traced): a scalar graph
 * using them replays per direction (stopGradient: its value is recomputed by a function the tracer
 * cannot read). The list must stay exact: each one falls back in some case.
 */
const SCALAR_RULE_NOT_TRACED = new Set(['sum', 'mean', 'dot', 'clip', 'stopGradient']);
/**
 * The rules behind them, as the tape names them: another op's case that uses one may fall back too.
 * (euclideanNorm, behind norm's ord 2 and std, reads a tensor into a scalar node as sum does.)
 */
const RULES_NOT_TRACED = new Set(['sum', 'dot', 'detached', 'euclideanNorm']);

/** Whether the program's tape holds a node of a rule in RULES_NOT_TRACED. */
function holdsUntraced(program: unknown): boolean {
  const tape = (program as { tape: Tape }).tape;
  for (let i = 0; i < tape.length; i++) if (RULES_NOT_TRACED.has(ruleOf(tape.op[i]).name)) return true;
  return false;
}

describe('hvpMany over lanes equals one program.hvp per direction, bit for bit, for every op', () => {
  for (const [family, table] of Object.entries(families)) {
    for (const [name, cases] of Object.entries(table)) {
      it(`${family}: ${name}`, () => {
        let fellBack = false;
        for (const [c, testCase] of cases.entries()) {
          const program = compile(testCase.f as never, testCase.x() as never) as unknown as Program<Pytree>;
          const x1 = testCase.x() as unknown as Pytree;
          const x = flatten(x1);
          // 3 directions in one block; 10 in a block of 8 and one of 2 (after the first, only the lanes are
          // swept); 3 again, on lanes a sweep has used.
          for (const [round, k] of [3, 10, 3].entries()) {
            const V = directions(k, x.length, c + k + round);
            const got = program.hvpMany(x1, V);
            expect(bitDifferences(got, oneByOne(program, x, V)), `case ${c}, k = ${k}`).toEqual([]);
            if (program.rerecords > 0) continue;
            const lanes = usedLanes(program, k);
            if (SCALAR_RULE_NOT_TRACED.has(name) && scalarGraph(program) && !lanes) fellBack = true;
            // (max's case max(x)·Σx reads its tensor through sum: it replays per direction, as sum's own.)
            else if (!(lanes === false && holdsUntraced(program))) expect(lanes, `case ${c}: a scalar graph runs over lanes`).toBe(scalarGraph(program));
          }
        }
        expect(fellBack, 'listed in SCALAR_RULE_NOT_TRACED').toBe(SCALAR_RULE_NOT_TRACED.has(name));
      });
    }
  }
});

// Random compositions of scalar ops over a scalar leaf and the elements of a tensor leaf.
const UNARY = ['sin', 'cos', 'tanh', 'exp', 'square', 'neg', 'sigmoid', 'softplus', 'log1p', 'sqrt', 'atan'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'hypot'] as const;
type Step =
  | { readonly op: (typeof UNARY)[number]; readonly a: number }
  | { readonly op: (typeof BINARY)[number]; readonly a: number; readonly b: number }
  | { readonly op: 'constant'; readonly a: number; readonly c: number; readonly left: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom(...UNARY), a: fc.nat() }),
  fc.record({ op: fc.constantFrom(...BINARY), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('constant' as const), a: fc.nat(), c: fc.integer({ min: -8, max: 8 }).map((k) => k / 4), left: fc.boolean() }),
);

type Point = { s: number; t: number[] };

/** The composition as f: each step reads earlier values (by index, mod their count); f sums the last three. */
function composition(steps: readonly Step[]) {
  return (p: { s: Scalar; t: Tensor }): Scalar => {
    const values: Scalar[] = [p.s, ...Array.from({ length: p.t.size }, (_, k) => p.t.at(k))];
    const pick = (k: number) => values[k % values.length];
    for (const e of steps) {
      const a = pick(e.a);
      switch (e.op) {
        case 'constant': values.push(e.left ? a.mul(e.c).add(e.c) : a.sub(e.c)); break;
        case 'div': values.push(a.div(pick(e.b).square().add(1))); break;
        case 'log1p': values.push(a.square().log1p()); break;
        case 'sqrt': values.push(a.square().add(0.5).sqrt()); break;
        case 'exp': values.push(a.tanh().exp()); break;
        case 'add': case 'sub': case 'mul': case 'hypot': values.push(a[e.op](pick(e.b))); break;
        default: values.push(a[e.op]());
      }
    }
    return values.slice(-3).reduce((u, w) => u.add(w));
  };
}

const point = (n: number): fc.Arbitrary<Point> =>
  fc.record({
    s: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    t: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: n, maxLength: n }),
  }).map(({ s, t }) => ({ s, t })); // a plain object (fast-check's records have no prototype)

describe('random scalar compositions', () => {
  it('hvpMany over lanes equals one program.hvp per direction, bit for bit (k = 1…12)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), point(3), point(3), fc.integer({ min: 1, max: 12 }), (steps, x0, x1, k) => {
        const program = compile(composition(steps), x0) as unknown as Program<Pytree>;
        const x = flatten(x1);
        const V = directions(k, x.length, steps.length);
        expect(bitDifferences(program.hvpMany(x1, V), oneByOne(program, x, V))).toEqual([]);
        expect(usedLanes(program, k)).toBe(true);
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  it('program.hessian equals hessian(f, x), bit for bit', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 20 }), point(9), point(9), (steps, x0, x1) => {
        const f = composition(steps);
        const program = compile(f, x0);
        // n = 10 parameters: a block of 8 directions, then one of 2.
        expect(bitDifferences(program.hessian(x1), hessian(f, x1))).toEqual([]);
      }),
      { numRuns: 25, seed: 13 },
    );
  });
});

describe('the program over lanes', () => {
  // relu and abs record their branch; at x0 both inputs are positive.
  const f = (x: Tensor) => x.at(0).relu().mul(x.at(1)).add(x.at(1).abs().square().mul(x.at(0)));
  const x0 = [1, 2];

  it('re-records at a point on another branch and gives the new branch\'s products', () => {
    const program = compile(f, x0);
    const V = directions(3, 2, 1);
    const at = [-1, -2];
    const got = program.hvpMany(at, V);
    expect(program.rerecords).toBe(1);
    const fresh = compile(f, at);
    expect(bitDifferences(got, oneByOne(fresh as unknown as Program<Pytree>, Float64Array.from(at), V))).toEqual([]);
    // Back on the recorded side of the first program's branches: lanes again, no new recording.
    expect(bitDifferences(program.hvpMany([-2, -3], V), fresh.hvpMany([-2, -3], V))).toEqual([]);
    expect(program.rerecords).toBe(1);
  });

  it("throws BranchChangeError with { onBranchChange: 'throw' }, like a single-direction replay, and stays usable", () => {
    const program = compile(f, x0, { onBranchChange: 'throw' });
    const V = directions(4, 2, 2);
    expect(() => program.hvpMany([-1, 2], V)).toThrow(BranchChangeError);
    expect(() => program.hvp([-1, 2], [1, 0])).toThrow(BranchChangeError);
    expect(() => program.hessian([-1, 2])).toThrow(BranchChangeError);
    expect(program.rerecords).toBe(0);
    // The lanes of the interrupted call do not leak into the next one.
    const x = Float64Array.of(3, 0.5);
    expect(bitDifferences(program.hvpMany([3, 0.5], V), oneByOne(program as unknown as Program<Pytree>, x, V))).toEqual([]);
  });

  it('a tape with tensor nodes replays per direction, with the same numbers', () => {
    const g = (x: Tensor) => x.tanh().mul(x.at(0)).sum().add(x.square().sum().sqrt());
    const program = compile(g, [0.5, -1, 2]);
    const V = directions(5, 3, 3);
    const x1 = [0.25, 1, -0.5];
    expect(bitDifferences(program.hvpMany(x1, V), oneByOne(program as unknown as Program<Pytree>, Float64Array.from(x1), V))).toEqual([]);
    expect(usedLanes(program, 5)).toBe(false);
    expect(bitDifferences(program.hessian(x1), hessian(g, x1))).toEqual([]);
  });

  it('no directions: an empty result; a wrong length: a StructureError naming k×n', () => {
    const program = compile(f, x0);
    expect(program.hvpMany([1, 2], new Float64Array(0))).toEqual(new Float64Array(0));
    expect(() => program.hvpMany([1, 2], new Float64Array(3))).toThrow(/k×2/);
  });

  it('hvpMany of a scalar leaf and a tensor leaf writes each direction\'s row; tensor() inputs are constants', () => {
    const h = (p: { s: Scalar; t: Tensor }) => p.s.mul(p.t.at(1)).add(p.t.at(0).square().mul(tensor([2, 3]).at(1)));
    const program = compile(h, { s: 1, t: [1, 1] });
    // H = [[0, 0, 1], [0, 6, 0], [1, 0, 0]] over (s, t0, t1).
    const got = program.hvpMany({ s: 2, t: [3, 4] }, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1));
    expect(Array.from(got)).toEqual([0, 0, 1, 0, 6, 0, 1, 0, 0]);
    // An element of a constant tensor is data to the lanes: they run.
    expect(usedLanes(program, 3)).toBe(true);
  });
});
