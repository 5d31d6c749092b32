/**
 * What the parent (`run.ts`) asks a child process (`child.ts`) to do, and what the child sends back
 * over the IPC channel. Plain JSON: each suite runs in its own process so that one peer's JIT state,
 * heap and worker threads cannot disturb another's timings.
 */

import type { CnnResult, CnnTask } from './cnn-protocol.js';
import type { SparseHessianResult, SparseHessianTask } from '../suites/sparse-hessian.js';
import type { CompileResult, CompileTask } from '../suites/compile.js';
import type { DeepMemoryResult, DeepMemoryTask } from '../suites/memory.js';
import type { HeadToHeadResult, HeadToHeadTask } from '../suites/head-to-head.js';

/** (D, H, K, N): inputs, hidden units, outputs, patterns of the two-layer tanh network. */
export type Size = readonly [number, number, number, number];

export type Precision = 'float64' | 'float32';

/**
 * `ok`: relative error within the precision's tolerance. `WRONG (inexact)`: over the float64
 * tolerance but under 1e-3 (the right derivative computed with too little precision, e.g. finite
 * differences). `WRONG`: over 1e-3, a wrong derivative. `not run`: the method could not be run (the
 * note says why).
 */
export type Verdict = 'ok' | 'reference' | 'WRONG' | 'WRONG (inexact)' | 'not run';

export interface MethodResult {
  /** Stable key, e.g. `dualtape.gradAndHvp`, used to line rows up across sizes. */
  readonly id: string;
  /** What is shown in the table. */
  readonly label: string;
  readonly precision: Precision;
  /** Milliseconds per call, fastest benchmark.js sample (see Timing in measure.ts), or null when not timed. */
  readonly ms: number | null;
  /** Mean over the benchmark.js samples. */
  readonly meanMs: number | null;
  readonly samples: number | null;
  /** The hand-written R-propagation's ms timed just before and after this method (geometric mean). */
  readonly handMs: number | null;
  /** ms / handMs. */
  readonly xHand: number | null;
  /** max |H·v − ref| / max |ref| against rPropagation, or null when the method has no H·v. */
  readonly err: number | null;
  readonly verdict: Verdict;
  readonly note?: string;
}

export interface TwoLayerResult {
  readonly suite: 'two-layer';
  readonly group: string;
  readonly size: Size;
  readonly W: number;
  /** The hand-written R-propagation's ms in this child: the median of all its timings. */
  readonly handMs: number;
  /** Every timing of the hand-written baseline in this child, in order. */
  readonly handTimings: number[];
  readonly methods: MethodResult[];
  readonly notes: string[];
}

export interface ScalingPoint {
  readonly W: number;
  readonly label: string;
  readonly ms: number;
  readonly handMs?: number;
}

export interface ScalingResult {
  readonly suite: 'scaling';
  readonly gradAndHvp: ScalingPoint[];
  readonly hessian: ScalingPoint[];
  readonly notes: string[];
}

/**
 * What the memory suite measures: gradAndHvp as it comes (its first large product starts the
 * kernels' worker thread), gradAndHvp after `await initKernels({ threads: true })` started the
 * worker up front, and the hand-written R-propagation.
 */
export type MemoryMethod = 'gradAndHvp' | 'gradAndHvp, workers started' | 'hand-written';

export interface MemoryResult {
  readonly suite: 'memory';
  readonly size: Size;
  readonly W: number;
  readonly method: MemoryMethod;
  /** Peak resident set size above the pre-call level, sampled every ~0.5 ms by a worker thread. */
  readonly peakRssMB: number;
  /** Peak RSS of the whole process (getrusage maxrss), for context. */
  readonly processPeakRssMB: number;
  /** heapUsed + arrayBuffers at the end of the call minus before it (gc() before; garbage included). */
  readonly heapEndMB: number;
  /** heapUsed + arrayBuffers after dropping the result and gc(): what the engine keeps (pools, caches). */
  readonly retainedMB: number;
  readonly ms: number;
  /**
   * The same call made again at the same size: peak RSS Δ above the level the first call left (the
   * matrix kernels' WebAssembly memories and the tape's storage are then already grown, as in a
   * training loop), and its time.
   */
  readonly laterPeakRssMB: number;
  readonly laterMs: number;
}

export interface RosenbrockResult {
  readonly suite: 'rosenbrock';
  readonly n: number;
  readonly nodes: number;
  readonly gradAndHvpMs: number;
  readonly valueAndGradMs: number;
  readonly closedFormMs: number;
  readonly err: number;
  /** The same f written with tensor ops (strided slices), as JAX's is (absent in older results). */
  readonly tensor?: { readonly gradAndHvpMs: number; readonly valueAndGradMs: number; readonly err: number };
}

export interface HessianResult {
  readonly suite: 'hessian';
  readonly W: number;
  /** hessian with its default blocks of lanes. */
  readonly hessianMs: number;
  readonly lanes: number;
  /** One recording, then one tangent sweep pair per unit direction (hessian before lanes). */
  readonly oneByOneMs: number;
  readonly separateMs: number;
  readonly err: number;
  readonly lanesRows: readonly LanesRow[];
}

/** hvpMany with k lanes against k applies of one hvpOperator (suites/lanes.ts). */
export interface LanesRow {
  readonly problem: string;
  readonly n: number;
  /** Tape nodes of one recording (0 when not counted: tensor graphs). */
  readonly nodes: number;
  readonly k: number;
  /** hvpMany with no direction: recording f and sweeping its value and gradient once. */
  readonly operatorMs: number;
  readonly hvpManyMs: number;
  /** k applies of an operator made beforehand. */
  readonly repeatedMs: number;
  /** Relative difference between hvpMany and the applies (and the closed form where there is one). */
  readonly err: number;
}

export interface NewtonResult {
  readonly suite: 'newton';
  readonly n: number;
  readonly seconds: number;
  readonly iterations: number;
  readonly hvpCount: number;
  readonly value: number;
  readonly converged: boolean;
}

/** Fastest per-call times of one method, over several samples of many calls each (see suites/pinn.ts). */
export interface PerCall {
  /** Wall-clock microseconds per call, fastest sample. */
  readonly us: number;
  /** CPU microseconds per call (this process, all threads), fastest sample. */
  readonly cpuUs: number;
}

/** dualtape on the PINN of `pnpm example pinn` (examples/lib/pinn-problem.ts), one network. */
export interface PinnNetworkResult {
  readonly network: string;
  readonly W: number;
  /** Tape nodes one call records: the PINN loss (nested sweeps included) and the data-fit loss. */
  readonly nodes: { readonly pinn: number; readonly dataFit: number };
  /** gradAndHvp, valueAndGrad and hvpOperator(…).applyFlat of the PINN loss; gradAndHvp of the data-fit loss. */
  readonly pinnGradAndHvp: PerCall;
  readonly pinnValueAndGrad: PerCall;
  readonly pinnApply: PerCall;
  readonly dataFitGradAndHvp: PerCall;
  /** max |H·v − central difference of ∇L| / max |H·v| at the initial weights. */
  readonly hvpVsFiniteDifferences: number;
  /** The example's schedule (Adam → L-BFGS → Newton–CG); absent with --quick. */
  readonly training?: {
    readonly stages: { stage: string; iterations: number; seconds: number; cpuSeconds: number; loss: number; relL2: number; hvpCount?: number; reason: string }[];
    readonly secondsToTarget: number | null;
    readonly cpuSecondsToTarget: number | null;
    /** The lowest relative L2 error of all the schedule's checks (absent in results saved before it was kept). */
    readonly lowestRelL2?: number;
  };
}

export interface PinnResult {
  readonly suite: 'pinn';
  readonly target: number;
  readonly networks: PinnNetworkResult[];
}

/** The problems JAX CPU (Python, benchmarks/jax/) is timed on, each beside its dualtape suite. */
export type JaxCpuProblem = 'two-layer' | 'rosenbrock' | 'hessian' | 'newton';

/** Newton-CG's outcome, for the JAX CPU + scipy trust-ncg row. */
export interface NewtonOutcome {
  readonly seconds: number;
  readonly iterations: number;
  readonly hvpCount: number;
  readonly value: number;
  readonly converged: boolean;
  readonly gradNorm: number;
}

/** One JAX CPU row: a MethodResult without the hand-written baseline (see JaxCpuResult). */
export interface JaxCpuRow extends MethodResult {
  readonly newton?: NewtonOutcome;
}

/**
 * JAX CPU on one problem, timed by benchmarks/jax/bench.py in a Python process started by a child
 * Node process, which wrote the inputs and the reference. For the two-layer problem the Node
 * process times the hand-written R-propagation right before and right after the Python run, so
 * the rows carry × hand-written like every peer's; for the others handMs is null.
 */
export interface JaxCpuResult {
  readonly suite: 'jax-cpu';
  readonly problem: JaxCpuProblem;
  readonly size?: Size;
  readonly W?: number;
  /** The Node process's hand-written baseline timings (two-layer only), in order. */
  readonly handTimings: number[];
  readonly rows: JaxCpuRow[];
  readonly notes: string[];
}

/** Where JAX CPU runs from, or why it does not: decided once by run.ts (see lib/python.ts). */
export type JaxCpuSetup =
  | { readonly available: true; readonly python: string; readonly versions: Record<string, string> }
  | { readonly available: false; readonly why: string };

export type SuiteResult = TwoLayerResult | ScalingResult | MemoryResult | DeepMemoryResult | RosenbrockResult | HessianResult | NewtonResult | JaxCpuResult | PinnResult | CnnResult | SparseHessianResult | CompileResult | HeadToHeadResult;

export type Task =
  | { readonly suite: 'two-layer'; readonly group: 'dualtape'; readonly size: Size; readonly quick: boolean }
  | { readonly suite: 'two-layer'; readonly group: 'tfjs-cpu' | 'tfjs-wasm'; readonly variants: readonly TfjsVariant[]; readonly size: Size; readonly quick: boolean }
  | { readonly suite: 'two-layer'; readonly group: 'jax-js'; readonly variants: readonly JaxVariant[]; readonly size: Size; readonly quick: boolean }
  | { readonly suite: 'scaling'; readonly quick: boolean }
  | { readonly suite: 'memory'; readonly size: Size; readonly method: MemoryMethod; readonly quick: boolean }
  | DeepMemoryTask
  | { readonly suite: 'rosenbrock'; readonly quick: boolean }
  | { readonly suite: 'hessian'; readonly quick: boolean }
  | { readonly suite: 'newton'; readonly quick: boolean }
  | { readonly suite: 'pinn'; readonly quick: boolean }
  | CnnTask
  | SparseHessianTask
  | CompileTask
  | HeadToHeadTask
  | { readonly suite: 'jax-cpu'; readonly problem: JaxCpuProblem; readonly size?: Size; readonly python: string; readonly script: string; readonly quick: boolean };

/** tfjs: nested tf.grads through the built-in tf.tanh, or through a tf.customGrad tanh. */
export type TfjsVariant = 'builtin' | 'custom';
export const TFJS_VARIANTS: readonly TfjsVariant[] = ['builtin', 'custom'];

/** jax-js: eager or jit, float32 or float64; `-sumhalf` writes the loss sum(r²)·0.5 instead of sum(0.5·r²). */
export type JaxVariant = 'eager-f32' | 'jit-f32' | 'eager-f64' | 'jit-f64' | 'jit-f64-sumhalf';
export const JAX_VARIANTS: readonly JaxVariant[] = ['eager-f32', 'jit-f32', 'eager-f64', 'jit-f64', 'jit-f64-sumhalf'];

/** The message a child sends: its result, or why it failed. */
export type ChildMessage = { readonly ok: true; readonly result: SuiteResult } | { readonly ok: false; readonly error: string };

/** Relative tolerances on H·v against rPropagation. */
export const TOLERANCE: Readonly<Record<Precision, number>> = { float64: 1e-10, float32: 1e-3 };

export function verdictOf(err: number, precision: Precision): Verdict {
  if (!Number.isFinite(err)) return 'WRONG';
  if (err <= TOLERANCE[precision]) return 'ok';
  return err <= TOLERANCE.float32 ? 'WRONG (inexact)' : 'WRONG';
}
