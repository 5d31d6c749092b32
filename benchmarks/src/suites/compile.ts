/**
 * compile (issue 12, part 1): a program recorded once and replayed, against recording f again on
 * every call (the transforms), on the problems of the targets:
 *
 * - extended Rosenbrock written with scalar ops at n = 2·10⁵: ns per recorded node of one
 *   gradAndHvp, replayed (target ≤ 10) and re-recorded (target ≤ 25); and ns per node per direction
 *   of hvpMany over k = 4 and 8 directions carried as lanes of one replay (target ≤ 5), against k
 *   single-direction replays;
 * - the two-layer 10-20-5 tanh network with N = 64: gradAndHvp replayed against the hand-written
 *   R-propagation (target ≤ 1.0×), each dualtape row timed between two timings of it.
 *
 * Every replay is checked in the same run: bit for bit against the transforms at the same point, and
 * against an independent reference (the closed-form Rosenbrock H·v; rPropagation of @dualtape/nn).
 */
import { compile, gradAndHvp, type Program } from '@dualtape/core';
import { gradAndHvpByHand, type Params } from '../hand-written.js';
import { maxRelDiff, time } from '../lib/measure.js';
import { flat, reference, twoLayerProblem } from '../lib/problem.js';
import { randomArray, sseLoss } from '../two-layer.js';
import { rosenbrock, rosenbrockHvp } from './rosenbrock.js';
import { HandBaseline } from './two-layer-common.js';

export interface CompileTask {
  readonly suite: 'compile';
  readonly quick: boolean;
}

/** One way of computing f, ∇f and H·v on one problem. */
export interface CompileRow {
  readonly method: string;
  readonly ms: number;
  /** The hand-written R-propagation timed just before and after (geometric mean), network only. */
  readonly handMs: number | null;
  /** max |H·v − reference| / max |reference|. */
  readonly err: number;
  /** f, ∇f and H·v identical, bit for bit, to gradAndHvp at the same point; null for a non-dualtape row. */
  readonly bitExact: boolean | null;
  /** Directions per call (H·v rows of hvpMany), when more than one: its ns / node are per direction. */
  readonly directions?: number;
}

export interface CompileProblem {
  readonly problem: string;
  /** Parameters, and nodes on the recorded tape. */
  readonly n: number;
  readonly nodes: number;
  /** compile(f, x0): recording once, plus the first replay (which generates the scalar sweeps). */
  readonly compileMs: number;
  /** What H·v was checked against. */
  readonly reference: string;
  readonly rows: CompileRow[];
}

export interface CompileResult {
  readonly suite: 'compile';
  readonly problems: CompileProblem[];
}

/** a and b hold the same numbers, bit for bit (−0 ≠ +0; NaN = NaN). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}

/** f, ∇f, H·v of a replay against gradAndHvp's: identical? */
function identical(value: number, grad: Float64Array, hvp: Float64Array, want: { value: number; grad: ArrayLike<number>; hvp: ArrayLike<number> }): boolean {
  return Object.is(value, want.value) && sameBits(grad, want.grad) && sameBits(hvp, want.hvp);
}

/** Records f at x0 and replays once; the time of both. */
function compiled<T extends Float64Array | object>(f: (p: never) => unknown, x0: T, x: Float64Array, v: Float64Array, g: Float64Array, h: Float64Array): { program: Program<T>; ms: number } {
  const start = performance.now();
  const program = compile(f as never, x0) as unknown as Program<T>;
  program.gradAndHvpFlat(x, v, g, h);
  return { program, ms: performance.now() - start };
}

function rosenbrockProblem(quick: boolean): CompileProblem {
  const n = quick ? 20_000 : 200_000;
  // The recording point and the replay point differ: a replay must not lean on recorded values.
  const x0 = randomArray(n, 4, 1.5), x = randomArray(n, 5, 1.5), v = randomArray(n, 6);
  const g = new Float64Array(n), h = new Float64Array(n);
  const { program, ms: compileMs } = compiled(rosenbrock, x0, x, v, g, h);
  const want = gradAndHvp(rosenbrock, x, v);
  const value = program.gradAndHvpFlat(x, v, g, h);
  const reference = rosenbrockHvp(x, v);
  const rows: CompileRow[] = [
    {
      method: 'compiled: program.gradAndHvpFlat(x, v, gradOut, hvpOut)',
      ms: time(() => program.gradAndHvpFlat(x, v, g, h), quick).ms,
      handMs: null, err: maxRelDiff(h, reference), bitExact: identical(value, g, h, want) && program.rerecords === 0,
    },
  ];
  // The replays before re-recording, whose garbage would be collected during their timings.
  const lanes = laneRows(program, x, n, quick);
  rows.push({
    method: 're-recorded: gradAndHvp(f, x, v)',
    ms: time(() => gradAndHvp(rosenbrock, x, v), quick).ms,
    handMs: null, err: maxRelDiff(want.hvp as Float64Array, reference), bitExact: true,
  }, ...lanes);
  return { problem: 'extended Rosenbrock, scalar ops', n, nodes: program.nodes, compileMs, reference: 'closed-form H·v (2×2 blocks)', rows };
}

/**
 * k directions at one point: hvpMany, which carries them as tangent lanes of one replay, against k
 * single-direction replays. Each H·v row is checked bit for bit against gradAndHvp (re-recorded) in
 * that direction, and against the closed form.
 */
function laneRows(program: Program<Float64Array>, x: Float64Array, n: number, quick: boolean): CompileRow[] {
  const rows: CompileRow[] = [];
  const g = new Float64Array(n), h = new Float64Array(n);
  for (const k of [4, 8]) {
    const V = randomArray(k * n, 10 + k);
    const direction = (j: number) => V.subarray(j * n, (j + 1) * n);
    // Timed first: the checks below re-record f, and the garbage of that would be collected during the timing.
    const lanesMs = time(() => program.hvpMany(x, V), quick).ms;
    const singleMs = time(() => {
      for (let j = 0; j < k; j++) program.gradAndHvpFlat(x, direction(j), g, h);
    }, quick).ms;
    const lanes = program.hvpMany(x, V);
    let exact = program.rerecords === 0, err = 0, singleErr = 0;
    for (let j = 0; j < k; j++) {
      const row = lanes.subarray(j * n, (j + 1) * n);
      program.gradAndHvpFlat(x, direction(j), g, h);
      exact &&= sameBits(row, h) && sameBits(row, gradAndHvp(rosenbrock, x, direction(j)).hvp as Float64Array);
      const reference = rosenbrockHvp(x, direction(j));
      err = Math.max(err, maxRelDiff(row, reference));
      singleErr = Math.max(singleErr, maxRelDiff(h, reference));
    }
    exact &&= program.rerecords === 0;
    rows.push(
      { method: `compiled: program.hvpMany(x, V), k = ${k} directions as lanes of one replay`, ms: lanesMs, handMs: null, err, bitExact: exact, directions: k },
      { method: `compiled: ${k} × program.gradAndHvpFlat, one direction per replay`, ms: singleMs, handMs: null, err: singleErr, bitExact: exact, directions: k },
    );
  }
  return rows;
}

function networkProblem(quick: boolean): CompileProblem {
  const problem = twoLayerProblem([10, 20, 5, 64]);
  const { net, p, v, X, T, N, W } = problem;
  const f = sseLoss(net, X, T, N);
  const ref = reference(problem).hvp;
  const hand = new HandBaseline(problem, quick);
  // Recorded at other weights than the ones replayed at.
  const p0: Params = { w1: p.w1.map((e) => -e), b1: p.b1.map((e) => e + 0.5), w2: p.w2.map((e) => 2 * e), b2: p.b2.map((e) => -e) };
  const x = flat(p), vFlat = flat(v);
  const g = new Float64Array(W), h = new Float64Array(W);
  const { program, ms: compileMs } = compiled(f, p0, x, vFlat, g, h);
  const want = gradAndHvp(f, p, v);
  const wantFlat = { value: want.value, grad: flat(want.grad), hvp: flat(want.hvp) };
  const value = program.gradAndHvpFlat(x, vFlat, g, h);
  const tree = program.gradAndHvp(p, v);
  const rows: CompileRow[] = [];
  const timed = (method: string, run: () => unknown, err: number, bitExact: boolean | null) => {
    const t = hand.around(run);
    rows.push({ method, ms: t.ms, handMs: t.handMs, err, bitExact });
  };
  timed('hand-written R-prop (Float64Array, register-blocked)', () => gradAndHvpByHand(net, p, v, X, T, N), maxRelDiff(flat(gradAndHvpByHand(net, p, v, X, T, N).hvp), ref), null);
  timed('compiled: program.gradAndHvpFlat(x, v, gradOut, hvpOut)', () => program.gradAndHvpFlat(x, vFlat, g, h), maxRelDiff(h, ref), identical(value, g, h, wantFlat) && program.rerecords === 0);
  timed('compiled: program.gradAndHvp(w, v) (pytrees)', () => program.gradAndHvp(p, v), maxRelDiff(flat(tree.hvp), ref),
    identical(tree.value, flat(tree.grad), flat(tree.hvp), wantFlat) && program.rerecords === 0);
  timed('re-recorded: gradAndHvp(f, w, v)', () => gradAndHvp(f, p, v), maxRelDiff(wantFlat.hvp, ref), true);
  return { problem: 'two-layer tanh network 10-20-5, N = 64', n: W, nodes: program.nodes, compileMs, reference: 'rPropagation (@dualtape/nn)', rows };
}

export function compileSuite(quick: boolean): CompileResult {
  return { suite: 'compile', problems: [rosenbrockProblem(quick), networkProblem(quick)] };
}
