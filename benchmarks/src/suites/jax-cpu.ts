/**
 * JAX CPU on one problem of `pnpm bench`: this child writes the problem's inputs and reference
 * (from the same seeded generator and code as the dualtape suite) to a temporary folder, runs
 * benchmarks/jax/bench.py on them in Python, and turns its rows into results. Python does the
 * timing (after one warm-up call, with block_until_ready, fastest of several samples) and the
 * accuracy check (the same max |a − b| / max(|a|, |b|)); the verdicts are given here.
 *
 * For the two-layer network the hand-written R-propagation is timed in this process right before
 * and right after the Python run (this process is idle in between), so the JAX rows carry a
 * × hand-written ratio like the JavaScript peers'.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hessian, valueAndGrad } from '@dualtape/core';
import { reference, twoLayerProblem } from '../lib/problem.js';
import { verdictOf, type JaxCpuProblem, type JaxCpuResult, type JaxCpuRow, type NewtonOutcome, type Precision, type Size, type Task } from '../lib/protocol.js';
import { randomArray } from '../two-layer.js';
import { hessianProblem, newtonStart } from './hessian-newton.js';
import { rosenbrock, rosenbrockData, rosenbrockHvp } from './rosenbrock.js';
import { HandBaseline } from './two-layer-common.js';

type JaxCpuTask = Extract<Task, { suite: 'jax-cpu' }>;

/** What bench.py is given: named float64 arrays with their shapes, and scalar parameters. */
export interface Inputs {
  readonly arrays: Record<string, { readonly data: Float64Array; readonly shape: readonly number[] }>;
  readonly params: Record<string, unknown>;
}

/** A row as bench.py writes it: everything but the verdict. */
type PythonRow = Omit<JaxCpuRow, 'verdict' | 'handMs' | 'xHand'> & { readonly newton?: NewtonOutcome };

export function twoLayerInputs(size: Size): Inputs {
  const problem = twoLayerProblem(size);
  const [D, H, K, N] = size;
  const ref = reference(problem);
  const shapes = { w1: [H, D], b1: [H], w2: [K, H], b2: [K] } as const;
  const arrays: Inputs['arrays'] = {
    X: { data: problem.X, shape: [N, D] }, T: { data: problem.T, shape: [N, K] },
    ref_hvp: { data: ref.hvp, shape: [problem.W] }, ref_grad: { data: ref.grad, shape: [problem.W] },
  };
  for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
    arrays[`p_${key}`] = { data: problem.p[key], shape: shapes[key] };
    arrays[`v_${key}`] = { data: problem.v[key], shape: shapes[key] };
  }
  return { arrays, params: { size } };
}

function rosenbrockInputs(quick: boolean): Inputs {
  const { n, x, v } = rosenbrockData(quick);
  const grad = valueAndGrad(rosenbrock)(x).grad as Float64Array;
  return {
    arrays: { x: { data: x, shape: [n] }, v: { data: v, shape: [n] }, ref_hvp: { data: rosenbrockHvp(x, v), shape: [n] }, ref_grad: { data: grad, shape: [n] } },
    params: {},
  };
}

function hessianInputs(quick: boolean): Inputs {
  const { W, A, f, x } = hessianProblem(quick);
  return { arrays: { A: { data: A, shape: [W, W] }, x: { data: x, shape: [W] }, ref_hessian: { data: hessian(f, x), shape: [W, W] } }, params: { W } };
}

function newtonInputs(quick: boolean): Inputs {
  const { n, x0, maxIter } = newtonStart(quick);
  // A direction for checking the jitted hessp at x₀ against the closed form before the run.
  const v = randomArray(n, 7);
  // newtonCG's defaults: stop when ‖∇f‖ ≤ max(gradTol, gradRelTol·‖∇f(x₀)‖).
  return { arrays: { x0: { data: x0, shape: [n] }, v: { data: v, shape: [n] }, ref_hvp: { data: rosenbrockHvp(x0, v), shape: [n] } }, params: { maxIter, gradTol: 1e-8, gradRelTol: 1e-12 } };
}

function inputsFor(task: JaxCpuTask): Inputs {
  switch (task.problem) {
    case 'two-layer':
      if (!task.size) throw new Error('jax-cpu two-layer task without a size');
      return twoLayerInputs(task.size);
    case 'rosenbrock': return rosenbrockInputs(task.quick);
    case 'hessian': return hessianInputs(task.quick);
    case 'newton': return newtonInputs(task.quick);
  }
}

/**
 * Writes the inputs to a new temporary folder as benchmarks/jax/inputs.py reads them (one raw float64
 * file per array and a manifest.json); returns the folder (the caller removes it) and the paths of the
 * manifest and of the result file the manifest names.
 */
export function writeInputs(problem: JaxCpuProblem, quick: boolean, inputs: Inputs): { dir: string; manifest: string; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dualtape-jax-'));
  const arrays: Record<string, readonly number[]> = {};
  for (const [name, { data, shape }] of Object.entries(inputs.arrays)) {
    writeFileSync(path.join(dir, `${name}.f64`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    arrays[name] = shape;
  }
  const out = path.join(dir, 'result.json');
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ problem, quick, params: inputs.params, arrays, out }));
  return { dir, manifest, out };
}

/** Writes the inputs, runs bench.py on them, and returns what it wrote. */
function runPython(task: JaxCpuTask, inputs: Inputs): { rows: PythonRow[]; notes: string[]; versions: Record<string, string> } {
  const { dir, manifest, out } = writeInputs(task.problem, task.quick, inputs);
  try {
    // Below the parent's own time limit for this child, so Python is never left running alone.
    const timeout = (task.quick ? 2.5 : 25) * 60_000;
    const r = spawnSync(task.python, [task.script, manifest], { encoding: 'utf8', timeout, maxBuffer: 1 << 24 });
    if (r.error) throw new Error(`${task.python} ${task.script}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`bench.py exited with ${r.signal ?? `code ${r.status}`}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withVerdict(row: PythonRow, handMs: number | null): JaxCpuRow {
  const precision: Precision = row.precision;
  return {
    ...row,
    handMs,
    xHand: row.ms !== null && handMs !== null ? row.ms / handMs : null,
    verdict: row.err === null ? 'not run' : verdictOf(row.err, precision),
  };
}

export function jaxCpu(task: JaxCpuTask): JaxCpuResult {
  const inputs = inputsFor(task);
  const problem: JaxCpuProblem = task.problem;
  const twoLayer = problem === 'two-layer' && task.size ? twoLayerProblem(task.size) : undefined;
  const hand = twoLayer ? new HandBaseline(twoLayer, task.quick) : undefined;
  const before = hand ? hand.measure() : NaN;
  const result = runPython(task, inputs);
  const handMs = hand ? Math.sqrt(before * hand.measure()) : null;
  const v = result.versions;
  return {
    suite: 'jax-cpu',
    problem,
    ...(twoLayer && task.size ? { size: task.size, W: twoLayer.W } : {}),
    handTimings: hand?.timings ?? [],
    rows: result.rows.map((row) => withVerdict(row, handMs)),
    notes: [`JAX CPU: jax ${v.jax}, jaxlib ${v.jaxlib}, numpy ${v.numpy}, scipy ${v.scipy}, Python ${v.python} (${v.devices}; XLA uses every core)`, ...result.notes],
  };
}
