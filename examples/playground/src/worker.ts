/**
 * The Web Worker that runs the user's `f`: compiling it, tracing it and the finite-difference check
 * all happen here, so an infinite loop or a huge tape never freezes the page. The page (./runner.ts)
 * terminates this worker when it runs past the time limit or the user presses Stop.
 * @module
 */
import * as dt from '@dualtape/core';
import { PlaygroundError, errorText, evaluate } from './evaluate.js';
import type { EvaluateRequest, EvaluateResponse } from './worker-protocol.js';

// The page's tsconfig has the DOM library, not the worker one: the two parts of the worker scope used here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EvaluateRequest>) => void) | null;
  postMessage(message: EvaluateResponse): void;
};

// Each worker has its own WebAssembly instance: compile the kernels once, asynchronously, and
// answer requests once that is done (the handler is installed at once so no message is missed).
const kernelsReady = dt.initKernels();

scope.onmessage = async ({ data: { id, source, x, v } }) => {
  await kernelsReady;
  try {
    scope.postMessage({ id, ok: true, evaluation: evaluate(source, x, v, dt) });
  } catch (error) {
    const where = error instanceof PlaygroundError ? error.where : 'function';
    const message = error instanceof PlaygroundError ? error.message : errorText(error);
    scope.postMessage({ id, ok: false, where, message });
  }
};
