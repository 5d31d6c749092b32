/**
 * The example's Web Worker: a long job (gradient descent on the network of ./problem.ts) off the
 * page's thread, so the page stays responsive. A worker has its own copy of every module and its own
 * WebAssembly instance: it calls `initKernels()` itself.
 * @module
 */
import { getKernelBackend, initKernels } from '@dualtape/core';
import type { TrainRequest, WorkerMessage } from './messages.js';
import { summary, train } from './problem.js';

// The page's tsconfig has the DOM library, not the worker one: the two parts of the worker scope used here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TrainRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

const ready = initKernels();

scope.onmessage = async ({ data: { steps, rate, every } }) => {
  try {
    await ready;
    scope.postMessage({ kind: 'ready', wasm: getKernelBackend().wasm, summary: summary() });
    const started = performance.now();
    const losses = train(steps, rate, every, (step, value) => scope.postMessage({ kind: 'progress', step, value }));
    scope.postMessage({ kind: 'done', losses, milliseconds: performance.now() - started });
  } catch (error) {
    scope.postMessage({ kind: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
