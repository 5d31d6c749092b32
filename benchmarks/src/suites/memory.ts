/**
 * Memory of one gradAndHvp call, in a fresh process per (problem, method): a worker thread samples
 * the process RSS every ~0.5 ms during the call (the call is synchronous, so the main thread cannot
 * sample itself), and heap + ArrayBuffer usage is read around the call with gc() before (the child
 * runs with --expose-gc). Two problems:
 *
 * - the two-layer network against the hand-written R-propagation, on a first call at its size and on
 *   a second one (steady state: the kernels' memories and the tape's storage already grown);
 * - a deep tanh network (32 layers of width 256, N = 512) with and without `checkpoint` per layer
 *   or per block of layers: the memory it saves and the time it costs (both methods timed
 *   alternately in the same process, CPU time of the process, fastest of several calls).
 */
import { Worker } from 'node:worker_threads';
import { checkpoint, gradAndHvp, initKernels, tensor, type Scalar, type Tensor } from '@dualtape/core';
import { gradAndHvpByHand } from '../hand-written.js';
import { concat, maxRelDiff } from '../lib/measure.js';
import { twoLayerProblem } from '../lib/problem.js';
import type { MemoryMethod, MemoryResult, Size } from '../lib/protocol.js';
import { randomArray, sseLoss } from '../two-layer.js';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const ctrl = new Int32Array(workerData, 0, 2);
const max = new Float64Array(workerData, 8, 1);
Atomics.store(ctrl, 1, 1);
while (Atomics.load(ctrl, 0) === 0) {
  const rss = process.memoryUsage.rss();
  if (rss > max[0]) max[0] = rss;
  Atomics.wait(ctrl, 0, 0, 0.5);
}
`;

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory suite: run node with --expose-gc');
  gc();
  gc();
}

const MB = 1024 * 1024;
const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

/** Peak RSS Δ and heap Δ of one call of `call`, sampled by a worker thread. */
async function peakOf(call: () => unknown): Promise<{ peakRssMB: number; processPeakRssMB: number; heapEndMB: number; retainedMB: number; ms: number }> {
  const shared = new SharedArrayBuffer(16);
  const ctrl = new Int32Array(shared, 0, 2);
  const max = new Float64Array(shared, 8, 1);
  const worker = new Worker(SAMPLER, { eval: true, workerData: shared });
  while (Atomics.load(ctrl, 1) === 0) await new Promise((r) => setTimeout(r, 5));

  gcNow();
  const before = process.memoryUsage();
  max[0] = 0;
  const start = performance.now();
  let result: unknown = call();
  const ms = performance.now() - start;
  const after = process.memoryUsage();
  const peakRss = Math.max(max[0], after.rss);
  Atomics.store(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
  await worker.terminate();
  void result;
  result = null;
  gcNow();
  const retained = process.memoryUsage();
  return {
    peakRssMB: Math.max(0, peakRss - before.rss) / MB,
    processPeakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapEndMB: (used(after) - used(before)) / MB,
    retainedMB: (used(retained) - used(before)) / MB,
    ms,
  };
}

export async function memory(size: Size, method: MemoryMethod): Promise<MemoryResult> {
  // Warm the code paths on a tiny problem first, so JIT compilation is not counted.
  for (const s of [[10, 20, 5, 64] as Size]) {
    const { net, p, v, X, T, N } = twoLayerProblem(s);
    const f = sseLoss(net, X, T, N);
    for (let i = 0; i < 20; i++) method === 'hand-written' ? gradAndHvpByHand(net, p, v, X, T, N) : gradAndHvp(f, p, v);
  }
  // A one-time cost a job can move to its start-up: the worker thread (a Node isolate).
  if (method === 'gradAndHvp, workers started') await initKernels({ threads: true });
  const { net, p, v, X, T, N, W } = twoLayerProblem(size);
  const f = sseLoss(net, X, T, N);
  const call = method === 'hand-written' ? () => gradAndHvpByHand(net, p, v, X, T, N) : () => gradAndHvp(f, p, v);
  const first = await peakOf(call);
  const later = await peakOf(call);
  return { suite: 'memory', size, W, method, ...first, laterPeakRssMB: later.peakRssMB, laterMs: later.ms };
}

// ---- A deep network, with and without checkpoints ---------------------------------------------------

/** L tanh layers h ← tanh(h·W + b) of one width, on a batch of N inputs; loss ½ Σ h². */
export interface DeepNetwork {
  readonly layers: number;
  readonly width: number;
  readonly N: number;
}

export const DEEP_NETWORK: DeepNetwork = { layers: 32, width: 256, N: 512 };
export const DEEP_NETWORK_QUICK: DeepNetwork = { layers: 8, width: 64, N: 64 };
/** Checkpoint every k layers (one checkpointed block of k layers); 0: no checkpoint. */
export const CHECKPOINT_EVERY = [0, 1, 4] as const;

export interface DeepMemoryTask {
  readonly suite: 'memory';
  readonly deep: DeepNetwork;
  readonly checkpointEvery: number;
  readonly quick: boolean;
}

export interface DeepMemoryResult {
  readonly suite: 'memory-deep';
  readonly deep: DeepNetwork;
  readonly W: number;
  readonly checkpointEvery: number;
  /** As in {@link MemoryResult}: peak RSS Δ of one call, and so on. */
  readonly peakRssMB: number;
  readonly processPeakRssMB: number;
  readonly heapEndMB: number;
  readonly retainedMB: number;
  /** Fastest of several calls, timed alternately with the network without checkpoints (process CPU ms and wall ms). */
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly plainCpuMs: number;
  readonly plainWallMs: number;
  /** max |Δ| / max |ref| of ∇f and of H·v against the network without checkpoints. */
  readonly gradErr: number;
  readonly hvpErr: number;
}

type Layer = { readonly w: Tensor; readonly b: Tensor };

function deepLoss({ layers, width, N }: DeepNetwork, every: number, X: Float64Array): (p: { readonly layers: readonly Layer[] }) => Scalar {
  const block = ({ h, layers: ps }: { h: Tensor; layers: readonly Layer[] }) => {
    for (const { w, b } of ps) h = h.matmul(w).add(b).tanh();
    return h;
  };
  const step = every === 0 ? block : checkpoint(block);
  const size = every === 0 ? layers : every;
  return (p) => {
    let h = tensor(X, [N, width]);
    for (let k = 0; k < layers; k += size) h = step({ h, layers: p.layers.slice(k, k + size) });
    return h.square().sum().mul(0.5);
  };
}

function deepProblem(net: DeepNetwork) {
  const { layers, width, N } = net;
  const X = randomArray(N * width, 7);
  // Parameters as tensors (eager), so that x carries their shapes; the direction as flat arrays.
  const p = { layers: Array.from({ length: layers }, (_, k) => ({ w: tensor(randomArray(width * width, 100 + k, 1.5 / Math.sqrt(width)), [width, width]), b: tensor(randomArray(width, 200 + k, 0.1)) })) };
  const v = { layers: Array.from({ length: layers }, (_, k) => ({ w: randomArray(width * width, 300 + k), b: randomArray(width, 400 + k) })) };
  return { X, p, v, W: layers * (width * width + width) };
}

const flatOf = (tree: { layers: Array<{ w: Float64Array; b: Float64Array }> }) => concat(tree.layers.flatMap(({ w, b }) => [w, b]));

/** CPU ms of the process (all threads: the matrix kernels may run on two) and wall ms of one call. */
function timeOnce(call: () => unknown): { cpu: number; wall: number } {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  call();
  const wall = performance.now() - wall0;
  const { user, system } = process.cpuUsage(cpu0);
  return { cpu: (user + system) / 1e3, wall };
}

export async function memoryDeep(task: DeepMemoryTask): Promise<DeepMemoryResult> {
  const { deep, checkpointEvery: every, quick } = task;
  // Warm the code paths (with and without checkpoints) on a tiny network first.
  const tiny: DeepNetwork = { layers: 4, width: 8, N: 8 };
  const t = deepProblem(tiny);
  for (const e of [every, 0]) {
    const f = deepLoss(tiny, Math.min(e, tiny.layers), t.X);
    for (let i = 0; i < 20; i++) gradAndHvp(f, t.p, t.v);
  }
  const { X, p, v, W } = deepProblem(deep);
  const f = deepLoss(deep, every, X);
  const plain = deepLoss(deep, 0, X);
  const memory = await peakOf(() => gradAndHvp(f, p, v));

  // The time cost: this method and the plain network alternately, fastest of each.
  let cpuMs = Infinity, wallMs = Infinity, plainCpuMs = Infinity, plainWallMs = Infinity;
  for (let r = 0; r < (quick ? 2 : 5); r++) {
    const a = timeOnce(() => gradAndHvp(f, p, v));
    const b = timeOnce(() => gradAndHvp(plain, p, v));
    cpuMs = Math.min(cpuMs, a.cpu); wallMs = Math.min(wallMs, a.wall);
    plainCpuMs = Math.min(plainCpuMs, b.cpu); plainWallMs = Math.min(plainWallMs, b.wall);
  }
  const got = gradAndHvp(f, p, v), want = gradAndHvp(plain, p, v);
  const gradErr = maxRelDiff(flatOf(got.grad as never), flatOf(want.grad as never));
  const hvpErr = maxRelDiff(flatOf(got.hvp as never), flatOf(want.hvp as never));
  return { suite: 'memory-deep', deep, W, checkpointEvery: every, ...memory, cpuMs, wallMs, plainCpuMs, plainWallMs, gradErr, hvpErr };
}
