/// <reference lib="dom" />
/**
 * The browser example's page: dualtape bundled by esbuild, the WebAssembly kernels compiled with
 * `initKernels()`, one quick computation on the page's thread and a long one in a Web Worker.
 * Every number it shows is also in a `data-value` attribute, for the test.
 * @module
 */
import { getKernelBackend, initKernels } from '@dualtape/core';
import type { TrainRequest, WorkerMessage } from './messages.js';
import { summary, type Summary } from './problem.js';

const TRAINING: TrainRequest = { steps: 200, rate: 0.5, every: 20 };

function show(id: string, text: string, value?: unknown): void {
  const el = document.getElementById(id)!;
  el.textContent = text;
  if (value !== undefined) el.dataset.value = JSON.stringify(value);
}

function showSummary(prefix: string, wasm: boolean, s: Summary): void {
  show(`${prefix}-wasm`, wasm ? 'yes: WebAssembly SIMD' : 'no: plain JavaScript', wasm);
  show(`${prefix}-value`, s.value.toPrecision(8), s.value);
  show(`${prefix}-grad-norm`, s.gradNorm.toPrecision(8), s.gradNorm);
  show(`${prefix}-hvp`, `[${s.hvpHead.map((e) => e.toPrecision(6)).join(', ')}, …]`, s.hvpHead);
}

// 1. On the page's thread. A browser may refuse to compile a WebAssembly module synchronously
//    here, so compile the kernels asynchronously once; after that every call is synchronous.
const wasm = await initKernels();
showSummary('main', wasm && getKernelBackend().wasm, summary());

// 2. The long job in a worker: the page keeps answering while it trains.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'dualtape training' });
const log = document.getElementById('progress')!;
worker.onmessage = ({ data }: MessageEvent<WorkerMessage>) => {
  if (data.kind === 'ready') showSummary('worker', data.wasm, data.summary);
  if (data.kind === 'progress') {
    const item = document.createElement('li');
    item.textContent = `step ${data.step}: E = ${data.value.toPrecision(6)}`;
    log.append(item);
  }
  if (data.kind === 'done') {
    show('done', `${TRAINING.steps} steps in ${data.milliseconds.toFixed(0)} ms`, data.losses);
    worker.terminate();
  }
  if (data.kind === 'failed') show('done', `the worker failed: ${data.message}`);
};
worker.postMessage(TRAINING);
