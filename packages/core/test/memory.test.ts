// Scale and memory. The 10⁶-node scalar chains and the 10⁵-deep y ⊙ x tensor chain are in
// transforms.test.ts; here:
//   - a 10⁵-deep chain through the structural ops (matmul, slice + concat, where, at + broadcast of a
//     scalar, softmax at the end), checked against the hyper-dual oracle, not only a closed form;
//   - the heap stays flat over 10⁵ consecutive gradAndHvp calls (and over the other transforms and
//     over failing calls), measured after gc() in child processes started with --expose-gc;
//   - a runaway tape stops with TapeBudgetError at { maxNodes }, its memory bounded by the budget and
//     handed to the next tape rather than grown.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithOracle, type ENode, type Expr } from './oracle/expressions.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * y ← tanh(C·y + 0.3x), rotated by slice + concat, every other element damped by where, plus a
 * hundredth of one element broadcast back (at + add of a scalar to a tensor): 11 nodes per step.
 * C is a contraction, so values stay O(1) however deep. The output mixes softmax(y) and y·y.
 */
function deepStructuralChain(steps: number): Expr {
  const nodes: ENode[] = [{ op: 'x' }];
  const push = (n: ENode) => (nodes.push(n), nodes.length - 1);
  const C = push({ op: 'const', values: [0.3, -0.2, 0.1, 0.25, 0.3, -0.15, -0.1, 0.2, 0.35], shape: [3, 3] });
  const xs = push({ op: 'binary', fn: 'mul', a: { ref: 0 }, b: { num: 0.3 } });
  let y = 0;
  for (let s = 0; s < steps; s++) {
    const a = push({ op: 'matmul', a: C, b: y });
    const b = push({ op: 'binary', fn: 'add', a: { ref: a }, b: { ref: xs } });
    const c = push({ op: 'unary', fn: 'tanh', a: b });
    const d1 = push({ op: 'slice', a: c, start: 1, end: 3, axis: 0 });
    const d2 = push({ op: 'slice', a: c, start: 0, end: 1, axis: -1 });
    const d = push({ op: 'concat', parts: [d1, d2], axis: 0 });
    const e0 = push({ op: 'binary', fn: 'mul', a: { ref: d }, b: { num: 0.9 } });
    const e = push({ op: 'where', mask: [1, 0, 1], maskShape: [3], a: { ref: d }, b: { ref: e0 } });
    const f0 = push({ op: 'at', a: e, index: s % 3 });
    const f1 = push({ op: 'binary', fn: 'mul', a: { ref: f0 }, b: { num: 0.01 } });
    y = push({ op: 'binary', fn: 'add', a: { ref: e }, b: { ref: f1 } });
  }
  const sm = push({ op: 'softmax', a: y, axis: 0 });
  const w = push({ op: 'const', values: [1, -2, 3], shape: [3] });
  const p = push({ op: 'dot', a: sm, b: w });
  const q = push({ op: 'dot', a: y, b: y });
  push({ op: 'binary', fn: 'add', a: { ref: p }, b: { ref: q } });
  return { n: 3, nodes };
}

describe('deep graphs through the structural ops', () => {
  it('a 10⁵-deep chain of matmul, slice, concat, where, at and broadcasting agrees with the oracle (value, ∇f, H·v, ∇f·v)', () => {
    const expr = deepStructuralChain(9_091);
    expect(expr.nodes.length).toBeGreaterThan(100_000);
    const out = compareWithOracle(expr, Float64Array.of(0.4, -0.7, 1.1), Float64Array.of(1, 0.5, -0.25), false);
    expect(out).toEqual({ skipped: null, loosened: false });
  });
});

// ---------------------------------------------------------------------------------------------------
// Heap measurements in child processes (test/memory/heap-flat.ts)
// ---------------------------------------------------------------------------------------------------

interface Phases {
  gradAndHvp: { calls: number; ms: number; heapUsed: Record<string, number> };
  transforms: { rounds: number; ms: number; heapUsed: Record<string, number> };
  failures: { calls: number; counts: { user: number; budget: number; shape: number }; heapUsed: Record<string, number>; nextCallExact: boolean };
  budget: {
    maxNodes: number;
    before: { arrayBuffers: number };
    rounds: Array<{ error: string; message: string; heapUsed: number; arrayBuffers: number; peakArrayBuffers: number }>;
    after: { value: number; grad: number; hvp: number };
  };
}

let phases: Phases;
let measured: Promise<Phases>;

/**
 * Runs test/memory/heap-flat.ts with the given phases, in that order, in a child process of its own,
 * and resolves to the JSON lines it prints.
 */
function heapFlat(phaseNames: readonly (keyof Phases)[]): Promise<Array<{ phase: keyof Phases }>> {
  const script = join(here, 'memory', 'heap-flat.ts');
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--conditions=@dualtape/source', script, ...phaseNames],
      { cwd: join(here, '..'), timeout: 240_000 },
    );
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (status, signal) => {
      if (status !== 0) fail(new Error(`heap-flat.ts ${phaseNames.join(' ')} exited with ${status} (${signal ?? 'no signal'}):\n${stderr}\n${stdout}`));
      else done(stdout.trim().split('\n').map((l) => JSON.parse(l) as { phase: keyof Phases }));
    });
  });
}

// Two children, started before the first test and running while the deep chain above is checked:
// the 10⁵ gradAndHvp calls alone in one (the long one), the other phases in their original order in
// the other. Each phase compares the heap with its own earlier marks, in a process where no other
// phase runs at the same time, as when one child ran all four.
beforeAll(() => {
  measured = Promise.all([heapFlat(['gradAndHvp']), heapFlat(['transforms', 'failures', 'budget'])]).then(
    (runs) => Object.fromEntries(runs.flat().map((l) => [l.phase, l])) as unknown as Phases,
  );
  measured.catch(() => {}); // reported by the hooks that await it, not as an unhandled rejection
});
const awaitPhases = () => beforeAll(async () => {
  phases = await measured;
}, 240_000);

/** heapUsed after gc() at `to` is within 10% of heapUsed at `from`. */
function expectFlat(marks: Record<string, number>, from: number, to: number): void {
  const a = marks[from];
  const b = marks[to];
  expect(a).toBeGreaterThan(0);
  expect(b, `heapUsed grew from ${a} at ${from} to ${b} at ${to}`).toBeLessThanOrEqual(a * 1.1);
}

describe('the heap stays flat (child process with --expose-gc)', () => {
  awaitPhases();

  it('10⁵ consecutive gradAndHvp calls on a 2-3-1 tanh network: heap at call 10⁵ within 10% of call 10⁴', () => {
    expect(phases.gradAndHvp.calls).toBe(100_000);
    expectFlat(phases.gradAndHvp.heapUsed, 10_000, 100_000);
    expectFlat(phases.gradAndHvp.heapUsed, 10_000, 50_000);
  });

  it('valueAndGrad, hvpOperator (kept alive for apply), hessian, vjp pullbacks and jvp: flat over 5·10³ rounds', () => {
    expectFlat(phases.transforms.heapUsed, 500, 5_000);
  });

  it('calls failing mid-recording (a user throw, TapeBudgetError, ShapeError) leak nothing, and the next call is exact', () => {
    const { counts, heapUsed, nextCallExact } = phases.failures;
    expect(counts.user).toBeGreaterThan(3000);
    expect(counts.budget).toBeGreaterThan(3000);
    expect(counts.shape).toBeGreaterThan(3000);
    expectFlat(heapUsed, 1_000, 10_000);
    expect(nextCallExact).toBe(true);
  });
});

describe('the node budget bounds memory', () => {
  awaitPhases();

  // A scalar node costs 57 bytes of tape arrays (op, two inputs, slot: Int32; active: Uint8; value,
  // tangent, adjoint, R{adjoint}, aux: Float64). While the arrays double, old and new coexist.
  const BYTES_PER_NODE = 4 * 4 + 1 + 5 * 8;

  it('an endless loop with { maxNodes: 2²⁰ } stops with TapeBudgetError naming the budget', () => {
    const { maxNodes, rounds } = phases.budget;
    expect(rounds).toHaveLength(3);
    for (const r of rounds) {
      expect(r.error).toBe('TapeBudgetError');
      expect(r.message).toContain(String(maxNodes));
      expect(r.message).toContain('maxNodes');
    }
  });

  it('the memory it takes is bounded by the budget, and the next runaway tape reuses it instead of growing', () => {
    const { maxNodes, before, rounds } = phases.budget;
    const budgetBytes = BYTES_PER_NODE * maxNodes;
    for (const r of rounds) {
      // Peak while recording: at most the doubled arrays plus the ones being copied, plus slack.
      expect(r.peakArrayBuffers - before.arrayBuffers).toBeLessThanOrEqual(2 * budgetBytes + 16e6);
      // Kept afterwards: one set of arrays for the next tape, the size of the budget.
      expect(r.arrayBuffers - before.arrayBuffers).toBeLessThanOrEqual(budgetBytes * 1.05);
    }
    expect(rounds[2].arrayBuffers).toBe(rounds[0].arrayBuffers);
    expect(rounds[2].peakArrayBuffers).toBeLessThanOrEqual(rounds[0].arrayBuffers);
    expect(rounds[2].heapUsed).toBeLessThanOrEqual(rounds[0].heapUsed * 1.1);
  });

  it('after the budget errors, a normal call is exact (x³ at 2: 8, 12, H·v = 12·0.5)', () => {
    expect(phases.budget.after).toEqual({ value: 8, grad: 12, hvp: 6 });
  });
});
