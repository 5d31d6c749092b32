/**
 * Memory of one gradAndHvp call against the hand-written R-propagation, in a fresh process per
 * (size, method): a worker thread samples the process RSS every ~0.5 ms during the call (the call
 * is synchronous, so the main thread cannot sample itself), and heap + ArrayBuffer usage is read
 * around the call with gc() before (the child runs with --expose-gc).
 */
import { Worker } from 'node:worker_threads';
import { gradAndHvp } from '@dualtape/core';
import { gradAndHvpByHand } from '../hand-written.js';
import { twoLayerProblem } from '../lib/problem.js';
import type { MemoryResult, Size } from '../lib/protocol.js';
import { sseLoss } from '../two-layer.js';

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

export async function memory(size: Size, method: 'gradAndHvp' | 'hand-written'): Promise<MemoryResult> {
  // Warm the code paths on a tiny problem first, so JIT compilation is not counted.
  for (const s of [[10, 20, 5, 64] as Size]) {
    const { net, p, v, X, T, N } = twoLayerProblem(s);
    const f = sseLoss(net, X, T, N);
    for (let i = 0; i < 20; i++) method === 'gradAndHvp' ? gradAndHvp(f, p, v) : gradAndHvpByHand(net, p, v, X, T, N);
  }
  const { net, p, v, X, T, N, W } = twoLayerProblem(size);
  const f = sseLoss(net, X, T, N);
  const call = method === 'gradAndHvp' ? () => gradAndHvp(f, p, v) : () => gradAndHvpByHand(net, p, v, X, T, N);

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
    suite: 'memory', size, W, method,
    peakRssMB: Math.max(0, peakRss - before.rss) / MB,
    processPeakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapEndMB: (used(after) - used(before)) / MB,
    retainedMB: (used(retained) - used(before)) / MB,
    ms,
  };
}
